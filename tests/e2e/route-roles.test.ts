// @engine-independent: reads the route table of the booted app; no SQL of its own
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { isRole } from '@vigil/domain';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/server/src/auth/roles.decorator';
import { startTestServer, TestServer } from '../support/test-server';

let t: TestServer;

describe('every route declares who may call it', { timeout: 120_000 }, () => {
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t?.stop());

  it('walks the route table: each handler has @Roles(...) with valid roles or @Public()', () => {
    const modules = t.server.app.get(ModulesContainer);
    const undeclared: string[] = [];
    const publicRoutes: string[] = [];
    let routes = 0;
    for (const mod of modules.values()) {
      for (const wrapper of mod.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
        if (!controller) continue;
        const proto = controller.prototype as Record<string, unknown>;
        for (const key of Object.getOwnPropertyNames(proto)) {
          const handler = proto[key];
          if (key === 'constructor' || typeof handler !== 'function') continue;
          if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
          routes++;
          const label = `${controller.name}.${key} (${String(Reflect.getMetadata(PATH_METADATA, controller))}/${String(Reflect.getMetadata(PATH_METADATA, handler))})`;
          const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller)) as unknown[] | undefined;
          const isPublic = Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller));
          if (isPublic) publicRoutes.push(label);
          else if (!roles || roles.length === 0 || !roles.every(isRole)) undeclared.push(label);
        }
      }
    }
    assert.ok(routes >= 14, `expected the full route table, found ${routes} routes`);
    assert.deepEqual(undeclared, [], `routes without a role declaration: ${undeclared.join(', ')}`);
    assert.deepEqual(
      publicRoutes.map((r) => r.split(' ')[0]).sort(),
      ['AuthController.completeSetup', 'AuthController.signIn', 'HealthController.health', 'MetricsController.scrape'],
      'only sign-in, first-admin setup, health (the status alone without a token) and metrics (behind its own token guard) may skip the role guard',
    );
  });

  it('an api-only process answers the live views with 503 and says where they are served', async () => {
    const cam = await t.api('POST', '/api/cameras', { body: { name: 'Lobby', url: 'rtsp://127.0.0.1:8554/lobby' } });
    assert.equal(cam.status, 201, JSON.stringify(cam.body));
    for (const [method, path] of [
      ['GET', 'snapshot'], ['GET', 'overlay'], ['GET', 'attempts'],
      ['GET', 'attempts/00000000-0000-4000-8000-000000000000/thumbnail'], ['POST', 'attempts/00000000-0000-4000-8000-000000000000/enrol'],
    ] as const) {
      const res = await t.api(method, `/api/cameras/${cam.body.id}/${path}`);
      assert.equal(res.status, 503, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.message, /VIGIL_ROLES=api,worker/);
    }
  });
});
