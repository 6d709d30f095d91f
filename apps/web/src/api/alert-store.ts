import type { AlertEvent, AlertsMoreEvent } from '@vigil/contracts';
import { Observable } from './store';

export type AlertStatus = AlertEvent['status'];

/** Which actions the server allows from each status (mirrors the alert repository's rules). */
export const ALLOWED_ACTIONS: Record<AlertStatus, ReadonlyArray<'ack' | 'escalate' | 'resolve'>> = {
  new: ['ack', 'escalate', 'resolve'],
  acknowledged: ['escalate', 'resolve'],
  escalated: ['ack', 'resolve'],
  resolved: [],
};

/** Unacknowledged first, then escalated, acknowledged, resolved; newest first within each. */
const RANK: Record<AlertStatus, number> = { new: 0, escalated: 1, acknowledged: 2, resolved: 3 };

/** Closed alerts kept in memory beyond the open ones (the page never grows without bound). */
const KEEP_CLOSED = 300;
/** An alert raised this recently counts as news: it rings, even when it came by replay. */
const FRESH_MS = 2 * 60_000;

export interface AlertItem extends AlertEvent {
  /** Set when this page received it as news (cue it); cleared when someone acts on it. */
  fresh: boolean;
}

/** Alerts a replay left out (older than its window), added up until the person dismisses the notice. */
export interface SkippedAlerts {
  count: number;
  /** The server stopped counting: at least `count`. */
  atLeast: boolean;
  afterSeq: string;
  throughSeq: string;
}

/**
 * The dashboard's alerts, de-duplicated by id. The highest seq held is the socket's replay offset:
 * after a reconnect the server sends everything after it, and whatever arrives twice around the
 * switch from replay to live is dropped here.
 */
export class AlertStore {
  readonly items = new Observable<AlertItem[]>([]);
  readonly skipped = new Observable<SkippedAlerts | null>(null);
  private readonly byId = new Map<string, AlertItem>();
  private highest = 0n;
  private readonly newsListeners = new Set<(alert: AlertItem) => void>();

  /** The `auth.offset` for the next (re)connect. */
  offset(): string {
    return this.highest.toString();
  }

  /** Called for every `alert` event; returns false for a duplicate. */
  receive(event: AlertEvent, now = Date.now()): boolean {
    const seq = BigInt(event.seq);
    if (seq > this.highest) this.highest = seq;
    if (this.byId.has(event.id)) return false;
    const fresh = event.status === 'new' && now - Date.parse(event.at) < FRESH_MS;
    const item: AlertItem = { ...event, fresh };
    this.byId.set(event.id, item);
    this.publish();
    if (fresh) for (const listener of this.newsListeners) listener(item);
    return true;
  }

  /** The server's answer to an action is the alert's current state. */
  update(event: AlertEvent): void {
    const current = this.byId.get(event.id);
    this.byId.set(event.id, { ...event, fresh: false });
    if (!current && BigInt(event.seq) > this.highest) this.highest = BigInt(event.seq);
    this.publish();
  }

  /** Someone else (another console, or the server's automatic escalation) changed an alert. */
  applyStatus(change: { id: string; status: AlertStatus }): void {
    const current = this.byId.get(change.id);
    if (!current || current.status === change.status) return;
    this.byId.set(change.id, { ...current, status: change.status, fresh: false });
    this.publish();
  }

  /**
   * A replay left older alerts out (`alerts.more`). They count as held for the offset, so the next
   * reconnect neither replays nor reports them again; the notice adds them up until dismissed.
   */
  noteSkipped(event: AlertsMoreEvent): void {
    const through = BigInt(event.throughSeq);
    if (through > this.highest) this.highest = through;
    const current = this.skipped.get();
    this.skipped.set(
      current
        ? {
            count: current.count + event.count,
            atLeast: current.atLeast || event.atLeast,
            afterSeq: BigInt(event.afterSeq) < BigInt(current.afterSeq) ? event.afterSeq : current.afterSeq,
            throughSeq: through > BigInt(current.throughSeq) ? event.throughSeq : current.throughSeq,
          }
        : { count: event.count, atLeast: event.atLeast, afterSeq: event.afterSeq, throughSeq: event.throughSeq },
    );
  }

  dismissSkipped(): void {
    this.skipped.set(null);
  }

  onNews(listener: (alert: AlertItem) => void): () => void {
    this.newsListeners.add(listener);
    return () => this.newsListeners.delete(listener);
  }

  private publish(): void {
    const sorted = [...this.byId.values()].sort((a, b) => RANK[a.status] - RANK[b.status] || compareSeqDesc(a, b));
    const open = sorted.filter((a) => a.status === 'new' || a.status === 'escalated');
    const closed = sorted.filter((a) => a.status === 'acknowledged' || a.status === 'resolved');
    for (const dropped of closed.slice(KEEP_CLOSED)) this.byId.delete(dropped.id);
    this.items.set([...open, ...closed.slice(0, KEEP_CLOSED)]);
  }
}

function compareSeqDesc(a: AlertEvent, b: AlertEvent): number {
  const x = BigInt(a.seq);
  const y = BigInt(b.seq);
  return x === y ? 0 : x > y ? -1 : 1;
}
