import { createHmac, randomBytes } from 'node:crypto';

/**
 * Seeded orders: an attempt (or game) stores a random seed, and every order it shows is derived
 * from it, so a reload shows the same order and nothing about the order needs storing. Each item
 * is ranked by HMAC-SHA256(seed, scope + id): a keyed pseudo-random function, so the ranks are
 * unpredictable without the seed and sorting by them is a uniform shuffle — no Math.random.
 */

export const newSeed = () => randomBytes(16).toString('hex');

export function seededOrder<T>(seed: string, scope: string, items: readonly T[], idOf: (item: T) => string): T[] {
  const ranked = items.map((item) => ({
    item,
    rank: createHmac('sha256', seed)
      .update(`${scope}\0${idOf(item)}`)
      .digest('hex'),
  }));
  return ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map(({ item }) => item);
}
