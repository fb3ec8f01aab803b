import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { QuizGameAnswersTable, QuizGamePlayersTable, QuizGamesTable } from '../tables.ts';

/** SQL for live games, their players and answers. */

type DbOrTrx = Db | Trx;
export type GameRow = Selectable<QuizGamesTable>;
export type PlayerRow = Selectable<QuizGamePlayersTable>;
export type GameAnswerRow = Selectable<QuizGameAnswersTable>;
/** Who a player is: what never changes after joining (their score lives in the row, read fresh). */
export type PlayerIdentity = Pick<PlayerRow, 'id' | 'game_id' | 'nickname'>;

/** Inserts a game under a code no unfinished game has; undefined when the code is taken. */
export const insertGame = (trx: Trx, values: Insertable<QuizGamesTable>) =>
  trx
    .insertInto('quiz_games')
    .values(values)
    .onConflict((oc) => oc.column('code').where('state', '<>', 'finished').doNothing())
    .returningAll()
    .executeTakeFirst();

export const insertGameQuestions = (
  trx: Trx,
  rows: Array<{ game_id: string; index: number; question_id: string; version: number; weight: number }>,
) => trx.insertInto('quiz_game_questions').values(rows).execute();

export const findGame = (db: DbOrTrx, id: string) =>
  db.selectFrom('quiz_games').selectAll().where('id', '=', id).executeTakeFirst();

export const findHostedGame = (db: DbOrTrx, hostId: string, id: string) =>
  db.selectFrom('quiz_games').selectAll().where('id', '=', id).where('host_id', '=', hostId).executeTakeFirst();

/** The driver's lock: every transition holds the game row, so exactly one instance makes each. */
export const lockGame = (trx: Trx, id: string) =>
  trx.selectFrom('quiz_games').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** Answers share the row (many at once), but never overlap a transition; with the database's clock. */
export const shareGame = (trx: Trx, id: string) =>
  trx
    .selectFrom('quiz_games')
    .selectAll()
    .select(sql<Date>`now()`.as('now'))
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();

export const findGameByCode = (db: DbOrTrx, code: string) =>
  db.selectFrom('quiz_games').selectAll().where('code', '=', code).where('state', '<>', 'finished').executeTakeFirst();

export const updateGame = (trx: Trx, id: string, values: Partial<Record<keyof QuizGamesTable, unknown>>) =>
  trx
    .updateTable('quiz_games')
    .set(values as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const gameQuestion = (db: DbOrTrx, gameId: string, index: number) =>
  db
    .selectFrom('quiz_game_questions as g')
    .innerJoin('quiz_question_versions as v', (join) =>
      join.onRef('v.question_id', '=', 'g.question_id').onRef('v.version', '=', 'g.version'),
    )
    .select(['g.question_id', 'g.weight', 'v.body'])
    .where('g.game_id', '=', gameId)
    .where('g.index', '=', index)
    .executeTakeFirstOrThrow();

export const insertPlayer = (trx: DbOrTrx, values: Insertable<QuizGamePlayersTable>) =>
  trx.insertInto('quiz_game_players').values(values).returningAll().executeTakeFirstOrThrow();

export const findPlayerByToken = (db: DbOrTrx, tokenHash: string): Promise<PlayerIdentity | undefined> =>
  db
    .selectFrom('quiz_game_players')
    .select(['id', 'game_id', 'nickname'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();

export const playersOf = (db: DbOrTrx, gameId: string) =>
  db.selectFrom('quiz_game_players').selectAll().where('game_id', '=', gameId).execute();

export const playerIds = async (db: DbOrTrx, gameId: string) =>
  (await db.selectFrom('quiz_game_players').select('id').where('game_id', '=', gameId).execute()).map((r) => r.id);

export const countPlayers = async (db: DbOrTrx, gameId: string) =>
  Number(
    (
      await db
        .selectFrom('quiz_game_players')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('game_id', '=', gameId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Records a player's answer unless they already answered: undefined for a duplicate. */
export const insertAnswer = (trx: Trx, values: Insertable<QuizGameAnswersTable>) =>
  trx
    .insertInto('quiz_game_answers')
    .values(values)
    .onConflict((oc) => oc.columns(['player_id', 'question_index']).doNothing())
    .returningAll()
    .executeTakeFirst();

export const answersTo = (db: DbOrTrx, gameId: string, index: number) =>
  db
    .selectFrom('quiz_game_answers')
    .selectAll()
    .where('game_id', '=', gameId)
    .where('question_index', '=', index)
    .execute();

export const countAnswers = async (db: DbOrTrx, gameId: string, index: number) =>
  Number(
    (
      await db
        .selectFrom('quiz_game_answers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('game_id', '=', gameId)
        .where('question_index', '=', index)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** How many have answered question `index`, and how many players there are (one round trip). */
export async function answerProgress(db: DbOrTrx, gameId: string, index: number) {
  const { rows } = await sql<{ answers: number; players: number }>`
    select (select count(*)::int from quiz_game_answers where game_id = ${gameId} and question_index = ${index}) as answers,
           (select count(*)::int from quiz_game_players where game_id = ${gameId}) as players`.execute(db);
  return rows[0] as { answers: number; players: number };
}

export const findAnswer = (db: DbOrTrx, playerId: string, index: number) =>
  db
    .selectFrom('quiz_game_answers')
    .selectAll()
    .where('player_id', '=', playerId)
    .where('question_index', '=', index)
    .executeTakeFirst();

export const allAnswers = (db: DbOrTrx, gameId: string) =>
  db
    .selectFrom('quiz_game_answers')
    .selectAll()
    .where('game_id', '=', gameId)
    .orderBy('question_index')
    .orderBy('answered_at')
    .execute();

/**
 * Closes question `index` for every player at once: adds the streak bonus to right answers (when
 * the game has it), then folds the answers into the players' totals and streaks. A poll (null
 * fraction) leaves streaks as they were; a missed or wrong answer breaks them.
 */
export async function settleQuestion(
  trx: Trx,
  gameId: string,
  index: number,
  bonus: { step: number; cap: number } | null,
) {
  if (bonus) {
    await sql`
      update quiz_game_answers a
         set points = a.points + ${bonus.step} * least(p.streak, ${bonus.cap})
        from quiz_game_players p
       where p.id = a.player_id and a.game_id = ${gameId} and a.question_index = ${index}
         and a.fraction >= 0.999999`.execute(trx);
  }
  await sql`
    update quiz_game_players p
       set score = p.score + coalesce(a.points, 0),
           correct_count = p.correct_count + case when a.fraction >= 0.999999 then 1 else 0 end,
           streak = case when a.player_id is not null and a.fraction is null then p.streak
                         when a.fraction >= 0.999999 then p.streak + 1 else 0 end,
           total_time_ms = p.total_time_ms + coalesce(a.elapsed_ms, 0),
           first_answer_at = coalesce(p.first_answer_at, a.answered_at)
      from quiz_game_players p2
      left join quiz_game_answers a on a.player_id = p2.id and a.question_index = ${index}
     where p.id = p2.id and p.game_id = ${gameId}`.execute(trx);
}

/** Games whose current phase has a deadline: re-armed when an instance starts. */
export const timedGames = (db: DbOrTrx) =>
  db
    .selectFrom('quiz_games')
    .select(['id', 'phase_seq', 'phase_ends_at'])
    .where('state', 'in', ['question', 'answering'])
    .execute();
