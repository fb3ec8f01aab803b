import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { boundaryViolations, importsOf } from './module-boundaries.ts';

const repo = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'gw-boundaries-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('modules import each other only through index.ts', () => {
  assert.deepEqual(boundaryViolations(repo), []);
});

test('a deep import into another module fails the check (a deliberate violation in a copy of src/)', () => {
  const copy = join(scratch, 'copy');
  cpSync(join(repo, 'src'), join(copy, 'src'), { recursive: true });
  // The blog reaching into auth's password hashing instead of going through auth's index.ts.
  const victim = join(copy, 'src/modules/blog/user-service.ts');
  assert.ok(existsSync(victim), 'the file the violation goes into is a real one');
  appendFileSync(
    victim,
    "\nimport { hashPassword } from '../auth/accounts/passwords.ts';\nexport const leak = hashPassword;\n",
  );
  const violations = boundaryViolations(copy);
  assert.equal(violations.length, 1);
  assert.deepEqual(
    { ...violations[0], line: undefined },
    {
      file: 'src/modules/blog/user-service.ts',
      line: undefined,
      specifier: '../auth/accounts/passwords.ts',
      target: 'src/modules/auth/accounts/passwords.ts',
    },
  );
});

test('type-only, re-exported, multi-line and dynamic imports count; comments and own-module imports do not', () => {
  const tree = join(scratch, 'tree');
  const write = (path: string, text: string) => {
    mkdirSync(join(tree, path, '..'), { recursive: true });
    writeFileSync(join(tree, path), text);
  };
  write('src/modules/a/index.ts', "export { inner } from './inner.ts';\n");
  write('src/modules/a/inner.ts', 'export const inner = 1;\n');
  write('src/modules/a/deeper/row.ts', 'export type Row = { id: string };\n');
  write(
    'src/modules/b/sub/uses-a.ts',
    [
      "import { inner } from '../../a/index.ts';", // allowed: the public face
      "import type { Row } from '../../a/deeper/row.ts';", // line 2: type-only, still a deep import
      'import {',
      '  inner as again,',
      "} from '../../a/inner.ts';", // line 5: multi-line
      "export { inner as third } from '../../a/inner.ts';", // line 6: re-export
      "const lazy = () => import('../../a/inner.ts');", // line 7: dynamic
      "// import { inner } from '../../a/inner.ts';", // a comment: ignored
      "import { local } from '../local.ts';", // own module
      'export type T = Row;',
      'export { again, inner, lazy, local };',
    ].join('\n'),
  );
  write('src/modules/b/local.ts', 'export const local = 2;\n');
  write('src/app.ts', "import { inner } from './modules/a/inner.ts';\nexport { inner };\n"); // line 1: outside modules
  write('src/db/schema.ts', "import type { T } from '../modules/b/tables.ts';\nexport type { T };\n"); // allowed
  const found = boundaryViolations(tree).map((v) => `${v.file}:${v.line} ${v.specifier}`);
  assert.deepEqual(found.sort(), [
    'src/app.ts:1 ./modules/a/inner.ts',
    'src/modules/b/sub/uses-a.ts:2 ../../a/deeper/row.ts',
    'src/modules/b/sub/uses-a.ts:5 ../../a/inner.ts',
    'src/modules/b/sub/uses-a.ts:6 ../../a/inner.ts',
    'src/modules/b/sub/uses-a.ts:7 ../../a/inner.ts',
  ]);
});

test('importsOf reads the specifier and line of each relative import', () => {
  assert.deepEqual(importsOf("import x from 'pkg';\n\nimport { y } from './y.ts';\n"), [
    { line: 3, specifier: './y.ts' },
  ]);
});
