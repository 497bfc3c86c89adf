import { Router, type Request, type Response, type NextFunction } from 'express';
import type { RouteDeps } from './deps.ts';
import { errorView, formFields, type FieldMessage } from './forms.ts';
import { allowTask, staffActor } from './middleware/staff-context.ts';
import { setNotice, takeNotice } from './middleware/notices.ts';
import {
  NOTE_MAX,
  decideDeletionRequest,
  getDeletionRequest,
  listDeletionRequests,
} from '../domain/applicants/deletion.ts';
import type { MessageKey } from '../domain/i18n/i18n.ts';
import { parseId } from '../domain/shared/ids.ts';

// Inside the back office (after requireStaff), 刪除帳號申請 (task family_data):
// GET  /families/deletions        the open deletion requests (waiting, then kept for now)
// GET  /families/deletions/:id    one request              POST: erase (nothing must be kept) or keep with a reason
export function deletionRoutes(d: RouteDeps): Router {
  const r = Router();
  r.use('/families/deletions', allowTask('family_data'));

  r.get('/families/deletions', async (req, res) => {
    const requests = await listDeletionRequests(d.pool, staffActor(req));
    res.render('backoffice/deletions', { requests, notice: takeNotice(req) });
  });

  const render = async (
    req: Request,
    res: Response,
    next: NextFunction,
    extra: { status?: number; values?: Record<string, string>; errors?: Record<string, FieldMessage> } = {},
  ) => {
    const id = parseId(req.params.id);
    const request = id === null ? null : await getDeletionRequest(d.pool, staffActor(req), id);
    if (!request) return next();
    res.status(extra.status ?? 200).render('backoffice/deletion', {
      request,
      values: extra.values ?? {},
      ...errorView(res.locals.t, extra.errors ?? {}, ['decision', 'nothingToKeep', 'note'], {
        decision: 'decision-erase',
      }),
    });
  };

  r.get('/families/deletions/:id', (req, res, next) => render(req, res, next).catch(next));

  r.post('/families/deletions/:id', async (req, res, next) => {
    const id = parseId(req.params.id);
    if (id === null) return next();
    const values = formFields(req, ['decision', 'nothingToKeep', 'note']);
    const outcome = await decideDeletionRequest(
      d.pool,
      staffActor(req),
      id,
      { decision: values.decision, nothingToKeep: values.nothingToKeep === '1', note: values.note },
      d.clock(),
    );
    if (outcome.kind === 'not_found') return next();
    if (outcome.kind === 'errors') {
      const errors: Record<string, FieldMessage> = {};
      for (const [field, key] of Object.entries(outcome.errors))
        errors[field] = key === 'error.deletion.noteLong' ? { key, params: { max: NOTE_MAX } } : (key as MessageKey);
      return render(req, res, next, { status: 422, values, errors });
    }
    if (outcome.kind === 'already_erased') return res.redirect(303, `/backoffice/families/deletions/${id}`);
    setNotice(req, outcome.kind === 'erased' ? 'deletions.done.erased' : 'deletions.done.kept');
    res.redirect(303, '/backoffice/families/deletions');
  });
  return r;
}
