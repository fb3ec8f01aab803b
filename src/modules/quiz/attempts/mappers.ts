import { iso, isoOrNull } from '../mappers.ts';
import { playerView } from '../questions/player-view.ts';
import type { Answer, QuestionBody } from '../questions/schemas.ts';
import type { AttemptItemRow, AttemptRow } from './attempt-repository.ts';
import type { AttemptDto } from './schemas.ts';

/** An attempt as its student sees it: answer keys only under `review`, and only when `reviewable`. */
export function toAttempt(
  attempt: AttemptRow,
  items: AttemptItemRow[],
  versions: Map<string, QuestionBody>,
  options: { shuffleOptions: boolean; reviewable: boolean; now: Date },
): AttemptDto {
  const submitted = attempt.status === 'submitted';
  return {
    id: attempt.id,
    quizId: attempt.quiz_id,
    number: attempt.number,
    status: attempt.status,
    startedAt: iso(attempt.started_at),
    deadline: isoOrNull(attempt.deadline),
    serverTime: iso(options.now),
    submittedAt: isoOrNull(attempt.submitted_at),
    submittedBy: attempt.submitted_by,
    score: attempt.score,
    maxScore: attempt.max_score,
    reviewAvailable: options.reviewable,
    items: items.map((item) => {
      const question = versions.get(`${item.question_id}:${item.version}`) as QuestionBody;
      return {
        position: item.position,
        weight: item.weight,
        question: playerView(item.question_id, question, attempt.seed, options.shuffleOptions),
        answer: (item.answer as Answer | null) ?? null,
        answeredAt: isoOrNull(item.answered_at),
        fraction: submitted ? item.fraction : null,
        marks: submitted ? (item.marks ?? 0) : null,
        review: options.reviewable ? { question } : null,
      };
    }),
  };
}
