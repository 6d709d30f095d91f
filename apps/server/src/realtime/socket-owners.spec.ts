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

  it('the owner is the token for now: two tokens of one role are two owners', () => {
    const desk = socketOwnerKey({ tokenId: 't1', role: 'security', name: 'Desk' });
    assert.equal(desk, socketOwnerKey({ tokenId: 't1', role: 'security', name: 'Desk' }));
    assert.notEqual(desk, socketOwnerKey({ tokenId: 't2', role: 'security', name: 'Desk' }));
  });
});
