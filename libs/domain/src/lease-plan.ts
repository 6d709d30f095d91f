/**
 * Which cameras a worker process claims and releases (camera leases, issue #14). Pure: the lease
 * manager reads the live workers and the enabled cameras from the database, asks this, and runs
 * the claims and releases as conditional statements (the database arbitrates races).
 *
 * Targets: water-filling over the live workers' capacities — every live worker gets an equal share
 * up to its capacity, a remainder goes first to workers already holding more (fewest moves), then
 * by id (deterministic). A worker claims free cameras (never leased, released or expired) while it
 * is under its target and its capacity. Running cameras move only by rebalancing, with hysteresis:
 * this worker releases ONE camera when it is above its target and some live worker holds at least
 * two fewer cameras and is below its own target, there is no free camera left (those go first), and
 * the last move was at least `rebalanceMs` ago (0: running cameras never move).
 */
export interface LeasePlanInput {
  /** This worker's id. */
  me: string;
  /** Now, on the same clock as lastMoveAt (ms). */
  now: number;
  /** Registered workers; `alive` when not stopped and heartbeating within the lease TTL. */
  workers: ReadonlyArray<{ id: string; capacity: number; alive: boolean }>;
  /** Enabled cameras, oldest first, with their holder (null: never leased) and whether its lease ran out. */
  cameras: ReadonlyArray<{ id: string; holder: string | null; expired: boolean }>;
  /** When this worker last released a camera for rebalancing (ms), or null. */
  lastMoveAt: number | null;
  /** At most one move per this many ms; 0 = never move running cameras. */
  rebalanceMs: number;
}

export interface LeasePlan {
  claim: string[];
  release: string[];
}

/** How many cameras each live worker should run: water-filling over capacities, fewest moves. */
export function leaseTargets(
  workers: ReadonlyArray<{ id: string; capacity: number }>,
  counts: ReadonlyMap<string, number>,
  cameras: number,
): Map<string, number> {
  const sorted = [...workers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const targets = new Map(sorted.map((w) => [w.id, 0]));
  const total = Math.min(cameras, sorted.reduce((sum, w) => sum + Math.max(0, w.capacity), 0));
  for (let k = 0; k < total; k++) {
    let best: { id: string; capacity: number } | null = null;
    for (const w of sorted) {
      const t = targets.get(w.id)!;
      if (t >= w.capacity) continue;
      if (best === null) {
        best = w;
        continue;
      }
      const bt = targets.get(best.id)!;
      // Lowest target first (water-filling); among equals, the one holding more keeps its cameras.
      if (t < bt || (t === bt && (counts.get(w.id) ?? 0) > (counts.get(best.id) ?? 0))) best = w;
    }
    targets.set(best!.id, targets.get(best!.id)! + 1);
  }
  return targets;
}

export function planLeases(input: LeasePlanInput): LeasePlan {
  const none: LeasePlan = { claim: [], release: [] };
  const live = input.workers.filter((w) => w.alive);
  const me = live.find((w) => w.id === input.me);
  if (!me) return none;
  const liveIds = new Set(live.map((w) => w.id));
  const counts = new Map(live.map((w) => [w.id, 0]));
  const mine: string[] = [];
  const free: string[] = [];
  for (const c of input.cameras) {
    if (c.holder === null || c.expired) free.push(c.id);
    else if (liveIds.has(c.holder)) counts.set(c.holder, counts.get(c.holder)! + 1);
    if (c.holder === input.me && !c.expired) mine.push(c.id);
  }
  const targets = leaseTargets(live, counts, input.cameras.length);
  const target = targets.get(me.id)!;
  const room = Math.min(target, me.capacity) - mine.length;
  if (room > 0 && free.length > 0) return { claim: free.slice(0, room), release: [] };
  if (free.length > 0 || mine.length <= target || input.rebalanceMs <= 0) return none;
  if (input.lastMoveAt !== null && input.now - input.lastMoveAt < input.rebalanceMs) return none;
  const receiver = live.find((w) => {
    const held = counts.get(w.id)!;
    return w.id !== me.id && held < targets.get(w.id)! && held < w.capacity && mine.length - held >= 2;
  });
  return receiver ? { claim: [], release: [mine[mine.length - 1]!] } : none;
}
