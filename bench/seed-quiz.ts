import type { SeedPlan } from './seed.ts';

/**
 * The quiz data set: one published quiz of QUESTIONS single-choice questions per ten users (owned
 * by users 1, 11, 21 …), and one submitted attempt by every user at quiz 1 — the history the
 * statistics and "my attempts" read. Ids are md5 of a name, so scenarios can address rows.
 */

export const QUIZ_QUESTIONS = 10;
export const quizCount = (plan: SeedPlan) => Math.max(1, Math.floor(plan.users / 10));
const QUIZ_ID = (expr: string) => `md5('quiz' || (${expr}))::uuid`;
const QUESTION_ID = (quiz: string, k: string) => `md5('quizq' || (${quiz}) || '_' || (${k}))::uuid`;
const ATTEMPT_ID = (expr: string) => `md5('attempt' || (${expr}))::uuid`;
const USER_ID = (expr: string) => `md5('user' || (${expr}))::uuid`;

type Timed = (label: string, sql: string, params?: unknown[]) => Promise<void>;

export async function seedQuiz(plan: SeedPlan, timed: Timed): Promise<void> {
  const quizzes = quizCount(plan);
  await timed(
    'quizzes',
    `insert into quizzes (id, owner_id, title, status)
     select ${QUIZ_ID('q')}, ${USER_ID('(q - 1) * 10 + 1')}, 'Bench quiz ' || q, 'published'
     from generate_series(1, $1::int) as q`,
    [quizzes],
  );
  await timed(
    'quiz questions',
    `insert into quiz_questions (id, quiz_id, position)
     select ${QUESTION_ID('q', 'k')}, ${QUIZ_ID('q')}, k
     from generate_series(1, $1::int) as q, generate_series(0, $2::int - 1) as k`,
    [quizzes, QUIZ_QUESTIONS],
  );
  await timed(
    'quiz question versions',
    `insert into quiz_question_versions (question_id, version, body)
     select id, 1, jsonb_build_object(
       'type', 'single', 'prompt', 'Question ' || position, 'points', 1, 'imageFileId', null, 'explanation', '',
       'options', jsonb_build_array(
         jsonb_build_object('id', 'a', 'text', 'Right', 'correct', true),
         jsonb_build_object('id', 'b', 'text', 'Wrong', 'correct', false),
         jsonb_build_object('id', 'c', 'text', 'Also wrong', 'correct', false)))
     from quiz_questions`,
  );
  await timed(
    'quiz attempts',
    `insert into quiz_attempts (id, quiz_id, user_id, number, seed, status, submitted_at, submitted_by, score, max_score)
     select ${ATTEMPT_ID('i')}, ${QUIZ_ID('1')}, ${USER_ID('i')}, 1, md5('seed' || i), 'submitted', now(), 'user',
            (i % ($2::int + 1)), $2::int
     from generate_series(1, $1::int) as i`,
    [plan.users, QUIZ_QUESTIONS],
  );
  // User i got the first (i mod 11) questions right, the rest wrong.
  await timed(
    'quiz attempt items',
    `insert into quiz_attempt_items (attempt_id, position, question_id, version, weight, answer, answered_at, fraction, marks)
     select ${ATTEMPT_ID('i')}, k, ${QUESTION_ID('1', 'k')}, 1, 1,
            jsonb_build_object('optionId', case when k < i % ($2::int + 1) then 'a' else 'b' end), now(),
            case when k < i % ($2::int + 1) then 1 else 0 end, case when k < i % ($2::int + 1) then 1 else 0 end
     from generate_series(1, $1::int) as i, generate_series(0, $2::int - 1) as k`,
    [plan.users, QUIZ_QUESTIONS],
  );
}
