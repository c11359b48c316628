/** An inline error under the control that caused it; renders nothing without one. */
export function ErrorText({ error, testId }: { error: string | null; testId?: string }) {
  if (error === null) return null;
  return (
    <p className="error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
