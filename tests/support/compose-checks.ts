/**
 * The invariants of docker-compose.yml + docker-compose.gpu.yml + deploy/caddy/Caddyfile (issues
 * #13, #14), as a pure function over the parsed files: every problem found, as a sentence. No
 * Docker engine runs where the tests do, so tests/integration/deployment-files checks them here,
 * on the real files and on mutated copies.
 */
import { imageProblem } from './k8s-manifest-checks';

type Obj = Record<string, unknown>;

export interface ComposeFiles {
  /** docker-compose.yml, parsed with YAML merge keys (`<<`) resolved. */
  compose: Obj;
  /** docker-compose.gpu.yml, likewise. */
  gpu: Obj;
  /** deploy/caddy/Caddyfile as text. */
  caddyfile: string;
  /** Validates a Vigil process's environment the way the server would (loadConfig). */
  validateEnv?: (env: Record<string, string>) => string[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** `${VAR:?message}`: compose refuses to start while VAR is unset or empty. */
const REQUIRED = /^\$\{(\w+):\?[^}]+\}$/;
const SECRET_KEY = /PASSWORD|SECRET|TOKEN/;

/** A service's environment as a map, from either the mapping or the `KEY=value` list form. */
export function environmentOf(service: Obj): Map<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return new Map(env.map((line) => String(line)).map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  }
  return new Map(Object.entries(obj(env)).map(([k, v]) => [k, str(v) ?? '']));
}

/** The password of a `scheme://user:password@host` value, and the user. */
function credentials(value: string): { user: string; password: string } | null {
  const m = /:\/\/([^:/@\s]*):(\$\{[^}]*\}|[^@\s]+)@/.exec(value);
  return m ? { user: m[1]!, password: m[2]! } : null;
}

/** The value compose would interpolate, with every `${VAR:?…}` as a plausible secret and `${VAR:-d}` as d. */
function interpolated(value: string): string {
  return value.replace(/\$\{(\w+):\?[^}]*\}/g, 'x'.repeat(40)).replace(/\$\{(\w+):-([^}]*)\}/g, '$2');
}

const dependsOn = (service: Obj, name: string): string | undefined => {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return deps.includes(name) ? 'service_started' : undefined;
  const dep = obj(deps)[name];
  return dep === undefined ? undefined : (str(obj(dep).condition) ?? 'service_started');
};

