import { useState } from 'preact/hooks';
import { ApiProblem, type ApiClient } from '../api-client';
import type { SessionDto } from '../../contracts/moderation-api';
import { t } from '../i18n';

interface SignInFormProps {
  api: ApiClient;
  /** Why the moderator is here again (expired session, signed out). */
  notice: string | null;
  onSignedIn: (session: SessionDto) => void;
}

function messageFor(error: unknown): string {
  if (!(error instanceof ApiProblem)) return t('signIn.failed');
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return t('signIn.wrongCredentials');
    case 'ACCOUNT_LOCKED':
      return t('signIn.locked');
    case 'RATE_LIMITED':
      return t('signIn.rateLimited');
    case 'VALIDATION_FAILED':
      return t('signIn.missing');
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
          Parley <span class="muted">{t('signIn.brandSuffix')}</span>
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
          <span>{t('signIn.email')}</span>
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
          <span>{t('signIn.password')}</span>
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
          {isBusy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
