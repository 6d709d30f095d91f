import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The deployment files' security invariants (issue #13, "Deployment defaults"), read as text:
 * no Docker engine runs where the tests do. The image runs unprivileged, compose ships no
 * password, no unused Redis, the two database roles, no .env in the build context, and the web
 * build ships no source maps (tests/e2e/web-static checks the server serves none either).
 */
const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Dockerfile stages by name, each with its instructions (continuation lines joined). */
function stages(dockerfile: string): Map<string, string[]> {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.set(from[1] ?? `stage${result.size}`, (current = []));
    current.push(line);
  }
  return result;
}

/** Top-level services of a compose file, each with its indented block of text. */
function services(compose: string): Map<string, string> {
  const block = /^services:\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(compose)?.[1] ?? '';
  const result = new Map<string, string>();
  for (const part of block.split(/^(?= {2}[\w-]+:\s*$)/m)) {
    const name = /^ {2}([\w-]+):/.exec(part)?.[1];
    if (name) result.set(name, part);
  }
  return result;
}

/** `KEY: value` pairs under a service's `environment:` mapping. */
function environment(service: string): Map<string, string> {
  const block = /^ {4}environment:\n((?: {6}.*\n?|\s*#.*\n?)*)/m.exec(service)?.[1] ?? '';
  return new Map([...block.matchAll(/^ {6}([A-Z_]+):\s*(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** A .dockerignore pattern as a RegExp: `*` within a name, `**` across folders. */
function ignores(patterns: string[], file: string): boolean {
  return patterns.some((p) => {
    const re = p
      .split('/')
      .map((seg) => (seg === '**' ? '(?:.*/)?' : `${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`))
      .join('');
    return new RegExp(`^${re.replace(/\/$/, '')}(?:/.*)?$`).test(file);
  });
}

describe('deployment files keep their security invariants', () => {
  it('every runtime image stage ends as a numeric non-root user; the code is root-owned, only /data is the user\'s', () => {
    const all = stages(read('Dockerfile'));
    for (const name of ['cpu', 'gpu']) {
      const stage = all.get(name);
      assert.ok(stage, `Dockerfile stage ${name}`);
      const users = stage.filter((l) => /^USER\s/i.test(l));
      const last = users.at(-1);
      assert.ok(last, `stage ${name}: no USER, so it runs as root`);
      const uid = /^USER\s+(\d+)(?::(\d+))?$/i.exec(last);
      assert.ok(uid, `stage ${name}: "${last}" must name a numeric uid (runAsNonRoot checks numbers)`);
      assert.notEqual(Number(uid[1]), 0, `stage ${name} runs as root`);
      assert.ok(stage.indexOf(last) > stage.findLastIndex((l) => /^(COPY|ADD|RUN)\s/i.test(l)), `stage ${name}: USER must follow the last COPY/RUN`);
      for (const line of stage.filter((l) => /^(COPY|ADD)\s/i.test(l))) {
        assert.doesNotMatch(line, /--chown|--chmod/, `stage ${name}: "${line}" would give the code to the runtime user`);
      }
      const chowns = stage.filter((l) => /\bchown\b/.test(l)).flatMap((l) => [...l.matchAll(/chown\s+(?:-\S+\s+)*\S+\s+(\S+)/g)].map((m) => m[1]));
      assert.deepEqual(chowns, ['/data'], `stage ${name}: only /data may belong to the runtime user`);
      assert.ok(!stage.some((l) => /chmod\s+(-R\s+)?(0?777|a\+w|o\+w)/.test(l)), `stage ${name}: nothing world-writable`);
    }
  });

  it('compose ships no password, no Redis, and runs the server as the application role, not the owner', () => {
    for (const file of ['docker-compose.yml', 'docker-compose.gpu.yml']) {
      const text = read(file);
      assert.doesNotMatch(text, /redis/i, `${file}: no Redis until a feature uses it (and then with a password)`);
      for (const [name, service] of services(text)) {
        for (const [key, value] of environment(service)) {
          if (/PASSWORD|SECRET|TOKEN/.test(key)) {
            assert.match(value, /^\$\{\w+:(\?.+|-)\}$/, `${file} ${name}.${key}: must come from the environment (\${VAR:?message}), not "${value}"`);
          }
          const credentials = /:\/\/[^:/@\s]+:([^@\s]+)@/.exec(value);
          if (credentials) {
            assert.match(credentials[1]!, /^\$\{\w+:\?[^}]+\}$/, `${file} ${name}.${key}: the password in the URL must be \${VAR:?message}`);
          }
        }
      }
      assert.doesNotMatch(text, /\$\{\w*(PASSWORD|SECRET|TOKEN)\w*:-[^}]+\}/, `${file}: a secret with a default value`);
    }
    const compose = services(read('docker-compose.yml'));
    const postgres = environment(compose.get('postgres')!);
    const server = environment(compose.get('server')!);
    const migrate = environment(compose.get('migrate')!);
    const user = (url: string | undefined) => /:\/\/([^:@/]+)/.exec(url ?? '')?.[1];
    assert.equal(user(migrate.get('VIGIL_DATABASE_OWNER_URL')), postgres.get('POSTGRES_USER'), 'migrate runs as the owner');
    assert.equal(user(migrate.get('DATABASE_URL')), user(server.get('DATABASE_URL')), 'and grants the role the server uses');
    assert.notEqual(user(server.get('DATABASE_URL')), postgres.get('POSTGRES_USER'), 'the server must not log in as the owner');
    assert.equal(server.get('VIGIL_DATABASE_OWNER_URL'), undefined, 'the server never holds the owner password');
    assert.match(compose.get('server')!, /migrate:\s*\n\s*condition: service_completed_successfully/);
    assert.match(compose.get('postgres')!, /\.\/deploy\/postgres\/initdb:\/docker-entrypoint-initdb\.d/);
    const init = read('deploy/postgres/initdb/10-vigil-app-role.sh');
    assert.match(init, new RegExp(`CREATE ROLE ${user(server.get('DATABASE_URL'))} LOGIN NOSUPERUSER`), 'the init script creates the server role, unprivileged');
    assert.ok((statSync(path.join(root, 'deploy/postgres/initdb/10-vigil-app-role.sh')).mode & 0o111) !== 0, 'the init script is executable');
  });

  it('.dockerignore keeps every .env file out of the build context', () => {
    const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const file of ['.env', '.env.local', '.env.production', 'apps/server/.env', 'deploy/.env.prod']) {
      assert.ok(ignores(patterns, file), `${file} would be sent to the Docker build (and COPY . . puts it in a layer)`);
    }
    assert.ok(!ignores(patterns, 'apps/server/src/main.ts'), 'the sources are still sent');
  });

  it('the web consoles are built without source maps', () => {
    const vite = read('apps/web/vite.config.mjs');
    assert.match(vite, /^\s*sourcemap:\s*false,/m, 'apps/web/vite.config.mjs: build.sourcemap must be false');
  });
});
