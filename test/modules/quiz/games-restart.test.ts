import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { buildTestApp, closeAtFileEnd, freshDatabaseUrl, testEnv } from '../../helpers/app.ts';
import { WsClient } from '../../helpers/realtime.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';
import { advance, answer, asPlayer, hostGame, join, waitForState } from './game-helpers.ts';

/**
 * Games survive a restart and scale out: their state and deadlines live in the database, so a
 * process that dies mid-question is replaced by one that finishes the question on time; and two
 * instances on one database serve one game, whichever instance each client talks to.
 */

// The helpers close apps and drop databases in an `after` hook registered on first use: register it
// here, at the file's top level, or it would belong to the first test and run when that one ends.
closeAtFileEnd(async () => {});

describe('a restart mid-question', () => {
  it('the new process ends the question at its deadline, with the answers given before the crash', async () => {
    // A database that outlives the app: a PostgreSQL database of its own, or PGlite in a directory.
    const serverUrl = await freshDatabaseUrl();
    const dir = serverUrl ? undefined : mkdtempSync(joinPath(tmpdir(), 'gw-quiz-restart-'));
    if (dir) after(() => rmSync(dir, { recursive: true, force: true }));
    const env: Record<string, string> = serverUrl ? { DATABASE_URL: serverUrl } : { PGLITE_DATA_DIR: dir as string };
    const start = async () => {
      const app = await buildApp(loadConfig(await testEnv(env)));
      await app.ready();
      return app;
    };

    let app: FastifyInstance = await start();
    const host = await createUser(app, 'host');
    const quiz = await createQuiz(app, host, { questions: [QUESTIONS.single, QUESTIONS.true_false] });
    const game = await hostGame(app, host, quiz.id, { readSeconds: 0, answerSeconds: 4 });
    const ann = await join(app, game.code, 'Ann');
    await join(app, game.code, 'Bob');
    await advance(app, host, game.id, 'answering');
    assert.equal((await answer(app, ann, 0, { optionId: 'b' })).statusCode, 201);
    await app.close();

    app = await start();
    try {
      // Bob never answers: only the deadline, re-armed by the new process, can end the question.
      const reveal = await waitForState(app, host, game.id, 'reveal', 20_000);
      assert.equal(reveal.reveal.answered, 1);
      const view = (await asPlayer(app, ann)('GET', `/api/games/${game.id}/state`)).json();
      assert.equal(view.me.rank, 1);
      assert.ok(view.me.lastPoints > 0);
      await advance(app, host, game.id, 'leaderboard');
      await advance(app, host, game.id, 'answering');
      await advance(app, host, game.id, 'reveal');
      await advance(app, host, game.id, 'leaderboard');
      await advance(app, host, game.id, 'finished');
      const results = (await as(app, host)('GET', `/api/games/${game.id}/results`)).json();
      assert.deepEqual(
        results.leaderboard.map((p: { nickname: string; correctCount: number }) => [p.nickname, p.correctCount]),
        [
          ['Ann', 1],
          ['Bob', 0],
        ],
      );
    } finally {
      await app.close();
    }
  });
});

const noPostgres = process.env.TEST_DATABASE_URL
  ? false
  : 'needs a PostgreSQL server (TEST_DATABASE_URL): two instances must share one database';

describe('two instances serving one game', { skip: noPostgres }, () => {
  it('players on either instance, the host on one, events and deadlines across both', async () => {
    const databaseUrl = (await freshDatabaseUrl()) as string;
    const a = await buildTestApp({ DATABASE_URL: databaseUrl, REALTIME_BROKER: 'postgres' });
    const b = await buildTestApp({ DATABASE_URL: databaseUrl, REALTIME_BROKER: 'postgres', MIGRATE_ON_START: 'false' });
    await b.listen({ port: 0, host: '127.0.0.1' });
    const host = await createUser(a, 'host');
    const quiz = await createQuiz(a, host, { questions: [QUESTIONS.single] });
    const game = await hostGame(a, host, quiz.id, { readSeconds: 0, answerSeconds: 20 });
    const players = [await join(a, game.code, 'Ann'), await join(b, game.code, 'Bob'), await join(a, game.code, 'Cy')];
    const watcher = await WsClient.open(b, host.token);
    await watcher.subscribe(`game:${game.id}`);

    await advance(a, host, game.id, 'answering');
    await watcher.next((m) => m.type === 'game.answering', 5000);
    // Answers through both instances, duplicates through both: each player counted once.
    const sent = await Promise.all(
      players.flatMap((player, i) => [
        answer(i % 2 ? b : a, player, 0, { optionId: 'b' }),
        answer(i % 2 ? a : b, player, 0, { optionId: 'b' }),
      ]),
    );
    assert.deepEqual(sent.map((r) => r.statusCode).sort(), [201, 201, 201, 409, 409, 409]);
    // The last answer (on whichever instance) ends the question; B's client hears it from A or B.
    const reveal = await watcher.next((m) => m.type === 'game.reveal', 5000);
    assert.equal(((reveal.data as Record<string, unknown>).reveal as { answered: number }).answered, 3);
    const view = await asPlayer(b, players[0] as (typeof players)[0])('GET', `/api/games/${game.id}/state`);
    assert.equal(view.json().state, 'reveal');
    watcher.close();
  });
});
