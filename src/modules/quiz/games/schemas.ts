import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../../core/schemas.ts';
import { Answer, PlayerQuestion, QuestionBody } from '../questions/schemas.ts';

/** Live games: the host's commands, the players' joins and answers, and the state both read. */

export const GameStateEnum = Type.Enum(['lobby', 'question', 'answering', 'reveal', 'leaderboard', 'finished']);

export const CreateGame = Type.Object(
  {
    quizId: Id,
    readSeconds: Type.Integer({ minimum: 0, maximum: 60, default: 3, description: 'Question shown, answers locked' }),
    answerSeconds: Type.Integer({ minimum: 3, maximum: 600, default: 20 }),
    speedScoring: Type.Boolean({ default: true, description: 'Faster right answers earn more (never under half)' }),
    streakBonus: Type.Boolean({ default: false, description: '+100 per right answer in a row before, up to +500' }),
  },
  { additionalProperties: false },
);
export type CreateGame = Static<typeof CreateGame>;

export const Game = Type.Object({
  id: Id,
  quizId: Id,
  code: Type.String({ description: 'Six digits players join with (while the game is not finished)' }),
  state: GameStateEnum,
  questionIndex: Type.Integer({ description: '-1 in the lobby' }),
  questionCount: Type.Integer(),
  readSeconds: Type.Integer(),
  answerSeconds: Type.Integer(),
  speedScoring: Type.Boolean(),
  streakBonus: Type.Boolean(),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export type GameDto = Static<typeof Game>;

export const JoinGame = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9]{6}$' }),
    nickname: Type.String({ minLength: 1, maxLength: 30, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export const Joined = Type.Object({
  gameId: Id,
  playerId: Id,
  nickname: Type.String(),
  token: Type.String({ description: 'Send as `X-Player-Token` (and in the realtime `auth` message); shown once' }),
});

export const SubmitAnswer = Type.Object(
  { questionIndex: Type.Integer({ minimum: 0 }), answer: Answer },
  { additionalProperties: false },
);
export const AnswerAck = Type.Object({
  questionIndex: Type.Integer(),
  answeredAt: Timestamp,
  elapsedMs: Type.Integer({ description: 'From the start of the answering window, by the server’s clock' }),
});

export const LeaderboardEntry = Type.Object({
  rank: Type.Integer(),
  playerId: Id,
  nickname: Type.String(),
  score: Type.Integer(),
  correctCount: Type.Integer(),
  totalTimeMs: Type.Integer(),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntry>;

export const Reveal = Type.Object({
  question: QuestionBody,
  distribution: Type.Record(Type.String(), Type.Integer(), {
    description: 'How many chose each option (choice questions), or each distinct answer',
  }),
  answered: Type.Integer(),
});

export const GameView = Type.Object({
  id: Id,
  state: GameStateEnum,
  questionIndex: Type.Integer(),
  questionCount: Type.Integer(),
  phaseEndsAt: Nullable(Timestamp),
  serverTime: Timestamp,
  playerCount: Type.Integer(),
  question: Nullable(PlayerQuestion),
  reveal: Nullable(Reveal),
  leaderboard: Type.Array(LeaderboardEntry, { description: 'The top 10 from the reveal on; everyone once finished' }),
  me: Nullable(
    Type.Object({
      playerId: Id,
      nickname: Type.String(),
      score: Type.Integer(),
      rank: Type.Integer(),
      answered: Type.Boolean({ description: 'Whether you have answered the current question' }),
      lastPoints: Nullable(Type.Integer({ description: 'From the reveal on: what the current question earned you' })),
    }),
  ),
});
export type GameViewDto = Static<typeof GameView>;

export const GameResults = Type.Object({
  game: Game,
  leaderboard: Type.Array(LeaderboardEntry),
  answers: Type.Array(
    Type.Object({
      playerId: Id,
      questionIndex: Type.Integer(),
      answer: Answer,
      fraction: Nullable(Type.Number()),
      points: Type.Integer(),
      elapsedMs: Type.Integer(),
    }),
  ),
});

export const GameParams = Type.Object({ id: Id });
export const PlayerHeaders = Type.Object({
  'x-player-token': Type.Optional(Type.String({ maxLength: 100, description: 'The token joining gave you' })),
});
