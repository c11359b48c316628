import type { HistoryFilter } from '../hooks/useHistory';

/** Status, directory and command filters for the history list. */
export function HistoryFilters({
  filter,
  onChange,
}: {
  filter: HistoryFilter;
  onChange: (filter: HistoryFilter) => void;
}) {
  return (
    <div className="filters">
      <label className="field">
        <span>Status</span>
        <select
          data-testid="history-filter-status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value as HistoryFilter['status'] })}
        >
          <option value="ended">ended</option>
          <option value="completed">completed</option>
          <option value="failed">failed</option>
        </select>
      </label>
      <label className="field">
        <span>Directory contains</span>
        <input
          data-testid="history-filter-dir"
          spellCheck={false}
          value={filter.dir}
          onChange={(event) => onChange({ ...filter, dir: event.target.value })}
        />
      </label>
      <label className="field">
        <span>Command contains</span>
        <input
          data-testid="history-filter-q"
          spellCheck={false}
          value={filter.q}
          onChange={(event) => onChange({ ...filter, q: event.target.value })}
        />
      </label>
    </div>
  );
}
