import { useState } from 'preact/hooks';
import { ApiProblem, type ApiClient } from '../api-client';
import type { SessionDto } from '../../contracts/moderation-api';

interface SignInFormProps {
  api: ApiClient;
  /** Why the moderator is here again (expired session, signed out). */
  notice: string | null;
  onSignedIn: (session: SessionDto) => void;
}

function messageFor(error: unknown): string {
  if (!(error instanceof ApiProblem)) return 'Sign-in failed. Try again.';
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return 'Wrong email or password.';
    case 'ACCOUNT_LOCKED':
      return 'This account is locked for a while after too many attempts.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a moment and try again.';
    case 'VALIDATION_FAILED':
      return 'Enter an email address and a password.';
    default:
      return error.message;
  }
}

export function SignInForm({ api, notice, onSignedIn }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(email.trim(), password));
    } catch (caught) {
      setError(messageFor(caught));
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" class="brand">
          Parley <span class="muted">moderation</span>
        </h1>
        {notice ? (
          <p class="notice notice-info" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <label class="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button-primary" disabled={isBusy}>
          {isBusy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
