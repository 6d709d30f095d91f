// @engine-independent: reads the deployment files; no database
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateEnv } from '../support/env-validation';
import { checkCompose, environmentOf } from '../support/compose-checks';

/**
 * The deployment files' invariants (issues #13 "Deployment defaults" and #14 scale-out), read as
 * files: no Docker engine runs where the tests do. The image runs unprivileged; compose runs 2 api +
 * 2 workers behind a sticky proxy with Redis, ships no password, keeps the two database roles and
 * pins its images (tests/support/compose-checks, shown to fail on mutated copies); no .env in the
 * build context; the web build ships no source maps (tests/e2e/web-static checks the server serves
 * none either). The Kubernetes manifests: tests/integration/deployment-manifests.
 */
const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The compose files as compose reads them (YAML merge keys resolved), and the Caddyfile. */
function composeFiles() {
  return {
    compose: parse(read('docker-compose.yml'), { merge: true }) as Record<string, unknown>,
    gpu: parse(read('docker-compose.gpu.yml'), { merge: true }) as Record<string, unknown>,
    caddyfile: read('deploy/caddy/Caddyfile'),
    validateEnv,
  };
}


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

  it('compose: 2 api + 2 workers behind a sticky proxy, Redis with a required password, pinned images, no secret defaults, two database roles', () => {
    const problems = checkCompose(composeFiles());
    assert.deepEqual(problems, []);
    const compose = composeFiles().compose as { services: Record<string, { volumes?: string[] }> };
    assert.ok(compose.services.postgres?.volumes?.includes('./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro'), 'postgres runs the init script');
    const init = read('deploy/postgres/initdb/10-vigil-app-role.sh');
    const appUser = /postgres:\/\/([^:]+):/.exec(environmentOf(compose.services['api-1'] as Record<string, unknown>).get('DATABASE_URL') ?? '')?.[1];
    assert.match(init, new RegExp(`CREATE ROLE ${appUser} LOGIN NOSUPERUSER`), 'the init script creates the server role, unprivileged');
    assert.ok((statSync(path.join(root, 'deploy/postgres/initdb/10-vigil-app-role.sh')).mode & 0o111) !== 0, 'the init script is executable');
  });

  describe('each compose invariant can fail', () => {
    type Files = ReturnType<typeof composeFiles> & { compose: any; gpu: any };
    const MUTATIONS: { name: string; mutate: (f: Files) => void; expect: RegExp }[] = [
      { name: 'a password with a default', mutate: (f) => (f.compose.services['api-1'].environment.VIGIL_ADMIN_TOKEN = '${VIGIL_ADMIN_TOKEN:-changeme}'), expect: /api-1\.VIGIL_ADMIN_TOKEN: must come from the environment/ },
      { name: 'a password written into a URL', mutate: (f) => (f.compose.services['worker-1'].environment.DATABASE_URL = 'postgres://vigil_app:hunter2@postgres:5432/vigil'), expect: /worker-1\.DATABASE_URL: the password in the URL/ },
      { name: 'Redis without a password', mutate: (f) => (f.compose.services.redis.command = ['redis-server']), expect: /redis: redis-server must run with --requirepass/ },
      { name: 'the Redis password optional', mutate: (f) => (f.compose.services.redis.environment.REDIS_PASSWORD = '${REDIS_PASSWORD:-}'), expect: /redis: REDIS_PASSWORD must be/ },
      { name: 'Redis published', mutate: (f) => (f.compose.services.redis.ports = ['6379:6379']), expect: /redis: publishes a port/ },
      { name: 'an api published past the proxy', mutate: (f) => (f.compose.services['api-2'].ports = ['3000:3000']), expect: /api-2: publishes a port/ },
      { name: 'an api without Redis', mutate: (f) => delete f.compose.services['api-2'].environment.VIGIL_REDIS_URL, expect: /api-2: VIGIL_REDIS_URL must be/ },
      { name: 'a floating image tag', mutate: (f) => (f.compose.services.postgres.image = 'postgres:15'), expect: /postgres: image "postgres:15" has a floating tag/ },
      { name: 'image latest', mutate: (f) => (f.compose.services.proxy.image = 'caddy:latest'), expect: /proxy: image "caddy:latest" is not pinned/ },
      { name: 'one api', mutate: (f) => delete f.compose.services['api-2'], expect: /1 api service\(s\); at least 2/ },
      { name: 'one worker', mutate: (f) => delete f.compose.services['worker-2'], expect: /1 worker service\(s\); at least 2/ },
      { name: 'two workers with one name', mutate: (f) => (f.compose.services['worker-2'].environment.VIGIL_WORKER_NAME = 'worker-1'), expect: /every worker needs its own VIGIL_WORKER_NAME/ },
      { name: 'a process with both roles', mutate: (f) => (f.compose.services['worker-2'].environment.VIGIL_ROLES = 'api,worker'), expect: /worker-2: VIGIL_ROLES must be api or worker/ },
      { name: 'a typo in a VIGIL_ variable', mutate: (f) => (f.compose.services['worker-2'].environment.VIGIL_LEASE_TTL = '10'), expect: /worker-2: the server would refuse its environment: VIGIL_LEASE_TTL: unknown variable/ },
      { name: 'the owner URL on a worker', mutate: (f) => (f.compose.services['worker-1'].environment.VIGIL_DATABASE_OWNER_URL = f.compose.services.migrate.environment.VIGIL_DATABASE_OWNER_URL), expect: /worker-1: only migrate may hold the owner's URL/ },
      { name: 'an api as the owner', mutate: (f) => (f.compose.services['api-1'].environment.DATABASE_URL = 'postgres://vigil:${POSTGRES_PASSWORD:?x}@postgres:5432/vigil'), expect: /api-1: must not log in as the owner/ },
      { name: 'a worker before the migration', mutate: (f) => delete f.compose.services['worker-1'].depends_on.migrate, expect: /worker-1: must start after migrate completed/ },
      { name: 'admin tokens that differ', mutate: (f) => (f.compose.services['worker-2'].environment.VIGIL_ADMIN_TOKEN = '${WORKER_ADMIN_TOKEN:?x}'), expect: /the same VIGIL_ADMIN_TOKEN/ },
      { name: 'an api not behind the proxy', mutate: (f) => (f.caddyfile = f.caddyfile.replace(' api-2:3000', '')), expect: /Caddyfile: reverse_proxy must list api-2:3000/ },
      { name: 'no sticky cookie', mutate: (f) => (f.caddyfile = f.caddyfile.replace('lb_policy cookie vigil_lb', 'lb_policy round_robin')), expect: /Caddyfile: sticky sessions need lb_policy cookie/ },
      { name: 'no health checks', mutate: (f) => (f.caddyfile = f.caddyfile.replace('health_uri /api/health', 'health_uri /')), expect: /Caddyfile: active health checks on \/api\/health/ },
      { name: 'api without trust proxy', mutate: (f) => delete f.compose.services['api-1'].environment.VIGIL_TRUST_PROXY, expect: /api-1: VIGIL_TRUST_PROXY=1/ },
      { name: 'a writable root filesystem', mutate: (f) => delete f.compose.services['worker-2'].read_only, expect: /worker-2: read_only/ },
      { name: 'a worker without the shared media volume', mutate: (f) => (f.compose.services['worker-2'].volumes = []), expect: /worker-2: every api and worker shares the media volume/ },
      { name: 'GPU override without a device', mutate: (f) => delete f.gpu.services['worker-2'].deploy, expect: /docker-compose\.gpu\.yml worker-2: reserves an NVIDIA device/ },
      { name: 'GPU override on the CPU backend', mutate: (f) => (f.gpu.services['worker-1'].environment.VIGIL_TF_BACKEND = 'tensorflow'), expect: /docker-compose\.gpu\.yml worker-1: VIGIL_TF_BACKEND=tensorflow-gpu/ },
      { name: 'GPU image for an api', mutate: (f) => (f.gpu.services['api-1'] = { build: { target: 'gpu' } }), expect: /docker-compose\.gpu\.yml api-1: only workers get the GPU image/ },
    ];
    for (const m of MUTATIONS) {
      it(m.name, () => {
        const files = composeFiles() as Files;
        m.mutate(files);
        const problems = checkCompose(files);
        assert.ok(problems.some((p) => m.expect.test(p)), `expected a problem matching ${m.expect}, got:\n  ${problems.join('\n  ') || '(none)'}`);
      });
    }
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
