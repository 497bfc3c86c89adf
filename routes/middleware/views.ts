import type { Express, Request, Response, NextFunction } from 'express';
import { Eta } from 'eta';
import path from 'node:path';
import type { RouteDeps } from '../deps.ts';
import { formatDate, formatDateTime } from '../../domain/shared/dates.ts';
import { escapeHtml } from '../../domain/shared/html.ts';

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views');

export function setUpViews(app: Express, d: RouteDeps): void {
  const eta = new Eta({ views: VIEWS_DIR, cache: d.config.env === 'production', autoEscape: true });
  // Eta joins the name it is given to `views`, so hand it the path relative to the views folder.
  app.engine('eta', (filePath: string, data: object, cb: (e: unknown, html?: string) => void) => {
    try {
      cb(null, eta.render(path.relative(VIEWS_DIR, filePath), data));
    } catch (err) {
      cb(err);
    }
  });
  app.set('view engine', 'eta');
  app.set('views', VIEWS_DIR);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.formatDate = formatDate;
    res.locals.escape = escapeHtml;
    res.locals.formatDateTime = formatDateTime;
    res.locals.currentPath = req.path;
    res.locals.currentUrl = req.originalUrl;
    res.locals.devMailbox = d.config.devMailbox;
    next();
  });
}
