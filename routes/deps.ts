import type pg from 'pg';
import type { Config } from '../domain/platform/config.ts';
import type { Logger } from '../domain/platform/logger.ts';
import type { Clock } from '../domain/platform/clock.ts';
import type { RateLimits } from './middleware/rate-limits.ts';

/** What the app is built from (server.ts and the tests give these to createApp). */
export type AppDeps = {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
  clock?: Clock;
  limits?: Partial<RateLimits>;
};

/** What every route and middleware receives: the same, with defaults filled in. */
export type RouteDeps = Required<Omit<AppDeps, 'limits'>> & { limits: RateLimits };
