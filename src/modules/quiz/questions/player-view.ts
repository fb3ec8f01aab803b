import { seededOrder } from '../shuffle.ts';
import type { PlayerQuestion, QuestionBody } from './schemas.ts';

/**
 * A question as a player sees it before the answers are revealed: the prompt and what to choose
 * from, never a correct flag, fraction, accepted text, number, tolerance or the right order.
 * Built field by field (never by deleting from the author's shape), so a field added to a question
 * type later stays hidden until it is added here on purpose.
 *
 * Ordering items are always shuffled (their stored order is the answer); options are shuffled when
 * `shuffleOptions` is set. Both follow `seed`, so the same attempt or game always shows one order.
 */
export function playerView(id: string, question: QuestionBody, seed: string, shuffleOptions: boolean): PlayerQuestion {
  const view: PlayerQuestion = {
    id,
    type: question.type,
    prompt: question.prompt,
    points: question.points ?? 1,
    imageFileId: question.imageFileId ?? null,
  };
  const plain = (list: ReadonlyArray<{ id: string; text: string }>) =>
    list.map(({ id: key, text }) => ({ id: key, text }));
  switch (question.type) {
    case 'single':
    case 'multiple':
    case 'poll': {
      const options = plain(question.options);
      view.options = shuffleOptions ? seededOrder(seed, `options:${id}`, options, (o) => o.id) : options;
      break;
    }
    case 'ordering':
      view.items = seededOrder(seed, `items:${id}`, plain(question.items), (item) => item.id);
      break;
    default:
      break;
  }
  return view;
}
