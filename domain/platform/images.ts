import sharp, { type JpegOptions, type Sharp } from 'sharp';

/**
 * Every uploaded picture (contact book photos, ID documents) is decoded, turned upright and re-encoded
 * here, with sharp's settings chosen by measurement (issue 14, `npm run bench:photo`):
 * - No libvips operation cache: it keeps the results of recent operations (up to 50 MB) for pipelines
 *   that repeat, but an upload is decoded once, so the cache only held memory the process then kept.
 * - JPEG with libjpeg-turbo and optimised Huffman tables rather than mozjpeg: mozjpeg's trellis
 *   search made a 6000×4000 photo take about twice as long to encode, for files about a quarter smaller.
 */
sharp.cache(false);

/** A picture from untrusted bytes: refused on any decoding error, turned upright, within `side` px. */
export function uprightImage(bytes: Buffer, side: number): Sharp {
  return sharp(bytes, { failOn: 'error' })
    .rotate()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
}

export function jpegOptions(quality: number): JpegOptions {
  return { quality, optimiseCoding: true };
}
