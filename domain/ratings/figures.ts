import type { Db } from '../platform/db.ts';
import { assertMay, type StaffActor } from '../shared/staff-actor.ts';
import { periodOf, type Period } from '../statistics/figures.ts';
import { maskPersonalData } from './moderation.ts';

/** Seed 004: 目標設定為整體滿意度 8 成以上. */
export const TARGET_SHARE = 0.8;
export const COMMENTS_SHOWN = 50;

export type RatingFilter = { service: string | null; institutionCode: string | null };
/** One week (its Monday): answers, 非常滿意 and 滿意 among them, and their share (null without answers). */
export type RatingWeek = { week: string; answers: number; satisfied: number; share: number | null };
export type RatingComment = { service: string; date: string; comment: string };
export type RatingFigures = {
  period: Period;
  weeks: RatingWeek[];
  total: { answers: number; satisfied: number; share: number | null };
  comments: RatingComment[];
};

const share = (satisfied: number, answers: number) =>
  answers ? Math.round((satisfied / answers) * 1000) / 1000 : null;

/**
 * The last 12 weeks of answers within the staff member's scope (the agency sees every institution and
 * may pick one; staff of an institution always see their own) and the newest comments, masked.
 */
export async function ratingFigures(db: Db, who: StaffActor, f: RatingFilter, now: Date): Promise<RatingFigures> {
  assertMay(who, 'ratings');
  const period = periodOf(now);
  const institution = who.institutionCode ?? f.institutionCode;
  const params = [period.weeks[0], institution, f.service];
  const where = `answered_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Taipei'
             AND ($2::char(4) IS NULL OR institution_code = $2) AND ($3::text IS NULL OR service = $3)`;
  const { rows } = await db.query<{ week: string; answers: number; satisfied: number }>(
    `SELECT to_char(date_trunc('week', answered_at AT TIME ZONE 'Asia/Taipei'), 'YYYY-MM-DD') AS week,
            count(*)::int AS answers, count(*) FILTER (WHERE answer >= 4)::int AS satisfied
       FROM rating WHERE ${where} GROUP BY 1`,
    params,
  );
  const weeks = period.weeks.map((week) => {
    const r = rows.find((x) => x.week === week);
    const answers = r?.answers ?? 0;
    const satisfied = r?.satisfied ?? 0;
    return { week, answers, satisfied, share: share(satisfied, answers) };
  });
  const answers = weeks.reduce((s, w) => s + w.answers, 0);
  const satisfied = weeks.reduce((s, w) => s + w.satisfied, 0);
  const comments = await db.query<{ service: string; date: string; comment: string }>(
    `SELECT service, to_char(answered_at AT TIME ZONE 'Asia/Taipei', 'YYYY-MM-DD') AS date, comment
       FROM rating WHERE ${where} AND comment IS NOT NULL
      ORDER BY answered_at DESC, id DESC LIMIT ${COMMENTS_SHOWN}`,
    params,
  );
  return {
    period,
    weeks,
    total: { answers, satisfied, share: share(satisfied, answers) },
    comments: comments.rows.map((c) => ({ ...c, comment: maskPersonalData(c.comment) })),
  };
}
