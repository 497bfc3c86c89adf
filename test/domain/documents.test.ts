import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { prepareDocument, type StoredDocument } from '../../domain/applications/documents.ts';
import { cleanFileName, isUploadProblem } from '../../domain/shared/uploads.ts';

const GPS = {
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '25/1 2/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 33/1 0/1' },
};

async function photo(format: 'jpeg' | 'png', opts: { orientation?: number } = {}): Promise<Buffer> {
  // 40×20: wider than tall, left half red, right half blue, so a rotation shows.
  const img = sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .composite([
      {
        input: { create: { width: 20, height: 20, channels: 3, background: { r: 255, g: 0, b: 0 } } },
        left: 0,
        top: 0,
      },
    ])
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Phone X' }, ...GPS });
  const withOrientation = opts.orientation ? img.withMetadata({ orientation: opts.orientation }) : img;
  return format === 'jpeg' ? withOrientation.jpeg().toBuffer() : withOrientation.png().toBuffer();
}

const stored = async (bytes: Buffer, name = 'scan.jpg', imagesOnly = false) => {
  const r = await prepareDocument({ fileName: name, bytes }, { imagesOnly });
  if (isUploadProblem(r)) throw new Error(`refused: ${r.key}`);
  return r as StoredDocument;
};

test('the test photos really carry GPS and camera metadata', async () => {
  const meta = await sharp(await photo('jpeg')).metadata();
  assert.ok(meta.exif && meta.exif.includes(Buffer.from('PhoneMaker')), 'EXIF present before');
});

test('JPEG and PNG with GPS EXIF come out with no metadata at all', async () => {
  for (const format of ['jpeg', 'png'] as const) {
    const doc = await stored(await photo(format), `photo.${format}`);
    const meta = await sharp(doc.content).metadata();
    assert.is(meta.exif, undefined, `${format}: no EXIF`);
    assert.is(meta.xmp, undefined, `${format}: no XMP`);
    assert.not.ok(doc.content.includes(Buffer.from('PhoneMaker')), `${format}: camera name gone`);
    assert.is(doc.mediaType, `image/${format}`);
  }
});

test('a photo taken sideways is stored upright', async () => {
  // EXIF orientation 6: shown rotated 90° clockwise, so the 40×20 picture is upright as 20×40.
  const doc = await stored(await photo('jpeg', { orientation: 6 }));
  const meta = await sharp(doc.content).metadata();
  assert.equal([meta.width, meta.height, meta.orientation ?? 1], [20, 40, 1]);
});

test('the type comes from the content: a text file named .jpg is refused, a JPEG named .pdf is a JPEG', async () => {
  const text = await prepareDocument({ fileName: 'ID card.jpg', bytes: Buffer.from('just some text, not a picture') });
  assert.equal(text, { key: 'error.upload.type', params: { file: 'ID card.jpg' } });
  const jpegNamedPdf = await stored(await photo('jpeg'), 'document.pdf');
  assert.is(jpegNamedPdf.mediaType, 'image/jpeg');
});

test('empty, truncated or damaged files are refused with a message naming them', async () => {
  assert.equal(await prepareDocument({ fileName: 'empty.pdf', bytes: Buffer.alloc(0) }), {
    key: 'error.upload.empty',
    params: { file: 'empty.pdf' },
  });
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
  const ok = await stored(pdf, 'mandate.pdf');
  assert.is(ok.mediaType, 'application/pdf');
  assert.ok(ok.content.equals(pdf), 'PDFs are stored as sent');
  const cut = await prepareDocument({ fileName: 'cut.pdf', bytes: pdf.subarray(0, 20) });
  assert.equal(cut, { key: 'error.upload.unreadable', params: { file: 'cut.pdf' } });
  const jpeg = await photo('jpeg');
  const broken = await prepareDocument({ fileName: 'broken.jpg', bytes: jpeg.subarray(0, 200) });
  assert.equal(broken, { key: 'error.upload.unreadable', params: { file: 'broken.jpg' } });
});

test('the frontal photo for mobile visits must be an image, not a PDF', async () => {
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
  assert.equal(await prepareDocument({ fileName: 'face.pdf', bytes: pdf }, { imagesOnly: true }), {
    key: 'error.upload.photoType',
    params: { file: 'face.pdf' },
  });
});

test('file names lose paths and control characters', () => {
  assert.is(cleanFileName('C:\\Users\\me\\身分證.jpg'), '身分證.jpg');
  assert.is(cleanFileName('../../etc/passwd'), 'passwd');
  assert.is(cleanFileName('a\u202Egpj.exe'), 'agpj.exe');
  assert.is(cleanFileName(''), 'file');
});

test.run();
