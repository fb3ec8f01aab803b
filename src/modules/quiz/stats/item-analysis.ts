import type { Answer } from '../questions/schemas.ts';
import { isCorrect } from '../scoring/index.ts';
import { median, pearson, roundOrNull } from './statistics.ts';

/**
 * Classical item analysis over a set of respondents (an attempt, or a player in a game):
 * - facility: the share of respondents asked a question who got it fully right;
 * - discrimination: the corrected item–total correlation — Pearson's r between the question's
 *   fraction and the respondent's total over the *other* questions (the item is left out of the
 *   total, so it does not correlate with itself); null when either does not vary;
 * - the distribution of the options chosen, and the median answer time where one is known.
 * A question not answered counts as 0; polls have no right answer and are left out of totals.
 */

export interface Response {
  fraction: number | null;
  answer: Answer | null;
  timeMs: number | null;
}

/** One respondent: their response to each question they were asked, by question id. */
export type Respondent = Map<string, Response>;

export interface ItemStats {
  questionId: string;
  asked: number;
  answered: number;
  facility: number | null;
  discrimination: number | null;
  options: Record<string, number>;
  medianTimeMs: number | null;
}

export function analyseItems(respondents: readonly Respondent[], questionIds: readonly string[]): ItemStats[] {
  const totals = respondents.map((r) => {
    let total = 0;
    for (const response of r.values()) total += response.fraction ?? 0;
    return total;
  });
  return questionIds.map((questionId) => {
    const items: number[] = [];
    const rests: number[] = [];
    const options: Record<string, number> = {};
    const times: number[] = [];
    let answered = 0;
    let correct = 0;
    let scored = false;
    respondents.forEach((respondent, i) => {
      const response = respondent.get(questionId);
      if (!response) return;
      const item = response.fraction ?? 0;
      if (response.fraction !== null) scored = true;
      items.push(item);
      rests.push((totals[i] as number) - item);
      if (isCorrect(response.fraction)) correct += 1;
      if (response.answer) {
        answered += 1;
        for (const id of chosenOptions(response.answer)) options[id] = (options[id] ?? 0) + 1;
      }
      if (response.timeMs !== null) times.push(response.timeMs);
    });
    const asked = items.length;
    return {
      questionId,
      asked,
      answered,
      facility: scored && asked ? roundOrNull(correct / asked) : null,
      discrimination: scored ? roundOrNull(pearson(items, rests)) : null,
      options,
      medianTimeMs: median(times),
    };
  });
}

function chosenOptions(answer: Answer): string[] {
  const a = answer as Record<string, unknown>;
  if (typeof a.optionId === 'string') return [a.optionId];
  if (Array.isArray(a.optionIds)) return a.optionIds as string[];
  if (typeof a.value === 'boolean') return [String(a.value)];
  return [];
}
