import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldMessage, fieldName } from '../../../src/modules/blog/errors.ts';

test('validation fields become RealWorld field names', () => {
  assert.equal(fieldName('body.article.title'), 'title');
  assert.equal(fieldName('body.article.tagList.0'), 'tagList');
  assert.equal(fieldName('body.user'), 'user');
  assert.equal(fieldName('query.limit'), 'limit');
  assert.equal(fieldName('params.id'), 'id');
  assert.equal(fieldName('title'), 'title');
});

test("Ajv's messages become RealWorld's; messages we wrote pass through", () => {
  assert.equal(fieldMessage("must have required property 'title'"), "can't be blank");
  assert.equal(fieldMessage('must NOT have fewer than 1 characters'), "can't be blank");
  assert.equal(fieldMessage('must NOT have fewer than 8 characters'), 'is too short (minimum is 8 characters)');
  assert.equal(fieldMessage('must NOT have more than 300 characters'), 'is too long (maximum is 300 characters)');
  assert.equal(fieldMessage('must be <= 100'), 'must be at most 100');
  assert.equal(fieldMessage('must be >= 1'), 'must be at least 1');
  assert.equal(fieldMessage('must be integer'), 'is invalid');
  assert.equal(fieldMessage('must match format "email"'), 'is invalid');
  assert.equal(
    fieldMessage('is too common; choose a less guessable password'),
    'is too common; choose a less guessable password',
  );
});
