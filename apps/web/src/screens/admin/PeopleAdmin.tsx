import { FormEvent, useCallback, useState } from 'react';
import type { Page, PersonListName, PersonView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useResource } from '../../api/useResource';
import { useSession } from '../../session-context';
import { PersonPanel } from './PersonPanel';
import { BulkImport } from './BulkImport';
import { consentFrom } from './person-forms';
import { ErrorLine } from '../../components/ErrorLine';
import { ListSelect } from '../../components/ListSelect';
import { Feedback } from '../../components/Feedback';

export function PeopleAdmin() {
  const session = useSession();
  const [query, setQuery] = useState('');
  const [list, setList] = useState<'' | PersonListName>('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { data: people, error, reload } = useResource(
    useCallback(() => {
      const params = new URLSearchParams({ limit: '200', ...(query.trim() ? { q: query.trim() } : {}), ...(list ? { list } : {}) });
      return session.api.get<Page<PersonView>>(`/api/persons?${params}`);
    }, [session.api, query, list]),
  );

  const selected = people?.items.find((p) => p.id === selectedId) ?? null;

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="people-title">
        <h1 id="people-title">People</h1>
        <div className="row filters">
          <span className="field">
            <label htmlFor="p-search">Search by name</label>
            <input id="p-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </span>
          <ListSelect id="p-list" value={list} onChange={setList} />
        </div>
        <ErrorLine text={error} />
        {people && people.items.length === 0 && <p className="empty">Nobody here yet. Add a person with the form.</p>}
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">List</th>
              <th scope="col">Photos</th>
              <th scope="col">Consent</th>
            </tr>
          </thead>
          <tbody>
            {people?.items.map((p) => (
              <tr key={p.id} className={p.id === selectedId ? 'row--active' : undefined}>
                <th scope="row">
                  <button type="button" className="linklike" aria-current={p.id === selectedId ? "true" : undefined} onClick={() => setSelectedId(p.id)}>
                    {p.name}
                  </button>
                </th>
                <td>{p.list === 'watchlist' ? 'Watchlist' : 'Employee'}</td>
                <td>{p.referenceCount}</td>
                <td>{p.list === 'employee' ? (p.consent && !p.consent.withdrawnAt ? 'recorded' : 'missing') : 'n/a'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="stack">
        {selected && (
          <PersonPanel
            key={selected.id}
            person={selected}
            onChanged={reload}
            onErased={() => {
              setSelectedId(null);
              reload();
            }}
          />
        )}
        <AddPerson
          onAdded={(p) => {
            setSelectedId(p.id);
            reload();
          }}
        />
        <BulkImport onChanged={reload} />
      </div>
    </div>
  );
}

function AddPerson({ onAdded }: { onAdded: (p: PersonView) => void }) {
  const session = useSession();
  const [name, setName] = useState('');
  const [list, setList] = useState<PersonListName>('employee');
  const [notes, setNotes] = useState('');
  const [consentMethod, setConsentMethod] = useState('');
  const [consentRef, setConsentRef] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const consent = consentFrom(list, consentMethod, consentRef);
      const person = await session.api.post<PersonView>('/api/persons', { name, list, ...(notes.trim() ? { notes } : {}), ...(consent ? { consent } : {}) });
      setMessage(`${person.name} added. Now enrol a photo.`);
      setName('');
      setNotes('');
      setConsentMethod('');
      setConsentRef('');
      onAdded(person);
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="add-person-title">
      <h2 id="add-person-title">Add a person</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="np-name">Name</label>
        <input id="np-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        <fieldset className="radios">
          <legend>List</legend>
          <label className="check">
            <input type="radio" name="np-list" checked={list === 'employee'} onChange={() => setList('employee')} /> Employee (attendance)
          </label>
          <label className="check">
            <input type="radio" name="np-list" checked={list === 'watchlist'} onChange={() => setList('watchlist')} /> Watchlist (alerts)
          </label>
        </fieldset>
        {list === 'employee' && (
          <>
            <label htmlFor="np-consent">Consent given by (needed before a photo can be enrolled)</label>
            <input id="np-consent" value={consentMethod} onChange={(e) => setConsentMethod(e.target.value)} placeholder="signed-form" maxLength={100} />
            <label htmlFor="np-consent-ref">Where the proof is kept (optional)</label>
            <input id="np-consent-ref" value={consentRef} onChange={(e) => setConsentRef(e.target.value)} maxLength={200} />
          </>
        )}
        <label htmlFor="np-notes">Notes (optional)</label>
        <textarea id="np-notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={2000} />
        <button type="submit" className="button button--primary">
          Add person
        </button>
      </form>
      <Feedback text={message} />
    </section>
  );
}
