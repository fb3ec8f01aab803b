import type { QuizRow } from './quiz-repository.ts';
import type { QuizDto } from './schemas.ts';

/** The one place quiz rows become API objects (questions, attempts and games map in their folders). */

export const iso = (value: Date) => value.toISOString();
export const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export function toQuiz(row: QuizRow): QuizDto {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    status: row.status,
    timeLimitSeconds: row.time_limit_seconds,
    opensAt: isoOrNull(row.opens_at),
    closesAt: isoOrNull(row.closes_at),
    maxAttempts: row.max_attempts,
    grading: row.grading,
    review: row.review,
    shuffleQuestions: row.shuffle_questions,
    shuffleOptions: row.shuffle_options,
    draw: row.draw_tag !== null && row.draw_count !== null ? { tag: row.draw_tag, count: row.draw_count } : null,
    questionCount: row.question_count,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
