// Runs every compiled unit spec (next to its code) and integration/e2e test (tests/) with
// Node's own test runner. Refuses to "pass" when no test file is found.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const filter = process.argv.slice(2);

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
files.sort();
if (files.length === 0) {
  process.stderr.write('No test files found under dist/ — refusing to report success.\n');
  process.exit(1);
}
const db = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
process.stderr.write(`Running ${files.length} test files against ${db}\n`);
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