/** Every invariant problem (an empty list: all hold). */
export function checkCompose(files: ComposeFiles): string[] {
  const problems: string[] = [];
  const services = new Map(Object.entries(obj(files.compose.services)).map(([k, v]) => [k, obj(v)]));
  const overrides = new Map(Object.entries(obj(files.gpu.services)).map(([k, v]) => [k, obj(v)]));
  const vigil = [...services].filter(([, s]) => s.build !== undefined);
  const role = (roleName: string) => vigil.filter(([, s]) => environmentOf(s).get('VIGIL_ROLES') === roleName);
  const apis = role('api');
  const workers = role('worker');

  // Secrets: only from the environment, never a default, never written into a URL.
  for (const [file, list] of [['docker-compose.yml', services], ['docker-compose.gpu.yml', overrides]] as const) {
    for (const [name, service] of list) {
      for (const [key, value] of environmentOf(service)) {
        if (SECRET_KEY.test(key) && !/^\$\{\w+:(\?[^}]+|-)\}$/.test(value)) {
          problems.push(`${file} ${name}.${key}: must come from the environment (\${VAR:?message}), not "${value}"`);
        }
        const cred = credentials(value);
        if (cred && !REQUIRED.test(cred.password)) problems.push(`${file} ${name}.${key}: the password in the URL must be \${VAR:?message}`);
        if (/\$\{\w*(PASSWORD|SECRET|TOKEN)\w*:-[^}]+\}/.test(value)) problems.push(`${file} ${name}.${key}: a secret with a default value`);
      }
    }
  }

  // Images: pulled ones pinned; every process of ours built from this Dockerfile.
  for (const [name, service] of services) {
    if (service.build !== undefined) continue;
    const problem = imageProblem(str(service.image));
    if (problem) problems.push(`docker-compose.yml ${name}: ${problem}`);
  }

  // Only the proxy is reachable from outside.
  for (const [name, service] of services) {
    if (name !== 'proxy' && service.ports !== undefined) problems.push(`docker-compose.yml ${name}: publishes a port; only the proxy may`);
    if (obj(service).network_mode === 'host') problems.push(`docker-compose.yml ${name}: host networking`);
  }

  // Database roles: the owner only in the one-shot migrate service.
  const postgres = services.get('postgres');
  const migrate = services.get('migrate');
  const owner = postgres ? environmentOf(postgres).get('POSTGRES_USER') : undefined;
  if (!postgres || !migrate) problems.push('docker-compose.yml: needs the postgres and migrate services');
  else {
    const migrateEnv = environmentOf(migrate);
    if (credentials(migrateEnv.get('VIGIL_DATABASE_OWNER_URL') ?? '')?.user !== owner) problems.push('docker-compose.yml migrate: VIGIL_DATABASE_OWNER_URL must log in as POSTGRES_USER (the owner)');
    if (str(migrate.restart) !== 'no') problems.push('docker-compose.yml migrate: a one-shot service (restart: "no")');
  }
  const appUser = migrate ? credentials(environmentOf(migrate).get('DATABASE_URL') ?? '')?.user : undefined;
  for (const [name, service] of vigil) {
    if (name === 'migrate') continue;
    const env = environmentOf(service);
    const user = credentials(env.get('DATABASE_URL') ?? '')?.user;
    if (!user) problems.push(`docker-compose.yml ${name}: no DATABASE_URL (it would open an embedded database of its own)`);
    else if (user === owner) problems.push(`docker-compose.yml ${name}: must not log in as the owner`);
    else if (user !== appUser) problems.push(`docker-compose.yml ${name}: logs in as ${user}, not the role migrate grants (${String(appUser)})`);
    if (env.has('VIGIL_DATABASE_OWNER_URL')) problems.push(`docker-compose.yml ${name}: only migrate may hold the owner's URL`);
    if (dependsOn(service, 'migrate') !== 'service_completed_successfully') problems.push(`docker-compose.yml ${name}: must start after migrate completed successfully`);
    if (!/^(api|worker)$/.test(env.get('VIGIL_ROLES') ?? '')) problems.push(`docker-compose.yml ${name}: VIGIL_ROLES must be api or worker (one role per process)`);
    if (service.read_only !== true) problems.push(`docker-compose.yml ${name}: read_only root filesystem`);
    if (!(Array.isArray(service.cap_drop) && service.cap_drop.includes('ALL'))) problems.push(`docker-compose.yml ${name}: cap_drop ALL`);
    const volumes = Array.isArray(service.volumes) ? service.volumes.map(String) : [];
    if (!volumes.includes('media:/data')) problems.push(`docker-compose.yml ${name}: every api and worker shares the media volume at /data`);
    if (files.validateEnv) {
      const plain = Object.fromEntries([...env].map(([k, v]) => [k, interpolated(v)]));
      for (const p of files.validateEnv(plain)) problems.push(`docker-compose.yml ${name}: the server would refuse its environment: ${p}`);
    }
  }
  const adminTokens = new Set(vigil.filter(([n]) => n !== 'migrate').map(([, s]) => environmentOf(s).get('VIGIL_ADMIN_TOKEN')));
  if (adminTokens.size !== 1 || adminTokens.has(undefined)) problems.push('docker-compose.yml: every api and worker needs the same VIGIL_ADMIN_TOKEN (a process started with another revokes it)');

  // Scale-out: 2 api + 2 workers, Redis with a required password between the api processes.
  if (apis.length < 2) problems.push(`docker-compose.yml: ${apis.length} api service(s); at least 2`);
  if (workers.length < 2) problems.push(`docker-compose.yml: ${workers.length} worker service(s); at least 2`);
  const names = workers.map(([, s]) => environmentOf(s).get('VIGIL_WORKER_NAME'));
  if (names.some((n) => !n) || new Set(names).size !== names.length) problems.push('docker-compose.yml: every worker needs its own VIGIL_WORKER_NAME');
  for (const [name, service] of apis) {
    if (environmentOf(service).get('VIGIL_TRUST_PROXY') !== '1') problems.push(`docker-compose.yml ${name}: VIGIL_TRUST_PROXY=1 (one proxy hop in front)`);
  }
  const redis = services.get('redis');
  if (!redis) problems.push('docker-compose.yml: no redis service');
  else {
    const password = environmentOf(redis).get('REDIS_PASSWORD') ?? '';
    const variable = REQUIRED.exec(password)?.[1];
    if (!variable) problems.push('docker-compose.yml redis: REDIS_PASSWORD must be ${VAR:?message}');
    const command = Array.isArray(redis.command) ? redis.command.map(String).join(' ') : str(redis.command) ?? '';
    if (!/--requirepass\s+"?\$\$REDIS_PASSWORD"?/.test(command)) problems.push('docker-compose.yml redis: redis-server must run with --requirepass "$$REDIS_PASSWORD"');
    if (!isObj(redis.healthcheck)) problems.push('docker-compose.yml redis: no healthcheck');
    for (const [name, service] of [...apis, ...workers]) {
      const url = environmentOf(service).get('VIGIL_REDIS_URL') ?? '';
      const cred = credentials(url);
      if (!/^redis:\/\/[^@]*@redis:6379$/.test(url) || !cred || REQUIRED.exec(cred.password)?.[1] !== variable) {
        problems.push(`docker-compose.yml ${name}: VIGIL_REDIS_URL must be redis://:\${${variable ?? 'REDIS_PASSWORD'}:?…}@redis:6379`);
      }
      if (dependsOn(service, 'redis') !== 'service_healthy') problems.push(`docker-compose.yml ${name}: must start after redis is healthy`);
    }
  }

  // The proxy: sticky cookie, health checks on /api/health, every api behind it.
  const proxy = services.get('proxy');
  if (!proxy) problems.push('docker-compose.yml: no proxy service');
  else {
    if (!Array.isArray(proxy.ports) || proxy.ports.length === 0) problems.push('docker-compose.yml proxy: publishes no port');
    const volumes = Array.isArray(proxy.volumes) ? proxy.volumes.map(String) : [];
    if (!volumes.some((v) => v.startsWith('./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile'))) problems.push('docker-compose.yml proxy: mounts deploy/caddy/Caddyfile');
  }
  const caddy = files.caddyfile.replace(/#.*$/gm, '');
  const upstreams = /reverse_proxy\s+([^{\n]+)\{/.exec(caddy)?.[1]?.trim().split(/\s+/) ?? [];
  for (const [name] of apis) {
    if (!upstreams.includes(`${name}:3000`)) problems.push(`Caddyfile: reverse_proxy must list ${name}:3000`);
  }
  for (const upstream of upstreams) {
    if (!apis.some(([name]) => upstream === `${name}:3000`)) problems.push(`Caddyfile: upstream ${upstream} is no api service`);
  }
  if (!/^\s*lb_policy\s+cookie\b/m.test(caddy)) problems.push('Caddyfile: sticky sessions need lb_policy cookie');
  if (!/^\s*health_uri\s+\/api\/health\s*$/m.test(caddy)) problems.push('Caddyfile: active health checks on /api/health (health_uri)');

  // GPU override: the workers, and only they, on the GPU image with a device.
  for (const [name, override] of overrides) {
    if (workers.some(([n]) => n === name)) continue;
    if (str(obj(override.build).target) === 'gpu' || override.deploy !== undefined) problems.push(`docker-compose.gpu.yml ${name}: only workers get the GPU image and a device`);
  }
  for (const [name] of workers) {
    const override = overrides.get(name);
    if (!override) {
      problems.push(`docker-compose.gpu.yml: no override for ${name}`);
      continue;
    }
    if (str(obj(override.build).target) !== 'gpu') problems.push(`docker-compose.gpu.yml ${name}: build target gpu`);
    if (environmentOf(override).get('VIGIL_TF_BACKEND') !== 'tensorflow-gpu') problems.push(`docker-compose.gpu.yml ${name}: VIGIL_TF_BACKEND=tensorflow-gpu`);
    const devices = obj(obj(obj(override.deploy).resources).reservations).devices;
    const nvidia = Array.isArray(devices) && devices.some((d) => obj(d).driver === 'nvidia' && Array.isArray(obj(d).capabilities) && (obj(d).capabilities as unknown[]).includes('gpu'));
    if (!nvidia) problems.push(`docker-compose.gpu.yml ${name}: reserves an NVIDIA device (deploy.resources.reservations.devices)`);
  }
  return problems;
}
