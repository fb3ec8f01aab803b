import type { QuestionRow } from '../questions/question-repository.ts';
import type { QuizRow } from '../quiz-repository.ts';
import { seededOrder } from '../shuffle.ts';

/**
 * Which questions an attempt asks, in which order, from its seed: every question not in the draw
 * pool, plus `draw.count` drawn from the questions tagged `draw.tag`; in the quiz's order, or
 * shuffled when the quiz says so. Deterministic in the seed, so it is computed once and stored.
 */
export function pickQuestions(quiz: QuizRow, questions: QuestionRow[], seed: string): QuestionRow[] {
  let chosen = questions;
  if (quiz.draw_tag !== null && quiz.draw_count !== null) {
    const tag = quiz.draw_tag;
    const pool = questions.filter((q) => q.tags.includes(tag));
    const drawn = new Set(
      seededOrder(seed, 'draw', pool, (q) => q.id)
        .slice(0, quiz.draw_count)
        .map((q) => q.id),
    );
    chosen = questions.filter((q) => !q.tags.includes(tag) || drawn.has(q.id));
  }
  return quiz.shuffle_questions ? seededOrder(seed, 'questions', chosen, (q) => q.id) : chosen;
}
