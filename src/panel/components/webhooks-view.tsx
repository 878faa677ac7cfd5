import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { WebhookDeliveryDto, WebhookDto, WebhookEventType } from '../../contracts/webhooks';
import type { SiteDto } from '../../contracts/moderation-api';
import type { WebhookDeliveryEvent } from '../../contracts/socket-events';
import type { NewWebhook, WebhookPatch } from '../api-client';
import { formatAge, formatDateTime } from '../format';
import { t } from '../i18n';
import { Modal } from './dialogs';
import { usePanel } from './panel-context';
import { SitePicker, useChosenSite } from './site-choice';

/**
 * How often the list and an open delivery log are read again while the screen is open:
 * while the live connection is down; while it is up, each delivery's news reloads them
 * at once, and this slower read catches what no event tells (another admin's edit).
 */
const OFFLINE_REFRESH_MS = 3000;
const LIVE_REFRESH_MS = 30_000;
/** Deliveries told together (one event per endpoint of a comment) reload once. */
const EVENT_DEBOUNCE_MS = 150;

/** Calls `reload` when a delivery of `site` (of `hookId`, when given) moves, and on a timer as above. */
function useDeliveryRefresh(reload: () => void, site: string | undefined, hookId?: string): void {
  const { socket } = usePanel();
  useEffect(() => {
    let debounce: number | undefined;
    const onDelivery = (event: WebhookDeliveryEvent): void => {
      if (event.site !== site || (hookId !== undefined && event.hookId !== hookId)) return;
      window.clearTimeout(debounce);
      debounce = window.setTimeout(reload, EVENT_DEBOUNCE_MS);
    };
    socket?.on('webhook:delivery', onDelivery);
    // After a reconnect, what happened meanwhile is read at once.
    socket?.on('connect', reload);
    let timer: number | undefined;
    const schedule = (): void => {
      timer = window.setTimeout(() => {
        reload();
        schedule();
      }, socket?.connected === true ? LIVE_REFRESH_MS : OFFLINE_REFRESH_MS);
    };
    schedule();
    return () => {
      window.clearTimeout(debounce);
      window.clearTimeout(timer);
      socket?.off('webhook:delivery', onDelivery);
      socket?.off('connect', reload);
    };
  }, [socket, reload, site, hookId]);
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function DeliveryStatus({ delivery }: { delivery: WebhookDeliveryDto }) {
  const pill = delivery.status === 'delivered' ? 'pill-publish' : delivery.status === 'failed' ? 'pill-reject' : 'pill-hold';
  return (
    <span class={`pill ${pill}`} data-testid="delivery-status" data-status={delivery.status}>
      {t(`webhooks.status.${delivery.status}`)}
    </span>
  );
}

/** "HTTP 200 · 12 ms · 3 attempts", with the last error when there is one. */
function DeliveryOutcome({ delivery }: { delivery: WebhookDeliveryDto }) {
  const parts = [
    delivery.lastStatus === null ? t('webhooks.noAnswer') : t('webhooks.httpStatus', { status: delivery.lastStatus }),
    delivery.lastLatencyMs === null ? null : t('webhooks.latency', { ms: delivery.lastLatencyMs }),
    t('webhooks.attempts', { count: delivery.attempts }),
  ].filter((part): part is string => part !== null);
  return (
    <span class="small">
      {delivery.attempts === 0 ? t('webhooks.notSentYet') : parts.join(' · ')}
      {delivery.status === 'pending' && delivery.nextAttemptAt && delivery.attempts > 0 ? (
        <span class="muted"> · {t('webhooks.nextAttempt', { when: formatDateTime(delivery.nextAttemptAt) })}</span>
      ) : null}
      {delivery.lastError ? (
        <span class="delivery-error" data-testid="delivery-error">
          {' '}
          · {delivery.lastError}
        </span>
      ) : null}
    </span>
  );
}

interface WebhookFormProps {
  eventTypes: readonly WebhookEventType[];
  initial?: WebhookDto;
  onSubmit: (values: { url: string; events: WebhookEventType[]; secret: string | null }) => Promise<void>;
  onCancel?: () => void;
}

/** Adds an endpoint, or edits one (`initial`): URL, events as checkboxes, and the secret. */
function WebhookForm({ eventTypes, initial, onSubmit, onCancel }: WebhookFormProps) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [events, setEvents] = useState<WebhookEventType[]>(initial?.events ?? []);
  const [isOwnSecret, setOwnSecret] = useState(false);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const isEdit = initial !== undefined;

  return (
    <form
      class="stack webhook-form"
      aria-label={isEdit ? t('webhooks.editLabel', { url: initial.url }) : t('webhooks.addLabel')}
      data-testid={isEdit ? 'webhook-edit-form' : 'webhook-add-form'}
      onSubmit={(event) => {
        event.preventDefault();
        if (events.length === 0) {
          setError(t('webhooks.pickEvent'));
          return;
        }
        setBusy(true);
        setError(null);
        onSubmit({ url: url.trim(), events, secret: isOwnSecret && secret !== '' ? secret : null }).then(
          () => {
            setBusy(false);
            if (!isEdit) {
              setUrl('');
              setEvents([]);
              setSecret('');
              setOwnSecret(false);
            }
          },
          (problem: unknown) => {
            setBusy(false);
            setError(reasonOf(problem));
          },
        );
      }}
    >
      <label class="field">
        <span>{t('webhooks.url')}</span>
        <input
          type="url"
          required
          name="webhook-url"
          placeholder="https://example.com/hooks/parley"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
      </label>
      <fieldset class="field webhook-events">
        <legend>{t('webhooks.events')}</legend>
        {eventTypes.map((type) => (
          <label key={type} class="field-check">
            <input
              type="checkbox"
              name="webhook-event"
              value={type}
              checked={events.includes(type)}
              onChange={(event) => {
                const isChecked = event.currentTarget.checked;
                setEvents((current) => (isChecked ? [...current, type] : current.filter((entry) => entry !== type)));
              }}
            />
            <span>
              <code>{type}</code>
            </span>
          </label>
        ))}
      </fieldset>
      <label class="field-check">
        <input type="checkbox" name="own-secret" checked={isOwnSecret} onChange={(event) => setOwnSecret(event.currentTarget.checked)} />
        <span>{isEdit ? t('webhooks.replaceSecret', { hint: initial.secretHint }) : t('webhooks.ownSecret')}</span>
      </label>
      {isOwnSecret ? (
        <label class="field">
          <span>{t('webhooks.secret')}</span>
          <input
            name="webhook-secret"
            required
            minLength={16}
            maxLength={200}
            autoComplete="off"
            value={secret}
            onInput={(event) => setSecret(event.currentTarget.value)}
          />
        </label>
      ) : (
        <p class="muted small">{isEdit ? t('webhooks.keepSecret') : t('webhooks.generatedSecret')}</p>
      )}
      {error ? (
        <p class="notice notice-error" role="alert" data-testid="webhook-form-error">
          {error}
        </p>
      ) : null}
      <div class="card-actions">
        <button type="submit" class="button button-primary" disabled={isBusy}>
          {isEdit ? t('webhooks.save') : t('webhooks.add')}
        </button>
        {onCancel ? (
          <button type="button" class="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** One endpoint's deliveries, newest first, each with "Redeliver"; read again while open. */
function DeliveryLog({ site, hook }: { site: SiteDto; hook: WebhookDto }) {
  const { api, notify } = usePanel();
  const [deliveries, setDeliveries] = useState<WebhookDeliveryDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(1);
  const latest = useRef(0);

  const reload = useCallback(() => {
    // Only the latest read's answer is shown: an earlier one may arrive after it.
    const asked = ++latest.current;
    // Reads as many pages as are shown, so "load more" survives a refresh.
    const read = async () => {
      let cursor: string | undefined;
      const all: WebhookDeliveryDto[] = [];
      let next: string | null = null;
      for (let page = 0; page < shown; page += 1) {
        const result = await api.webhookDeliveries(site.id, hook.id, cursor);
        all.push(...result.deliveries);
        next = result.nextCursor;
        if (!next) break;
        cursor = next;
      }
      return { all, next };
    };
    read().then(
      ({ all, next }) => {
        if (asked !== latest.current) return;
        setDeliveries(all);
        setNextCursor(next);
        setError(null);
      },
      (problem: unknown) => {
        if (asked === latest.current) setError(t('webhooks.logFailed', { reason: reasonOf(problem) }));
      },
    );
  }, [api, site.id, hook.id, shown]);

  useEffect(reload, [reload]);
  useDeliveryRefresh(reload, site.id, hook.id);

  return (
    <section class="delivery-log" aria-label={t('webhooks.logOf', { url: hook.url })} data-testid="delivery-log">
      <h4>{t('webhooks.log')}</h4>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {deliveries === null ? <p class="muted">{t('common.loading')}</p> : null}
      {deliveries?.length === 0 ? <p class="muted">{t('webhooks.noDeliveries')}</p> : null}
      {deliveries && deliveries.length > 0 ? (
        <div class="table-wrap">
          <table class="audit-table">
            <caption class="visually-hidden">{t('webhooks.log')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.when')}</th>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('webhooks.statusColumn')}</th>
                <th scope="col">{t('webhooks.outcome')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('webhooks.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery-row" data-delivery-id={delivery.id} data-event-id={delivery.eventId}>
                  <td title={formatDateTime(delivery.createdAt)}>{formatAge(delivery.createdAt)}</td>
                  <td>
                    <code>{delivery.type}</code>
                  </td>
                  <td>
                    <DeliveryStatus delivery={delivery} />
                  </td>
                  <td>
                    <DeliveryOutcome delivery={delivery} />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="button"
                      data-testid="redeliver"
                      onClick={() => {
                        api.redeliver(site.id, hook.id, delivery.id).then(
                          () => {
                            notify(t('webhooks.redeliverQueued', { type: delivery.type }), 'success');
                            reload();
                          },
                          (problem: unknown) => notify(t('webhooks.actionFailed', { reason: reasonOf(problem) }), 'error'),
                        );
                      }}
                    >
                      {t('webhooks.redeliver')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor ? (
        <button type="button" class="button load-more" onClick={() => setShown((pages) => pages + 1)}>
          {t('webhooks.olderDeliveries')}
        </button>
      ) : null}
    </section>
  );
}

interface EndpointProps {
  site: SiteDto;
  hook: WebhookDto;
  eventTypes: readonly WebhookEventType[];
  onChanged: () => void;
}

function Endpoint({ site, hook, eventTypes, onChanged }: EndpointProps) {
  const { api, notify } = usePanel();
  const [isLogOpen, setLogOpen] = useState(false);
  const [isEditing, setEditing] = useState(false);
  const [isConfirmingDelete, setConfirmingDelete] = useState(false);
  const last = hook.lastDelivery;
  const fail = (problem: unknown) => notify(t('webhooks.actionFailed', { reason: reasonOf(problem) }), 'error');

  return (
    <li class="card webhook" data-testid="webhook-row" data-hook-id={hook.id} data-enabled={String(hook.enabled)}>
      <div class="card-head">
        <code class="webhook-url" data-testid="webhook-url">
          {hook.url}
        </code>
        <span class={`pill ${hook.enabled ? 'pill-publish' : ''}`} data-testid="webhook-state">
          {hook.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}
        </span>
      </div>
      <p class="webhook-events-list">
        {hook.events.map((type) => (
          <span key={type} class="chip">
            {type}
          </span>
        ))}
        <span class="muted small"> · {t('webhooks.secretHint', { hint: hook.secretHint })}</span>
      </p>
      <p class="small" data-testid="webhook-last">
        {last ? (
          <>
            {t('webhooks.lastDelivery')} <DeliveryStatus delivery={last} /> <code>{last.type}</code>{' '}
            <span class="muted" title={formatDateTime(last.createdAt)}>
              {formatAge(last.createdAt)}
            </span>{' '}
            · <DeliveryOutcome delivery={last} />
          </>
        ) : (
          <span class="muted">{t('webhooks.neverDelivered')}</span>
        )}
      </p>
      {isEditing ? (
        <WebhookForm
          eventTypes={eventTypes}
          initial={hook}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            const patch: WebhookPatch = { url: values.url, events: values.events };
            if (values.secret !== null) patch.secret = values.secret;
            await api.patchWebhook(site.id, hook.id, patch);
            notify(t('webhooks.saved'), 'success');
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
      <div class="card-actions">
        <button
          type="button"
          class="button"
          data-testid="webhook-test"
          onClick={() => {
            api.testWebhook(site.id, hook.id).then(
              () => {
                notify(t('webhooks.testQueued'), 'success');
                setLogOpen(true);
                onChanged();
              },
              fail,
            );
          }}
        >
          {t('webhooks.sendTest')}
        </button>
        <button type="button" class="button" aria-expanded={isLogOpen} data-testid="webhook-log-toggle" onClick={() => setLogOpen(!isLogOpen)}>
          {isLogOpen ? t('webhooks.hideLog') : t('webhooks.showLog')}
        </button>
        <button type="button" class="button" onClick={() => setEditing(!isEditing)} data-testid="webhook-edit">
          {t('webhooks.edit')}
        </button>
        <button
          type="button"
          class="button"
          data-testid="webhook-toggle"
          onClick={() => {
            api.patchWebhook(site.id, hook.id, { enabled: !hook.enabled }).then(() => {
              notify(hook.enabled ? t('webhooks.disabledNotice') : t('webhooks.enabledNotice'), 'success');
              onChanged();
            }, fail);
          }}
        >
          {hook.enabled ? t('webhooks.disable') : t('webhooks.enable')}
        </button>
        <span class="spacer" />
        <button type="button" class="button button-danger" data-testid="webhook-delete" onClick={() => setConfirmingDelete(true)}>
          {t('webhooks.delete')}
        </button>
      </div>
      {isLogOpen ? <DeliveryLog site={site} hook={hook} /> : null}
      {isConfirmingDelete ? (
        <Modal title={t('webhooks.deleteTitle')} onClose={() => setConfirmingDelete(false)}>
          <p>{t('webhooks.deleteBody', { url: hook.url })}</p>
          <div class="card-actions">
            <button
              type="button"
              class="button button-danger"
              data-testid="webhook-delete-confirm"
              onClick={() => {
                api.deleteWebhook(site.id, hook.id).then(() => {
                  setConfirmingDelete(false);
                  notify(t('webhooks.deleted'), 'success');
                  onChanged();
                }, fail);
              }}
            >
              {t('webhooks.deleteConfirm')}
            </button>
            <button type="button" class="button" data-autofocus onClick={() => setConfirmingDelete(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Modal>
      ) : null}
    </li>
  );
}

/** A site's webhook endpoints: add, edit, disable, delete, test, and each one's delivery log. */
export function WebhooksView() {
  const { api, notify } = usePanel();
  const site = useChosenSite();
  const [hooks, setHooks] = useState<WebhookDto[] | null>(null);
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const latest = useRef(0);

  const reload = useCallback(() => {
    if (!site) return;
    // Only the latest read's answer is shown: one for the site chosen before may arrive after it.
    const asked = ++latest.current;
    api.webhooks(site.id).then(
      (list) => {
        if (asked !== latest.current) return;
        setHooks(list.webhooks);
        setEventTypes(list.eventTypes);
        setError(null);
      },
      (problem: unknown) => {
        if (asked === latest.current) setError(t('webhooks.loadFailed', { reason: reasonOf(problem) }));
      },
    );
  }, [api, site?.id]);

  useEffect(() => {
    setHooks(null);
    setCreated(null);
    reload();
  }, [reload]);
  useDeliveryRefresh(reload, site?.id);

  if (!site) return <p class="muted">{t('siteScreen.noSite')}</p>;

  return (
    <section class="view" aria-labelledby="webhooks-title">
      <div class="view-head">
        <h1 id="webhooks-title">{t('webhooks.title', { name: site.name })}</h1>
        <SitePicker chosen={site} />
      </div>
      <p class="muted">{t('webhooks.intro')}</p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <div class="notice notice-info secret-once" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce', { url: created.url })}</p>
          <pre class="snippet-code">
            <code data-testid="webhook-secret-value">{created.secret}</code>
          </pre>
          <button type="button" class="button" onClick={() => setCreated(null)}>
            {t('webhooks.secretStored')}
          </button>
        </div>
      ) : null}
      <div class="two-columns">
        <div>
          <h2>{t('webhooks.endpoints')}</h2>
          {hooks === null ? <p class="muted">{t('common.loading')}</p> : null}
          {hooks?.length === 0 ? <p class="muted">{t('webhooks.none')}</p> : null}
          <ul class="post-list" aria-label={t('webhooks.endpoints')}>
            {(hooks ?? []).map((hook) => (
              <Endpoint key={hook.id} site={site} hook={hook} eventTypes={eventTypes} onChanged={reload} />
            ))}
          </ul>
        </div>
        <div class="card">
          <h2>{t('webhooks.addTitle')}</h2>
          <WebhookForm
            eventTypes={eventTypes}
            onSubmit={async (values) => {
              const body: NewWebhook = { url: values.url, events: values.events };
              if (values.secret !== null) body.secret = values.secret;
              const hook = await api.createWebhook(site.id, body);
              setCreated(hook.secret ? { url: hook.url, secret: hook.secret } : null);
              notify(t('webhooks.added', { url: hook.url }), 'success');
              reload();
            }}
          />
        </div>
      </div>
    </section>
  );
}
