import express, { type Express } from 'express';
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

export function setUpStaticAssets(app: Express): void {
  const prefix = `/assets/${assetVersion()}`;
  const cache = { maxAge: '365d', immutable: true, index: false as const };
  app.use(prefix, express.static(PUBLIC_DIR, cache));
  app.get(`${prefix}/htmx.min.js`, (_req, res) => res.sendFile(HTMX_FILE, { maxAge: '365d', immutable: true }));
  app.locals.asset = (name: string) => `${prefix}/${name}`;
  // Pages link the hashed icon; /favicon.ico is what browsers ask for on their own (and on non-HTML
  // responses), so it answers too, cached for a week since its address cannot change.
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'favicon.ico'), { maxAge: '7d' }));
}
