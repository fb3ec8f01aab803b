/**
 * What each purpose accepts, by the type sniffed from the bytes. Other modules upload with the
 * purpose that fits them (a receipt, a quiz image); `attachment` is the general case.
 */

const IMAGES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;
const TEXT = ['text/plain', 'text/csv', 'text/markdown', 'application/json'] as const;
// Stored, but only ever served as downloads (they can run script in a browser): see content-headers.ts.
const MARKUP = ['text/html', 'image/svg+xml', 'application/xml'] as const;
const DOCUMENTS = [
  'application/pdf',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'audio/mpeg',
  'video/mp4',
] as const;

export const PURPOSES = {
  attachment: [...IMAGES, ...TEXT, ...MARKUP, ...DOCUMENTS],
  image: [...IMAGES],
  receipt: [...IMAGES, 'application/pdf'],
} as const satisfies Record<string, readonly string[]>;

export type Purpose = keyof typeof PURPOSES;

export const PURPOSE_NAMES = Object.keys(PURPOSES) as Purpose[];

export function isAllowed(purpose: Purpose, contentType: string): boolean {
  return (PURPOSES[purpose] as readonly string[]).includes(contentType);
}

/** Types that sharp reads: these get dimensions on upload and previews on demand. */
export const IMAGE_TYPES: ReadonlySet<string> = new Set(IMAGES);

/** Types that can only be told from their bytes by what the client says they are (no magic number). */
export const TEXTUAL_TYPES: ReadonlySet<string> = new Set([...TEXT, ...MARKUP, 'text/xml']);
