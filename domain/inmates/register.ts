import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Db } from '../platform/db.ts';
import { taipeiToday } from '../shared/dates.ts';
import { recordStaffAction } from '../shared/audit.ts';
import { assertMay, inScope, type StaffActor } from '../shared/staff-actor.ts';
import type { InmateRestriction } from '../inmates.ts';
import type { RegisterRow } from './register-file.ts';
import { cancelForInmatesWhoLeft, type Cancelled } from './removals.ts';

/**
 * What applying a register would do to an institution's inmates. The register is the whole list of
 * the people held there: a call number in it and not in the portal is added (or, when it left before,
 * becomes present again); one whose name or restriction differs is changed; a present inmate missing
 * from it has left (released or transferred): kept with the date, never deleted.
 */
export type RegisterDiff = {
  added: (RegisterRow & { returning: boolean })[];
  changed: {
    id: number;
    callNumber: string;
    before: Omit<RegisterRow, 'callNumber'>;
    after: Omit<RegisterRow, 'callNumber'>;
  }[];
  removed: { id: number; callNumber: string; name: string; restriction: InmateRestriction | null }[];
  unchanged: number;
  /** the same for the same changes: an apply names the preview it saw, so a register changed since is not applied blind */
  fingerprint: string;
};

type InmateRow = {
  id: string;
  call_number: string;
  name: string;
  restriction: InmateRestriction | null;
  removed_on: string | null;
};

export async function diffRegister(db: Db, institutionCode: string, rows: RegisterRow[]): Promise<RegisterDiff> {
  const { rows: current } = await db.query<InmateRow>(
    `SELECT id, call_number, name, restriction, removed_on::text FROM inmate WHERE institution_code = $1`,
    [institutionCode],
  );
  const byNumber = new Map(current.map((m) => [m.call_number, m]));
  const inFile = new Set<string>();
  const diff: Omit<RegisterDiff, 'fingerprint'> = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const row of rows) {
    inFile.add(row.callNumber);
    const m = byNumber.get(row.callNumber);
    if (!m || m.removed_on !== null) diff.added.push({ ...row, returning: Boolean(m) });
    else if (m.name !== row.name || m.restriction !== row.restriction)
      diff.changed.push({
        id: Number(m.id),
        callNumber: row.callNumber,
        before: { name: m.name, restriction: m.restriction },
        after: { name: row.name, restriction: row.restriction },
      });
    else diff.unchanged++;
  }
  for (const m of current)
    if (m.removed_on === null && !inFile.has(m.call_number))
      diff.removed.push({ id: Number(m.id), callNumber: m.call_number, name: m.name, restriction: m.restriction });
  const byCall = (a: { callNumber: string }, b: { callNumber: string }) => a.callNumber.localeCompare(b.callNumber);
  diff.added.sort(byCall);
  diff.changed.sort(byCall);
  diff.removed.sort(byCall);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([diff.added, diff.changed.map((c) => [c.id, c.after]), diff.removed.map((r) => r.id)]))
    .digest('hex');
  return { ...diff, fingerprint };
}

/** Who applies a register: a staff member (an upload) or the prison information system's token (a push). */
export type RegisterSource =
  { kind: 'upload'; actor: StaffActor; uploadId: string } | { kind: 'push'; tokenId: number; ip: string | null };

export type RegisterCounts = {
  added: number;
  returned: number;
  changed: number;
  removed: number;
  unchanged: number;
} & Cancelled;

export type ApplyOutcome =
  | { kind: 'applied'; counts: RegisterCounts }
  | { kind: 'stale'; diff: RegisterDiff }
  | { kind: 'already_applied' }
  | { kind: 'not_found' };

/** Serialises applies to one institution's register (two pushes, a push and an upload). */
const REGISTER_LOCK = 2490;

/**
 * Applies a register in one transaction: the inmates added, changed and marked as left, every pending
 * application, pending post and coming booking of those who left cancelled with the reason and every
 * person concerned mailed (the outbox, same transaction), and one audit line with the counts. With
 * `fingerprint`, nothing happens when the register changed since that preview ('stale').
 */
