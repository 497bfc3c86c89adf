import { Router } from 'express';
import { listTimetable, type Batch } from '../domain/bookings/timetable.ts';
import { VISIT_KINDS } from '../domain/applications/vocabulary.ts';
import type { RouteDeps } from './deps.ts';
import {
  HOME_COUNT,
  getAnnouncement,
  listAnnouncements,
  listPublicAnnouncements,
  type AnnouncementSource,
} from '../domain/announcements.ts';
import { listInstitutions } from '../domain/institutions.ts';
import { taipeiToday } from '../domain/shared/dates.ts';
import { parseId } from '../domain/shared/ids.ts';

// GET /                    home: announcements and the ways in
// GET /announcements       訊息公告: pinned first, then newest; ?institution=<code>|agency, ?page=
// GET /announcements/:id   one announcement
// GET /process             申辦流程說明
// GET /visit-times         機關接見時段查詢
// GET /privacy             個資收集聲明
/** A timetable as people read it: per kind, each batch's times once, with the weekdays it runs. */
function timetableByKind(batches: Batch[]) {
  return VISIT_KINDS.map((kind) => {
    const rows = new Map<
      string,
      { ordinal: number; startsAt: string; endsAt: string; weekdays: number[]; capacity: number }
    >();
    for (const b of batches.filter((x) => x.kind === kind)) {
      const key = `${b.startsAt}-${b.endsAt}`;
      const row = rows.get(key) ?? {
        ordinal: b.ordinal,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        weekdays: [],
        capacity: b.capacity,
      };
      row.weekdays.push(b.weekday);
      rows.set(key, row);
    }
    return { kind, rows: [...rows.values()] };
  }).filter((k) => k.rows.length > 0);
}

export function publicRoutes(d: RouteDeps): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const announcements = await listAnnouncements(d.pool, req.locale, taipeiToday(d.clock()), HOME_COUNT);
    res.render('public/home', { announcements });
  });

  r.get('/announcements', async (req, res) => {
    const institutions = await listInstitutions(d.pool, req.locale);
    const wanted = typeof req.query.institution === 'string' ? req.query.institution.trim() : '';
    const source: AnnouncementSource =
      wanted === 'agency'
        ? { kind: 'agency' }
        : institutions.some((i) => i.code === wanted)
          ? { kind: 'institution', code: wanted }
          : { kind: 'all' };
    const chosen = source.kind === 'all' ? '' : wanted;
    const page = Math.min(Number.parseInt(String(req.query.page ?? ''), 10) || 1, 1_000_000);
    const list = await listPublicAnnouncements(d.pool, req.locale, taipeiToday(d.clock()), { source, page });
    res.render('public/announcements', {
      list,
      institutions,
      source: chosen,
      pageUrl: (n: number) =>
        `/announcements?${new URLSearchParams({ ...(chosen ? { institution: chosen } : {}), page: String(n) })}`,
    });
  });

  r.get('/announcements/:id', async (req, res, next) => {
    const id = parseId(req.params.id);
    const announcement = id === null ? null : await getAnnouncement(d.pool, req.locale, id, taipeiToday(d.clock()));
    if (!announcement) return next();
    res.render('public/announcement', { announcement });
  });

  r.get('/process', (_req, res) => res.render('public/process'));

  r.get('/visit-times', async (req, res) => {
    const institutions = await listInstitutions(d.pool, req.locale);
    const timetables = new Map(
      await Promise.all(
        institutions.map(async (i) => [i.code, timetableByKind(await listTimetable(d.pool, i.code))] as const),
      ),
    );
    res.render('public/visit-times', { institutions, timetables });
  });

  r.get('/privacy', (_req, res) => res.render('public/privacy'));
  return r;
}
