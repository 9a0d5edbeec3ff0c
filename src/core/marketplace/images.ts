/**
 * Listing images, judged by their bytes: the type is sniffed from the content (not the file name), and a
 * PNG's chunk structure is walked with every CRC checked, so a truncated or corrupt upload is caught here
 * and not in the storefront. (Decoding every pixel with pngjs costs ~130 ms per 1280×720 image; the CRCs
 * catch the same damage in well under a millisecond.)
 */
import { imageSize } from 'image-size';
import type { ImageAsset, OfferListing } from './model.js';

export type ImageInspection =
  | { readonly ok: true; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Walks the PNG chunks: IHDR first, at least one IDAT, IEND last, every CRC right. Undefined when sound. */
function pngDamage(bytes: Uint8Array): string | undefined {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) return 'has no PNG signature';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SIGNATURE.length;
  let first = true;
  let sawData = false;
  while (offset + 12 <= bytes.byteLength) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 8 + length;
    if (end + 4 > bytes.byteLength) return `is cut off inside its ${type} chunk`;
    if (crc32(bytes, offset + 4, end) !== view.getUint32(end)) return `is damaged (bad checksum in its ${type} chunk)`;
    if (first && type !== 'IHDR') return 'is damaged (it does not start with an IHDR chunk)';
    first = false;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return sawData ? undefined : 'has no image data';
    offset = end + 4;
  }
  return 'is cut off (no IEND chunk)';
}

/** Sniffs the bytes' real format, then checks the PNG structure; reports the real format when it is something else. */
export function inspectPng(bytes: Uint8Array): ImageInspection {
  let size: { type?: string | undefined; width?: number | undefined; height?: number | undefined } | undefined;
  try {
    size = imageSize(bytes);
  } catch {
    size = undefined;
  }
  if (size?.type !== 'png') {
    return { ok: false, reason: size?.type === undefined ? 'is not an image' : `is a ${size.type.toUpperCase()} image, not a PNG` };
  }
  const damage = pngDamage(bytes);
  if (damage !== undefined) return { ok: false, reason: damage };
  return { ok: true, width: size.width ?? 0, height: size.height ?? 0 };
}

export const LARGE_LOGO_MIN = 216;
export const LARGE_LOGO_MAX = 350;
export const SCREENSHOT_SIZE = { width: 1280, height: 720 } as const;

/** Where each logo size is shown, and its pixel size. Medium and small are derived from the large logo unless replaced. */
export const DERIVED_LOGO_SIZES = {
  medium: { width: 90, height: 90, usedFor: 'the Azure portal create blade' },
  small: { width: 48, height: 48, usedFor: 'search results' },
} as const;

export interface LogoRendition {
  readonly size: 'large' | 'medium' | 'small';
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** `derived` renditions are produced by resizing the large logo to the target size (done outside the core). */
  readonly source: 'uploaded' | 'derived' | 'missing';
  readonly asset?: ImageAsset;
}

/** The three logo renditions of a listing: the uploaded large one and the medium/small targets. */
export function logoRenditions(logos: OfferListing['logos']): readonly LogoRendition[] {
  const large = logos.large === undefined ? undefined : inspectPng(logos.large.bytes);
  const largeRendition: LogoRendition =
    logos.large === undefined
      ? { size: 'large', width: undefined, height: undefined, source: 'missing' }
      : {
          size: 'large',
          width: large?.ok === true ? large.width : undefined,
          height: large?.ok === true ? large.height : undefined,
          source: 'uploaded',
          asset: logos.large,
        };
  const derived = (['medium', 'small'] as const).map((size): LogoRendition => {
    const { width, height } = DERIVED_LOGO_SIZES[size];
    const replacement = logos[size];
    if (replacement !== undefined) return { size, width, height, source: 'uploaded', asset: replacement };
    return { size, width, height, source: logos.large === undefined ? 'missing' : 'derived' };
  });
  return [largeRendition, ...derived];
}
