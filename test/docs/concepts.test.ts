import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const repo = new URL('../../', import.meta.url).pathname;
const concepts = readFileSync(`${repo}docs/concepts.md`, 'utf8');

// A code span that names a file or folder of this repository (not a command, a route or a header).
const PATH = /^(?:src|test|bench|docs|deploy|\.ci)\/[\w./-]*$|^[\w-]+\.(?:md|json)$/;

function namedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '');
  const links = [...markdown.matchAll(/\]\(([^)#\s]+)\)/g)].map((match) => match[1] ?? '');
  return [...new Set([...spans.filter((span) => PATH.test(span)), ...links.filter((link) => !/^\w+:/.test(link))])];
}

test('every path docs/concepts.md names exists', () => {
  const paths = namedPaths(concepts);
  assert.ok(paths.length >= 30, `only ${paths.length} paths found: is the pattern still right?`);
  assert.deepEqual(
    paths.filter((path) => !existsSync(`${repo}${path}`)),
    [],
  );
});

test('a path that does not exist is caught', () => {
  assert.deepEqual(namedPaths('see `src/core/no-such-file.ts` and `npm test`'), ['src/core/no-such-file.ts']);
});

test('every concept has a row, and each one not built yet names the issue that builds it', () => {
  const rows = new Map(
    concepts
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| concept') && !line.startsWith('|---'))
      .map((line) => [line.split('|')[1]?.trim() ?? '', line]),
  );
  const expected = [
    'REST routing',
    'Middleware (hooks and plugins)',
    'HTTP status codes',
    'Validation',
    'CRUD',
    'Relations',
    'Indexing and query plans',
    'Transactions',
    'JWT',
    'Sessions and cookies',
    'OAuth',
    'Password storage',
    'Migrations',
    'Rate limiting',
    'Caching',
    'Background jobs',
    'File uploads',
    'Realtime',
    'Testing',
    'Deployment',
    'Scaling out',
    'Git workflow',
  ];
  assert.deepEqual([...rows.keys()], expected);
  for (const [concept, row] of rows) {
    if (row.includes('**coming**')) assert.match(row, /\*\*coming\*\*: issue #\d+/, concept);
  }
});

test('the README links to the concept map', () => {
  assert.match(readFileSync(`${repo}README.md`, 'utf8'), /\]\(docs\/concepts\.md\)/);
});
