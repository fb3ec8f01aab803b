import type { QuestionRow } from './question-repository.ts';
import type { QuestionDto } from './schemas.ts';

export function toQuestion(row: QuestionRow): QuestionDto {
  return {
    id: row.id,
    quizId: row.quiz_id,
    position: row.position,
    weight: row.weight,
    tags: row.tags,
    version: row.current_version,
    question: row.body,
    createdAt: row.created_at.toISOString(),
  };
}
