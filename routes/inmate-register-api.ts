import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { RouteDeps } from './deps.ts';
import { clientAddress, limiter } from './middleware/rate-limits.ts';
import { translator } from '../domain/i18n/i18n.ts';
import { checkRegisterRows, REGISTER_MAX_ROWS, type RegisterProblem } from '../domain/inmates/register-file.ts';
import { applyRegister, diffRegister } from '../domain/inmates/register.ts';
import { authenticateRegisterToken } from '../domain/inmates/register-store.ts';

// The prison information system pushes the whole register of its institution (README: "Pushing the
// inmate register"). Mounted before sessions and CSRF: a JSON API authenticated by the institution's
// bearer token, answering JSON only.
// POST /api/inmate-register      {"inmates": [{"callNumber", "name", "restriction"}], "dryRun"?: true}
export const REGISTER_API_PATH = '/api/inmate-register';
/** Requests per address per 15 minutes: a full push every few minutes is plenty; guessing tokens is not. */
export const REGISTER_API_LIMIT = 30;

const en = translator('en');
const fail = (res: Response, status: number, error: string, extra: object = {}) =>
  res.status(status).json({ error, message: en(`inmates.api.${error}` as Parameters<typeof en>[0]), ...extra });

export function inmateRegisterApiRoutes(d: RouteDeps): Router {
  const r = Router();
  // Counted in PostgreSQL like every other limit, so several instances share it.
  const limit = limiter(
    d.pool,
    'register-api',
    [REGISTER_API_LIMIT, 15],
    (req) => clientAddress(req),
    (_req, res) => fail(res, 429, 'rate_limited'),
  );
  r.all(REGISTER_API_PATH, limit, (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (req.method !== 'POST') return res.set('Allow', 'POST') && fail(res, 405, 'method_not_allowed');
    next();
  });

  r.post(REGISTER_API_PATH, async (req, res, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const who = token ? await authenticateRegisterToken(d.pool, token, d.clock()) : null;
    if (!who) {
      res.set('WWW-Authenticate', 'Bearer realm="inmate-register"');
      return fail(res, 401, 'unauthorized');
    }
    res.locals.registerToken = who;
    next();
  });
  // Read only once the token is known: nobody else gets a 4 MB body parsed.
  r.post(REGISTER_API_PATH, (req, res, next) => {
    if (!req.is('application/json')) return fail(res, 415, 'unsupported_media_type');
    next();
  });
  r.post(REGISTER_API_PATH, express.json({ limit: '4mb', strict: true }));
  r.post(REGISTER_API_PATH, async (req, res) => {
    const who = res.locals.registerToken as { tokenId: number; institutionCode: string };
    const body = req.body as { inmates?: unknown; dryRun?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.inmates)) return fail(res, 400, 'invalid_body');
    if (body.inmates.length > REGISTER_MAX_ROWS) return fail(res, 413, 'too_large');
    const cell = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    const items = body.inmates.map((x: unknown, i: number) => {
      const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
      return { line: i + 1, callNumber: cell(o.callNumber), name: cell(o.name), restriction: cell(o.restriction) };
    });
    const { rows, problems } = checkRegisterRows(items);
    if (problems.length)
      return fail(res, 422, 'invalid_rows', {
        problems: problems.map((p: RegisterProblem) => ({ row: p.line, code: p.key, message: en(p.key, p.params) })),
      });
    if (body.dryRun === true) {
      const diff = await diffRegister(d.pool, who.institutionCode, rows);
      return res.json({
        applied: false,
        institution: who.institutionCode,
        preview: {
          added: diff.added.length,
          changed: diff.changed.length,
          removed: diff.removed.length,
          unchanged: diff.unchanged,
        },
      });
    }
    const outcome = await applyRegister(
      d.pool,
      who.institutionCode,
      rows,
      { kind: 'push', tokenId: who.tokenId, ip: req.ip ?? null },
      d.clock(),
    );
    if (outcome.kind !== 'applied') return fail(res, 409, 'conflict');
    res.json({ applied: true, institution: who.institutionCode, counts: outcome.counts });
  });

  // The body parser's refusals (not JSON, too large) and anything unexpected, as JSON.
  r.use(REGISTER_API_PATH, (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string };
    if (e.type === 'entity.too.large') return fail(res, 413, 'too_large');
    if (e.type === 'entity.parse.failed') return fail(res, 400, 'invalid_json');
    if (e.status && e.status >= 400 && e.status < 500) return fail(res, 400, 'invalid_body');
    req.log?.error({ err }, 'inmate register push failed');
    fail(res, 500, 'server_error');
  });
  return r;
}
