import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { decidePromotion, type HeldOutScore, type PromotionRule } from './promotion-decision';

const score = (accuracy: number, far: number, total = 100, positives = 60, negatives = 40): HeldOutScore => ({ total, positives, negatives, accuracy, far });
const policy = { maxFar: 0.001, epsilon: 0.01, minHeldOut: 10 };

describe('decidePromotion: the champion/challenger table', () => {
  const cases: Array<{ name: string; champion: HeldOutScore; candidate: HeldOutScore; promote: boolean; rule: PromotionRule }> = [
    { name: '1. too few held-out decisions', champion: score(0.9, 0, 5), candidate: score(1, 0, 5), promote: false, rule: 'insufficient_data' },
    { name: '1. no impostors held out', champion: score(0.9, 0, 50, 50, 0), candidate: score(1, 0, 50, 50, 0), promote: false, rule: 'insufficient_data' },
    { name: '1. no genuine faces held out', champion: score(0.9, 0.1, 50, 0, 50), candidate: score(1, 0, 50, 0, 50), promote: false, rule: 'insufficient_data' },
    { name: '2. candidate breaks the FAR target the champion meets', champion: score(0.9, 0), candidate: score(0.99, 0.025), promote: false, rule: 'far_regression' },
    { name: '2. both breach, candidate breaches more', champion: score(0.9, 0.05), candidate: score(0.95, 0.1), promote: false, rule: 'far_regression' },
    { name: '3. fixes FAR but loses more than epsilon accuracy', champion: score(0.95, 0.05), candidate: score(0.9, 0), promote: false, rule: 'accuracy_loss' },
    { name: '3. same FAR, loses accuracy', champion: score(0.95, 0), candidate: score(0.9, 0), promote: false, rule: 'accuracy_loss' },
    { name: '4. fixes a FAR breach within epsilon', champion: score(0.95, 0.05), candidate: score(0.945, 0), promote: true, rule: 'fixes_far' },
    { name: '4. reduces a breach without meeting the target', champion: score(0.9, 0.3), candidate: score(0.92, 0.1), promote: true, rule: 'fixes_far' },
    { name: '5. more accurate, FAR within target', champion: score(0.9, 0), candidate: score(0.93, 0.0005), promote: true, rule: 'more_accurate' },
    { name: '6. same accuracy, fewer false accepts', champion: score(0.9, 0.0008), candidate: score(0.9, 0), promote: true, rule: 'fewer_false_accepts' },
    { name: '7. exact tie keeps the champion', champion: score(0.9, 0), candidate: score(0.9, 0), promote: false, rule: 'not_better' },
    { name: '7. slightly less accurate (within epsilon), no FAR gain', champion: score(0.9, 0), candidate: score(0.895, 0), promote: false, rule: 'not_better' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decidePromotion(c.champion, c.candidate, policy);
      assert.equal(d.rule, c.rule, d.reason);
      assert.equal(d.promote, c.promote);
      assert.ok(d.reason.length > 20, 'a reason a person can read');
    });
  }

  it('the reason names both versions\' numbers', () => {
    const d = decidePromotion(score(0.9, 0), score(0.93, 0), policy);
    assert.match(d.reason, /accuracy 93\.00 % vs 90\.00 %, FAR 0 vs 0 \(candidate vs champion, 100 held-out decisions\)/);
  });

  it('refuses nonsense scores and policies', () => {
    assert.throws(() => decidePromotion(score(1.2, 0), score(0.9, 0), policy), InvalidInputError);
    assert.throws(() => decidePromotion(score(0.9, Number.NaN), score(0.9, 0), policy), InvalidInputError);
    assert.throws(() => decidePromotion(score(0.9, 0), score(0.9, 0), { ...policy, maxFar: 0 }), InvalidInputError);
  });
});
