import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorText } from '../../api/http';
import type { ReviewItemView, ReviewLabelName, ReviewQueueView, ReviewStatus } from '../../api/review-types';
import { useObservable } from '../../api/store';
import { useResource } from '../../api/useResource';
import { dateTime } from '../../components/format';
import { useSession } from '../../session-context';
import { EMPTY_EXTRA, LabelExtra, LabelForm, LABELS } from './LabelForm';
import { ReviewItemDetail } from './ReviewItemDetail';
import { ErrorLine } from '../../components/ErrorLine';

/** 'open' includes watchlist alerts that have one label and wait for a second reviewer. */
const FILTERS: Array<{ value: ReviewStatus | 'all'; label: string }> = [
  { value: 'open', label: 'To review' },
  { value: 'labelled', label: 'Labelled' },
  { value: 'confirmed', label: 'Confirmed (two reviewers)' },
  { value: 'expired', label: 'Expired' },
  { value: 'all', label: 'All' },
];

const KIND_TEXT: Record<ReviewItemView['kind'], string> = { alert: 'Alert', attendance: 'Attendance', unknown: 'Unknown face', sample: 'Sample' };

export function ReviewQueue() {
  const session = useSession();
  const pushes = useObservable(session.reviewPushes);
  const [status, setStatus] = useState<ReviewStatus | 'all'>('open');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [extra, setExtra] = useState<LabelExtra>(EMPTY_EXTRA);

  const {
    data: queue,
    error,
    reload,
    mutate,
  } = useResource(useCallback(() => session.api.get<ReviewQueueView>(`/api/reviews/queue?limit=50&offset=0&status=${status}`), [session.api, status]));
  // New items arrive as `review.item` pushes.
  useEffect(() => {
    if (pushes > 0) reload();
  }, [pushes, reload]);

  const items = useMemo(() => queue?.items ?? [], [queue]);
  // The chosen item, or the first one when nothing (or something no longer listed) is chosen.
  const chosen = items.findIndex((i) => i.id === selectedId);
  const index = chosen >= 0 ? chosen : items.length > 0 ? 0 : -1;
  const selected = index >= 0 ? items[index]! : null;

  const move = useCallback(
    (delta: number) => {
      if (items.length === 0) return;
      const next = Math.min(items.length - 1, Math.max(0, index + delta));
      setSelectedId(items[next]!.id);
      setExtra(EMPTY_EXTRA);
      setMessage(null);
    },
    [items, index],
  );

  const label = useCallback(
    async (value: ReviewLabelName) => {
      if (!selected || busy) return;
      setBusy(true);
      setMessage(null);
      try {
        const { item } = await session.api.post<{ item: ReviewItemView }>('/api/reviews', {
          itemId: selected.id,
          label: value,
          ...(extra.actualPersonId ? { actualPersonId: extra.actualPersonId } : {}),
          ...(extra.notEnrolled ? { notEnrolled: true } : {}),
          ...(extra.notes.trim() ? { notes: extra.notes.trim() } : {}),
        });
        setExtra(EMPTY_EXTRA);
        const keep = status === 'all' || item.status === status;
        const rest = items.filter((i) => i.id !== item.id);
        const nextItems = keep ? items.map((i) => (i.id === item.id ? item : i)) : rest;
        mutate((q) => (q ? { ...q, items: nextItems, total: keep ? q.total : q.total - 1 } : q));
        // On to the next item (one still waiting for a second reviewer stays listed for others).
        const following = keep ? items[index + 1] : rest[Math.min(index, rest.length - 1)];
        setSelectedId(following?.id ?? (keep ? item.id : null));
        const text = LABELS.find((l) => l.label === value)!.short;
        const pending = item.requiredLabels > item.labels.length ? ` It needs ${item.requiredLabels - item.labels.length} more reviewer.` : '';
        setMessage(`Labelled ${value} (${text}).${pending}`);
      } catch (e) {
        setMessage(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [selected, busy, session.api, status, items, index, extra, mutate],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const key = event.key.toLowerCase();
      const hit = LABELS.find((l) => l.key === key);
      if (hit) {
        event.preventDefault();
        void label(hit.label);
      } else if (key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        move(1);
      } else if (key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        move(-1);
      } else if (key === 's') {
        event.preventDefault();
        document.getElementById('someone-else')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [label, move]);

  return (
    <div className="review">
      <section className="review__queue panel" aria-labelledby="queue-title">
        <div className="section-head">
          <h1 id="queue-title">Review queue</h1>
          <span className="count" data-testid="queue-total">
            {queue ? `${queue.total} item${queue.total === 1 ? '' : 's'}` : ''}
          </span>
        </div>
        <label htmlFor="queue-filter">Show</label>
        <select id="queue-filter" value={status} onChange={(e) => setStatus(e.target.value as ReviewStatus | 'all')}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <ErrorLine text={error && `The queue could not be loaded: ${error}`} />
        {queue && items.length === 0 && <p className="empty">Nothing to review here.</p>}
        <ul className="queue" aria-label="Items">
          {items.map((i) => (
            <li key={i.id}>
              <button type="button" className="queue__item" aria-current={i.id === selected?.id ? 'true' : undefined} onClick={() => {
                  setSelectedId(i.id);
                  setExtra(EMPTY_EXTRA);
                }}>
                <span>
                  <strong>{KIND_TEXT[i.kind]}</strong> · {i.candidate?.personName ?? 'no match'}
                </span>
                <span className="muted">
                  {i.cameraName ?? 'Kiosk'} · {dateTime(i.createdAt)} · {i.labels.length}/{i.requiredLabels} labels
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="review__item panel" aria-labelledby="item-title">
        {selected ? (
          <>
            <ReviewItemDetail item={selected} />
            <LabelForm item={selected} busy={busy} onLabel={(l) => void label(l)} extra={extra} onChange={setExtra} />
          </>
        ) : (
          <h2 id="item-title">No item selected</h2>
        )}
        <p className="feedback" role="status" aria-live="polite" data-testid="review-feedback">
          {message}
        </p>
      </section>
    </div>
  );
}
