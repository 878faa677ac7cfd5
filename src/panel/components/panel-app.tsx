import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApiClient, type Credentials } from '../api-client';
import { clearSession, fromSessionDto, loadSession, saveSession, type StoredSession } from '../session-store';
import { SignInForm } from './sign-in-form';
import { PanelShell } from './panel-shell';
import { t } from '../i18n';


/** Holds the session: the sign-in form without one, the panel with one. */
export function PanelApp() {
  const [session, setSession] = useState<StoredSession | null>(() => loadSession());
  const [isChecking, setChecking] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const sessionRef = useRef<StoredSession | null>(session);
  sessionRef.current = session;

  const api = useMemo(
    () =>
      createApiClient({
        getCredentials: (): Credentials => ({
          token: sessionRef.current?.token ?? null,
          csrfToken: sessionRef.current?.csrfToken ?? null,
        }),
        onSessionLost: () => {
          if (sessionRef.current === null) return;
          sessionRef.current = null;
          clearSession();
          setSession(null);
          setNotice(t('session.expired'));
        },
      }),
    [],
  );

  // A stored token or a session cookie from an earlier tab may still be valid.
  useEffect(() => {
    let isCurrent = true;
    api.currentSession().then(
      (current) => {
        if (!isCurrent) return;
        const stored = sessionRef.current;
        const next: StoredSession = {
          token: current.token ?? stored?.token ?? null,
          csrfToken: current.csrfToken ?? stored?.csrfToken ?? null,
          expiresAt: current.expiresAt ?? stored?.expiresAt ?? null,
          moderator: current.moderator,
        };
        saveSession(next);
        setSession(next);
        setChecking(false);
      },
      () => {
        if (!isCurrent) return;
        if (sessionRef.current !== null) {
          clearSession();
          setSession(null);
          setNotice(t('session.expired'));
        }
        setChecking(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  if (isChecking && session === null) {
    return (
      <main class="sign-in" aria-busy="true">
        <p class="muted">{t('common.loading')}</p>
      </main>
    );
  }

  if (session === null) {
    return (
      <SignInForm
        api={api}
        notice={notice}
        onSignedIn={(dto) => {
          const stored = fromSessionDto(dto);
          saveSession(stored);
          sessionRef.current = stored;
          setNotice(null);
          setChecking(false);
          setSession(stored);
        }}
      />
    );
  }

  return (
    <PanelShell
      key={session.moderator.id}
      api={api}
      session={session}
      onSessionLost={() => {
        sessionRef.current = null;
        clearSession();
        setSession(null);
        setNotice(t('session.expired'));
      }}
      onSignOut={() => {
        const done = () => {
          sessionRef.current = null;
          clearSession();
          setSession(null);
          setNotice(t('session.signedOut'));
        };
        api.signOut().then(done, done);
      }}
    />
  );
}
