import { useState } from 'react';
import type { FormEvent } from 'react';

/** Asks for the access token when the server answers 401. */
export function LoginScreen({
  message,
  onSubmit,
}: {
  message: string | null;
  onSubmit: (token: string) => void;
}) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== '') onSubmit(token.trim());
  };
  return (
    <div className="login" data-testid="login-screen">
      <form className="login-card" onSubmit={submit}>
        <h1>gsd-harness</h1>
        <p>Paste the access token printed by gsd-harness start.</p>
        <label className="field">
          <span>Access token</span>
          <input
            data-testid="login-token"
            type="password"
            autoComplete="off"
            autoFocus
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        {message !== null && (
          <p className="error" role="alert">
            {message}
          </p>
        )}
        <button type="submit" className="primary" data-testid="login-submit" disabled={token.trim() === ''}>
          Connect
        </button>
      </form>
    </div>
  );
}
