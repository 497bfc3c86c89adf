import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { isUploadProblem, MB } from '../../domain/shared/uploads.ts';
import { preparePostPhoto, POST_PHOTO_MAX_MB, type StoredPhoto } from '../../domain/contact-book/photos.ts';

const GPS = {
  IFD0: { Make: 'PhoneMaker', Model: 'Phone X' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '25/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 33/1 0/1' },
};

const accepted = async (bytes: Buffer, name = 'photo.jpg') => {
  const r = await preparePostPhoto({ fileName: name, bytes });
  if (isUploadProblem(r)) throw new Error(`refused: ${r.key}`);
  return r as StoredPhoto;
};

/** A 6000×4000 phone photo with GPS EXIF, as close to 10 MB as a JPEG of noise gets without going over. */
async function bigPhoneJpeg(): Promise<Buffer> {
  const base = sharp({
    create: {
      width: 6000,
      height: 4000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });
  let best: Buffer | null = null;
  for (const quality of [60, 50, 40, 30, 20]) {
    const jpeg = await base.clone().withExif(GPS).jpeg({ quality }).toBuffer();
    if (jpeg.length <= POST_PHOTO_MAX_MB * MB) {
      best = jpeg;
      break;
    }
  }
  assert.ok(best, 'a test photo under 10 MB');
  return best!;
}

test('a 10 MB 6000×4000 JPEG with GPS comes out at most 1600 px on the long side, with no EXIF at all', async () => {
  const input = await bigPhoneJpeg();
  const before = await sharp(input).metadata();
  assert.ok(before.exif?.includes(Buffer.from('PhoneMaker')), 'the input really carries EXIF');
  assert.is(before.width, 6000);
  assert.ok(input.length > 5 * MB, `a big photo (${(input.length / MB).toFixed(1)} MB)`);
  const photo = await accepted(input, 'IMG_0001.JPG');
  const after = await sharp(photo.content).metadata();
  assert.is(after.format, 'jpeg');
  assert.is(Math.max(after.width!, after.height!), 1600);
  assert.equal([photo.width, photo.height], [1600, 1067]);
  assert.is(after.exif, undefined);
  assert.is(after.xmp, undefined);
  assert.is(after.icc, undefined);
  assert.not.ok(photo.content.includes(Buffer.from('PhoneMaker')));
  assert.ok(photo.content.length < input.length / 4, 'stored much smaller');
});

test('a photo taken sideways comes out upright; a small one is not enlarged', async () => {
  // 400×200 as stored, EXIF orientation 6 (rotate 90° clockwise to view): upright it is 200×400.
  const sideways = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#3366aa' } })
    .composite([
      { input: { create: { width: 200, height: 200, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
    ])
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
  const photo = await accepted(sideways);
  assert.equal([photo.width, photo.height], [200, 400]);
  const meta = await sharp(photo.content).metadata();
  assert.is(meta.orientation, undefined, 'no orientation flag left to apply twice');
  // The red half was on the left; turned clockwise it is at the top.
  const { data } = await sharp(photo.content)
    .extract({ left: 100, top: 50, width: 1, height: 1 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.ok(data[0]! > 200 && data[2]! < 80, `red at the top (got ${[...data]})`);
});

test('PNG and WebP are accepted and stored as JPEG; a transparent PNG gets a white background', async () => {
  const png = await sharp({
    create: { width: 30, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .png()
    .toBuffer();
  const fromPng = await accepted(png, 'sticker.png');
  const { data } = await sharp(fromPng.content).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[0]! > 240, 'white, not black');
  const webp = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#00aa00' } })
    .webp()
    .toBuffer();
  assert.is((await sharp((await accepted(webp, 'x.webp')).content).metadata()).format, 'jpeg');
});

test('refused by content, with the file named: text named .jpg, a PDF, HEIC, empty, damaged, 10 MB + 1 byte', async () => {
  const refused = async (bytes: Buffer, name: string) => {
    const r = await preparePostPhoto({ fileName: name, bytes });
    assert.ok(isUploadProblem(r), `${name} refused`);
    return r as { key: string; params: Record<string, unknown> };
  };
  const text = await refused(Buffer.from('just some words, not a picture'), 'holiday.jpg');
  assert.is(text.key, 'error.photo.type');
  assert.is(text.params.file, 'holiday.jpg');
  assert.is((await refused(Buffer.from('%PDF-1.4\n%%EOF\n'), 'scan.pdf')).key, 'error.photo.type');
  // The start of an iPhone photo: an ISO box "ftyp" with the brand "heic".
  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic', 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'latin1'),
    Buffer.alloc(64),
  ]);
  assert.is((await refused(heic, 'IMG_1234.HEIC')).key, 'error.photo.heic');
  assert.is((await refused(Buffer.alloc(0), 'empty.jpg')).key, 'error.upload.empty');
  const jpeg = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  assert.is((await refused(jpeg.subarray(0, 200), 'cut.jpg')).key, 'error.upload.unreadable');
  const over = Buffer.concat([jpeg, Buffer.alloc(POST_PHOTO_MAX_MB * MB + 1 - jpeg.length)]);
  assert.is(over.length, 10 * MB + 1);
  const tooBig = await refused(over, 'big.jpg');
  assert.is(tooBig.key, 'error.photo.tooLarge');
  assert.is(tooBig.params.limit, 10);
  const exactly = Buffer.concat([jpeg, Buffer.alloc(POST_PHOTO_MAX_MB * MB - jpeg.length)]);
  assert.not.ok(
    isUploadProblem(await preparePostPhoto({ fileName: 'ten.jpg', bytes: exactly })),
    'exactly 10 MB is accepted',
  );
});

test.run();
