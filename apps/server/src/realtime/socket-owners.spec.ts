import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SocketOwners, socketOwnerKey } from './socket-owners';

describe('SocketOwners: live sockets per owner', () => {
  // ['+', owner, id, admitted?] or ['-', owner, id]
  type Step = ['+', string, string, boolean] | ['-', string, string];
  const cases: Array<{ name: string; max: number; steps: Step[]; counts: Record<string, number> }> = [
    { name: 'admits up to the limit and refuses the next', max: 2, steps: [['+', 'a', '1', true], ['+', 'a', '2', true], ['+', 'a', '3', false]], counts: { a: 2 } },
    { name: 'owners are counted apart', max: 1, steps: [['+', 'a', '1', true], ['+', 'b', '2', true], ['+', 'a', '3', false]], counts: { a: 1, b: 1 } },
    { name: 'a release frees the slot', max: 1, steps: [['+', 'a', '1', true], ['-', 'a', '1'], ['+', 'a', '2', true]], counts: { a: 1 } },
    { name: 'releasing twice (disconnect, then the connection closing) frees one slot', max: 2, steps: [['+', 'a', '1', true], ['+', 'a', '2', true], ['-', 'a', '1'], ['-', 'a', '1'], ['+', 'a', '3', true], ['+', 'a', '4', false]], counts: { a: 2 } },
    { name: 'a refused socket holds no slot (its release is a no-op)', max: 1, steps: [['+', 'a', '1', true], ['+', 'a', '2', false], ['-', 'a', '2'], ['+', 'a', '3', false]], counts: { a: 1 } },
    { name: 'admitting the same socket again takes no second slot', max: 2, steps: [['+', 'a', '1', true], ['+', 'a', '1', true], ['+', 'a', '2', true]], counts: { a: 2 } },
    { name: 'an unknown owner\'s release is a no-op', max: 1, steps: [['-', 'z', '9']], counts: { z: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const owners = new SocketOwners();
      c.steps.forEach((step, i) => {
        if (step[0] === '+') assert.equal(owners.admit(step[1], step[2], c.max), step[3], `step ${i}`);
        else owners.release(step[1], step[2]);
      });
      for (const [owner, n] of Object.entries(c.counts)) assert.equal(owners.count(owner), n, owner);
    });
  }

  it('the owner is the person for console sessions, the token for devices', () => {
    const token = (tokenId: string, userId: string | null = null) => ({ tokenId, sessionId: null, userId, role: 'security' as const, name: 'Desk' });
    const session = (sessionId: string, userId: string) => ({ tokenId: null, sessionId, userId, role: 'security' as const, name: 'Ann' });
    const desk = socketOwnerKey(token('t1'));
    assert.equal(desk, socketOwnerKey(token('t1')));
    assert.notEqual(desk, socketOwnerKey(token('t2')));
    assert.equal(socketOwnerKey(session('s1', 'u1')), socketOwnerKey(session('s2', 'u1')), 'one person, several sessions: one allowance');
    assert.notEqual(socketOwnerKey(session('s1', 'u1')), socketOwnerKey(session('s3', 'u2')));
    assert.notEqual(socketOwnerKey(token('t3', 'u1')), socketOwnerKey(session('s1', 'u1')), 'a device token held by the person counts apart');
  });
});
