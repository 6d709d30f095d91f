import { InvalidInputError } from './errors';

/** The customer's rule: no class under 10 % of a training set. */
export const MIN_CLASS_SHARE = 0.1;

export interface ClassShare {
  class: string;
  count: number;
  share: number;
  /** True when the class is under the minimum share. */
  underRepresented: boolean;
}

export interface ClassBalanceReport {
  total: number;
  minShare: number;
  classes: ClassShare[];
  /** Classes under minShare, in the order of `classes`. */
  flagged: string[];
}

/** Share of each class (largest first, ties by name) and the classes below minShare. */
export function classBalance(labels: Iterable<string>, minShare: number = MIN_CLASS_SHARE): ClassBalanceReport {
  if (!(minShare > 0 && minShare < 1)) throw new InvalidInputError('minShare must be between 0 and 1 (exclusive)');
  const counts = new Map<string, number>();
  let total = 0;
  for (const label of labels) {
    counts.set(label, (counts.get(label) ?? 0) + 1);
    total++;
  }
  const classes = [...counts.entries()]
    .map(([name, count]) => ({ class: name, count, share: count / total, underRepresented: count / total < minShare - 1e-12 }))
    .sort((a, b) => b.count - a.count || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));
  return { total, minShare, classes, flagged: classes.filter((c) => c.underRepresented).map((c) => c.class) };
}
