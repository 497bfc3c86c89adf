import type { Express } from 'express';

/**
 * Every route the app has, read from its own router (express 5's layers), so a test that goes through
 * them all covers a new route without anyone listing it: the odd-input sweep, the back-office access table.
 */
export type Endpoint = { method: 'GET' | 'POST'; path: string };
type Layer = {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** The GET and POST routes of the app, each once, with the paths of the routers they are mounted under. */
export function endpointsOf(app: Express): Endpoint[] {
  const out: Endpoint[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = ([] as unknown[]).concat(layer.route.path).filter((p): p is string => typeof p === 'string');
        for (const p of paths) {
          for (const m of ['get', 'post'] as const) {
            if (layer.route.methods[m]) {
              out.push({ method: m === 'get' ? 'GET' : 'POST', path: prefix && p === '/' ? prefix : prefix + p });
            }
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(`${e.method} ${e.path}`) && seen.add(`${e.method} ${e.path}`));
}
