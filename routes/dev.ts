import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { listDevMail } from '../domain/notifications.ts';

// GET /dev/mailbox   the development mailbox (only mounted when mail is not sent for real)
export function devRoutes(d: RouteDeps): Router {
  const r = Router();
  r.get('/dev/mailbox', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.render('dev/mailbox', { mails: await listDevMail(d.pool) });
  });
  return r;
}
