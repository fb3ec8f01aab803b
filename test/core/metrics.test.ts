import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

const app = await buildTestApp(
  {},
  {
    register(app) {
      app.get('/test/things/:id', async (request) => request.params);
    },
  },
);

/** The value of one sample line, e.g. `http_requests_total{method="GET",...}`, or undefined. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((label) => l.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('GET /metrics counts requests and latency by route template, never by raw URL', async () => {
  await app.inject({ method: 'GET', url: '/test/things/1' });
  await app.inject({ method: 'GET', url: '/test/things/2?x=y' });
  await app.inject({ method: 'GET', url: '/nowhere/42' });

  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const metrics = res.body;
  const route = { method: 'GET', route: '/test/things/:id', status_code: '200' };
  assert.equal(sample(metrics, 'http_requests_total', route), 2);
  assert.equal(sample(metrics, 'http_request_duration_seconds_count', route), 2);
  assert.match(metrics, /^http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/test\/things\/:id"/m);
  assert.ok(!metrics.includes('/test/things/1'), 'a raw URL became a label');
  assert.equal(sample(metrics, 'http_requests_total', { route: 'unmatched', status_code: '404' }), 1);
  assert.ok(!metrics.includes('/nowhere'), 'an unknown path became a label');
  assert.match(metrics, /^process_cpu_seconds_total /m);
});
