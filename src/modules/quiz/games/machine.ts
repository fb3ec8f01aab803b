import type { GameState } from '../tables.ts';

/**
 * The live game's state machine, as pure data:
 *
 *   lobby → question → answering → reveal → leaderboard → question … → finished
 *
 * `question` shows the text with answers locked (the read time); `answering` takes answers until
 * the server's deadline. The host advances every phase (and may cut the read time or the answering
 * short); the clock ends `question` and `answering` by itself, and `answering` also ends as soon as
 * every player has answered. `finished` is final; the host may end the game from any phase.
 */

export interface Phase {
  state: GameState;
  questionIndex: number;
}

/** The phase after `from` in a game of `questionCount` questions (null after `finished`). */
export function nextPhase(from: Phase, questionCount: number): Phase | null {
  switch (from.state) {
    case 'lobby':
      return { state: 'question', questionIndex: 0 };
    case 'question':
      return { state: 'answering', questionIndex: from.questionIndex };
    case 'answering':
      return { state: 'reveal', questionIndex: from.questionIndex };
    case 'reveal':
      return { state: 'leaderboard', questionIndex: from.questionIndex };
    case 'leaderboard':
      return from.questionIndex + 1 < questionCount
        ? { state: 'question', questionIndex: from.questionIndex + 1 }
        : { state: 'finished', questionIndex: from.questionIndex };
    case 'finished':
      return null;
  }
}

/** Phases the clock ends by itself (they have a deadline). */
export const TIMED: ReadonlySet<GameState> = new Set(['question', 'answering']);
