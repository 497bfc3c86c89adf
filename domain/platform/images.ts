import sharp, { type JpegOptions, type Sharp } from 'sharp';

/**
 * Every uploaded picture (contact book photos, ID documents) is decoded, turned upright and re-encoded
 * here, with sharp's settings chosen by measurement (issue 14, `npm run bench:photo`):
 * - No libvips operation cache: it keeps the results of recent operations (up to 50 MB) for pipelines
 *   that repeat, but an upload is decoded once, so the cache only held memory the process then kept.
 * - JPEG with libjpeg-turbo and optimised Huffman tables rather than mozjpeg: mozjpeg's trellis
 *   search made a 6000×4000 photo take about twice as long to encode, for files about a quarter smaller.
 * - One libvips thread per image (sharp.concurrency(1)), set here rather than left to sharp's default,
 *   which depends on the C library it finds. The portal runs on 2 cores: a second thread took a 10 MB
 *   photo from about 175 to 160 ms of sharp's time, but it takes the core that serves every other
 *   request meanwhile, and each libvips thread gets its own malloc arena, memory the process then keeps
 *   (with 2 threads resident memory stayed about 65 MB up after 10 uploads; with 1, the upload request
 *   already meets its 400 ms goal).
 * - glibc's malloc, set by `npm start` (and to be set by whatever else starts the portal):
 *   MALLOC_ARENA_MAX=2, as glibc gives each thread that allocates (libvips's, libuv's) an arena of its
 *   own, up to 8 per core, and freed memory stays in them; MALLOC_MMAP_THRESHOLD_=131072, as glibc
 *   otherwise raises that threshold to the size of the first large block freed (a 10 MB upload
 *   buffer), after which such buffers come from the heap and stay there. Without them resident memory
 *   went 178 → 313 MB over 10 uploads and stayed after a full GC; with them it came back to within
 *   9–13 MB, the requests no slower (npm run bench:photo).
 * - Sequential reading (sharp's default, said here because it matters): the JPEG is decoded in strips,
 *   shrunk while loading, never held whole in memory. At most 120 megapixels (the largest phone cameras
 *   take 108 MP; sharp's default allows 268): a small file cannot ask for gigabytes once decoded.
 */
sharp.cache(false);
sharp.concurrency(1);
const MAX_INPUT_PIXELS = 120_000_000;

/** libvips threads per image (printed by npm run bench:photo). */
export const sharpConcurrency = (): number => sharp.concurrency();

/** A picture from untrusted bytes: refused on any decoding error, turned upright, within `side` px. */
export function uprightImage(bytes: Buffer, side: number): Sharp {
  // failOn 'error': a photo with a harmless warning (a few bad bytes at the end) is still taken.
  return sharp(bytes, { failOn: 'error', sequentialRead: true, limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
}

export function jpegOptions(quality: number): JpegOptions {
  return { quality, optimiseCoding: true };
}
