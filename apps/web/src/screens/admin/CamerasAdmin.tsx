import { FormEvent, ReactNode, useEffect, useState } from 'react';
import type { CameraView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useObservable } from '../../api/store';
import { ago } from '../../components/format';
import { useNow } from '../../components/useNow';
import { useSession } from '../../session-context';
import { FLAGGED, STATUS_LABEL } from '../dashboard/CameraGrid';
import { ErrorLine } from '../../components/ErrorLine';
import { AttemptsPanel } from './AttemptsPanel';
import { Feedback } from '../../components/Feedback';

interface Draft {
  name: string;
  url: string;
  fps: string;
}

const EMPTY: Draft = { name: '', url: '', fps: '5' };

export function CamerasAdmin() {
  const session = useSession();
  const cameras = useObservable(session.cameras.cameras);
  const loadError = useObservable(session.cameras.error);
  const now = useNow(1000);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<{ id: string; draft: Draft } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [attemptsOf, setAttemptsOf] = useState<string | null>(null);
  const inspected = cameras.find((c) => c.id === attemptsOf) ?? null;
  useEffect(() => session.cameras.watch(), [session]);

  const run = async (what: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await what();
      setMessage(done);
      await session.cameras.refresh();
      return true;
    } catch (e) {
      setMessage(errorText(e));
      return false;
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => session.api.post('/api/cameras', { name: draft.name, url: draft.url, fps: Number(draft.fps) }), `Camera “${draft.name}” added; it starts within seconds.`)) {
      setDraft(EMPTY);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const d = editing.draft;
    if (await run(() => session.api.patch(`/api/cameras/${editing.id}`, { name: d.name, url: d.url, fps: Number(d.fps) }), `Camera “${d.name}” saved.`)) setEditing(null);
  };

  const toggle = (c: CameraView) =>
    void run(() => session.api.patch(`/api/cameras/${c.id}`, { enabled: !c.enabled }), c.enabled ? `“${c.name}” disabled.` : `“${c.name}” enabled.`);

  const remove = (c: CameraView) => {
    if (window.confirm(`Delete camera “${c.name}”? Its history stays in the audit log.`)) void run(() => session.api.del(`/api/cameras/${c.id}`), `“${c.name}” deleted.`);
  };

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="cams-title">
        <h1 id="cams-title">Cameras</h1>
        <ErrorLine text={loadError} />
        <Feedback text={message} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Stream</th>
              <th scope="col">Status</th>
              <th scope="col">Worker</th>
              <th scope="col">fps (measured / target)</th>
              <th scope="col">Last frame</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {cameras.map((c) =>
              editing?.id === c.id ? (
                <tr key={c.id}>
                  <td colSpan={7}>
                    <CameraForm idPrefix="edit" draft={editing.draft} onChange={(d) => setEditing({ id: c.id, draft: d })} onSubmit={(e) => void save(e)} submit="Save">
                      <button type="button" className="button button--quiet" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </CameraForm>
                  </td>
                </tr>
              ) : (
                <tr key={c.id} className={FLAGGED.has(c.status) ? 'row--flagged' : undefined}>
                  <th scope="row">{c.name}</th>
                  <td className="mono">{c.url}</td>
                  <td>
                    <span className={`status status--${c.status}`}>
                      {FLAGGED.has(c.status) && <span aria-hidden="true">⚠ </span>}
                      {STATUS_LABEL[c.status]}
                    </span>
                    {FLAGGED.has(c.status) && c.statusReason && <div className="small muted">{c.statusReason}</div>}
                  </td>
                  <td title={c.leaseEpoch ? `lease epoch ${c.leaseEpoch}` : undefined}>{c.worker ? c.worker.name : c.enabled ? 'none' : '—'}</td>
                  <td>
                    {c.measuredFps === null ? '—' : c.measuredFps.toFixed(1)} / {c.fps}
                  </td>
                  <td>{ago(c.lastFrameAt, now)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button"
                      onClick={() => setAttemptsOf(attemptsOf === c.id ? null : c.id)}
                      aria-expanded={attemptsOf === c.id}
                      aria-label={`Recognition attempts of ${c.name}`}
                    >
                      Attempts
                    </button>
                    <button type="button" className="button" onClick={() => setEditing({ id: c.id, draft: { name: c.name, url: c.url, fps: String(c.fps) } })} aria-label={`Edit ${c.name}`}>
                      Edit
                    </button>
                    <button type="button" className="button" onClick={() => toggle(c)} aria-label={`${c.enabled ? 'Disable' : 'Enable'} ${c.name}`}>
                      {c.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" className="button button--danger" onClick={() => remove(c)} aria-label={`Delete ${c.name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="cam-add-title">
        <h2 id="cam-add-title">Add a camera</h2>
        <CameraForm idPrefix="add" draft={draft} onChange={setDraft} onSubmit={(e) => void add(e)} submit="Add camera" />
        <p className="muted small">rtsp, rtsps, http or https. A password in the URL, and any query value other than channel, subtype, stream, profile and the like, is stored but never shown again (it reads ***).</p>
      </section>
      {inspected && <AttemptsPanel key={inspected.id} camera={inspected} onClose={() => setAttemptsOf(null)} />}
    </div>
  );
}

function CameraForm(props: { idPrefix: string; draft: Draft; onChange: (d: Draft) => void; onSubmit: (e: FormEvent) => void; submit: string; children?: ReactNode }) {
  const { draft, onChange, idPrefix } = props;
  return (
    <form onSubmit={(e) => props.onSubmit(e)} className="camera-form">
      <label htmlFor={`${idPrefix}-name`}>Name</label>
      <input id={`${idPrefix}-name`} value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} required maxLength={100} />
      <label htmlFor={`${idPrefix}-url`}>Stream URL</label>
      <input id={`${idPrefix}-url`} value={draft.url} onChange={(e) => onChange({ ...draft, url: e.target.value })} required placeholder="rtsp://user:pass@10.0.0.5:554/stream1" />
      <label htmlFor={`${idPrefix}-fps`}>Frames per second to analyse</label>
      <input id={`${idPrefix}-fps`} type="number" min={0.1} max={30} step={0.1} value={draft.fps} onChange={(e) => onChange({ ...draft, fps: e.target.value })} required />
      <div className="row">
        <button type="submit" className="button button--primary">
          {props.submit}
        </button>
        {props.children}
      </div>
    </form>
  );
}
