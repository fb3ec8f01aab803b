import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { type RealtimeMessage, WsClient, wsUrl } from '../../helpers/realtime.ts';
import { createUser } from '../../helpers/users.ts';
import { ANSWER_KEY_FIELDS, createQuiz, keysIn, QUESTIONS } from './fixtures.ts';
import { advance, answer, asPlayer, hostGame, join, type TestPlayer } from './game-helpers.ts';

/**
 * Games over the realtime layer: the host and the players follow `game:<id>`; players
 * authenticate the WebSocket with their player token. Before a reveal, no event and no state a
 * player can read carries an answer key — for every question type.
 */

const app: FastifyInstance = await buildTestApp();
await app.listen({ port: 0, host: '127.0.0.1' });
const host = await createUser(app, 'host');

async function playerSocket(player: TestPlayer): Promise<WsClient> {
  const client = new WsClient(wsUrl(app));
  await new Promise((resolve) => client.socket.once('open', resolve));
  client.send({ type: 'auth', token: player.token });
  const welcome = await client.next((m) => m.type === 'welcome');
  assert.equal(welcome.userId, player.playerId);
  const subscribed = await client.subscribe(`game:${player.gameId}`);
  assert.equal(subscribed.type, 'subscribed', JSON.stringify(subscribed));
  return client;
}

const dataOf = (message: RealtimeMessage) => message.data as Record<string, unknown>;
const keysOf = (value: unknown) => ANSWER_KEY_FIELDS.filter((field) => keysIn(value).has(field));

describe('live games over realtime', () => {
  it('players and host get every phase; nothing before a reveal carries an answer key, for any type', async () => {
    const quiz = await createQuiz(app, host);
    const game = await hostGame(app, host, quiz.id, { readSeconds: 1, answerSeconds: 30 });
    const ann = await join(app, game.code, 'Ann');
    const bob = await join(app, game.code, 'Bob');
    const [annWs, hostWs] = [await playerSocket(ann), await WsClient.open(app, host.token)];
    await hostWs.subscribe(`game:${game.id}`);
    const topic = `game:${game.id}`;

    for (let index = 0; index < game.questionCount; index++) {
      await advance(app, host, game.id, 'question');
      const shown = await annWs.next((m) => m.type === 'game.question' && m.data?.questionIndex === index);
      assert.deepEqual(keysOf(shown.data), [], JSON.stringify(shown.data));
      // Answering opens by the clock after the read time.
      const opened = await annWs.next((m) => m.type === 'game.answering' && m.data?.questionIndex === index, 5000);
      assert.deepEqual(keysOf(opened.data), [], JSON.stringify(opened.data));
      const state = (await asPlayer(app, ann)('GET', `/api/games/${game.id}/state`)).json();
      assert.equal(state.state, 'answering');
      assert.deepEqual(keysOf(state.question), [], JSON.stringify(state.question));
      assert.equal(state.reveal, null);
      assert.equal(state.question.type, Object.values(QUESTIONS)[index]?.type);
      // The host's live answer count (ephemeral), then the reveal when both have answered.
      const type = state.question.type as keyof typeof QUESTIONS;
      const sample: Record<string, unknown> = {
        single: { optionId: 'b' },
        multiple: { optionIds: ['p2'] },
        true_false: { value: true },
        short_text: { text: 'elysee' },
        numeric: { value: 3.14 },
        ordering: { order: ['mouse', 'cat', 'horse', 'whale'] },
        poll: { optionId: 'red' },
      };
      assert.equal((await answer(app, ann, index, sample[type])).statusCode, 201);
      await hostWs.next(
        (m) => m.type === 'game.answer_count' && m.data?.questionIndex === index && m.data?.answered === 1,
      );
      assert.equal((await answer(app, bob, index, sample[type])).statusCode, 201);
      const reveal = await annWs.next((m) => m.type === 'game.reveal' && m.data?.questionIndex === index);
      assert.equal((dataOf(reveal).reveal as { question: { type: string } }).question.type, type);
      const results = reveal.data?.results as Array<{ playerId: string; rank: number }>;
      assert.ok(results.some((r) => r.playerId === ann.playerId));
      await advance(app, host, game.id, 'leaderboard');
    }
    await advance(app, host, game.id, 'finished');
    const finished = await annWs.next((m) => m.type === 'game.finished');
    assert.equal((dataOf(finished).leaderboard as unknown[]).length, 2);

    // Every durable event before each reveal, as the player received them: no key anywhere.
    const events = annWs.events(topic);
    let open = true;
    for (const event of events as RealtimeMessage[]) {
      if (event.type === 'game.reveal') open = false;
      if (event.type === 'game.question') open = true;
      if (open) assert.deepEqual(keysOf(event.data), [], `${event.type}: ${JSON.stringify(event.data)}`);
    }
    // The host saw the same events (ids in order, none missing).
    const hostIds = hostWs.events(topic).map((e) => e.id);
    assert.deepEqual(
      hostIds,
      [...hostIds].sort((a, b) => (a as number) - (b as number)),
    );
    annWs.close();
    hostWs.close();
  });

  it('a player cannot follow a game they are not in', async () => {
    const quiz = await createQuiz(app, host, { questions: [QUESTIONS.poll] });
    const mine = await hostGame(app, host, quiz.id);
    const other = await hostGame(app, host, quiz.id);
    const player = await join(app, mine.code, 'Ann');
    const client = await playerSocket(player);
    const refused = await client.subscribe(`game:${other.id}`);
    assert.equal(refused.type, 'error');
    client.close();
  });
});
