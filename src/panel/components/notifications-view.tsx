import { useCallback, useEffect, useState } from 'preact/hooks';
import { MODERATOR_MAIL_MODES, type MailLanguageCode, type ModeratorMailMode, type ModeratorNotificationsDto } from '../../contracts/notifications';
import { ApiProblem } from '../api-client';
import { panelTranslator, t } from '../i18n';
import { usePanel } from './panel-context';

type Modes = Record<string, ModeratorMailMode>;

function modesOf(settings: ModeratorNotificationsDto): Modes {
  return Object.fromEntries(settings.sites.map((entry) => [entry.site, entry.mode]));
}

/** Mails come in the panel's language (one of the mail languages), whichever site they are about. */
function mailLanguage(): MailLanguageCode {
  const lang = panelTranslator.lang;
  return lang === 'ru' || lang === 'uk' ? lang : 'en';
}

/**
 * My notifications: per site, whether new pending and reported comments reach
 * me by mail at once, in an hourly or daily digest, or not at all (the default).
 * Says so plainly when the server cannot send mail.
 */
export function NotificationsView() {
  const { api, notify } = usePanel();
  const [settings, setSettings] = useState<ModeratorNotificationsDto | null>(null);
  const [modes, setModes] = useState<Modes>({});
  const [failure, setFailure] = useState('');
  const [saveError, setSaveError] = useState('');
  const [isSaving, setSaving] = useState(false);

  const load = useCallback(() => {
    api.myNotifications().then(
      (loaded) => {
        setSettings(loaded);
        setModes(modesOf(loaded));
        setFailure('');
      },
      (error: unknown) => {
        if (error instanceof ApiProblem && error.isSessionLost) return;
        setFailure(error instanceof Error ? error.message : String(error));
      },
    );
  }, [api]);
  useEffect(load, [load]);

  const changed = settings ? settings.sites.filter((entry) => modes[entry.site] !== entry.mode) : [];

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (isSaving || changed.length === 0) return;
    setSaving(true);
    setSaveError('');
    let latest: ModeratorNotificationsDto | null = null;
    try {
      // One PUT per changed site; each answers the whole settings, the last one is what the server holds.
      for (const entry of changed) {
        latest = await api.setMyNotification({ site: entry.site, mode: modes[entry.site] ?? 'off', lang: mailLanguage() });
      }
      notify(t('notifications.saved'), 'success');
    } catch (error) {
      if (error instanceof ApiProblem && error.isSessionLost) return;
      const reason = error instanceof ApiProblem && error.code === 'MAIL_DISABLED' ? t('notifications.mailOff') : error instanceof Error ? error.message : String(error);
      setSaveError(t('notifications.notSaved', { reason }));
    } finally {
      setSaving(false);
    }
    // The form keeps the choices: those saved now match the server's, one that failed stays unsaved to try again.
    if (latest) setSettings(latest);
  };

  return (
    <section class="view notifications-view" aria-labelledby="notifications-title">
      <div class="view-head">
        <h1 id="notifications-title">{t('notifications.title')}</h1>
      </div>
      {failure ? (
        <p class="notice notice-error" role="alert">
          {t('notifications.loadFailed', { reason: failure })}
        </p>
      ) : null}
      {!settings && !failure ? (
        <p class="muted" aria-busy="true">
          {t('common.loading')}
        </p>
      ) : null}
      {settings ? (
        <form class="card notifications-form" onSubmit={(event) => void save(event)} aria-describedby="notifications-intro">
          <p id="notifications-intro">{t('notifications.intro', { email: settings.email })}</p>
          {settings.isMailEnabled ? null : (
            <p class="notice notice-error" data-testid="mail-off" role="status">
              {t('notifications.mailOff')}
            </p>
          )}
          {settings.sites.length === 0 ? <p class="empty">{t('settings.noSite')}</p> : null}
          <fieldset class="notification-sites">
            <legend class="small muted">{t('notifications.legend')}</legend>
            {settings.sites.map((entry) => (
              <label key={entry.site} class="field field-inline notification-site" data-site={entry.site}>
                <span>{entry.name}</span>
                <select
                  name={`mode-${entry.site}`}
                  value={modes[entry.site] ?? 'off'}
                  // Without mail only "off" can be saved; the others are shown but not offered.
                  disabled={!settings.isMailEnabled && entry.mode === 'off'}
                  onChange={(event) => setModes((current) => ({ ...current, [entry.site]: event.currentTarget.value as ModeratorMailMode }))}
                >
                  {MODERATOR_MAIL_MODES.map((mode) => (
                    <option key={mode} value={mode} disabled={!settings.isMailEnabled && mode !== 'off'}>
                      {t(`notifications.mode.${mode}`)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <p class="muted small">{t('notifications.hint')}</p>
          {saveError ? (
            <p class="notice notice-error" role="alert" data-testid="notifications-error">
              {saveError}
            </p>
          ) : null}
          <div class="card-actions">
            <button type="submit" class="button button-primary" disabled={isSaving || changed.length === 0}>
              {isSaving ? t('notifications.saving') : t('notifications.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
