import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The module-boundary rule, as a check over the import statements of every file under `src/`:
 * a file may import another module's code only through that module's `index.ts`. Biome's
 * `noRestrictedImports` matches the import's text, not the file it resolves to, so it cannot say
 * "another module's folder, except its index" for importers at every depth; this check resolves
 * each relative import to its file and decides on that.
 */

export interface Violation {
  /** The importing file, relative to the checked root (e.g. `src/modules/blog/users.ts`). */
  file: string;
  line: number;
  specifier: string;
  /** The file the import resolves to, relative to the checked root. */
  target: string;
}

/**
 * Imports outside `src/modules/` that are allowed to reach past an index, each for a reason:
 * the database type is the union of every module's tables (type-only), and the configuration is
 * validated before any app code loads, so it reads OAuth providers with a pure parser.
 */
const ALLOWED: { from: RegExp; to: RegExp }[] = [
  { from: /^src\/db\/schema\.ts$/, to: /^src\/modules\/[^/]+\/tables\.ts$/ },
  { from: /^src\/config\.ts$/, to: /^src\/modules\/auth\/oauth\/provider-config\.ts$/ },
];

// `import … from '…'`, `export … from '…'` (across lines), `import '…'` and `import('…')`.
const IMPORT =
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(\s*(['"])([^'"]+)\3\s*\)|\bimport\s+(['"])([^'"]+)\5/g;
// Comments go first, so an example in a comment is not read as an import.
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

/** Every relative import of a TypeScript source, with its line. */
export function importsOf(source: string): { line: number; specifier: string }[] {
  // Comments are blanked to spaces and newlines, so offsets (and so line numbers) stay put.
  const code = source.replace(COMMENT, (comment) => comment.replace(/[^\n]/g, ' '));
  const found: { line: number; specifier: string }[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const specifier = match[2] ?? match[4] ?? match[6];
    if (specifier === undefined || !specifier.startsWith('.')) continue;
    const offset = (match.index ?? 0) + match[0].lastIndexOf(specifier);
    found.push({ line: code.slice(0, offset).split('\n').length, specifier });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/modules/<name>/…` → `<name>`; anything else → null. */
function moduleOf(path: string): string | null {
  const match = /^src\/modules\/([^/]+)\//.exec(path);
  return match?.[1] ?? null;
}

/** Every import under `<root>/src` that breaks the rule. */
export function boundaryViolations(root: string): Violation[] {
  const posix = (path: string) => relative(root, path).split(sep).join('/');
  const violations: Violation[] = [];
  for (const path of sourceFiles(join(root, 'src'))) {
    const file = posix(path);
    const home = moduleOf(file);
    for (const { line, specifier } of importsOf(readFileSync(path, 'utf8'))) {
      const target = posix(resolve(dirname(path), specifier));
      const owner = moduleOf(target);
      if (owner === null || owner === home) continue;
      if (target === `src/modules/${owner}/index.ts`) continue;
      if (ALLOWED.some((rule) => rule.from.test(file) && rule.to.test(target))) continue;
      violations.push({ file, line, specifier, target });
    }
  }
  return violations;
}
