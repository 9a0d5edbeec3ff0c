/**
 * The medium (90×90) and small (48×48) logos Partner Center derives from the large one unless the
 * publisher replaced them: the core says which rendition is derived and at what size; this resizes
 * the PNG (area averaging, alpha kept) and returns the bytes to serve.
 */
import { PNG } from 'pngjs';
import { notFound } from '../../core/errors.js';
import { logoRenditions } from '../../core/marketplace/images.js';
import type { OfferListing } from '../../core/marketplace/model.js';

/** Scales RGBA pixels to `width`×`height`, averaging the source pixels each target pixel covers. */
function resize(source: PNG, width: number, height: number): Buffer {
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * source.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * source.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * source.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * source.width) / width));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * source.width + sx) * 4;
          for (let c = 0; c < 4; c++) sum[c] = (sum[c] ?? 0) + (source.data[i + c] ?? 0);
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) out.data[o + c] = Math.round((sum[c] ?? 0) / n);
    }
  }
  return PNG.sync.write(out);
}

/** The PNG bytes of a logo size: the uploaded file, or one derived from the large logo. */
export function logoBytes(logos: OfferListing['logos'], size: 'large' | 'medium' | 'small'): { bytes: Uint8Array; source: 'uploaded' | 'derived' } {
  const rendition = logoRenditions(logos).find((r) => r.size === size);
  if (rendition === undefined || rendition.source === 'missing') throw notFound('resourceNotFound', `The offer has no ${size} logo (upload a large logo first).`);
  if (rendition.source === 'uploaded' && rendition.asset !== undefined) return { bytes: rendition.asset.bytes, source: 'uploaded' };
  const large = logos.large;
  if (large === undefined || rendition.width === undefined || rendition.height === undefined) throw notFound('resourceNotFound', `The offer has no ${size} logo.`);
  const png = PNG.sync.read(Buffer.from(large.bytes));
  return { bytes: new Uint8Array(resize(png, rendition.width, rendition.height)), source: 'derived' };
}
