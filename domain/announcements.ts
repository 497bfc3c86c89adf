import type { Db } from './platform/db.ts';
import type { Locale } from './shared/locale.ts';

export type Announcement = { id: number; title: string; body: string; publishedOn: string };

type AnnouncementRow = {
  id: number;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  published_on: string;
};

function toAnnouncement(r: AnnouncementRow, locale: Locale): Announcement {
  return {
    id: r.id,
    title: locale === 'en' ? r.title_en : r.title_zh,
    body: locale === 'en' ? r.body_en : r.body_zh,
    publishedOn: r.published_on,
  };
}

/** Published announcements, newest first (dates up to today). */
export async function listAnnouncements(db: Db, locale: Locale, today: string, limit = 20): Promise<Announcement[]> {
  const { rows } = await db.query<AnnouncementRow>(
    `SELECT id, title_zh, title_en, body_zh, body_en, published_on FROM announcement
      WHERE published_on <= $1 ORDER BY published_on DESC, id DESC LIMIT $2`,
    [today, limit],
  );
  return rows.map((r) => toAnnouncement(r, locale));
}

export async function getAnnouncement(db: Db, locale: Locale, id: number, today: string): Promise<Announcement | null> {
  const { rows } = await db.query<AnnouncementRow>(
    'SELECT id, title_zh, title_en, body_zh, body_en, published_on FROM announcement WHERE id = $1 AND published_on <= $2',
    [id, today],
  );
  return rows[0] ? toAnnouncement(rows[0], locale) : null;
}
