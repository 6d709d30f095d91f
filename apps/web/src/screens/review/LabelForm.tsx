import { useEffect, useMemo, useState } from 'react';
import type { Page, PersonView } from '@vigil/contracts';
import type { ReviewItemView, ReviewLabelName } from '../../api/review-types';
import { useSession } from '../../session-context';

/** One key per label. U is "unknown, rightly": nobody enrolled, and the system said so. */
export const LABELS: ReadonlyArray<{ label: ReviewLabelName; key: string; short: string; help: (item: ReviewItemView) => string }> = [
  { label: 'TP', key: 't', short: 'correct match', help: (i) => (i.candidate ? `Yes, this is ${i.candidate.personName}` : 'The named person is right') },
  { label: 'FP', key: 'f', short: 'wrong match', help: (i) => (i.candidate ? `No, this is not ${i.candidate.personName}` : 'The system named the wrong person') },
  { label: 'FN', key: 'n', short: 'missed', help: () => 'Someone enrolled, but the system did not name them' },
  { label: 'TN', key: 'u', short: 'correctly unknown', help: () => 'Nobody enrolled, and the system said unknown' },
];

export interface LabelExtra {
  actualPersonId: string;
  notEnrolled: boolean;
  notes: string;
}

export const EMPTY_EXTRA: LabelExtra = { actualPersonId: '', notEnrolled: false, notes: '' };

export function LabelForm(props: { item: ReviewItemView; busy: boolean; onLabel: (label: ReviewLabelName) => void; extra: LabelExtra; onChange: (extra: LabelExtra) => void }) {
  const { item, extra, onChange } = props;
  const session = useSession();
  const [people, setPeople] = useState<PersonView[]>([]);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    session.api.get<Page<PersonView>>('/api/persons?limit=500').then(
      (page) => setPeople(page.items),
      () => setPeople([]),
    );
  }, [session.api]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return people.filter((p) => p.id !== item.candidate?.personId && (!f || p.name.toLowerCase().includes(f)));
  }, [people, filter, item.candidate?.personId]);

  return (
    <form className="label-form" onSubmit={(e) => e.preventDefault()} aria-label="Label this item">
      <fieldset>
        <legend>Your verdict (press the key)</legend>
        <div className="label-buttons">
          {LABELS.map((l) => (
            <button key={l.label} type="button" className="button label-button" disabled={props.busy} onClick={() => props.onLabel(l.label)} aria-keyshortcuts={l.key.toUpperCase()}>
              <kbd>{l.key.toUpperCase()}</kbd> <strong>{l.label}</strong> <span>{l.help(item)}</span>
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>This is someone else (optional, with F or N)</legend>
        <div className="row">
          <span className="field">
            <label htmlFor="someone-filter">Find a person</label>
            <input id="someone-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name" />
          </span>
          <span className="field">
            <label htmlFor="someone-else">
              Actual person <kbd>S</kbd>
            </label>
            <select
              id="someone-else"
              value={extra.actualPersonId}
              onChange={(e) => onChange({ ...extra, actualPersonId: e.target.value, notEnrolled: false })}
            >
              <option value="">— not chosen —</option>
              {shown.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.list})
                </option>
              ))}
            </select>
          </span>
          <label className="check">
            <input type="checkbox" checked={extra.notEnrolled} onChange={(e) => onChange({ ...extra, notEnrolled: e.target.checked, actualPersonId: '' })} />
            Not anyone enrolled
          </label>
        </div>
      </fieldset>
      <label htmlFor="review-notes">Notes (optional)</label>
      <textarea id="review-notes" rows={2} maxLength={2000} value={extra.notes} onChange={(e) => onChange({ ...extra, notes: e.target.value })} />
      <p className="muted small">
        Keys: <kbd>T</kbd> <kbd>F</kbd> <kbd>N</kbd> <kbd>U</kbd> label · <kbd>J</kbd>/<kbd>K</kbd> next/previous · <kbd>S</kbd> pick the actual person.
        Keys do nothing while typing in a field; press <kbd>Tab</kbd> to leave it.
      </p>
    </form>
  );
}
