import { Router } from 'express';
import type { RouteDeps } from './deps.ts';

// Mounted before logging and sessions: probes are frequent and need none of it.
export function healthRoutes(d: RouteDeps): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await d.pool.query('SELECT 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return r;
}
