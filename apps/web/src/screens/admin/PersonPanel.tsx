import { FormEvent, useCallback, useRef, useState } from 'react';
import type { EnrolledFaceView, FaceReferenceView, PersonView } from '@vigil/contracts';
import { errorText, isMissingRoute } from '../../api/http';
import { forgetReferences, useImage } from '../../api/media';
import { useResource } from '../../api/useResource';
import { dateTime } from '../../components/format';
import { Img } from '../../components/Img';
import { useSession } from '../../session-context';
import { ErrorLine } from '../../components/ErrorLine';
import { accepted, EnrolVerdict, refused, Verdict } from './EnrolVerdict';
import { Feedback } from '../../components/Feedback';

export function PersonPanel({ person, onChanged, onErased }: { person: PersonView; onChanged: () => void; onErased: () => void }) {
  const session = useSession();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const needsConsent = person.list === 'employee' && (!person.consent || person.consent.withdrawnAt !== null);

  const { data: refs, error: refsError, reload: loadRefs } = useResource(
    useCallback(() => session.api.get<FaceReferenceView[]>(`/api/persons/${person.id}/faces`), [session.api, person.id]),
  );

  const enrol = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return;
    setBusy(true);
    setVerdict(null);
    setMessage(null);
    try {
      const result = await session.api.upload<EnrolledFaceView>(`/api/persons/${person.id}/faces`, 'image', chosen, chosen.name);
      setVerdict(accepted(result));
      file.current!.value = '';
      forgetReferences(person.id);
      loadRefs();
      onChanged();
    } catch (e) {
      setVerdict(refused(e));
    } finally {
      setBusy(false);
    }
  };

  const removeRef = async (ref: FaceReferenceView) => {
    if (!window.confirm('Take this photo out of the gallery?')) return;
    try {
      await session.api.del(`/api/persons/${person.id}/faces/${ref.id}`);
      forgetReferences(person.id);
      loadRefs();
      onChanged();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const erase = async () => {
    if (!window.confirm(`Erase everything about ${person.name}: the person, every photo, crop, sighting and label? This cannot be undone.`)) return;
    setBusy(true);
    try {
      await session.api.post(`/api/persons/${person.id}/erase`);
      forgetReferences(person.id);
      onErased();
    } catch (e) {
      // A server without the erase route answers Nest's generic 404 ("Cannot POST …").
      setMessage(isMissingRoute(e) ? 'This server cannot erase people yet (update Vigil).' : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="person-title">
      <h2 id="person-title">
        {person.name} <span className={`badge badge--${person.list}`}>{person.list === 'watchlist' ? 'Watchlist' : 'Employee'}</span>
      </h2>
      {person.notes && <p className="muted">{person.notes}</p>}
      <h3>Reference photos</h3>
      <ErrorLine text={refsError} />
      {refs && refs.length === 0 && <p className="empty">No photo enrolled: this person cannot be recognised yet.</p>}
      <ul className="refs">
        {refs?.map((r, n) => (
          <li key={r.id}>
            <Reference url={r.imageUrl} alt={`Reference ${n + 1} of ${person.name}`} />
            <span className="small muted">
              {r.source}
              {r.outlier ? ' · outlier' : ''} · {dateTime(r.createdAt)}
            </span>
            <button type="button" className="button button--quiet" onClick={() => void removeRef(r)} aria-label={`Remove reference ${n + 1}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {needsConsent ? (
        <ConsentForm person={person} onSaved={onChanged} />
      ) : (
        <form onSubmit={(e) => void enrol(e)} className="enrol">
          <label htmlFor="enrol-file">Enrol a photo (JPEG, PNG or WebP; exactly one face, front-facing, sharp)</label>
          <input id="enrol-file" ref={file} type="file" accept="image/jpeg,image/png,image/webp" required />
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Checking the photo…' : 'Upload and check'}
          </button>
        </form>
      )}
      <EnrolVerdict verdict={verdict} />
      <Feedback text={message} />
      <div className="danger-zone">
        <button type="button" className="button button--danger" disabled={busy} onClick={() => void erase()}>
          Erase {person.name}
        </button>
        <span className="small muted">Removes the person and every photo, crop and record that names them.</span>
      </div>
    </section>
  );
}

function Reference({ url, alt }: { url: string | null; alt: string }) {
  const session = useSession();
  return <Img image={useImage(session.api, url)} alt={alt} className="face" missing="Photo not kept" />;
}

function ConsentForm({ person, onSaved }: { person: PersonView; onSaved: () => void }) {
  const session = useSession();
  const [method, setMethod] = useState('');
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await session.api.patch(`/api/persons/${person.id}`, { consent: { method, ...(reference ? { reference } : {}) } });
      onSaved();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <form onSubmit={(e) => void save(e)} className="enrol">
      <p>An employee's photo can be enrolled only after their consent is recorded.</p>
      <label htmlFor="consent-method">Consent given by</label>
      <input id="consent-method" value={method} onChange={(e) => setMethod(e.target.value)} required placeholder="signed-form" maxLength={100} />
      <label htmlFor="consent-ref">Where the proof is kept (optional)</label>
      <input id="consent-ref" value={reference} onChange={(e) => setReference(e.target.value)} maxLength={200} />
      <button type="submit" className="button button--primary">
        Record consent
      </button>
      <Feedback text={message} />
    </form>
  );
}
