import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { upload } from '../files/support.ts';
import { account, as, createUser, expense } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('expense receipts', () => {
  test('attach at creation or later through the files module; list; detach; the file is held while attached', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const eur = await account(app, alice);
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const receipt = (await upload(app, alice.token, png, { type: 'image/png', purpose: 'receipt' })).json();
    const second = (await upload(app, alice.token, png, { type: 'image/png', purpose: 'receipt' })).json();
    const tx = await expense(app, alice, eur.id, '9.90', '2026-05-01', { receiptIds: [receipt.id] });
    const url = `/api/expenses/transactions/${tx.id}/receipts`;
    assert.deepEqual(
      (await call('GET', url)).json().items.map((f: { id: string }) => f.id),
      [receipt.id],
    );
    assert.equal((await call('DELETE', `/api/files/${receipt.id}`)).statusCode, 409, 'held while attached');
    const attached = await call('POST', url, { fileId: second.id });
    assert.equal(attached.statusCode, 200, attached.body);
    assert.equal(attached.json().items.length, 2);
    const bobs = (await upload(app, bob.token, png, { type: 'image/png', purpose: 'receipt' })).json();
    assertProblem(await call('POST', url, { fileId: bobs.id }), 404, 'FILE_NOT_FOUND');
    assertProblem(await as(app, bob)('POST', url, { fileId: bobs.id }), 404, 'TRANSACTION_NOT_FOUND');
    assert.equal((await call('DELETE', `${url}/${second.id}`)).statusCode, 204);
    assertProblem(await call('DELETE', `${url}/${second.id}`), 404, 'RECEIPT_NOT_FOUND');
    assert.equal((await call('DELETE', `/api/expenses/transactions/${tx.id}`)).statusCode, 204);
    assert.equal((await call('DELETE', `/api/files/${receipt.id}`)).statusCode, 204, 'detached with its transaction');
  });
});
