import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../api/http';
import { answerCheckpoint } from '../api/sessions';
import type { CheckpointView } from '../api/types';
import { CheckpointOptionCard } from './CheckpointOptionCard';
import { ErrorText } from './ErrorText';

const TYPE_TITLES: Record<CheckpointView['type'], string> = {
  'human-verify': 'Verification required',
  decision: 'Decision required',
  'human-action': 'Action required',
  'verify-work': 'Verify work',
  input: 'Input requested',
};

function Steps({ title, steps }: { title: string; steps: string[] }) {
  if (steps.length === 0) return null;
  return (
    <div className="checkpoint-section">
      <h4>{title}</h4>
      <ol>
        {steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
    </div>
  );
}

function Text({ title, text }: { title: string; text: string | null | undefined }) {
  if (text == null || text === '') return null;
  return (
    <div className="checkpoint-section">
      <h4>{title}</h4>
      <p className="prewrap">{text}</p>
    </div>
  );
}

/**
 * What a waiting session asks, and one-click answers: option ids, the keywords the agent expects,
 * or free text. `checkpoint` is undefined while its details are still loading or were not detected.
 */
export function CheckpointPanel({
  sessionId,
  checkpoint,
}: {
  sessionId: string;
  checkpoint: CheckpointView | undefined;
}) {
  const [answer, setAnswer] = useState('');
  const [sending, setSending] = useState(false);
  const [answered, setAnswered] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const respond = (response: string) => {
    setSending(true);
    answerCheckpoint(sessionId, response)
      .then(() => {
        setAnswered(response);
        setError(null);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setSending(false));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (answer.trim() !== '') respond(answer);
  };

  const type = checkpoint?.type;
  const optionIds = new Set(checkpoint?.options.map((option) => option.id));
  const keywords = (checkpoint?.resumeKeywords ?? []).filter((word) => !optionIds.has(word));
  const busy = sending || answered !== null;

  return (
    <section className="checkpoint" data-testid="checkpoint-panel" data-type={type ?? 'unknown'}>
      <header className="checkpoint-head">
        <h3>{checkpoint?.title ?? (type === undefined ? 'Waiting for input' : TYPE_TITLES[type])}</h3>
        {type !== undefined && <span className="badge badge-waiting_checkpoint">{type}</span>}
        {checkpoint?.progress != null && <span className="muted">{checkpoint.progress}</span>}
        {checkpoint?.plan != null && <span className="muted">plan {checkpoint.plan}</span>}
      </header>
      {checkpoint !== undefined && (
        <>
          <Text title="Task" text={checkpoint.task} />
          <Text title="What was built" text={checkpoint.built} />
          <Steps title="How to verify" steps={checkpoint.verifySteps} />
          <Text title="Decision" text={checkpoint.decision} />
          <Text title="Context" text={checkpoint.context} />
          {checkpoint.options.length > 0 && (
            <div className="options">
              {checkpoint.options.map((option) => (
                <CheckpointOptionCard key={option.id} option={option} disabled={busy} onChoose={respond} />
              ))}
            </div>
          )}
          <Steps title="What to do" steps={checkpoint.actionSteps} />
          <Text title="The agent will check" text={checkpoint.verification} />
          <Text title="Next command" text={checkpoint.nextCommand} />
          {checkpoint.resumeInstruction !== null && (
            <p className="resume-instruction">{checkpoint.resumeInstruction}</p>
          )}
          {keywords.length > 0 && (
            <div className="keywords">
              {keywords.map((word) => (
                <button
                  key={word}
                  type="button"
                  className="primary"
                  data-testid="checkpoint-keyword"
                  data-keyword={word}
                  disabled={busy}
                  onClick={() => respond(word)}
                >
                  {word}
                </button>
              ))}
            </div>
          )}
          {checkpoint.screen !== '' && (
            <details className="checkpoint-screen">
              <summary>Screen text</summary>
              <pre>{checkpoint.screen}</pre>
            </details>
          )}
        </>
      )}
      {answered !== null ? (
        <p className="answered" data-testid="checkpoint-answered">
          Answered “{answered}” — waiting for the session to resume.
        </p>
      ) : (
        <form className="answer" onSubmit={submit}>
          <input
            data-testid="checkpoint-answer"
            placeholder="Or type an answer"
            value={answer}
            onChange={(event) => setAnswer(event.target.value)}
          />
          <button type="submit" data-testid="checkpoint-send" disabled={busy || answer.trim() === ''}>
            Send
          </button>
        </form>
      )}
      <ErrorText error={error} testId="checkpoint-error" />
    </section>
  );
}
