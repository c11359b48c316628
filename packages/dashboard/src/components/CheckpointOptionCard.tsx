import type { CheckpointOption } from '../api/types';

/** One choice of a decision checkpoint, answered with its id in one click. */
export function CheckpointOptionCard({
  option,
  disabled,
  onChoose,
}: {
  option: CheckpointOption;
  disabled: boolean;
  onChoose: (id: string) => void;
}) {
  return (
    <div className="option-card">
      <div className="option-head">
        <strong>{option.name}</strong>
        <code className="muted">{option.id}</code>
      </div>
      {option.description !== null && <p>{option.description}</p>}
      {option.pros.length > 0 && (
        <ul className="pros">
          {option.pros.map((pro, i) => (
            <li key={i}>{pro}</li>
          ))}
        </ul>
      )}
      {option.cons.length > 0 && (
        <ul className="cons">
          {option.cons.map((con, i) => (
            <li key={i}>{con}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="primary"
        data-testid="checkpoint-option"
        data-option-id={option.id}
        disabled={disabled}
        onClick={() => onChoose(option.id)}
      >
        Choose {option.name}
      </button>
    </div>
  );
}
