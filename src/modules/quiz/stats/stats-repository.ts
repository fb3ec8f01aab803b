import type { Db } from '../../../db/database.ts';

/** The raw material of a quiz's statistics: submitted attempts' items, and games' answers. */

export const attemptItems = (db: Db, quizId: string) =>
  db
    .selectFrom('quiz_attempt_items as i')
    .innerJoin('quiz_attempts as a', 'a.id', 'i.attempt_id')
    .select(['i.attempt_id', 'i.question_id', 'i.fraction', 'i.answer', 'a.score', 'a.max_score'])
    .where('a.quiz_id', '=', quizId)
    .where('a.status', '=', 'submitted')
    .execute();

/** Every player × question of the quiz's games that reached the question, with the answer if any. */
export const gameResponses = (db: Db, quizId: string) =>
  db
    .selectFrom('quiz_game_players as p')
    .innerJoin('quiz_games as g', 'g.id', 'p.game_id')
    .innerJoin('quiz_game_questions as q', 'q.game_id', 'g.id')
    .leftJoin('quiz_game_answers as ans', (join) =>
      join.onRef('ans.player_id', '=', 'p.id').onRef('ans.question_index', '=', 'q.index'),
    )
    .select(['p.id as player_id', 'p.score', 'q.question_id', 'ans.fraction', 'ans.answer', 'ans.elapsed_ms'])
    .where('g.quiz_id', '=', quizId)
    // A question the game never got to was not asked.
    .whereRef('q.index', '<=', 'g.question_index')
    .where((eb) =>
      eb.or([eb('q.index', '<', eb.ref('g.question_index')), eb('g.state', 'not in', ['question', 'answering'])]),
    )
    .execute();
