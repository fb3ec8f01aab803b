import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, UpdatedAt } from '../../db/column-types.ts';
import type { QuestionBody } from './questions/schemas.ts';

/** The tables the quiz module owns (migration 20261202030000_quiz.ts), as Kysely sees them. */

export type QuizStatus = 'draft' | 'published';
export type Grading = 'highest' | 'last' | 'first' | 'average';
export type ReviewPolicy = 'after_submit' | 'after_close' | 'never';
export type GameState = 'lobby' | 'question' | 'answering' | 'reveal' | 'leaderboard' | 'finished';

type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string, string>;

export interface QuizzesTable {
  id: Generated<string>;
  owner_id: string;
  title: string;
  description: Defaulted<string>;
  status: Defaulted<QuizStatus>;
  time_limit_seconds: number | null;
  opens_at: NullableTimestamp;
  closes_at: NullableTimestamp;
  max_attempts: number | null;
  grading: Defaulted<Grading>;
  review: Defaulted<ReviewPolicy>;
  shuffle_questions: Defaulted<boolean>;
  shuffle_options: Defaulted<boolean>;
  draw_tag: string | null;
  draw_count: number | null;
  version: Defaulted<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface QuizQuestionsTable {
  id: Generated<string>;
  quiz_id: string;
  position: number;
  weight: Defaulted<number>;
  tags: Defaulted<string[]>;
  current_version: Defaulted<number>;
  deleted_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface QuizQuestionVersionsTable {
  question_id: string;
  version: number;
  body: Json<QuestionBody>;
  created_at: CreatedAt;
}

export interface QuizAttemptsTable {
  id: Generated<string>;
  quiz_id: string;
  user_id: string;
  number: number;
  seed: string;
  status: Defaulted<'in_progress' | 'submitted'>;
  started_at: CreatedAt;
  deadline: Date | null;
  submitted_at: NullableTimestamp;
  submitted_by: 'user' | 'deadline' | null;
  score: number | null;
  max_score: number;
}

export interface QuizAttemptItemsTable {
  attempt_id: string;
  position: number;
  question_id: string;
  version: number;
  weight: number;
  answer: ColumnType<unknown, string | null | undefined, string | null>;
  answered_at: NullableTimestamp;
  fraction: number | null;
  marks: number | null;
}

export interface QuizGamesTable {
  id: Generated<string>;
  quiz_id: string;
  host_id: string;
  code: string;
  state: Defaulted<GameState>;
  question_index: Defaulted<number>;
  phase_seq: Defaulted<number>;
  phase_started_at: NullableTimestamp;
  phase_ends_at: NullableTimestamp;
  read_seconds: number;
  answer_seconds: number;
  speed_scoring: boolean;
  streak_bonus: boolean;
  seed: string;
  question_count: number;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface QuizGameQuestionsTable {
  game_id: string;
  index: number;
  question_id: string;
  version: number;
  weight: number;
}

export interface QuizGamePlayersTable {
  id: Generated<string>;
  game_id: string;
  nickname: string;
  token_hash: string;
  score: Defaulted<number>;
  correct_count: Defaulted<number>;
  total_time_ms: Defaulted<number>;
  streak: Defaulted<number>;
  first_answer_at: NullableTimestamp;
  joined_at: CreatedAt;
}

export interface QuizGameAnswersTable {
  game_id: string;
  player_id: string;
  question_index: number;
  answer: Json<unknown>;
  answered_at: CreatedAt;
  elapsed_ms: number;
  fraction: number | null;
  points: Defaulted<number>;
}

export interface QuizTables {
  quizzes: QuizzesTable;
  quiz_questions: QuizQuestionsTable;
  quiz_question_versions: QuizQuestionVersionsTable;
  quiz_attempts: QuizAttemptsTable;
  quiz_attempt_items: QuizAttemptItemsTable;
  quiz_games: QuizGamesTable;
  quiz_game_questions: QuizGameQuestionsTable;
  quiz_game_players: QuizGamePlayersTable;
  quiz_game_answers: QuizGameAnswersTable;
}
