import type { PersonListName } from '@vigil/contracts';

/** "Both / Watchlist / Employees" filter; '' means both lists. */
export function ListSelect({ id, value, onChange }: { id: string; value: PersonListName | ''; onChange: (list: PersonListName | '') => void }) {
  return (
    <span className="field">
      <label htmlFor={id}>List</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as PersonListName | '')}>
        <option value="">Both</option>
        <option value="watchlist">Watchlist</option>
        <option value="employee">Employees</option>
      </select>
    </span>
  );
}
