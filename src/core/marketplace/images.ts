/**
 * Listing images, judged by their bytes: the type is sniffed from the content (not the file name) and
 * a PNG is decoded in full, so a truncated or corrupt upload is caught here and not in the storefront.
 */
import { imageSize } from 'image-size';
import { PNG } from 'pngjs';
import type { ImageAsset, OfferListing } from './model.js';

export type ImageInspection =
  | { readonly ok: true; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

/** Sniffs, then fully decodes, the bytes as PNG; reports the real format when it is something else. */
export function inspectPng(bytes: Uint8Array): ImageInspection {
  let detected: string | undefined;
  try {
    detected = imageSize(bytes).type;
  } catch {
    detected = undefined;
  }
  if (detected !== 'png') {
    return { ok: false, reason: detected === undefined ? 'is not an image' : `is a ${detected.toUpperCase()} image, not a PNG` };
  }
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { ok: true, width: png.width, height: png.height };
  } catch (e) {
    return { ok: false, reason: `is a damaged PNG (${e instanceof Error ? e.message : String(e)})` };
  }
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
