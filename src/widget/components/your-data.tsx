import { useEffect, useRef, useState } from 'preact/hooks';
import { saveTextFile } from '../../browser-shared/save-file';
import type { ReaderPrivacyDto } from '../../contracts/privacy';
import { describeError } from '../error-messages';
import { useWidget } from './widget-context';

type Step = 'menu' | 'confirm' | 'erasing';

/**
 * "Your data": a reader with an identity here downloads what the service stores
 * about them, or asks for its erasure (at once, or after the site's grace period,
 * which they can withdraw from here).
 */
export function YourData() {
  const { controller, translator, t, announce } = useWidget();
  const [isOpen, setOpen] = useState(false);
  const [status, setStatus] = useState<ReaderPrivacyDto | null>(null);
  const [step, setStep] = useState<Step>('menu');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [isDownloading, setDownloading] = useState(false);
  const [isErased, setErased] = useState(controller.isErased);
  const box = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen || isErased) return;
    let isCurrent = true;
    controller.privacyStatus().then(
      (loaded) => {
        if (isCurrent) setStatus(loaded);
      },
      (failure: unknown) => {
        if (isCurrent) setError(describeError(failure, translator));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [isOpen, isErased, controller, translator]);

  const say = (text: string): void => {
    setMessage(text);
    announce(text);
  };
  const formatDate = (iso: string): string => translator.formatDate(new Date(iso), { dateStyle: 'long', timeStyle: 'short' });

  const download = async (): Promise<void> => {
    setDownloading(true);
    setError('');
    try {
      const text = await controller.downloadMyData();
      const file = `parley-data-${controller.site}.json`;
      if (box.current) saveTextFile(file, text, box.current);
      say(t('data.downloaded', { file }));
    } catch (failure) {
      setError(describeError(failure, translator));
    } finally {
      setDownloading(false);
    }
  };

  const erase = async (): Promise<void> => {
    setStep('erasing');
    setError('');
    try {
      const result = await controller.eraseMyData();
      if (result.isDone) {
        setStatus(null);
        setErased(true);
        say(t('data.erased'));
      } else {
        setStatus((current) => (current ? { ...current, deletion: { scheduledFor: result.scheduledFor, requestedBy: 'author' } } : current));
        say(t('data.scheduled', { date: formatDate(result.scheduledFor) }));
      }
    } catch (failure) {
      setError(describeError(failure, translator));
    } finally {
      setStep('menu');
    }
  };

  const keep = async (): Promise<void> => {
    setError('');
    try {
      const isCancelled = await controller.cancelErasure();
      if (!isCancelled) throw new Error('nothing scheduled');
      setStatus((current) => (current ? { ...current, deletion: null } : current));
      say(t('data.kept'));
    } catch (failure) {
      setError(t('data.keepFailed', { reason: describeError(failure, translator) }));
    }
  };

  if (!isOpen && !isErased) {
    return (
      <button type="button" class="link your-data-open" ref={opener} aria-expanded="false" onClick={() => setOpen(true)}>
        {t('data.open')}
      </button>
    );
  }
  const graceHours = status?.deletionGraceHours ?? 0;
  const scheduled = status?.deletion ?? null;
  return (
    <div class="your-data" ref={box} role="group" aria-labelledby="parley-your-data-title" data-your-data>
      <p class="your-data-title" id="parley-your-data-title">
        {t('data.title')}
      </p>
      {isErased ? null : <p class="notice">{t('data.intro')}</p>}
      {scheduled ? (
        <p class="own-notice" data-erasure-scheduled>
          {t('data.scheduled', { date: formatDate(scheduled.scheduledFor) })}
        </p>
      ) : null}
      {isErased ? null : step === 'confirm' ? (
        <div class="your-data-confirm" role="alertdialog" aria-label={t('data.erase')}>
          <p class="notice">{graceHours > 0 ? t('data.confirmLater', { when: t('data.inHours', { count: graceHours }) }) : t('data.confirmNow')}</p>
          <div class="composer-row">
            <button type="button" class="primary danger" onClick={() => void erase()}>
              {t('data.confirm')}
            </button>
            <button type="button" class="secondary" onClick={() => setStep('menu')}>
              {t('composer.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="composer-row">
          <span>
            <button type="button" class="secondary" aria-disabled={isDownloading ? 'true' : 'false'} onClick={() => void (isDownloading ? undefined : download())}>
              {isDownloading ? t('data.downloading') : t('data.download')}
            </button>{' '}
            {scheduled ? (
              <button type="button" class="secondary" onClick={() => void keep()}>
                {t('data.keep')}
              </button>
            ) : status && step === 'menu' ? (
              <button type="button" class="secondary danger" onClick={() => setStep('confirm')}>
                {t('data.erase')}
              </button>
            ) : step === 'erasing' ? (
              <span class="notice">{t('data.erasing')}</span>
            ) : null}
          </span>
          <button
            type="button"
            class="link"
            onClick={() => {
              setOpen(false);
              setStep('menu');
              setMessage('');
              requestAnimationFrame(() => opener.current?.focus());
            }}
          >
            {t('data.close')}
          </button>
        </div>
      )}
      <p class="notice" data-your-data-message aria-live="polite">
        {message}
      </p>
      <p class="error" aria-live="polite">
        {error}
      </p>
    </div>
  );
}
