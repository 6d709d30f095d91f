import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, describeDatabase, loadConfig } from './config';

const opts = { cwd: '/srv/vigil', version: '9.9.9' };

describe('loadConfig defaults', () => {
  it('runs embedded, both roles, port 3000 with an empty environment', () => {
    const c = loadConfig({}, opts);
    assert.deepEqual(c.database, { kind: 'embedded', dataDir: '/srv/vigil/data/db' });
    assert.equal(c.dataDir, '/srv/vigil/data');
    assert.equal(c.port, 3000);
    assert.deepEqual(c.roles, ['api', 'worker']);
    assert.equal(c.demo, 'auto');
    assert.equal(c.tfBackend, 'auto');
    assert.ok(c.inferenceWorkers >= 1);
    assert.equal(c.version, '9.9.9');
  });
});

describe('loadConfig accepts', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, (c: ReturnType<typeof loadConfig>) => void]> = [
    ['postgres url', { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, (c) =>
      assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' })],
    ['owner and app roles', { DATABASE_URL: 'postgres://vigil_app:a@db/vigil', VIGIL_DATABASE_OWNER_URL: 'postgres://vigil:o@db/vigil' }, (c) =>
      assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://vigil_app:a@db/vigil', ownerUrl: 'postgres://vigil:o@db/vigil' })],
    ['metrics token', { VIGIL_METRICS_TOKEN: 'm'.repeat(24) }, (c) => assert.equal(c.metricsToken, 'm'.repeat(24))],
    ['trust proxy unset', {}, (c) => assert.equal(c.trustProxy, undefined)],
    ['trust proxy hops', { VIGIL_TRUST_PROXY: '1' }, (c) => assert.equal(c.trustProxy, 1)],
    ['trust proxy addresses', { VIGIL_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }, (c) => assert.equal(c.trustProxy, 'loopback, 10.0.0.0/8,fd00::1')],
    ['blank DATABASE_URL means embedded', { DATABASE_URL: '  ' }, (c) => assert.equal(c.database.kind, 'embedded')],
    ['port 0 (any free port)', { PORT: '0' }, (c) => assert.equal(c.port, 0)],
    ['worker only', { VIGIL_ROLES: 'worker' }, (c) => assert.deepEqual(c.roles, ['worker'])],
    ['roles with spaces and duplicates', { VIGIL_ROLES: ' api , api,worker' }, (c) => assert.deepEqual(c.roles, ['api', 'worker'])],
    ['demo off', { VIGIL_DEMO: '0' }, (c) => assert.equal(c.demo, false)],
    ['file URLs refused by default', {}, (c) => assert.equal(c.allowFileUrls, false)],
    ['file URLs allowed', { VIGIL_ALLOW_FILE_URLS: '1' }, (c) => assert.equal(c.allowFileUrls, true)],
    ['relative data dir', { VIGIL_DATA_DIR: 'var' }, (c) => assert.equal(c.dataDir, '/srv/vigil/var')],
    ['wasm backend', { VIGIL_TF_BACKEND: 'wasm' }, (c) => assert.equal(c.tfBackend, 'wasm')],
    ['workers', { VIGIL_INFERENCE_WORKERS: '3' }, (c) => assert.equal(c.inferenceWorkers, 3)],
    ['time zone', { VIGIL_TIMEZONE: 'Europe/Lisbon' }, (c) => assert.equal(c.timeZone, 'Europe/Lisbon')],
    ['alert timings default', {}, (c) => assert.deepEqual([c.alertCooldownSeconds, c.alertEscalateSeconds, c.detector], [60, 120, 'ssd'])],
    ['alert timings and detector set', { VIGIL_ALERT_COOLDOWN_SECONDS: '0', VIGIL_ALERT_ESCALATE_SECONDS: '30', VIGIL_DETECTOR: 'tiny' }, (c) =>
      assert.deepEqual([c.alertCooldownSeconds, c.alertEscalateSeconds, c.detector], [0, 30, 'tiny'])],
    ['gallery switch size: the matcher\'s default', {}, (c) => assert.equal(c.galleryAnnMinReferences, undefined)],
    ['gallery switch size set', { VIGIL_GALLERY_ANN_MIN_REFERENCES: '0' }, (c) => assert.equal(c.galleryAnnMinReferences, 0)],
    ['socket bounds default', {}, (c) => assert.deepEqual([c.socketReplayMax, c.socketUnackedMax, c.socketsPerPrincipal], [200, 500, 20])],
    ['socket bounds set', { VIGIL_SOCKET_REPLAY_MAX: '5', VIGIL_SOCKET_UNACKED_MAX: '5', VIGIL_SOCKETS_PER_PRINCIPAL: '1' }, (c) =>
      assert.deepEqual([c.socketReplayMax, c.socketUnackedMax, c.socketsPerPrincipal], [5, 5, 1])],
    ['retention: the built-in defaults', {}, (c) => assert.deepEqual(c.retentionDefaults, {})],
    ['retention days set', { VIGIL_RETENTION_FRAMES_DAYS: '7', VIGIL_RETENTION_CROPS_DAYS: '30', VIGIL_RETENTION_ATTENDANCE_DAYS: '1825' }, (c) =>
      assert.deepEqual(c.retentionDefaults, { framesDays: 7, cropsDays: 30, attendanceDays: 1825 })],
    ['kiosk limits default (lane: twice the workers)', { VIGIL_INFERENCE_WORKERS: '3' }, (c) => assert.deepEqual(c.kiosk, { checksPerMinute: 60, burst: 10, queueSize: 6 })],
    ['kiosk limits set', { VIGIL_KIOSK_CHECKS_PER_MINUTE: '30', VIGIL_KIOSK_BURST: '2', VIGIL_KIOSK_QUEUE_SIZE: '1' }, (c) =>
      assert.deepEqual(c.kiosk, { checksPerMinute: 30, burst: 2, queueSize: 1 })],
    ['no Redis: one api process', {}, (c) => assert.equal(c.redisUrl, undefined)],
    ['Redis set', { VIGIL_REDIS_URL: 'redis://:pw@127.0.0.1:6379/0' }, (c) => assert.equal(c.redisUrl, 'redis://:pw@127.0.0.1:6379/0')],
    ['worker defaults: host-pid, 64 cameras, 10 s lease, a move per 30 s', {}, (c) =>
      assert.deepEqual([/-\d+$/.test(c.worker.name), c.worker.capacity, c.worker.leaseTtlSeconds, c.worker.rebalanceSeconds], [true, 64, 10, 30])],
    ['worker set', { VIGIL_WORKER_NAME: 'gpu-1', VIGIL_WORKER_CAPACITY: '8', VIGIL_LEASE_TTL_SECONDS: '5', VIGIL_LEASE_REBALANCE_SECONDS: '0' }, (c) =>
      assert.deepEqual(c.worker, { name: 'gpu-1', capacity: 8, leaseTtlSeconds: 5, rebalanceSeconds: 0 })],
    ['scan upload limit default: 2048 MB', {}, (c) => assert.equal(c.scanMaxUploadBytes, 2048 * 1024 * 1024)],
    ['scan upload limit set', { VIGIL_SCAN_MAX_UPLOAD_MB: '1' }, (c) => assert.equal(c.scanMaxUploadBytes, 1024 * 1024)],
  ];
  for (const [name, env, check] of cases) it(name, () => check(loadConfig(env, opts)));
});

describe('loadConfig rejects, naming the variable', () => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ PORT: 'abc' }, /- PORT: must be an integer/],
    [{ PORT: '70000' }, /^ {2}- PORT: /m],
    [{ PORT: '3.5' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres/],
    [{ VIGIL_ROLES: 'api,web' }, /VIGIL_ROLES: may only contain/],
    [{ VIGIL_ROLES: ',' }, /VIGIL_ROLES: must name at least one/],
    [{ VIGIL_ADMIN_TOKEN: 'short' }, /VIGIL_ADMIN_TOKEN: must be at least 24/],
    [{ VIGIL_METRICS_TOKEN: 'short' }, /VIGIL_METRICS_TOKEN: must be at least 24/],
    [{ VIGIL_TRUST_PROXY: 'true' }, /VIGIL_TRUST_PROXY: must be a number of proxy hops/],
    [{ VIGIL_TRUST_PROXY: '0' }, /VIGIL_TRUST_PROXY: must be a number of proxy hops/],
    [{ VIGIL_DATABASE_OWNER_URL: 'postgres://vigil@db/vigil' }, /VIGIL_DATABASE_OWNER_URL: needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://a@db/v', VIGIL_DATABASE_OWNER_URL: 'mysql://x' }, /VIGIL_DATABASE_OWNER_URL: must be a postgres/],
    [{ VIGIL_DEMO: 'yes' }, /VIGIL_DEMO/],
    [{ VIGIL_ALLOW_FILE_URLS: 'true' }, /VIGIL_ALLOW_FILE_URLS: must be 0 or 1/],
    [{ VIGIL_INFERENCE_WORKERS: '0' }, /VIGIL_INFERENCE_WORKERS/],
    [{ VIGIL_TF_BACKEND: 'cpu' }, /VIGIL_TF_BACKEND: must be one of/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ LOG_FORMAT: 'colour' }, /LOG_FORMAT: must be one of: auto, json, pretty/],
    [{ VIGIL_DETECTOR: 'yolo' }, /VIGIL_DETECTOR: must be one of: ssd, tiny/],
    [{ VIGIL_ALERT_ESCALATE_SECONDS: '-1' }, /VIGIL_ALERT_ESCALATE_SECONDS: must be an integer between 0 \(never\) and 86400/],
    [{ VIGIL_ALERT_COOLDOWN_SECONDS: 'soon' }, /VIGIL_ALERT_COOLDOWN_SECONDS/],
    [{ VIGIL_GALLERY_ANN_MIN_REFERENCES: '-5' }, /VIGIL_GALLERY_ANN_MIN_REFERENCES: must be an integer between 0/],
    [{ VIGIL_SOCKET_REPLAY_MAX: '0' }, /VIGIL_SOCKET_REPLAY_MAX: must be an integer between 1 and 10000/],
    [{ VIGIL_SOCKET_UNACKED_MAX: 'many' }, /VIGIL_SOCKET_UNACKED_MAX: must be an integer between 1 and 100000/],
    [{ VIGIL_SOCKETS_PER_PRINCIPAL: '0' }, /VIGIL_SOCKETS_PER_PRINCIPAL: must be an integer between 1 and 10000/],
    [{ VIGIL_SOCKET_REPLAY_MAX: '600' }, /VIGIL_SOCKET_REPLAY_MAX: must not exceed VIGIL_SOCKET_UNACKED_MAX \(500\)/],
    [{ VIGIL_SOCKET_REPLAY_MAX: '50', VIGIL_SOCKET_UNACKED_MAX: '40' }, /VIGIL_SOCKET_REPLAY_MAX: must not exceed VIGIL_SOCKET_UNACKED_MAX \(40\)/],
    [{ VIGIL_RETENTION_FRAMES_DAYS: '0' }, /VIGIL_RETENTION_FRAMES_DAYS: must be a whole number of days between 1 and 3650/],
    [{ VIGIL_RETENTION_CROPS_DAYS: '90d' }, /VIGIL_RETENTION_CROPS_DAYS: must be a whole number/],
    [{ VIGIL_RETENTION_ATTENDANCE_DAYS: '3' }, /VIGIL_RETENTION_ATTENDANCE_DAYS: must be a whole number of days between 7 and 3650/],
    [{ VIGIL_KIOSK_CHECKS_PER_MINUTE: '0' }, /VIGIL_KIOSK_CHECKS_PER_MINUTE: must be an integer between 1 and 6000/],
    [{ VIGIL_KIOSK_BURST: 'lots' }, /VIGIL_KIOSK_BURST: must be an integer between 1 and 1000/],
    [{ VIGIL_KIOSK_QUEUE_SIZE: '0' }, /VIGIL_KIOSK_QUEUE_SIZE: must be an integer between 1 and 1000/],
    [{ VIGIL_TIMEZONE: 'Mars/Olympus' }, /VIGIL_TIMEZONE: must be an IANA time zone/],
    [{ VIGIL_REDIS_URL: 'http://cache:6379' }, /VIGIL_REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ VIGIL_WORKER_NAME: 'gpu 1' }, /VIGIL_WORKER_NAME: must be 1-63 letters/],
    [{ VIGIL_WORKER_CAPACITY: '0' }, /VIGIL_WORKER_CAPACITY: must be an integer between 1 and 1000/],
    [{ VIGIL_LEASE_TTL_SECONDS: '1' }, /VIGIL_LEASE_TTL_SECONDS: must be an integer between 3 and 300/],
    [{ VIGIL_LEASE_REBALANCE_SECONDS: '-1' }, /VIGIL_LEASE_REBALANCE_SECONDS: must be an integer between 0/],
    [{ VIGIL_SCAN_MAX_UPLOAD_MB: '0' }, /VIGIL_SCAN_MAX_UPLOAD_MB: must be an integer between 1 and 1048576/],
    [{ VIGIL_PROT: '1' }, /VIGIL_PROT: unknown variable/],
  ];
  for (const [env, pattern] of cases) {
    it(JSON.stringify(env), () => {
      assert.throws(() => loadConfig(env, opts), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    });
  }

  it('reports every problem at once and never echoes a secret', () => {
    const secret = 'tiny-secret';
    try {
      loadConfig({ PORT: 'x', VIGIL_ADMIN_TOKEN: secret }, opts);
      assert.fail('expected ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 2);
      assert.ok(!e.message.includes(secret));
    }
  });
});

describe('describeDatabase', () => {
  it('hides the password', () => {
    const text = describeDatabase({ kind: 'postgres', url: 'postgres://vigil:s3cr%40t@db:5432/vigil' });
    assert.ok(!text.includes('s3cr'));
    assert.match(text, /vigil:\*\*\*@db:5432/);
  });
});
