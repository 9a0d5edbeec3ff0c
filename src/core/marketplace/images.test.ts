import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DERIVED_LOGO_SIZES, inspectPng, logoRenditions } from './images.js';
import { makePng } from './test-fixtures.js';

// A minimal JPEG header (SOI + SOF0 of 10×10), enough for a format sniffer.
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 10, 0, 10, 1, 1, 0x11, 0, 0xff, 0xd9]);

describe('inspectPng', () => {
  it('reads the size of a real PNG', () => {
    assert.deepEqual(inspectPng(makePng(1280, 720)), { ok: true, width: 1280, height: 720 });
    assert.deepEqual(inspectPng(makePng(216, 216)), { ok: true, width: 216, height: 216 });
  });

  it('names the real format of non-PNG images and rejects non-images', () => {
    assert.deepEqual(inspectPng(JPEG), { ok: false, reason: 'is a JPG image, not a PNG' });
    assert.deepEqual(inspectPng(new TextEncoder().encode('<svg/> or any text')), { ok: false, reason: 'is not an image' });
    assert.deepEqual(inspectPng(new Uint8Array()), { ok: false, reason: 'is not an image' });
  });

  it('catches truncated and corrupted PNG files', () => {
    const good = makePng(300, 300);
    const cut = good.slice(0, good.length - 20);
    assert.equal(inspectPng(cut).ok, false);
    assert.match((inspectPng(cut) as { reason: string }).reason, /cut off/);
    const flipped = good.slice();
    flipped[60] = (flipped[60]! ^ 0xff) & 0xff;
    assert.match((inspectPng(flipped) as { reason: string }).reason, /bad checksum/);
  });
});

describe('logoRenditions', () => {
  it('derives medium 90×90 and small 48×48 from the large logo unless replaced', () => {
    const large = { fileName: 'l.png', bytes: makePng(300, 300) };
    const medium = { fileName: 'm.png', bytes: makePng(90, 90) };
    assert.deepEqual(
      logoRenditions({ large, medium }).map((r) => [r.size, r.width, r.height, r.source]),
      [
        ['large', 300, 300, 'uploaded'],
        ['medium', 90, 90, 'uploaded'],
        ['small', DERIVED_LOGO_SIZES.small.width, DERIVED_LOGO_SIZES.small.height, 'derived'],
      ],
    );
    assert.deepEqual(logoRenditions({}).map((r) => r.source), ['missing', 'missing', 'missing']);
  });
});
