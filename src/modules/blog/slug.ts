import { randomBytes } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

/**
 * Slugs: the title, transliterated and dashed (`@sindresorhus/slugify`), and a short random
 * suffix only when that slug is already taken, so most slugs read like their title while
 * duplicate titles still get unique slugs.
 */

const MAX_BASE_LENGTH = 100;
const SUFFIX_LENGTH = 6;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The slug a title asks for; `article` when nothing sluggable is left (e.g. only emoji). */
export function baseSlug(title: string): string {
  const slug = slugify(title).slice(0, MAX_BASE_LENGTH).replace(/-+$/, '');
  return slug || 'article';
}

export function withSuffix(base: string): string {
  const bytes = randomBytes(SUFFIX_LENGTH);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return `${base}-${suffix}`;
}

/** True when `slug` was made from `base` (as is, or with a suffix): the title still fits it. */
export function slugFits(slug: string, base: string): boolean {
  return slug === base || new RegExp(`^${base}-[a-z0-9]{${SUFFIX_LENGTH}}$`).test(slug);
}
