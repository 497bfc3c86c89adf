import { Router } from 'express';
import type { RouteDeps } from './deps.ts';
import { requireApplicant } from './middleware/authentication.ts';
import { sendPhoto } from './middleware/files.ts';
import { getFamilyPost, listFamilyInmates, listFamilyPosts } from '../domain/contact-book/institution-posts.ts';
import { readInstitutionPostPhoto } from '../domain/contact-book/institution-post-photos.ts';
import { parseId } from '../domain/shared/ids.ts';

// 查看機關聯絡簿: what the inmate's institution wrote to this family (signed in).
// GET  /contact-book/from-institution                 per inmate (?inmate=), newest first, paged (?page=)
// GET  /contact-book/from-institution/:id             one post, with its photo
// GET  /contact-book/from-institution/:id/photo       the post's photo (its recipients only)
const BASE = '/contact-book/from-institution';

export function institutionPostFamilyRoutes(d: RouteDeps) {
  const r = Router();

  r.get(BASE, requireApplicant, async (req, res, next) => {
    const applicantId = req.user!.applicant.id;
    const inmates = await listFamilyInmates(d.pool, applicantId, req.locale);
    const asked = req.query.inmate === undefined ? null : parseId(req.query.inmate);
    const inmate = asked === null ? inmates[0] : inmates.find((m) => m.inmateId === asked);
    // An inmate named in the URL that is not this family's: not found, like any other's object.
    if (req.query.inmate !== undefined && !inmate) return next();
    const list = inmate
      ? await listFamilyPosts(d.pool, applicantId, inmate.inmateId, req.locale, Number(req.query.page) || 1)
      : null;
    res.render('contact-book/from-institution', {
      inmates,
      inmate: inmate ?? null,
      list,
      pageUrl: (page: number) => `${BASE}?inmate=${inmate?.inmateId ?? ''}&page=${page}`,
    });
  });

  r.get(`${BASE}/:id`, requireApplicant, async (req, res, next) => {
    const id = parseId(req.params.id);
    const post = id === null ? null : await getFamilyPost(d.pool, req.user!.applicant.id, id, req.locale);
    if (!post) return next();
    res.render('contact-book/from-institution-post', { post });
  });

  r.get(`${BASE}/:id/photo`, requireApplicant, async (req, res, next) => {
    const id = parseId(req.params.id);
    const photo =
      id === null ? null : await readInstitutionPostPhoto(d.pool, id, { applicantId: req.user!.applicant.id });
    if (!photo) return next();
    sendPhoto(res, photo);
  });

  return r;
}
