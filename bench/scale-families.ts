/**
 * The families of `npm run bench:scale`: each with an approved visit service for an inmate of its own,
 * signed in through the load balancer and walked through the booking wizard up to its last page, so
 * that only the confirmation (the attempt) is left to send.
 */
import argon2 from 'argon2';
import type pg from 'pg';
import { Client, csrfFrom } from '../test/support/http.ts';
import { benchNationalId } from './support.ts';

export const PASSWORD = 'bench family password';
const INSTITUTION = '2477';

export type Family = { n: number; email: string; applicant: number; client: Client; slot?: string };

/**
 * The institution, `batches` on-site batches of `capacity` on every day of the week (08:00, 08:20, …),
 * and `count` families. The password hash uses cheap argon2 settings (verification reads them from the
 * hash): signing in is not what is measured, and 500 verifications at the portal's settings would take
 * minutes of the machine's two cores.
 */
export async function setUpFamilies(
  pool: pg.Pool,
  count: number,
  batches: number,
  capacity: number,
): Promise<Array<Omit<Family, 'client'>>> {
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) VALUES ($1, '桃園女子監獄', 'Taoyuan Women''s Prison')`,
    [INSTITUTION],
  );
  await pool.query(
    `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
     SELECT $1, 'onsite', d, time '08:00' + make_interval(mins => 20 * g), 20, $2
       FROM generate_series(1, 7) d, generate_series(0, $3 - 1) g`,
    [INSTITUTION, capacity, batches],
  );
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
  const { rows } = await pool.query<{ applicant: number; email: string; n: number }>(
    `WITH a AS (
       INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
       SELECT '測試家屬', ids.id, 'scale' || ids.n || '@example.com', '1980-01-01', $2, now(), now()
         FROM unnest($1::text[]) WITH ORDINALITY AS ids(id, n) RETURNING id, email),
     m AS (
       INSERT INTO inmate (institution_code, call_number, name)
       SELECT $3, lpad(g::text, 6, '0'), '王小明' FROM generate_series(1, $4) g RETURNING id, call_number),
     pairs AS (
       SELECT a.id AS applicant, m.id AS inmate, a.email
         FROM a JOIN m ON m.call_number = lpad(substring(a.email FROM 'scale([0-9]+)@'), 6, '0')),
     s AS (
       INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
       SELECT '20261101-' || upper(lpad(to_hex(row_number() OVER ()::int), 6, '0')), applicant, inmate, $3, 'visit', ARRAY['onsite'], 'mother', gen_random_uuid(), now(), 'approved', now()
         FROM pairs RETURNING applicant_id)
     SELECT p.applicant, p.email, substring(p.email FROM 'scale([0-9]+)@')::int AS n
       FROM pairs p JOIN s ON s.applicant_id = p.applicant ORDER BY n`,
    [Array.from({ length: count }, (_, i) => benchNationalId(i + 1)), hash, INSTITUTION, count],
  );
  if (rows.length !== count) throw new Error(`set-up made ${rows.length} families of ${count}`);
  return rows.map((r) => ({ n: r.n, email: r.email, applicant: Number(r.applicant) }));
}

function expect(what: string, status: number, wanted: number, text = ''): void {
  if (status !== wanted) throw new Error(`${what}: ${status}, not ${wanted} ${text.slice(0, 300)}`);
}

/**
 * Signs the family in and walks the wizard to its confirmation page: on-site, its inmate, nobody else,
 * then batch number `batchIndex` (0-based, by time) on the `dateIndex`-th date that offers every batch.
 * Choosing the time holds a place for 10 minutes (issue 13), so with 500 families for 200 places the
 * 201st could not choose one: `letHoldGo` removes the family's hold once chosen, as if it had expired
 * (confirming does not need it), so every family reaches the confirmation and capacity alone decides.
 */
export async function prepareBooking(
  base: string,
  f: Omit<Family, 'client'>,
  dateIndex: number,
  batchIndex: number,
  letHoldGo: (applicant: number) => Promise<unknown>,
): Promise<Family> {
  const c = new Client(base);
  await c.get('/signin');
  const signIn = await c.post('/signin', { email: f.email, password: PASSWORD });
  expect(`sign-in of ${f.email}`, signIn.status, 303, signIn.text);
  expect('the wizard', (await c.get('/bookings/new')).status, 303);
  await c.get('/bookings/new/kind');
  expect('kind', (await c.post('/bookings/new/kind', { kind: 'onsite' })).status, 303);
  const inmate = await c.get('/bookings/new/inmate');
  const option = /name="option" value="([^"]+)"/.exec(inmate.text)?.[1];
  if (!option) throw new Error(`no inmate offered to ${f.email}`);
  expect('inmate', (await c.post('/bookings/new/inmate', { option })).status, 303);
  await c.get('/bookings/new/companions');
  expect('companions', (await c.post('/bookings/new/companions', {})).status, 303);
  const slotPage = await c.get('/bookings/new/slot');
  const offered = new Map<string, string[]>();
  for (const m of slotPage.text.matchAll(/name="slot" value="(\d{4}-\d{2}-\d{2})\|(\d+)"/g))
    offered.set(m[1]!, [...(offered.get(m[1]!) ?? []), m[2]!]);
  const dates = [...offered.keys()].sort();
  const date = dates[dateIndex];
  if (!date) throw new Error(`only ${dates.length} dates offered to ${f.email}`);
  const ids = offered
    .get(date)!
    .map(Number)
    .sort((a, b) => a - b);
  const slot = `${date}|${ids[batchIndex % ids.length]}`;
  const chosen = await c.post('/bookings/new/slot', { slot });
  expect('slot', chosen.status, 303, chosen.text);
  await letHoldGo(f.applicant);
  const confirm = await c.get('/bookings/new/confirm');
  expect('confirmation page', confirm.status, 200);
  csrfFrom(confirm.text);
  return { ...f, client: c, slot };
}

/** Runs `work` over `items` with at most `width` at a time. */
export async function inParallel<T, R>(items: T[], width: number, work: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!, i);
      }
    }),
  );
  return out;
}

/** The confirmation: 'booked', 'full' (sent back to choose another time) or what else came back. */
export async function confirm(f: Family): Promise<'booked' | 'full' | 'used' | `status ${number}`> {
  const r = await f.client.post('/bookings/new/confirm', {});
  if (r.status === 303 && /^\/bookings\/\d+\?booked=1$/.test(r.location ?? '')) return 'booked';
  if (r.status === 303 && r.location === '/bookings/new/slot') return 'full';
  if (r.status === 422) return 'used';
  return `status ${r.status}`;
}

/** Places booked beyond a batch's capacity, over the whole database (must be 0). */
export async function overbooked(pool: pg.Pool): Promise<{ over: number; booked: number }> {
  const { rows } = await pool.query<{ over: number; booked: number }>(
    `SELECT coalesce(sum(greatest(n - b.capacity, 0)), 0)::int AS over, coalesce(sum(n), 0)::int AS booked
       FROM (SELECT batch_id, visit_date, count(*)::int AS n FROM visit_booking
              WHERE status IN ('pending', 'approved') AND batch_id IS NOT NULL GROUP BY batch_id, visit_date) c
       JOIN visit_batch b ON b.id = c.batch_id`,
  );
  return rows[0]!;
}
