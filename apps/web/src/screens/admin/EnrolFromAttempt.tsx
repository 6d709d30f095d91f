import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { EnrolledFaceView, Page, PersonListName, PersonView, RecognitionAttemptView } from '@vigil/contracts';
import { ApiError } from '../../api/http';
import { forgetReferences, useFreshImage } from '../../api/media';
import { useResource } from '../../api/useResource';
import { ErrorLine } from '../../components/ErrorLine';
import { clock } from '../../components/format';
import { Img } from '../../components/Img';
import { ListSelect } from '../../components/ListSelect';
import { useSession } from '../../session-context';
import { distanceText, personName } from './attempt-text';
import { accepted, EnrolVerdict, refused, Verdict } from './EnrolVerdict';

const EXPIRED = 'This face is no longer kept (the pictures of attempts expire after a few minutes). Choose a newer attempt.';

/**
 * A modal dialog: the attempt's face, a person to enrol it for (the nearest person preselected) and
 * the verdict, as the photo upload shows it.
 */
export function EnrolFromAttempt({ cameraId, cameraName, attempt, onClose }: { cameraId: string; cameraName: string; attempt: RecognitionAttemptView; onClose: () => void }) {
  const session = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [list, setList] = useState<PersonListName | ''>('');
  const [personId, setPersonId] = useState(attempt.nearest?.personId ?? '');
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const image = useFreshImage(session.api, attempt.thumbnailUrl);
  const { data: people, error } = useResource(
    useCallback(() => {
      const params = new URLSearchParams({ limit: '200', ...(query.trim() ? { q: query.trim() } : {}), ...(list ? { list } : {}) });
      return session.api.get<Page<PersonView>>(`/api/persons?${params}`);
    }, [session.api, query, list]),
  );
  const options = people?.items ?? [];
  const chosen = options.some((p) => p.id === personId) ? personId : '';

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setVerdict(null);
    try {
      const face = await session.api.post<EnrolledFaceView>(`/api/cameras/${cameraId}/attempts/${attempt.id}/enrol`, { personId: chosen });
      forgetReferences(chosen);
      setVerdict(accepted(face));
    } catch (e) {
      setVerdict(refused(e, e instanceof ApiError && e.status === 404 ? EXPIRED : undefined));
    } finally {
      setBusy(false);
    }
  };

  const time = clock(attempt.at, true);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="enrol-attempt-title" onClose={onClose}>
      <h2 id="enrol-attempt-title">Enrol the face seen at {time}</h2>
      <div className="enrol-attempt">
        <Img image={image} alt={`Face seen by ${cameraName} at ${time}`} className="face face--large" missing="Picture expired" />
        <div>
          <p className="muted small">
            Seen by {cameraName}
            {attempt.nearest && (
              <>
                ; nearest: {personName(attempt.nearest.personName)} at {distanceText(attempt.nearest)}
              </>
            )}
            . The face is checked like an uploaded photo and becomes one more reference photo of the person.
          </p>
          <form onSubmit={(e) => void submit(e)}>
            <div className="row filters">
              <span className="field">
                <label htmlFor="ea-search">Search by name</label>
                <input id="ea-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
              </span>
              <ListSelect id="ea-list" value={list} onChange={setList} />
            </div>
            <ErrorLine text={error} />
            <label htmlFor="ea-person">Person</label>
            <select id="ea-person" value={chosen} onChange={(e) => setPersonId(e.target.value)} required>
              <option value="">{people ? (options.length ? 'Choose a person…' : 'Nobody matches') : 'Loading people…'}</option>
              {options.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.list === 'watchlist' ? 'watchlist' : 'employee'}
                  {p.list === 'employee' && (!p.consent || p.consent.withdrawnAt) ? ', no consent' : ''}, {p.referenceCount} {p.referenceCount === 1 ? 'photo' : 'photos'})
                </option>
              ))}
            </select>
            <button type="submit" className="button button--primary" disabled={busy || !chosen || verdict?.ok === true}>
              {busy ? 'Checking the face…' : 'Enrol this face'}
            </button>
          </form>
          <EnrolVerdict verdict={verdict} />
        </div>
      </div>
      <div className="dialog__foot">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
