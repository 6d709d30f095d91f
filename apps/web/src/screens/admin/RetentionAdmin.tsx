import { FormEvent, useCallback, useState } from 'react';
import type { RetentionRuleView, RetentionSettingName, RetentionSettingsView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useResource } from '../../api/useResource';
import { ErrorLine } from '../../components/ErrorLine';
import { useSession } from '../../session-context';
import { Feedback } from '../../components/Feedback';

const SOURCE_TEXT: Record<RetentionRuleView['source'], string> = {
  setting: 'set here',
  environment: 'VIGIL_RETENTION_*_DAYS',
  default: 'built-in default',
  'review settings': 'review settings',
  'until erasure': 'until the person is erased',
  kept: 'not expired',
};

const kept = (days: number | null) => (days === null ? 'no expiry' : `${days} ${days === 1 ? 'day' : 'days'}`);

/** Every kind of stored data and how long it is kept; frames, crops and attendance days are edited here. */
export function RetentionAdmin() {
  const session = useSession();
  const { data, error, mutate } = useResource(useCallback(() => session.api.get<RetentionSettingsView>('/api/settings/retention'), [session.api]));
  const [draft, setDraft] = useState<Partial<Record<RetentionSettingName, string>>>({});
  const [message, setMessage] = useState<string | null>(null);

  const send = async (patch: Partial<Record<RetentionSettingName, number | null>>, done: string) => {
    setMessage(null);
    try {
      const updated = await session.api.patch<RetentionSettingsView>('/api/settings/retention', patch);
      mutate(() => updated);
      setDraft({});
      setMessage(done);
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const patch = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, Number(v)]));
    if (Object.keys(patch).length === 0) return setMessage('Nothing changed.');
    void send(patch, 'Retention saved. The next run (hourly) applies it.');
  };

  return (
    <section className="panel" aria-labelledby="retention-title">
      <h1 id="retention-title">Retention</h1>
      <p className="muted">
        How long evidence is kept. The retention job runs hourly and deletes files and rows past these limits; an alert keeps its row and shows
        “evidence expired”.
      </p>
      <ErrorLine text={error} />
      <form onSubmit={save}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Data</th>
              <th scope="col">Kept for</th>
              <th scope="col">Set by</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {data?.rules.map((rule) => (
              <tr key={rule.kind} data-kind={rule.kind}>
                <th scope="row">{rule.data}</th>
                <td>
                  {rule.setting ? (
                    <>
                      <input
                        type="number"
                        min={rule.min ?? undefined}
                        max={rule.max ?? undefined}
                        step={1}
                        aria-label={`Days to keep: ${rule.data}`}
                        value={draft[rule.setting] ?? String(rule.days)}
                        onChange={(e) => setDraft((d) => ({ ...d, [rule.setting!]: e.target.value }))}
                      />{' '}
                      days
                    </>
                  ) : (
                    kept(rule.days)
                  )}
                </td>
                <td>
                  {SOURCE_TEXT[rule.source]}
                  {rule.setting && rule.source === 'setting' && (
                    <>
                      {' '}
                      <button type="button" className="button button--quiet" onClick={() => void send({ [rule.setting!]: null }, `Back to the default (${rule.defaultDays} days).`)}>
                        Use default ({rule.defaultDays})
                      </button>
                    </>
                  )}
                </td>
                <td className="muted">{rule.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit" className="button button--primary" disabled={!data}>
          Save retention
        </button>
      </form>
      <Feedback text={message} />
    </section>
  );
}
