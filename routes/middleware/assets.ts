import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../public');
const require = createRequire(import.meta.url);
const HTMX_FILE = require.resolve('htmx.org/dist/htmx.min.js');

/**
 * Static files under a content-hashed prefix, so they can be cached for a year and still change the
 * moment a new version is deployed. htmx is served from our own origin, straight from its package.
 */
function assetVersion(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(PUBLIC_DIR).sort()) hash.update(f).update(readFileSync(path.join(PUBLIC_DIR, f)));
  hash.update(readFileSync(HTMX_FILE));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The stylesheet, read once: a first visit gets it inline in the page (one round trip to first paint on
 * a slow link, issue 14) and the page's CSP allows exactly this text by its hash.
 */
export const INLINE_STYLE = (() => {
  const css = readFileSync(path.join(PUBLIC_DIR, 'styles.css'), 'utf8');
  return { css, cspSource: `'sha256-${createHash('sha256').update(css).digest('base64')}'` };
})();

/** Set once the stylesheet has been fetched into the browser's cache; its value is the assets' version. */
export const STYLES_CACHED_COOKIE = 'styles';

const ASSET_VERSION = assetVersion();

export function setUpStaticAssets(app: Express, secureCookies: boolean): void {
  const prefix = `/assets/${ASSET_VERSION}`;
  const cache = { maxAge: '365d', immutable: true, index: false as const };
  app.use(prefix, express.static(PUBLIC_DIR, cache));
  app.get(`${prefix}/htmx.min.js`, (_req, res) => res.sendFile(HTMX_FILE, { maxAge: '365d', immutable: true }));
  app.locals.asset = (name: string) => `${prefix}/${name}`;
  // A page for a browser without this version's stylesheet in its cache carries it inline and prefetches
  // the file for the next page; the cookie (the version only, nothing personal) says the file is there.
  const cached = new RegExp(`(?:^|;\\s*)${STYLES_CACHED_COOKIE}=${ASSET_VERSION}(?:;|$)`);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const inline = !cached.test(req.headers.cookie ?? '');
    res.locals.inlineStyle = inline ? INLINE_STYLE.css : null;
    // Only for pages (not fragments, downloads or the API), whose layout prefetches the file.
    if (inline && req.method === 'GET' && !req.get('HX-Request') && /text\/html/.test(req.get('accept') ?? '')) {
      res.cookie(STYLES_CACHED_COOKIE, ASSET_VERSION, {
        maxAge: 365 * 24 * 3600 * 1000,
        path: '/',
        sameSite: 'lax',
        secure: secureCookies,
        httpOnly: true,
      });
    }
    next();
  });
  // Pages link the hashed icon; /favicon.ico is what browsers ask for on their own (and on non-HTML
  // responses), so it answers too, cached for a week since its address cannot change.
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'favicon.ico'), { maxAge: '7d' }));
}
