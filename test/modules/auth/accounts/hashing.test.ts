import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { hashingLoad, hashPassword } from '../../../../src/modules/auth/accounts/passwords.ts';
import { buildTestApp } from '../../../helpers/app.ts';

const app = await buildTestApp();

/**
 * argon2id (19 MiB, t=2) runs on libuv's thread pool through @node-rs/argon2. Were it on the event
 * loop, each hash would stall the loop for its whole duration and nothing else would run until
 * the hashes were done. Measured here two ways that stay true on a loaded 2-core machine.
 */

async function oneHashMs(): Promise<number> {
  await hashPassword('warm up the pool');
  const durations = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await hashPassword(`measure ${i}`);
    durations.push(performance.now() - start);
  }
  return durations.sort((a, b) => a - b)[1] ?? 0;
}

test('the event loop keeps turning while four hashes run at once', async (t) => {
  const hashMs = await oneHashMs();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const start = performance.now();
  // Two rounds of four concurrent hashes (what four simultaneous registrations do), so the window
  // holds enough samples that one scheduling hiccup on a busy machine cannot decide the result.
  for (let round = 0; round < 2; round++) {
    await Promise.all(Array.from({ length: 4 }, (_, i) => hashPassword(`concurrent ${round} ${i}`)));
  }
  const elapsed = performance.now() - start;
  histogram.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  t.diagnostic(
    `one hash ${hashMs.toFixed(1)} ms; 2×4 concurrent hashes ${elapsed.toFixed(1)} ms; event-loop delay over ` +
      `${histogram.count} samples: p50 ${ms(histogram.percentile(50))}, p90 ${ms(histogram.percentile(90))}, ` +
      `p99 ${ms(histogram.percentile(99))}, max ${ms(histogram.max)} ms`,
  );
  // On the loop, the loop would sample only between hashes, each sample at least a hash long.
  assert.ok(histogram.count >= 10, `the loop turned only ${histogram.count} times`);
  assert.ok(histogram.percentile(90) / 1e6 < hashMs, 'the loop was stalled for as long as a hash');
});

test('a liveness probe sent while four registrations hash is answered before they finish', async (t) => {
  const started = performance.now();
  let registrationsDoneAt = 0;
  const registrations = Promise.all(
    Array.from({ length: 4 }, () => {
      const suffix = randomUUID().slice(0, 8);
      return app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: `h${suffix}@example.com`, username: `h${suffix}`, password: 'a long unusual passphrase' },
      });
    }),
  ).then((responses) => {
    registrationsDoneAt = performance.now();
    return responses;
  });
  await new Promise((resolve) => setImmediate(resolve)); // the registrations are under way
  const probeSentAt = performance.now();
  const live = await app.inject({ method: 'GET', url: '/health/live' });
  const probeDoneAt = performance.now();
  const responses = await registrations;

  t.diagnostic(
    `liveness answered in ${(probeDoneAt - probeSentAt).toFixed(1)} ms; ` +
      `the 4 registrations took ${(registrationsDoneAt - started).toFixed(1)} ms`,
  );
  for (const res of responses) assert.equal(res.statusCode, 201, res.body);
  assert.equal(live.statusCode, 200);
  assert.ok(probeDoneAt < registrationsDoneAt, 'the probe waited for the hashes');
});

test('hashes beyond one per spare core wait their turn, and /metrics shows the queue', async () => {
  const { limit } = hashingLoad();
  const burst = Array.from({ length: limit + 3 }, (_, i) => hashPassword(`burst ${i}`));
  await new Promise((resolve) => setImmediate(resolve));
  const during = hashingLoad();
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  await Promise.all(burst);

  assert.equal(during.running, limit);
  assert.equal(during.queued, 3);
  assert.match(metrics, /^auth_password_hashes\{state="running"\} \d+$/m);
  assert.match(metrics, /^auth_password_hashes\{state="queued"\} [1-3]$/m);
  assert.deepEqual(hashingLoad(), { limit, running: 0, queued: 0 });
});
