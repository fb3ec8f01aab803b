/**
 * The tie-break, in order: more points; then more right answers; then less total answer time
 * (the sum of each answer's time from the start of its answering window); then whoever gave their
 * first answer earliest; finally, who joined first (so ranks are always strict and stable).
 */

export interface Standing {
  id: string;
  nickname: string;
  score: number;
  correct_count: number;
  total_time_ms: number;
  first_answer_at: Date | null;
  joined_at: Date;
}

const time = (value: Date | null) => (value ? value.getTime() : Number.POSITIVE_INFINITY);

export function compareStandings(a: Standing, b: Standing): number {
  return (
    b.score - a.score ||
    b.correct_count - a.correct_count ||
    a.total_time_ms - b.total_time_ms ||
    time(a.first_answer_at) - time(b.first_answer_at) ||
    a.joined_at.getTime() - b.joined_at.getTime() ||
    (a.id < b.id ? -1 : 1)
  );
}

/** Players ranked 1, 2, 3 … by the tie-break. */
export function rank<T extends Standing>(players: readonly T[]): Array<T & { rank: number }> {
  return [...players].sort(compareStandings).map((player, i) => ({ ...player, rank: i + 1 }));
}
