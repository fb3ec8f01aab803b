import type { Readable } from 'node:stream';
import sharp, { type Sharp } from 'sharp';

/** Widths a preview may have: a fixed set, so previews kept per file stay bounded. */
export const PREVIEW_WIDTHS = [64, 128, 256, 512, 1024, 2048] as const;
export const PREVIEW_CONTENT_TYPE = 'image/webp';

export interface Dimensions {
  width: number;
  height: number;
}

async function dimensionsOf(input: Sharp): Promise<Dimensions | undefined> {
  // autoOrient: a portrait photo stored sideways with an EXIF rotation reports the size it displays at.
  const { autoOrient } = await input.metadata();
  return autoOrient?.width && autoOrient.height ? { width: autoOrient.width, height: autoOrient.height } : undefined;
}

/**
 * An image's displayed size. JPEG and PNG declare it in their first bytes (`head`), read without
 * touching storage; formats that need more (WebP, GIF, AVIF) are read from `open()`.
 */
export async function imageDimensions(head: Buffer, open: () => Promise<Readable>): Promise<Dimensions | undefined> {
  try {
    return await dimensionsOf(sharp(head));
  } catch {
    const input = sharp();
    (await open()).pipe(input);
    return dimensionsOf(input).catch(() => undefined);
  }
}

/**
 * A WebP preview `width` pixels wide (never enlarged), turned upright. sharp writes no metadata
 * unless asked, so EXIF (GPS position, camera serial) is not carried over.
 */
export function previewTransform(width: number): Sharp {
  return sharp().autoOrient().resize({ width, withoutEnlargement: true }).webp({ quality: 80 });
}
