// @engine-independent: renders YAML with kustomize; no database
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateEnv } from '../support/env-validation';
import { checkManifests, imageProblem } from '../support/k8s-manifest-checks';

/**
 * The Kubernetes manifests (deploy/k8s, issue #14): each overlay rendered by kustomize
 * (`kubectl kustomize`, as `kubectl apply -k` does) must keep every invariant of
 * tests/support/k8s-manifest-checks — probes on /api/health, resources, no secret inline, images
 * pinned, non-root and read-only, PDBs, sticky api routing, GPU only in the GPU overlay, and an
 * environment the server accepts. Then a mutated copy per invariant shows each check can fail.
 * Without kubectl (or kustomize) the test skips locally and fails in CI.
 */
const root = path.resolve(__dirname, '../../..');
type Doc = Record<string, any>;

function kustomize(dir: string): string | null {
  const attempts: [string, string[]][] = [
    ['kubectl', ['kustomize', dir]],
    ['kustomize', ['build', dir]],
  ];
  for (const [command, args] of attempts) {
    try {
      return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
    }
  }
  return null;
}

function render(overlay: string): Doc[] | null {
  const text = kustomize(`deploy/k8s/overlays/${overlay}`);
  if (text === null) return null;
  return parseAllDocuments(text).map((d) => {
    assert.equal(d.errors.length, 0, `${overlay}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS() as Doc;
  });
}


const NO_KUSTOMIZE = 'neither kubectl (with its built-in kustomize) nor kustomize is on PATH';

describe('Kubernetes manifests keep their invariants', () => {
  const rendered = new Map<string, Doc[] | null>();
  const get = (overlay: string) => {
    if (!rendered.has(overlay)) rendered.set(overlay, render(overlay));
    return rendered.get(overlay)!;
  };

  for (const overlay of ['cpu', 'gpu']) {
    it(`overlays/${overlay} renders and every invariant holds`, (t) => {
      const docs = get(overlay);
      if (!docs) {
        if (process.env.CI) assert.fail(`${NO_KUSTOMIZE}: the manifest checks cannot run`);
        t.skip(NO_KUSTOMIZE);
        return;
      }
      const kinds = docs.map((d) => `${d.kind}/${d.metadata?.name}`).sort();
      console.log(`overlays/${overlay}: ${kinds.join(', ')}`);
      assert.deepEqual(checkManifests(docs, { gpu: overlay === 'gpu', validateEnv }), []);
      for (const d of docs) assert.equal(d.metadata?.namespace, 'vigil', `${d.kind}/${d.metadata?.name}: the overlay puts everything in namespace vigil`);
    });
  }

  it('the overlays deploy the version of this checkout (the CPU image everywhere, the GPU image on GPU workers)', (t) => {
    const cpu = get('cpu');
    const gpu = get('gpu');
    if (!cpu || !gpu) {
      if (process.env.CI) assert.fail(NO_KUSTOMIZE);
      t.skip(NO_KUSTOMIZE);
      return;
    }
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const images = (docs: Doc[]) =>
      docs.flatMap((d) => {
        const pod = d.kind === 'Job' || d.kind === 'Deployment' ? d.spec.template.spec : null;
        return pod ? pod.containers.map((c: Doc) => [d.metadata.name as string, c.image as string]) : [];
      });
    assert.deepEqual(images(cpu).filter(([, i]) => i.startsWith('vigil:')).sort(), [['vigil-api', `vigil:${version}`], ['vigil-migrate', `vigil:${version}`], ['vigil-worker', `vigil:${version}`]]);
    assert.deepEqual(images(gpu).filter(([, i]) => i.startsWith('vigil:')).sort(), [['vigil-api', `vigil:${version}`], ['vigil-migrate', `vigil:${version}`], ['vigil-worker', `vigil:${version}-gpu`]]);
  });

  it('the base renders on its own, with no namespace and no Secret', (t) => {
    const text = kustomize('deploy/k8s/base');
    if (text === null) {
      if (process.env.CI) assert.fail(NO_KUSTOMIZE);
      t.skip(NO_KUSTOMIZE);
      return;
    }
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Doc);
    assert.ok(docs.length > 0);
    assert.deepEqual(docs.filter((d) => d.metadata?.namespace !== undefined).map((d) => d.metadata.name), []);
    assert.deepEqual(docs.filter((d) => d.kind === 'Secret'), []);
  });
});

/** Named spots in a rendered overlay, for the mutations below. */
const find = (docs: Doc[], kind: string, name: string): Doc => {
  const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  assert.ok(doc, `${kind}/${name} in the rendered overlay`);
  return doc;
};
const container = (docs: Doc[], kind: string, name: string): Doc => {
  const doc = find(docs, kind, name);
  return doc.spec.template.spec.containers[0];
};
const envVar = (c: Doc, name: string): Doc => {
  const e = c.env.find((v: Doc) => v.name === name);
  assert.ok(e, `env ${name}`);
  return e;
};

/** One broken invariant each: the mutation, and what the checker must say. */
const MUTATIONS: { name: string; overlay: 'cpu' | 'gpu'; mutate: (docs: Doc[]) => void; expect: RegExp }[] = [
  { name: 'api without a liveness probe', overlay: 'cpu', mutate: (d) => delete container(d, 'Deployment', 'vigil-api').livenessProbe, expect: /Deployment\/vigil-api container vigil: no livenessProbe/ },
  { name: 'worker without a readiness probe', overlay: 'cpu', mutate: (d) => delete container(d, 'Deployment', 'vigil-worker').readinessProbe, expect: /vigil-worker container vigil: no readinessProbe/ },
  { name: 'a probe on another path', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'vigil-api').readinessProbe.httpGet.path = '/'), expect: /readinessProbe must be an httpGet on \/api\/health/ },
  { name: 'Redis without probes', overlay: 'cpu', mutate: (d) => delete container(d, 'Deployment', 'redis').livenessProbe, expect: /Deployment\/redis container redis: no livenessProbe/ },
  { name: 'no memory limit', overlay: 'cpu', mutate: (d) => delete container(d, 'Deployment', 'vigil-worker').resources.limits.memory, expect: /no resources\.limits\.memory/ },
  { name: 'no CPU request on the Job', overlay: 'cpu', mutate: (d) => delete container(d, 'Job', 'vigil-migrate').resources.requests.cpu, expect: /Job\/vigil-migrate container vigil: no resources\.requests\.cpu/ },
  { name: 'image tag latest', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'vigil-api').image = 'vigil:latest'), expect: /image "vigil:latest" is not pinned/ },
  { name: 'image without a tag', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'redis').image = 'docker.io/library/redis'), expect: /image "docker.io\/library\/redis" has no tag/ },
  { name: 'admin token written inline', overlay: 'cpu', mutate: (d) => Object.assign(envVar(container(d, 'Deployment', 'vigil-api'), 'VIGIL_ADMIN_TOKEN'), { value: 'x'.repeat(32), valueFrom: undefined }), expect: /env VIGIL_ADMIN_TOKEN has a literal value/ },
  { name: 'database URL written inline', overlay: 'cpu', mutate: (d) => Object.assign(envVar(container(d, 'Deployment', 'vigil-worker'), 'DATABASE_URL'), { value: 'postgres://vigil_app:hunter2@db/vigil', valueFrom: undefined }), expect: /env DATABASE_URL has a literal value/ },
  { name: 'Redis URL from a ConfigMap', overlay: 'cpu', mutate: (d) => (envVar(container(d, 'Deployment', 'vigil-api'), 'VIGIL_REDIS_URL').valueFrom = { configMapKeyRef: { name: 'c', key: 'k' } }), expect: /env VIGIL_REDIS_URL must come from a Secret/ },
  { name: 'a password inside a harmless-looking variable', overlay: 'cpu', mutate: (d) => container(d, 'Deployment', 'vigil-api').env.push({ name: 'UPSTREAM', value: 'https://user:pw@example.com' }), expect: /env UPSTREAM holds a URL with a password/ },
  { name: 'Redis password as a literal flag', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'redis').command[2] = 'hunter2'), expect: /command\/args pass --requirepass a literal/ },
  { name: 'a Secret with data in the manifests', overlay: 'cpu', mutate: (d) => d.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vigil', namespace: 'vigil' }, stringData: { 'admin-token': 'x' } }), expect: /Secret\/vigil: a Secret with values in the manifests/ },
  { name: 'runAsNonRoot off', overlay: 'cpu', mutate: (d) => (find(d, 'Deployment', 'vigil-worker').spec.template.spec.securityContext.runAsNonRoot = false), expect: /vigil-worker container vigil: runAsNonRoot must be true/ },
  { name: 'another uid for the server', overlay: 'cpu', mutate: (d) => (find(d, 'Deployment', 'vigil-api').spec.template.spec.securityContext.runAsUser = 1000), expect: /must run as uid 10001/ },
  { name: 'writable root filesystem', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'vigil-api').securityContext.readOnlyRootFilesystem = false), expect: /readOnlyRootFilesystem must be true/ },
  { name: 'privilege escalation allowed', overlay: 'cpu', mutate: (d) => delete container(d, 'Job', 'vigil-migrate').securityContext.allowPrivilegeEscalation, expect: /Job\/vigil-migrate container vigil: allowPrivilegeEscalation must be false/ },
  { name: 'capabilities kept', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'redis').securityContext.capabilities.drop = ['NET_RAW']), expect: /capabilities must drop ALL/ },
  { name: 'no writable /tmp', overlay: 'cpu', mutate: (d) => { const c = container(d, 'Deployment', 'vigil-worker'); c.volumeMounts = c.volumeMounts.filter((m: Doc) => m.mountPath !== '/tmp'); }, expect: /nothing writable mounted at \/tmp/ },
  { name: 'service links on', overlay: 'cpu', mutate: (d) => delete find(d, 'Deployment', 'vigil-api').spec.template.spec.enableServiceLinks, expect: /Deployment\/vigil-api: enableServiceLinks must be false/ },
  { name: 'no PDB for the api', overlay: 'cpu', mutate: (d) => d.splice(d.indexOf(find(d, 'PodDisruptionBudget', 'vigil-api')), 1), expect: /Deployment\/vigil-api: no PodDisruptionBudget/ },
  { name: 'a worker PDB that selects nothing', overlay: 'cpu', mutate: (d) => (find(d, 'PodDisruptionBudget', 'vigil-worker').spec.selector.matchLabels['app.kubernetes.io/component'] = 'workers'), expect: /Deployment\/vigil-worker: no PodDisruptionBudget/ },
  { name: 'one api replica', overlay: 'cpu', mutate: (d) => (find(d, 'Deployment', 'vigil-api').spec.replicas = 1), expect: /vigil-api: at least 2 replicas/ },
  { name: 'api Service without affinity', overlay: 'cpu', mutate: (d) => delete find(d, 'Service', 'vigil-api').spec.sessionAffinity, expect: /Service\/vigil-api: sessionAffinity must be ClientIP/ },
  { name: 'Ingress without cookie affinity', overlay: 'cpu', mutate: (d) => delete find(d, 'Ingress', 'vigil').metadata.annotations['nginx.ingress.kubernetes.io/affinity'], expect: /Ingress\/vigil: sticky sessions need/ },
  { name: 'Ingress with nginx\'s 60 s read timeout', overlay: 'cpu', mutate: (d) => (find(d, 'Ingress', 'vigil').metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'] = '60'), expect: /proxy-read-timeout must be at least 3600/ },
  { name: 'the owner URL on the api', overlay: 'cpu', mutate: (d) => container(d, 'Deployment', 'vigil-api').env.push({ name: 'VIGIL_DATABASE_OWNER_URL', valueFrom: { secretKeyRef: { name: 'vigil-migrate', key: 'database-owner-url' } } }), expect: /only the migration Job may hold the owner's URL/ },
  { name: 'the Job without the owner URL', overlay: 'cpu', mutate: (d) => { const c = container(d, 'Job', 'vigil-migrate'); c.env = c.env.filter((e: Doc) => e.name !== 'VIGIL_DATABASE_OWNER_URL'); }, expect: /the migration runs as the schema owner/ },
  { name: 'a worker with both roles', overlay: 'cpu', mutate: (d) => (envVar(container(d, 'Deployment', 'vigil-worker'), 'VIGIL_ROLES').value = 'api,worker'), expect: /VIGIL_ROLES must be "worker", not "api,worker"/ },
  { name: 'api replicas without Redis', overlay: 'cpu', mutate: (d) => { const c = container(d, 'Deployment', 'vigil-api'); c.env = c.env.filter((e: Doc) => e.name !== 'VIGIL_REDIS_URL'); }, expect: /2 api replicas need VIGIL_REDIS_URL/ },
  { name: 'one worker name for every replica', overlay: 'cpu', mutate: (d) => Object.assign(envVar(container(d, 'Deployment', 'vigil-worker'), 'VIGIL_WORKER_NAME'), { value: 'worker', valueFrom: undefined }), expect: /VIGIL_WORKER_NAME must be the pod's name/ },
  { name: 'a typo in a VIGIL_ variable', overlay: 'cpu', mutate: (d) => container(d, 'Deployment', 'vigil-worker').env.push({ name: 'VIGIL_WORKER_CAPACTY', value: '8' }), expect: /the server would refuse its environment: VIGIL_WORKER_CAPACTY: unknown variable/ },
  { name: 'an invalid value', overlay: 'cpu', mutate: (d) => (envVar(container(d, 'Deployment', 'vigil-api'), 'VIGIL_TRUST_PROXY').value = 'yes'), expect: /the server would refuse its environment: VIGIL_TRUST_PROXY/ },
  { name: 'a GPU on a CPU-overlay worker', overlay: 'cpu', mutate: (d) => (container(d, 'Deployment', 'vigil-worker').resources.limits['nvidia.com/gpu'] = 1), expect: /requests nvidia\.com\/gpu or the tensorflow-gpu backend outside/ },
  { name: 'GPU overlay worker without a GPU', overlay: 'gpu', mutate: (d) => { const r = container(d, 'Deployment', 'vigil-worker').resources; delete r.limits['nvidia.com/gpu']; delete r.requests['nvidia.com/gpu']; }, expect: /must have resources\.limits\["nvidia\.com\/gpu"\] >= 1/ },
  { name: 'GPU overlay worker on the CPU backend', overlay: 'gpu', mutate: (d) => (envVar(container(d, 'Deployment', 'vigil-worker'), 'VIGIL_TF_BACKEND').value = 'tensorflow'), expect: /must set VIGIL_TF_BACKEND=tensorflow-gpu/ },
  { name: 'GPU overlay worker on the CPU image', overlay: 'gpu', mutate: (d) => (container(d, 'Deployment', 'vigil-worker').image = 'vigil:0.1.0'), expect: /must run the GPU image/ },
  { name: 'no migration Job', overlay: 'gpu', mutate: (d) => d.splice(d.indexOf(find(d, 'Job', 'vigil-migrate')), 1), expect: /no migration Job/ },
];

describe('each manifest invariant can fail', () => {
  const rendered = new Map<string, Doc[] | null>();
  for (const m of MUTATIONS) {
    it(m.name, (t) => {
      if (!rendered.has(m.overlay)) rendered.set(m.overlay, render(m.overlay));
      const pristine = rendered.get(m.overlay);
      if (!pristine) {
        if (process.env.CI) assert.fail(NO_KUSTOMIZE);
        t.skip(NO_KUSTOMIZE);
        return;
      }
      const docs = structuredClone(pristine);
      m.mutate(docs);
      const problems = checkManifests(docs, { gpu: m.overlay === 'gpu', validateEnv });
      assert.ok(problems.some((p) => m.expect.test(p)), `expected a problem matching ${m.expect}, got:\n  ${problems.join('\n  ') || '(none)'}`);
    });
  }

  it('image references: pinned tags and digests pass; no tag, an empty tag or latest do not', () => {
    const cases: [string | undefined, boolean][] = [
      ['vigil:0.1.0', true],
      ['registry.example.com:5000/team/vigil:0.1.0-gpu', true],
      [`vigil@sha256:${'a'.repeat(64)}`, true],
      ['registry.example.com:5000/vigil', false],
      ['vigil:', false],
      ['vigil:latest', false],
      ['redis:7', false],
      ['redis:alpine', false],
      [undefined, false],
    ];
    for (const [image, ok] of cases) assert.equal(imageProblem(image) === null, ok, String(image));
  });
});
