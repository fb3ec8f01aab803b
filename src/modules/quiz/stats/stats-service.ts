import type { Db } from '../../../db/database.ts';
import { quizNotFound } from '../errors.ts';
import { listQuestions } from '../questions/question-repository.ts';
import type { Answer } from '../questions/schemas.ts';
import { findOwnQuiz } from '../quiz-repository.ts';
import { analyseItems, type Respondent } from './item-analysis.ts';
import { histogram, mean, median, round, roundOrNull } from './statistics.ts';
import { attemptItems, gameResponses } from './stats-repository.ts';

/** A quiz's statistics for its owner: self-paced attempts and live games, analysed apart. */

function summary(values: number[], top: number) {
  return {
    count: values.length,
    mean: roundOrNull(mean(values)),
    median: roundOrNull(median(values)),
    histogram: histogram(values, top),
  };
}

function collect<T>(rows: readonly T[], key: (row: T) => string) {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row)) ?? [];
    list.push(row);
    groups.set(key(row), list);
  }
  return groups;
}

export async function quizStats(db: Db, ownerId: string, quizId: string) {
  const quiz = await findOwnQuiz(db, ownerId, quizId);
  if (!quiz) throw quizNotFound();
  const [questions, items, responses] = await Promise.all([
    listQuestions(db, quizId),
    attemptItems(db, quizId),
    gameResponses(db, quizId),
  ]);
  // Questions removed since still have answers: they are analysed too, after the current ones.
  const ids = [
    ...new Set([
      ...questions.map((q) => q.id),
      ...items.map((i) => i.question_id),
      ...responses.map((r) => r.question_id),
    ]),
  ];
  const prompts = new Map(questions.map((q) => [q.id, { prompt: q.body.prompt, type: q.body.type }]));
  const describe = (stats: ReturnType<typeof analyseItems>) =>
    stats.map((s) => ({
      ...s,
      prompt: prompts.get(s.questionId)?.prompt ?? null,
      type: prompts.get(s.questionId)?.type ?? null,
    }));

  const attempts = [...collect(items, (i) => i.attempt_id).values()];
  const attemptRespondents: Respondent[] = attempts.map(
    (rows) =>
      new Map(
        rows.map((r) => [
          r.question_id,
          { fraction: r.fraction, answer: (r.answer as Answer | null) ?? null, timeMs: null },
        ]),
      ),
  );
  const percents = attempts.map((rows) => {
    const first = rows[0] as (typeof rows)[0];
    return first.max_score > 0 ? round(((first.score ?? 0) / first.max_score) * 100, 2) : 0;
  });

  const players = [...collect(responses, (r) => r.player_id).values()];
  const gameRespondents: Respondent[] = players.map(
    (rows) =>
      new Map(
        rows.map((r) => [
          r.question_id,
          { fraction: r.fraction, answer: (r.answer as Answer | null) ?? null, timeMs: r.elapsed_ms },
        ]),
      ),
  );
  const scores = players.map((rows) => (rows[0] as (typeof rows)[0]).score);

  return {
    attempts: {
      scores: summary(percents, 100),
      questions: describe(analyseItems(attemptRespondents, ids)),
    },
    games: {
      scores: summary(scores, Math.max(0, ...scores)),
      questions: describe(analyseItems(gameRespondents, ids)),
    },
  };
}
