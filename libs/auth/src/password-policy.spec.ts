import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  const cases: Array<{ name: string; password: string; who?: { username?: string; displayName?: string }; problem: RegExp | null }> = [
    { name: 'too short', password: 'Tr0ub4dor&3', problem: /at least 12/ },
    { name: 'too long', password: 'a b '.repeat(65) + 'xyz', problem: /at most 256/ },
    { name: 'common password', password: '123qweasdzxc', problem: /most common/ },
    { name: 'common, other case', password: 'QWERTY123456', problem: /most common/ },
    { name: 'common word with digits tacked on', password: 'password123456', problem: /most common/ },
    { name: 'common word with symbols both sides', password: '!!!sunshine2024!!', problem: /most common/ },
    { name: 'common word twice', password: 'dragondragon', problem: /most common/ },
    { name: 'one character repeated', password: 'aaaaaaaaaaaaaaaa', problem: /repeats/ },
    { name: 'two characters alternating', password: 'abababababababab', problem: /repeats/ },
    { name: 'contains the username', password: 'jsmith-is-on-duty', who: { username: 'jsmith' }, problem: /username or name/ },
    { name: 'contains the surname', password: 'Night shift Okafor 7', who: { displayName: 'Ada Okafor' }, problem: /username or name/ },
    { name: 'four random words', password: 'correct horse battery staple', problem: null },
    { name: 'long random', password: 'vT9#qLm2!xZp', problem: null },
    { name: 'short name parts are ignored', password: 'lantern orbit cobalt', who: { displayName: 'Al Li' }, problem: null },
    { name: 'unicode length counts characters', password: 'éèêëēėęàâäáã', problem: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const problem = passwordProblem(c.password, c.who);
      if (c.problem === null) assert.equal(problem, null);
      else assert.match(problem ?? '', c.problem);
    });
  }
});
