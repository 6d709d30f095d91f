/**
 * The invariants of Vigil's rendered Kubernetes manifests (deploy/k8s, issue #14), as a pure
 * function over parsed YAML documents: every problem found, as a sentence naming the object.
 * tests/integration/deployment-manifests renders each overlay with kustomize and expects none, and
 * feeds it mutated copies to show each check can fail.
 */

type Obj = Record<string, unknown>;

export interface ManifestCheckOptions {
  /** The GPU overlay: workers request nvidia.com/gpu and use the tensorflow-gpu backend; else none may. */
  gpu: boolean;
  /**
   * Validates a Vigil container's environment the way the server would (loadConfig): values from
   * Secrets and the downward API arrive as plausible placeholders. Returns the problems, if any.
   */
  validateEnv?: (env: Record<string, string>) => string[];
}

/** Env var names whose value is a secret: these must come from a Secret (secretKeyRef). */
export const SECRET_ENV_NAME = /PASSWORD|TOKEN|SECRET|DATABASE_URL|DATABASE_OWNER_URL|REDIS_URL/;
/** The pods that run Vigil itself (the image's server or CLI), by app.kubernetes.io/component. */
export const VIGIL_COMPONENTS = new Set(['api', 'worker', 'migrate']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const HEALTH_PATH = '/api/health';
const RUN_AS_USER = 10001;
const GPU = 'nvidia.com/gpu';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

interface Workload {
  kind: string;
  name: string;
  /** `Deployment/vigil-api` */
  ref: string;
  component: string | undefined;
  labels: Obj;
  replicas: number | undefined;
  pod: Obj;
  isJob: boolean;
}

function workloads(docs: Obj[]): Workload[] {
  const result: Workload[] = [];
  for (const doc of docs) {
    const kind = str(doc.kind) ?? '';
    if (!WORKLOAD_KINDS.has(kind)) continue;
    const name = str(obj(doc.metadata).name) ?? '?';
    let template: Obj;
    if (kind === 'Pod') template = doc;
    else if (kind === 'CronJob') template = obj(obj(obj(obj(doc.spec).jobTemplate).spec).template);
    else template = obj(obj(doc.spec).template);
    const labels = obj(obj(template.metadata).labels);
    result.push({
      kind,
      name,
      ref: `${kind}/${name}`,
      component: str(labels['app.kubernetes.io/component']),
      labels,
      replicas: kind === 'Deployment' || kind === 'StatefulSet' ? (typeof obj(doc.spec).replicas === 'number' ? (obj(doc.spec).replicas as number) : 1) : undefined,
      pod: obj(template.spec),
      isJob: kind === 'Job' || kind === 'CronJob',
    });
  }
  return result;
}

/** `repo/name:tag` or `…@sha256:…`: pinned when the tag names a version (`7.4.7-alpine`, `0.1.0-gpu`), not `latest`, `7` or none. */
export function imageProblem(image: string | undefined): string | null {
  if (!image) return 'has no image';
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return null;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return `image "${image}" has no tag (pin a version or a digest)`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '' || tag === 'latest') return `image "${image}" is not pinned (tag "${tag}")`;
  if (!/\d+\.\d+/.test(tag)) return `image "${image}" has a floating tag "${tag}" (pin major.minor at least, or a digest)`;
  return null;
}

/** A URL with a literal password in it (`scheme://user:password@`), unless the password is a `$(VAR)` reference. */
function literalCredential(text: string): boolean {
  const m = /:\/\/[^/:@\s]*:([^@\s]+)@/.exec(text);
  return !!m && !/^\$\([A-Z_][A-Z0-9_]*\)$/.test(m[1]!);
}

function probeProblems(where: string, c: Obj, vigil: boolean): string[] {
  const problems: string[] = [];
  for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
    const p = c[probe];
    if (!isObj(p)) {
      problems.push(`${where}: no ${probe}`);
      continue;
    }
    if (vigil && str(obj(p.httpGet).path) !== HEALTH_PATH) problems.push(`${where}: ${probe} must be an httpGet on ${HEALTH_PATH}`);
  }
  if (vigil && isObj(c.startupProbe) && str(obj(c.startupProbe.httpGet).path) !== HEALTH_PATH) problems.push(`${where}: startupProbe must be an httpGet on ${HEALTH_PATH}`);
  return problems;
}

