/**
 * `npm run bench:bookings` (also run by `npm run bench`): 500 booking attempts at once across 20
 * batches of one date, through the domain's bookVisit on a pool the size the portal uses (10
 * connections), so the database's capacity rule is what decides. Each attempt is a different family
 * visiting a different inmate, so only capacity can refuse them. It runs two such rushes: the first on
 * the pool's connections just opened as the portal opens them at start (openPool, readied by
 * readyForBookings), the second (other families, other batches) on the same connections once they have taken
 * bookings, as a portal that has been running meets a rush. The mail dispatcher runs meanwhile. The pair
 * runs REPEATS times (3; BOOKINGS_REPEATS), each on a new pool and in an institution of its own, since
 * one rush's p95 moves by ±100 ms between runs on a shared 2-core machine. Prints for each rush the
 * median and p95 time of an attempt, and checks the median p95 of each kind against the goal (issue 14:
 * p95 <= 500 ms), the bookings
 * accepted and refused by reason, the overbookings found afterwards in the database (must be 0), the
 * round trips of one accepted and one refused attempt, and the figures measured before the booking was
 * made one statement; then the same figures as one JSON line with a `checks` array (what `npm run
 * bench` tabulates); it exits 0 whenever it measured, goal met or not.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { bookVisit, readyForBookings } from '../domain/bookings/booking.ts';
import { createPool, openPool, POOL_SIZE } from '../domain/platform/db.ts';
import { startMailDispatcher } from '../domain/shared/outbox.ts';
import { type BookingOutcome } from '../domain/bookings/vocabulary.ts';
import { scratchDatabase, type CleanUp } from './scratch-db.ts';
import { benchNationalId, runBenchmark } from './support.ts';

const ATTEMPTS = 500;
const BATCHES = 20;
const CAPACITY = 10;
/** Monday 2026-11-23 10:00 in Taipei; the visits are on Wednesday 2026-11-25 (two days ahead). */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const DATE = '2026-11-25';
const P95_GOAL_MS = 500;
const REPEATS = Math.max(1, Number(process.env.BOOKINGS_REPEATS ?? 3));
/** One institution per repeat, so each repeat's batches and families are its own. */
const INSTITUTIONS = ['2477', '2418', '2428', '2438', '2458'].slice(0, REPEATS);
if (INSTITUTIONS.length < REPEATS) throw new Error(`BOOKINGS_REPEATS is at most 5`);
/**
 * Measured by this bench on main before issue 14 (quiet machine): 8 round trips for an accepted
 * booking (BEGIN, the booking, the other visitors and history, the booking read back twice for the
 * notice, the notice, COMMIT, after a separate pre-check), 1 for a refusal; p95 1114 ms, median 996 ms.
 */
const BEFORE = { roundTripsAccepted: 8, roundTripsRefused: 1, p95Ms: 1114, medianMs: 996 };
const progress = (msg: string) => process.stderr.write(`${msg}\n`);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * p) - 1))]!;

