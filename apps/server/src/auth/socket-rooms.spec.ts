import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '@vigil/auth';
import { credentialRooms, endedAccessRooms } from './socket-rooms';

describe('credential rooms: what a socket joins, and what a revocation cuts', () => {
  const p = (tokenId: string | null, sessionId: string | null, userId: string | null): Principal => ({ tokenId, sessionId, userId, role: 'security', name: 'x' });
  const joins: Array<{ name: string; principal: Principal; rooms: string[] }> = [
    { name: 'a console session: its session and its person', principal: p(null, 's1', 'u1'), rooms: ['session:s1', 'user:u1'] },
    { name: 'a device token held by a person: the token and the person', principal: p('t1', null, 'u1'), rooms: ['token:t1', 'user:u1'] },
    { name: 'VIGIL_ADMIN_TOKEN (no person): the token only', principal: p('t0', null, null), rooms: ['token:t0'] },
  ];
  for (const c of joins) it(c.name, () => assert.deepEqual(credentialRooms(c.principal), c.rooms));

  const cuts: Array<{ name: string; ended: Parameters<typeof endedAccessRooms>[0]; rooms: string[] }> = [
    { name: 'sign-out: the session only (the person\'s other consoles stay)', ended: { userId: 'u1', sessionIds: ['s1'], wholeUser: false }, rooms: ['session:s1'] },
    { name: 'sign-out everywhere: every session named', ended: { userId: 'u1', sessionIds: ['s1', 's2'], wholeUser: false }, rooms: ['session:s1', 'session:s2'] },
    { name: 'account disabled: its sessions and the person (its device tokens too)', ended: { userId: 'u1', sessionIds: ['s1'], wholeUser: true }, rooms: ['session:s1', 'user:u1'] },
    { name: 'disabled with no session open: still the person', ended: { userId: 'u1', sessionIds: [], wholeUser: true }, rooms: ['user:u1'] },
  ];
  for (const c of cuts) it(c.name, () => assert.deepEqual(endedAccessRooms(c.ended), c.rooms));

  it('a cut of one person never names another person\'s rooms', () => {
    const cut = new Set(endedAccessRooms({ userId: 'u1', sessionIds: ['s1'], wholeUser: true }));
    assert.deepEqual(credentialRooms(p(null, 's2', 'u2')).filter((r) => cut.has(r)), []);
    assert.deepEqual(credentialRooms(p('t9', null, 'u2')).filter((r) => cut.has(r)), []);
  });
});
