import { Router } from 'express';
import type { RouteDeps } from './app.ts';

// Inside the back office (after requireStaff), 預約接見審核: to be written.
export function bookingReviewRoutes(_d: RouteDeps): Router {
  const r = Router();
  return r;
}
