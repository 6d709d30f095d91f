import { FormEvent, useRef, useState } from 'react';
import type { EnrolledFaceView, Page, PersonListName, PersonView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useSession } from '../../session-context';
import { consentFrom, REASON_TEXT, refusalReasons } from './person-forms';

type Status =
  | { kind: 'waiting' }
  | { kind: 'uploading' }
  | { kind: 'accepted'; outlier: boolean }
  | { kind: 'rejected'; reasons: string[]; message: string };

interface Row {
  key: string;
  person: string | null;
  file: File;
  status: Status;
}

/** Files the folder picker gives, grouped as `vigil enroll --dir` does: `<folder>/<person>/<image>`. */
function rowsOf(files: FileList): Row[] {
  const rows: Row[] = [];
  for (const file of Array.from(files)) {
    const parts = (file.webkitRelativePath || file.name).split('/');
    if (parts.some((p) => p.startsWith('.'))) continue; // dot-files and folders, as the CLI
    const key = parts.join('/');
    if (parts.length === 3) rows.push({ key, person: parts[1]!.trim(), file, status: { kind: 'waiting' } });
    else if (parts.length < 3) rows.push({ key, person: null, file, status: { kind: 'rejected', reasons: ['not_in_person_folder'], message: 'Put each photo in a folder named after the person.' } });
    else rows.push({ key, person: parts[1]!.trim(), file, status: { kind: 'rejected', reasons: ['nested_folder'], message: 'Only one folder level per person is read.' } });
  }
  return rows;
}

const statusText = (s: Status): string =>
  s.kind === 'waiting' ? 'Waiting' :
  s.kind === 'uploading' ? 'Checking…' :
  s.kind === 'accepted' ? (s.outlier ? 'Accepted (flagged as an outlier: unlike the other photos)' : 'Accepted') :
  `Refused: ${s.reasons.map((r) => REASON_TEXT[r] ?? r).join(', ') || s.message}`;

/**
 * Bulk import in the browser, the folder layout of `vigil enroll --dir`: pick a folder holding one
 * sub-folder per person. A person of that name on the list is reused, otherwise created (employees
 * with the consent given here); every photo then goes through the same upload and quality gate as
 * a single enrolment, one at a time, with its verdict in the table as it comes.
 */
export function BulkImport({ onChanged }: { onChanged: () => void }) {
  const session = useSession();
  const picker = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<PersonListName>('watchlist');
  const [consentMethod, setConsentMethod] = useState('');
  const [consentRef, setConsentRef] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [running, setRunning] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const setStatus = (key: string, status: Status) => setRows((all) => all.map((r) => (r.key === key ? { ...r, status } : r)));

  /** The person of that name on the list (case-insensitive), or a new one. */
  const personFor = async (name: string): Promise<{ person: PersonView; created: boolean }> => {
    const params = new URLSearchParams({ q: name, list, limit: '50' });
    const found = (await session.api.get<Page<PersonView>>(`/api/persons?${params}`)).items.find((p) => p.name.toLowerCase() === name.toLowerCase());
    const consent = consentFrom(list, consentMethod, consentRef);
    if (found) {
      if (consent && (!found.consent || found.consent.withdrawnAt !== null)) await session.api.patch(`/api/persons/${found.id}`, { consent });
      return { person: found, created: false };
    }
    return { person: await session.api.post<PersonView>('/api/persons', { name, list, ...(consent ? { consent } : {}) }), created: true };
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const files = picker.current?.files;
    if (!files || files.length === 0) return;
    const planned = rowsOf(files);
    setRows(planned);
    setMessage(null);
    setRunning(true);
    let accepted = 0;
    let rejected = planned.filter((r) => r.status.kind === 'rejected').length;
    let created = 0;
    try {
      const people = new Map<string, PersonView | Error>();
      for (const row of planned) {
        if (row.status.kind !== 'waiting' || row.person === null) continue;
        if (!people.has(row.person.toLowerCase())) {
          const got = await personFor(row.person).catch((e: unknown) => new Error(errorText(e)));
          if (!(got instanceof Error) && got.created) created++;
          people.set(row.person.toLowerCase(), got instanceof Error ? got : got.person);
        }
        const person = people.get(row.person.toLowerCase())!;
        if (person instanceof Error) {
          rejected++;
          setStatus(row.key, { kind: 'rejected', reasons: [], message: `The person could not be added: ${person.message}` });
          continue;
        }
        setStatus(row.key, { kind: 'uploading' });
        try {
          const result = await session.api.upload<EnrolledFaceView>(`/api/persons/${person.id}/faces`, 'image', row.file, row.file.name);
          accepted++;
          setStatus(row.key, { kind: 'accepted', outlier: result.outlier });
        } catch (e) {
          rejected++;
          const reasons = refusalReasons(e);
          setStatus(row.key, { kind: 'rejected', reasons, message: errorText(e) });
        }
      }
      setMessage(`Import finished: ${accepted} accepted, ${rejected} refused, ${created} ${created === 1 ? 'person' : 'people'} added.`);
    } finally {
      setRunning(false);
      onChanged();
    }
  };

  const done = rows.filter((r) => r.status.kind === 'accepted' || r.status.kind === 'rejected').length;
  return (
    <section className="panel" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Bulk import</h2>
      <form onSubmit={(e) => void start(e)} className="enrol">
        <p className="muted">A folder with one sub-folder per person, named after them, holding their photos (the same layout as <code>vigil enroll --dir</code>).</p>
        <fieldset className="radios">
          <legend>Import into</legend>
          <label className="check">
            <input type="radio" name="bulk-list" checked={list === 'watchlist'} onChange={() => setList('watchlist')} /> Watchlist
          </label>
          <label className="check">
            <input type="radio" name="bulk-list" checked={list === 'employee'} onChange={() => setList('employee')} /> Employees
          </label>
        </fieldset>
        {list === 'employee' && (
          <>
            <label htmlFor="bulk-consent">Consent given by (for everyone imported; without it employees without consent are refused)</label>
            <input id="bulk-consent" value={consentMethod} onChange={(e) => setConsentMethod(e.target.value)} placeholder="signed-form" maxLength={100} />
            <label htmlFor="bulk-consent-ref">Where the proof is kept (optional)</label>
            <input id="bulk-consent-ref" value={consentRef} onChange={(e) => setConsentRef(e.target.value)} maxLength={200} />
          </>
        )}
        <label htmlFor="bulk-folder">Folder to import</label>
        <input id="bulk-folder" ref={picker} type="file" multiple required {...{ webkitdirectory: '' }} />
        <button type="submit" className="button button--primary" disabled={running}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </form>
      <p className="feedback" role="status" aria-live="polite" data-testid="bulk-summary">
        {running ? `${done} of ${rows.length} photos checked…` : message}
      </p>
      {rows.length > 0 && (
        <table className="table" data-testid="bulk-report">
          <caption>Each photo and its verdict</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Photo</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.status.kind === 'rejected' ? 'row--refused' : undefined}>
                <td>{r.person ?? '—'}</td>
                <th scope="row">{r.file.name}</th>
                <td>{statusText(r.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
