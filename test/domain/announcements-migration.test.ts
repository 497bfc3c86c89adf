import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from '../support/db.ts';
import { MIGRATIONS_DIR, migrate } from '../../domain/platform/migrate.ts';
import { getAnnouncement, listAnnouncements } from '../../domain/announcements.ts';

// Migration 015 on a database that already has announcements (published_on): each becomes a published,
// unpinned announcement from that date, with no end, and the public sees exactly what it saw before.
test('announcements written before migration 015 stay public from their date, newest first', async () => {
  const db = await freshDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'announcements-migration-'));
  try {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
    const before = files.filter((f) => Number(f.slice(0, 3)) < 15);
    for (const f of before) await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    await db.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    assert.equal(await migrate(db.pool, dir), before);
    await db.pool.query(`INSERT INTO institution (code, name_zh, name_en) VALUES ('2477', '桃園女子監獄', 'Taoyuan')`);
    await db.pool.query(
      `INSERT INTO announcement (institution_code, title_zh, title_en, body_zh, body_en, published_on) VALUES
         (NULL, '舊公告', 'Old', '舊內容', 'Old text', '2026-11-01'),
         ('2477', '機關公告', 'Ours', '', '', '2026-11-20'),
         (NULL, '未來', 'Future', '', '', '2026-12-01')`,
    );
    for (const f of files.filter((x) => !before.includes(x)))
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    assert.ok((await migrate(db.pool, dir)).includes('015_announcements.sql'));

    const { rows } = await db.pool.query(
      `SELECT title_zh, publish_from, publish_until, pinned, status, version FROM announcement ORDER BY id`,
    );
    assert.equal(rows, [
      {
        title_zh: '舊公告',
        publish_from: '2026-11-01',
        publish_until: null,
        pinned: false,
        status: 'published',
        version: 1,
      },
      {
        title_zh: '機關公告',
        publish_from: '2026-11-20',
        publish_until: null,
        pinned: false,
        status: 'published',
        version: 1,
      },
      {
        title_zh: '未來',
        publish_from: '2026-12-01',
        publish_until: null,
        pinned: false,
        status: 'published',
        version: 1,
      },
    ]);
    const shown = await listAnnouncements(db.pool, 'zh-TW', '2026-11-23', 10);
    assert.equal(
      shown.map((a) => [a.title, a.publishFrom, a.institutionName]),
      [
        ['機關公告', '2026-11-20', '桃園女子監獄'],
        ['舊公告', '2026-11-01', null],
      ],
    );
    assert.is((await getAnnouncement(db.pool, 'en', shown[1]!.id, '2026-11-23'))!.bodyHtml, '<p>Old text</p>');
  } finally {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
