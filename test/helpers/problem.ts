import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ field: string; message: string }>;
}

/**
 * Asserts `res` is an RFC 9457 problem with this status and code, carrying the request id it was
 * answered under, and returns its body for further checks.
 */
export function assertProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json(;|$)/);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, 'about:blank');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 0, 'detail is empty');
  const requestId = res.headers['x-request-id'];
  assert.equal(typeof requestId, 'string');
  assert.equal(body.requestId, requestId);
  return body;
}