export async function applyRegister(
  pool: pg.Pool,
  institutionCode: string,
  rows: RegisterRow[],
  source: RegisterSource,
  now: Date,
  fingerprint?: string,
): Promise<ApplyOutcome> {
  if (source.kind === 'upload') {
    assertMay(source.actor, 'inmate_register');
    if (!inScope(source.actor, institutionCode)) return { kind: 'not_found' };
  }
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, $2::int)', [REGISTER_LOCK, Number(institutionCode)]);
    if (source.kind === 'upload') {
      const { rows: up } = await tx.query<{ applied_at: Date | null }>(
        'SELECT applied_at FROM inmate_register_upload WHERE id = $1 AND institution_code = $2 FOR UPDATE',
        [source.uploadId, institutionCode],
      );
      if (!up[0]) return { kind: 'not_found' };
      if (up[0].applied_at) return { kind: 'already_applied' };
    }
    const diff = await diffRegister(tx, institutionCode, rows);
    if (fingerprint !== undefined && fingerprint !== diff.fingerprint) return { kind: 'stale', diff };
    const today = taipeiToday(now);
    const fresh = diff.added.filter((a) => !a.returning);
    if (fresh.length)
      await tx.query(
        `INSERT INTO inmate (institution_code, call_number, name, restriction)
         SELECT $1, u.call_number, u.name, u.restriction FROM unnest($2::text[], $3::text[], $4::text[]) AS u(call_number, name, restriction)`,
        [institutionCode, fresh.map((a) => a.callNumber), fresh.map((a) => a.name), fresh.map((a) => a.restriction)],
      );
    const back = diff.added.filter((a) => a.returning);
    const updates = [
      ...back.map((a) => ({ callNumber: a.callNumber, name: a.name, restriction: a.restriction })),
      ...diff.changed.map((c) => ({ callNumber: c.callNumber, ...c.after })),
    ];
    if (updates.length)
      await tx.query(
        `UPDATE inmate m SET name = u.name, restriction = u.restriction, removed_on = NULL
           FROM unnest($2::text[], $3::text[], $4::text[]) AS u(call_number, name, restriction)
          WHERE m.institution_code = $1 AND m.call_number = u.call_number`,
        [
          institutionCode,
          updates.map((u) => u.callNumber),
          updates.map((u) => u.name),
          updates.map((u) => u.restriction),
        ],
      );
    const leftIds = diff.removed.map((r) => r.id);
    if (leftIds.length)
      await tx.query('UPDATE inmate SET removed_on = $2 WHERE id = ANY($1::bigint[])', [leftIds, today]);
    const staffId = source.kind === 'upload' ? source.actor.staffId : null;
    const cancelled = await cancelForInmatesWhoLeft(tx, leftIds, staffId, now);
    const counts: RegisterCounts = {
      added: fresh.length,
      returned: back.length,
      changed: diff.changed.length,
      removed: leftIds.length,
      unchanged: diff.unchanged,
      ...cancelled,
    };
    const details = {
      source: source.kind,
      counts,
      added: diff.added.map((a) => a.callNumber),
      changed: diff.changed.map((c) => ({ callNumber: c.callNumber, before: c.before, after: c.after })),
      removed: diff.removed.map((r) => r.callNumber),
    };
    if (source.kind === 'upload') {
      await tx.query('UPDATE inmate_register_upload SET applied_at = $2, applied_by = $3 WHERE id = $1', [
        source.uploadId,
        now,
        source.actor.staffId,
      ]);
      await recordStaffAction(tx, {
        staffId: source.actor.staffId,
        action: 'inmate_register.applied',
        objectType: 'inmate_register',
        institutionCode,
        ip: source.actor.ip,
        details: { ...details, uploadId: source.uploadId },
        at: now,
      });
    } else {
      // Pushed by a system, not a person: the audit line names the token instead of a staff member.
      await tx.query(
        `INSERT INTO audit_log (staff_id, action, object_type, object_id, institution_code, ip, details, at)
         VALUES (NULL, 'inmate_register.applied', 'inmate_register_token', $1, $2, $3, $4, $5)`,
        [source.tokenId, institutionCode, source.ip, JSON.stringify(details), now],
      );
    }
    return { kind: 'applied', counts };
  });
}

export type RegisterSummary = {
  present: number;
  left: number;
  lastApplied: { at: Date; source: 'upload' | 'push'; counts: RegisterCounts } | null;
};

/** The register page's figures: who is present, who has left, and the last change applied. */
export async function registerSummary(
  db: Db,
  actor: StaffActor,
  institutionCode: string,
): Promise<RegisterSummary | null> {
  assertMay(actor, 'inmate_register');
  if (!inScope(actor, institutionCode)) return null;
  const { rows } = await db.query<{ present: number; left: number }>(
    `SELECT count(*) FILTER (WHERE removed_on IS NULL)::int AS present, count(*) FILTER (WHERE removed_on IS NOT NULL)::int AS left
       FROM inmate WHERE institution_code = $1`,
    [institutionCode],
  );
  const { rows: last } = await db.query<{ at: Date; details: { source: 'upload' | 'push'; counts: RegisterCounts } }>(
    `SELECT at, details FROM audit_log WHERE action = 'inmate_register.applied' AND institution_code = $1 ORDER BY at DESC, id DESC LIMIT 1`,
    [institutionCode],
  );
  const l = last[0];
  return {
    present: rows[0]!.present,
    left: rows[0]!.left,
    lastApplied: l ? { at: l.at, source: l.details.source, counts: l.details.counts } : null,
  };
}