function resourceProblems(where: string, c: Obj): string[] {
  const problems: string[] = [];
  const resources = obj(c.resources);
  for (const section of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) {
      if (str(obj(resources[section])[resource]) === undefined) problems.push(`${where}: no resources.${section}.${resource}`);
    }
  }
  return problems;
}

function securityProblems(where: string, c: Obj, pod: Obj, vigil: boolean): string[] {
  const problems: string[] = [];
  const sc = obj(c.securityContext);
  const podSc = obj(pod.securityContext);
  if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot must be true`);
  if (sc.runAsNonRoot === false) problems.push(`${where}: runAsNonRoot must be true`);
  const uid = sc.runAsUser ?? podSc.runAsUser;
  if (uid === 0) problems.push(`${where}: runs as uid 0`);
  if (vigil && uid !== RUN_AS_USER) problems.push(`${where}: must run as uid ${RUN_AS_USER} (the image's user), not ${String(uid)}`);
  if (sc.privileged === true) problems.push(`${where}: privileged`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  const drop = arr(obj(sc.capabilities).drop).map(str);
  if (!drop.includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  if (arr(obj(sc.capabilities).add).length > 0) problems.push(`${where}: adds capabilities`);
  if (vigil && sc.readOnlyRootFilesystem === true) {
    const mounts = new Set(arr(c.volumeMounts).map((m) => str(obj(m).mountPath)));
    for (const path of ['/tmp', '/data']) {
      if (!mounts.has(path)) problems.push(`${where}: read-only root filesystem but nothing writable mounted at ${path}`);
    }
  }
  return problems;
}

/** Env vars and args: secrets only through secretKeyRef, no credential written into a URL or flag. */
function secretProblems(where: string, c: Obj): string[] {
  const problems: string[] = [];
  for (const e of arr(c.env)) {
    const name = str(obj(e).name) ?? '?';
    const value = obj(e).value;
    const from = obj(obj(e).valueFrom);
    if (SECRET_ENV_NAME.test(name)) {
      if (value !== undefined) problems.push(`${where}: env ${name} has a literal value; take it from a Secret (valueFrom.secretKeyRef)`);
      else if (!isObj(from.secretKeyRef)) problems.push(`${where}: env ${name} must come from a Secret (valueFrom.secretKeyRef)`);
    }
    if (typeof value === 'string' && literalCredential(value)) problems.push(`${where}: env ${name} holds a URL with a password`);
  }
  for (const e of arr(c.envFrom)) {
    if (isObj(obj(e).configMapRef)) problems.push(`${where}: envFrom a ConfigMap could carry secrets past these checks; list the variables`);
  }
  const words = [...arr(c.command), ...arr(c.args)].map((w) => str(w) ?? '');
  words.forEach((w, i) => {
    if (literalCredential(w)) problems.push(`${where}: command/args hold a URL with a password`);
    if (/^--?(requirepass|password|pass|token)$/i.test(w) && !/^\$\([A-Z_][A-Z0-9_]*\)$/.test(words[i + 1] ?? '')) {
      problems.push(`${where}: command/args pass ${w} a literal; use $(VAR) from a secretKeyRef env var`);
    }
  });
  return problems;
}

function envOf(c: Obj): Map<string, Obj> {
  return new Map(arr(c.env).map((e) => [str(obj(e).name) ?? '?', obj(e)]));
}

/** The environment as a process would see it, with placeholders for values from Secrets and the downward API. */
function placeholderEnv(c: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, e] of envOf(c)) {
    if (e.value !== undefined) env[name] = str(e.value) ?? '';
    else if (isObj(obj(e.valueFrom).fieldRef)) env[name] = 'vigil-worker-5d9c7b8f6d-x2x7q';
    else if (isObj(obj(e.valueFrom).secretKeyRef)) {
      env[name] = /DATABASE/.test(name) ? 'postgres://role:secret@db.example.internal:5432/vigil'
        : /REDIS_URL/.test(name) ? 'redis://:secret@redis:6379'
        : 'x'.repeat(48);
    }
  }
  return env;
}

function roleProblems(w: Workload, c: Obj, opts: ManifestCheckOptions): string[] {
  const problems: string[] = [];
  const where = `${w.ref} container ${str(c.name) ?? '?'}`;
  const env = envOf(c);
  const roles = str(env.get('VIGIL_ROLES')?.value);
  if (w.component === 'migrate') {
    if (!env.has('VIGIL_DATABASE_OWNER_URL')) problems.push(`${where}: the migration runs as the schema owner (VIGIL_DATABASE_OWNER_URL)`);
  } else if (env.has('VIGIL_DATABASE_OWNER_URL')) {
    problems.push(`${where}: only the migration Job may hold the owner's URL (VIGIL_DATABASE_OWNER_URL)`);
  }
  if (w.component === 'api' || w.component === 'worker') {
    if (roles !== w.component) problems.push(`${where}: VIGIL_ROLES must be "${w.component}", not ${roles === undefined ? 'unset' : `"${roles}"`}`);
    if (!env.has('DATABASE_URL')) problems.push(`${where}: no DATABASE_URL (the pod would open an embedded database of its own)`);
  }
  if (w.component === 'api' && (w.replicas ?? 1) > 1 && !env.has('VIGIL_REDIS_URL')) {
    problems.push(`${where}: ${w.replicas} api replicas need VIGIL_REDIS_URL to share consoles`);
  }
  if (w.component === 'worker') {
    const name = env.get('VIGIL_WORKER_NAME');
    if (!name || str(obj(obj(name.valueFrom).fieldRef).fieldPath) !== 'metadata.name') {
      problems.push(`${where}: VIGIL_WORKER_NAME must be the pod's name (fieldRef metadata.name), unique per replica`);
    }
  }
  const gpuLimit = str(obj(obj(c.resources).limits)[GPU]);
  const gpuRequest = str(obj(obj(c.resources).requests)[GPU]);
  const hasGpu = (gpuLimit !== undefined && Number(gpuLimit) > 0) || (gpuRequest !== undefined && Number(gpuRequest) > 0);
  const backend = str(env.get('VIGIL_TF_BACKEND')?.value);
  if (w.component === 'worker' && opts.gpu) {
    if (!(Number(gpuLimit) >= 1)) problems.push(`${where}: the GPU overlay's worker must have resources.limits["${GPU}"] >= 1`);
    if (backend !== 'tensorflow-gpu') problems.push(`${where}: the GPU overlay's worker must set VIGIL_TF_BACKEND=tensorflow-gpu`);
    if (!/gpu/.test(str(c.image) ?? '')) problems.push(`${where}: the GPU overlay's worker must run the GPU image (a tag with "gpu")`);
  } else if (hasGpu || backend === 'tensorflow-gpu') {
    problems.push(`${where}: requests ${GPU} or the tensorflow-gpu backend outside the GPU overlay's workers`);
  }
  if (opts.validateEnv) {
    for (const p of opts.validateEnv(placeholderEnv(c))) problems.push(`${where}: the server would refuse its environment: ${p}`);
  }
  return problems;
}

function matches(selector: Obj, labels: Obj): boolean {
  const match = obj(selector.matchLabels);
  const keys = Object.keys(match);
  return keys.length > 0 && keys.every((k) => labels[k] === match[k]) && arr(selector.matchExpressions).length === 0;
}

/** Every invariant problem in a rendered overlay (an empty list: all hold). */
export function checkManifests(input: unknown[], opts: ManifestCheckOptions): string[] {
  const docs = input.filter(isObj);
  const problems: string[] = [];
  const all = workloads(docs);

  for (const doc of docs) {
    if (doc.kind === 'Secret') {
      const filled = [obj(doc.data), obj(doc.stringData)].some((d) => Object.keys(d).length > 0);
      if (filled) problems.push(`Secret/${str(obj(doc.metadata).name) ?? '?'}: a Secret with values in the manifests; the operator creates Secrets`);
    }
  }

  for (const w of all) {
    const vigil = w.component !== undefined && VIGIL_COMPONENTS.has(w.component);
    if (vigil && w.pod.enableServiceLinks !== false) {
      problems.push(`${w.ref}: enableServiceLinks must be false (injected VIGIL_*_SERVICE_HOST variables stop the server: unknown VIGIL_* are refused)`);
    }
    if (w.pod.automountServiceAccountToken !== false) problems.push(`${w.ref}: automountServiceAccountToken must be false (nothing here talks to the API server)`);
    if (w.pod.hostNetwork === true || w.pod.hostPID === true) problems.push(`${w.ref}: host namespaces`);
    const containers = arr(w.pod.containers).filter(isObj);
    if (containers.length === 0) problems.push(`${w.ref}: no containers`);
    for (const [list, isInit] of [[containers, false], [arr(w.pod.initContainers).filter(isObj), true]] as const) {
      for (const c of list) {
        const where = `${w.ref} container ${str(c.name) ?? '?'}`;
        const image = imageProblem(str(c.image));
        if (image) problems.push(`${where}: ${image}`);
        problems.push(...resourceProblems(where, c));
        problems.push(...securityProblems(where, c, w.pod, vigil));
        problems.push(...secretProblems(where, c));
        if (!w.isJob && !isInit) problems.push(...probeProblems(where, c, vigil));
        if (vigil && !isInit) problems.push(...roleProblems(w, c, opts));
      }
    }
  }

  const deployments = (component: string) => all.filter((w) => w.kind === 'Deployment' && w.component === component);
  for (const component of ['api', 'worker']) {
    const found = deployments(component);
    if (found.length === 0) problems.push(`no ${component} Deployment`);
    for (const w of found) {
      if ((w.replicas ?? 1) < 2) problems.push(`${w.ref}: at least 2 replicas`);
      const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget' && matches(obj(obj(d.spec).selector), w.labels));
      if (!pdb) problems.push(`${w.ref}: no PodDisruptionBudget selects its pods`);
    }
  }
  if (!all.some((w) => w.isJob && w.component === 'migrate')) problems.push('no migration Job (component migrate)');

  for (const api of deployments('api')) {
    const services = docs.filter((d) => d.kind === 'Service' && isObj(obj(d.spec).selector) && Object.entries(obj(obj(d.spec).selector)).every(([k, v]) => api.labels[k] === v));
    if (services.length === 0) problems.push(`${api.ref}: no Service selects its pods`);
    for (const svc of services) {
      const name = str(obj(svc.metadata).name) ?? '?';
      if (obj(svc.spec).sessionAffinity !== 'ClientIP') problems.push(`Service/${name}: sessionAffinity must be ClientIP (socket.io polling sticks to one pod)`);
      const ingresses = docs.filter((d) => d.kind === 'Ingress' && JSON.stringify(obj(d.spec).rules ?? []).includes(`"name":"${name}"`));
      if (ingresses.length === 0) problems.push(`Service/${name}: no Ingress routes to it`);
      for (const ing of ingresses) {
        const where = `Ingress/${str(obj(ing.metadata).name) ?? '?'}`;
        const annotations = obj(obj(ing.metadata).annotations);
        if (annotations['nginx.ingress.kubernetes.io/affinity'] !== 'cookie') problems.push(`${where}: sticky sessions need nginx.ingress.kubernetes.io/affinity: cookie`);
        if (!str(annotations['nginx.ingress.kubernetes.io/session-cookie-name'])) problems.push(`${where}: name the affinity cookie (session-cookie-name)`);
        for (const t of ['proxy-read-timeout', 'proxy-send-timeout']) {
          const seconds = Number(str(annotations[`nginx.ingress.kubernetes.io/${t}`]));
          if (!(seconds >= 3600)) problems.push(`${where}: ${t} must be at least 3600 s, so quiet websockets stay open`);
        }
      }
    }
  }
  return problems;
}
