// Runs every compiled unit spec (next to its code) and integration/e2e test (tests/) with
// Node's own test runner. Refuses to "pass" when no test file is found.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const args = process.argv.slice(2);
// --db-only: only the files whose outcome can depend on the database engine: they import the test
// database or server helpers or the persistence library, and are not marked `@engine-independent`
// (embedded by design, or a browser / stream test whose SQL is covered by e2e files that run on
// both). CI runs everything on the embedded database and these again on PostgreSQL.
const dbOnly = args.includes('--db-only');
const filter = args.filter((a) => a !== '--db-only');
const USES_DATABASE = /test-database|test-server|server-process|persistence\/src|DATABASE_URL/;

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(spec|test)\.js$/.test(entry)) out.push(full);
  }
  return out;
}

let files = ['apps', 'libs', 'tests'].flatMap((d) => {
  try {
    return walk(join(dist, d));
  } catch {
    return [];
  }
});
if (filter.length > 0) files = files.filter((f) => filter.some((needle) => f.includes(needle)));
const all = files.length;
if (dbOnly) {
  files = files.filter((f) => {
    const source = readFileSync(f, 'utf8');
    return USES_DATABASE.test(source) && !source.includes('@engine-independent');
  });
}
files.sort();
if (files.length === 0) {
  process.stderr.write('No test files found under dist/ — refusing to report success.\n');
  process.exit(1);
}
const db = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
process.stderr.write(`Running ${files.length} test files against ${db}${dbOnly ? ` (--db-only: ${all - files.length} files whose outcome does not depend on the engine run only on the embedded database)` : ''}\n`);
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
