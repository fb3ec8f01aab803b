import type { ReviewPolicy } from '../tables.ts';

/**
 * Whether a submitted attempt may show the right answers and explanations now. Marks are always
 * shown once submitted; the key only as the quiz's policy allows: at once, once the quiz has
 * closed (so students still taking it cannot be told), or never.
 */
export function reviewAllowed(policy: ReviewPolicy, submitted: boolean, closesAt: Date | null, now: Date): boolean {
  if (!submitted) return false;
  switch (policy) {
    case 'after_submit':
      return true;
    case 'after_close':
      return closesAt !== null && now >= closesAt;
    case 'never':
      return false;
  }
}