async function main(cleanUp: CleanUp): Promise<void> {
  const { pool, url } = await scratchDatabase('bookings', cleanUp);

  progress(
    `setting up ${REPEATS} institutions, each with ${2 * ATTEMPTS} families, ${2 * ATTEMPTS} inmates and ${2 * BATCHES} batches of ${CAPACITY} (for two rushes)`,
  );
  await pool.query(
    `INSERT INTO institution (code, name_zh, name_en) SELECT code, '測試監獄' || code, 'Bench prison ' || code FROM unnest($1::text[]) code`,
    [INSTITUTIONS],
  );
  type Family = { applicant: number; inmate: number };
  const repeats: { institution: string; batches: number[]; families: Family[] }[] = [];
  for (const [r, institution] of INSTITUTIONS.entries()) {
    // 40 on-site batches on Wednesdays, every 20 minutes from 08:00: 20 for each rush.
    const batches = (
      await pool.query<{ id: string }>(
        `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
           SELECT $3, 'onsite', 3, time '08:00' + make_interval(mins => 20 * g), 20, $1 FROM generate_series(0, $2 - 1) g RETURNING id`,
        [CAPACITY, 2 * BATCHES, institution],
      )
    ).rows.map((row) => Number(row.id));
    const offset = r * 2 * ATTEMPTS;
    const families = (
      await pool.query<{ applicant: string; inmate: string }>(
        `WITH a AS (
           INSERT INTO applicant (name, national_id, email, birthday, password_hash, privacy_consent_at, email_verified_at)
           SELECT '測試家屬', ids.id, 'bench' || ($3 + ids.n) || '@example.com', '1980-01-01', 'x', now(), now()
             FROM unnest($1::text[]) WITH ORDINALITY AS ids(id, n) RETURNING id, email),
         m AS (
           INSERT INTO inmate (institution_code, call_number, name)
           SELECT $4, lpad(($3 + g)::text, 6, '0'), '王小明' FROM generate_series(1, $2) g RETURNING id, call_number),
         pairs AS (
           SELECT a.id AS applicant, m.id AS inmate FROM a JOIN m ON m.call_number = lpad(substring(a.email FROM 'bench([0-9]+)@')::text, 6, '0')),
         s AS (
           INSERT INTO service_application (number, applicant_id, inmate_id, institution_code, service, visit_kinds, relationship, submission_key, submitted_at, status, decided_at)
           SELECT '20261101-' || upper(lpad(to_hex($3 + row_number() OVER ()::int), 6, '0')), applicant, inmate, $4, 'visit', ARRAY['onsite'], 'mother', gen_random_uuid(), now(), 'approved', now()
             FROM pairs RETURNING applicant_id, inmate_id)
         SELECT applicant_id AS applicant, inmate_id AS inmate FROM s`,
        [
          Array.from({ length: 2 * ATTEMPTS }, (_, i) => benchNationalId(offset + i + 1)),
          2 * ATTEMPTS,
          offset,
          institution,
        ],
      )
    ).rows.map((row) => ({ applicant: Number(row.applicant), inmate: Number(row.inmate) }));
    if (families.length !== 2 * ATTEMPTS) throw new Error(`set-up made ${families.length} families in ${institution}`);
    repeats.push({ institution, batches, families });
  }

  /** One family's on-site visit in one batch, through the wizard's own booking call. */
  const book = (on: pg.Pool, f: Family, batchId: number) =>
    bookVisit(
      on,
      {
        submissionKey: randomUUID(),
        bookerId: f.applicant,
        inmateId: f.inmate,
        service: 'visit',
        kind: 'onsite',
        date: DATE,
        batchId,
        arrivalTime: null,
        companionIds: [],
        reason: '',
      },
      NOW,
    );
  const rush = async (on: pg.Pool, label: string, fams: Family[], batchIds: number[]) => {
    progress(`${ATTEMPTS} attempts at once (${label})`);
    const times: number[] = [];
    const started = performance.now();
    const outcomes: BookingOutcome[] = await Promise.all(
      fams.map(async (f, i) => {
        const t0 = performance.now();
        const outcome = await book(on, f, batchIds[i % BATCHES]!);
        times.push(performance.now() - t0);
        return outcome;
      }),
    );
    return { times, outcomes, seconds: (performance.now() - started) / 1000 };
  };
  type Rush = Awaited<ReturnType<typeof rush>>;
  const pairs: { fresh: Rush; warm: Rush }[] = [];
  const dispatchErrors: Error[] = [];
  for (const [r, { families, batches }] of repeats.entries()) {
    // Each pair on a new pool with the portal's settings, its 10 connections opened before the timed
    // rushes as server.ts opens them (domain/platform/db.ts openPool with readyForBookings: signed in,
    // the pre-check run six times so its plan is settled, then three whole bookings each rolled back, so
    // the booking's trigger functions are compiled and its statements planned), so no sign-in handshake
    // is timed. The first rush meets them otherwise fresh. The second rush (other families, other
    // batches) meets them as a portal that has been taking bookings does.
    const rushPool = createPool(url, () => undefined);
    // As the portal's worker does (domain/jobs.ts): the booked mails move into their delivery jobs
    // during the rush, on the same pool and database.
    const dispatcher = startMailDispatcher(rushPool, (err) => dispatchErrors.push(err));
    try {
      await openPool(rushPool, (c) => readyForBookings(c, NOW));
      const fresh = await rush(
        rushPool,
        `${r + 1} of ${REPEATS}, connections just opened`,
        families.slice(0, ATTEMPTS),
        batches.slice(0, BATCHES),
      );
      const warm = await rush(
        rushPool,
        `${r + 1} of ${REPEATS}, connections that have booked`,
        families.slice(ATTEMPTS),
        batches.slice(BATCHES),
      );
      pairs.push({ fresh, warm });
    } finally {
      await dispatcher.stop();
      await rushPool.end();
    }
  }

  const summary = (r: Rush) => {
    const refused: Record<string, number> = {};
    for (const o of r.outcomes)
      if (o.kind === 'errors') for (const code of Object.values(o.errors)) refused[code!] = (refused[code!] ?? 0) + 1;
    return {
      accepted: r.outcomes.filter((o) => o.kind === 'booked').length,
      refused,
      medianMs: Math.round(pct(r.times, 0.5)),
      p95Ms: Math.round(pct(r.times, 0.95)),
      wallSeconds: Number(r.seconds.toFixed(2)),
    };
  };
  const runs = pairs.map((p) => ({ fresh: summary(p.fresh), warm: summary(p.warm) }));
  const medianOf = (xs: number[]) => pct(xs, 0.5);
  const p95Ms = medianOf(runs.map((r) => r.warm.p95Ms));
  const freshP95Ms = medianOf(runs.map((r) => r.fresh.p95Ms));
  const acceptedInRushes = runs.reduce((n, r) => n + r.fresh.accepted + r.warm.accepted, 0);
  if (dispatchErrors.length) throw dispatchErrors[0];
  // Every booked mail has exactly one delivery job once the dispatchers have stopped (their last run
  // is awaited): none waiting, none twice.
  const mails = (
    await pool.query<{ mails: number; with_one_job: number; waiting: number }>(
      `SELECT count(*)::int AS mails, count(*) FILTER (WHERE j.jobs = 1)::int AS with_one_job,
                (SELECT count(*)::int FROM notification_outbox) AS waiting
           FROM notification n
           LEFT JOIN (SELECT (payload->>'id')::bigint AS id, count(*) AS jobs FROM graphile_worker._private_jobs GROUP BY 1) j
             ON j.id = n.id`,
    )
  ).rows[0]!;
  const { rows } = await pool.query<{ over: number; booked: number }>(
    `SELECT coalesce(sum(greatest(n - b.capacity, 0)), 0)::int AS over, coalesce(sum(n), 0)::int AS booked
         FROM (SELECT batch_id, count(*)::int AS n FROM visit_booking WHERE visit_date = $1 AND status IN ('pending', 'approved') GROUP BY batch_id) c
         JOIN visit_batch b ON b.id = c.batch_id`,
    [DATE],
  );
  // Round trips of one accepted and one refused attempt, alone: two families refused in the last
  // rush book a new batch of one place, one after the other, with every query of the pool's clients
  // counted.
  const last = repeats[repeats.length - 1]!;
  const lastWarm = pairs[pairs.length - 1]!.warm;
  const spare = last.families
    .slice(ATTEMPTS)
    .filter((_, i) => lastWarm.outcomes[i]!.kind === 'errors')
    .slice(0, 2);
  const lastBatch = (
    await pool.query<{ id: string }>(
      `INSERT INTO visit_batch (institution_code, visit_kind, weekday, starts_at, length_minutes, capacity)
         VALUES ($1, 'onsite', 3, '22:00', 20, 1) RETURNING id`,
      [last.institution],
    )
  ).rows[0]!.id;
  const roundTrips = async (f: Family) => {
    const original = pg.Client.prototype.query;
    let n = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      n++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const outcome = await book(pool, f, Number(lastBatch));
      return { outcome: outcome.kind, roundTrips: n };
    } finally {
      pg.Client.prototype.query = original;
    }
  };
  const acceptedAlone = await roundTrips(spare[0]!);
  const refusedAlone = await roundTrips(spare[1]!);
  if (acceptedAlone.outcome !== 'booked' || refusedAlone.outcome !== 'errors')
    throw new Error(
      `round-trip count: expected booked then refused, got ${acceptedAlone.outcome}, ${refusedAlone.outcome}`,
    );

  const figures = {
    attempts: ATTEMPTS,
    batches: BATCHES,
    capacityPerBatch: CAPACITY,
    places: BATCHES * CAPACITY,
    repeats: REPEATS,
    /** the median over the repeats of each rush's p95 */
    p95Ms,
    freshP95Ms,
    /** every rush, in the order run */
    runs,
    /** all rushes (the round-trip count's booking comes after) */
    bookedInDatabase: rows[0]!.booked,
    overbookings: rows[0]!.over,
    /** every mail of the rushes, those with exactly one delivery job, those still waiting for one */
    mails,
    poolSize: POOL_SIZE,
    roundTripsAccepted: acceptedAlone.roundTrips,
    roundTripsRefused: refusedAlone.roundTrips,
    before: BEFORE,
    node: process.version,
    checks: [
      {
        figure: `booking p95, 500 attempts at once, connections that have booked (median of ${REPEATS})`,
        value: p95Ms,
        unit: 'ms',
        goal: `<= ${P95_GOAL_MS}`,
        met: p95Ms <= P95_GOAL_MS,
      },
      {
        figure: `booking p95, 500 attempts at once, connections just opened (median of ${REPEATS})`,
        value: freshP95Ms,
        unit: 'ms',
        goal: `<= ${P95_GOAL_MS}`,
        met: freshP95Ms <= P95_GOAL_MS,
      },
      { figure: 'bookings overbooked', value: rows[0]!.over, unit: 'count', goal: '= 0', met: rows[0]!.over === 0 },
    ],
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const line = (label: string, r: ReturnType<typeof summary>) =>
    `    ${label}: p95 ${r.p95Ms} ms, median ${r.medianMs} ms, all ${ATTEMPTS} in ${r.wallSeconds} s; accepted ${r.accepted}, refused ${
      Object.entries(r.refused)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'none'
    }`;
  console.log(
    `\nVisit booking under load: ${ATTEMPTS} attempts at once across ${BATCHES} batches of ${CAPACITY} places (${BATCHES * CAPACITY} in all), a pool of ${POOL_SIZE} connections; a rush on connections just opened as the portal opens them at start, then one on the same connections once they have booked; ${REPEATS} times, each on a new pool`,
  );
  runs.forEach((r, i) => {
    console.log(`  ${i + 1} of ${REPEATS}:`);
    console.log(line('connections just opened', r.fresh));
    console.log(line('connections that have booked', r.warm));
  });
  console.log(
    `  p95, median of the ${REPEATS}: connections that have booked ${p95Ms} ms (goal <= ${P95_GOAL_MS} ms): ${met(p95Ms <= P95_GOAL_MS)}; connections just opened ${freshP95Ms} ms: ${met(freshP95Ms <= P95_GOAL_MS)}`,
  );
  console.log(`  before issue 14 (one rush): p95 ${BEFORE.p95Ms} ms, median ${BEFORE.medianMs} ms`);
  console.log(
    `  overbooked in all ${2 * REPEATS} rushes: ${figures.overbookings} (goal = 0): ${met(figures.overbookings === 0)}`,
  );
  console.log(
    `  round trips to PostgreSQL: ${figures.roundTripsAccepted} for an accepted booking, ${figures.roundTripsRefused} for a refused one (before: ${BEFORE.roundTripsAccepted} and ${BEFORE.roundTripsRefused})`,
  );
  console.log(
    `  booked mails: ${mails.mails}, each with exactly one delivery job: ${mails.with_one_job}, still waiting: ${mails.waiting}\n`,
  );
  // The JSON line last: npm run bench reads the figures from the last line.
  console.log(JSON.stringify(figures));
  // A mail without its job, or a booking counted as accepted that is not in the database, is a broken
  // measurement, not a figure.
  if (mails.with_one_job !== mails.mails || mails.waiting !== 0 || mails.mails < acceptedInRushes) {
    progress('could not measure: a booked mail has no delivery job, or two');
    process.exitCode = 1;
  }
  if (acceptedInRushes !== figures.bookedInDatabase) {
    progress(`could not measure: ${acceptedInRushes} accepted but ${figures.bookedInDatabase} in the database`);
    process.exitCode = 1;
  }
}

runBenchmark(main);
