import { AppError, conflict, forbidden, notFound, unprocessable } from '../../core/errors.ts';

/** The quiz module's stable error codes. */

export const quizNotFound = () => notFound('QUIZ_NOT_FOUND', 'No such quiz');
export const questionNotFound = () => notFound('QUESTION_NOT_FOUND', 'No such question in this quiz');
export const attemptNotFound = () => notFound('ATTEMPT_NOT_FOUND', 'No such attempt');
export const gameNotFound = () => notFound('GAME_NOT_FOUND', 'No such game');
export const gameCodeNotFound = () => notFound('GAME_NOT_FOUND', 'No game is waiting with this code');
export const quizEmpty = () => conflict('QUIZ_EMPTY', 'The quiz has no questions');
export const quizNotOpen = (why: string) => conflict('QUIZ_NOT_OPEN', why);
export const attemptsExhausted = (max: number) =>
  conflict('ATTEMPTS_EXHAUSTED', `This quiz allows ${max} attempt${max === 1 ? '' : 's'}`);
export const attemptSubmitted = () => conflict('ATTEMPT_SUBMITTED', 'This attempt has been submitted');
/** A late answer: 409, carrying the deadline so the client can show it. */
export const deadlinePassed = (deadline: Date) =>
  new AppError(409, 'DEADLINE_PASSED', `The deadline (${deadline.toISOString()}) has passed`);
export const wrongPhase = (state: string, wanted: string) =>
  conflict('WRONG_PHASE', `The game is in ${state}; this needs ${wanted}`);
export const alreadyAnswered = () => conflict('ALREADY_ANSWERED', 'You have answered this question');
export const nicknameTaken = () => conflict('NICKNAME_TAKEN', 'Someone in this game already has this nickname');
export const hostOnly = () => forbidden('Only the host may run the game', 'HOST_ONLY');
export const playerTokenInvalid = () => new AppError(401, 'PLAYER_TOKEN_INVALID', 'Send your player token');
export const badAnswer = (field: string, message: string) => unprocessable([{ field, message }]);
