// Builds when dist/ is missing or older than any source (the server's TypeScript and the web
// consoles' .tsx/.css/.html alike), so `npm ci && npm start` and `npm test` work on a fresh
// clone without a separate build step, and cost nothing otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['apps', 'libs', 'migrations', 'tests', 'bench', 'tsconfig.json', 'package-lock.json'];
const SOURCE = /\.(ts|tsx|json|css|html|svg|mjs)$/;

function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return SOURCE.test(path) ? st.mtimeMs : 0;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  built = 0;
}
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));
// A build from before the web consoles existed has a stamp but no dist/web.
if (built !== 0 && !existsSync(join(root, 'dist', 'web', 'index.html'))) built = 0;
if (built === 0 || sources > built) {
  process.stderr.write(built === 0 ? 'Building Vigil (first run)…\n' : 'Sources changed; rebuilding…\n');
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
