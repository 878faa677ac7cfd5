import { useEffect, useRef, useState } from 'preact/hooks';
import type { SiteDto, TryResultDto } from '../../contracts/moderation-api';
import type { ModerationSettings, PremoderationMode } from '../../contracts/moderation';
import { ApiProblem } from '../api-client';
import { parseWordList } from '../format';
import { FindingList, HighlightedText } from './highlighted-text';
import { usePanel } from './panel-context';

interface SettingsForm {
  bannedWords: string;
  suspectWords: string;
  trustedDomains: string;
  premoderation: PremoderationMode;
  editWindowSeconds: number;
  slowModeSeconds: number;
  heatedSlowModeSeconds: number;
  newAuthorThreshold: number;
  maxLength: number;
  maxLinks: number;
  isAutoHeatEnabled: boolean;
}

function toForm(settings: ModerationSettings): SettingsForm {
  return {
    bannedWords: settings.bannedWords.join('\n'),
    suspectWords: settings.suspectWords.join('\n'),
    trustedDomains: settings.trustedDomains.join('\n'),
    premoderation: settings.premoderation,
    editWindowSeconds: settings.editWindowSeconds,
    slowModeSeconds: settings.slowModeSeconds,
    heatedSlowModeSeconds: settings.heatedSlowModeSeconds,
    newAuthorThreshold: settings.newAuthorThreshold,
    maxLength: settings.maxLength,
    maxLinks: settings.maxLinks,
    isAutoHeatEnabled: settings.autoHeat.enabled,
  };
}

function toSettingsPatch(form: SettingsForm, current: ModerationSettings): Partial<ModerationSettings> {
  return {
    bannedWords: parseWordList(form.bannedWords),
    suspectWords: parseWordList(form.suspectWords),
    trustedDomains: parseWordList(form.trustedDomains),
    premoderation: form.premoderation,
    editWindowSeconds: form.editWindowSeconds,
    slowModeSeconds: form.slowModeSeconds,
    heatedSlowModeSeconds: form.heatedSlowModeSeconds,
    newAuthorThreshold: form.newAuthorThreshold,
    maxLength: form.maxLength,
    maxLinks: form.maxLinks,
    autoHeat: { ...current.autoHeat, enabled: form.isAutoHeatEnabled },
  };
}

const VERDICT_TEXT = { publish: 'Published', hold: 'Held for review', reject: 'Rejected' } as const;

interface NumberFieldProps {
  label: string;
  hint?: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  name: string;
}

function NumberField({ label, hint, value, min, max, onChange, name }: NumberFieldProps) {
  return (
    <label class="field">
      <span>{label}</span>
      <input
        type="number"
        name={name}
        min={min}
        max={max}
        step={1}
        value={value}
        onInput={(event) => {
          const next = Number(event.currentTarget.value);
          if (Number.isFinite(next)) onChange(next);
        }}
      />
      {hint ? <small class="muted">{hint}</small> : null}
    </label>
  );
}

/** A site's word lists and moderation policy, with a live "try a sentence" box. */
export function SettingsView() {
  const { api, site: siteFilter, sites, notify } = usePanel();
  const [siteId, setSiteId] = useState(siteFilter || sites[0]?.id || '');
  const [site, setSite] = useState<SiteDto | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [isSaving, setSaving] = useState(false);
  const [sentence, setSentence] = useState('');
  const [tryResult, setTryResult] = useState<{ text: string; verdict: TryResultDto } | null>(null);
  const [tryError, setTryError] = useState<string | null>(null);
  const [tryGeneration, setTryGeneration] = useState(0);
  const trySequence = useRef(0);

  useEffect(() => {
    if (siteFilter) setSiteId(siteFilter);
    else if (!siteId && sites[0]) setSiteId(sites[0].id);
  }, [siteFilter, sites]);

  useEffect(() => {
    if (!siteId) return;
    let isCurrent = true;
    setSite(null);
    api.site(siteId).then(
      (loaded) => {
        if (!isCurrent) return;
        setSite(loaded);
        setForm(toForm(loaded.settings));
      },
      (error: unknown) => notify(`Could not load the site: ${error instanceof Error ? error.message : String(error)}`, 'error'),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, siteId, notify]);

  // Debounced: one /try call per pause in typing, and only the latest answer is shown.
  useEffect(() => {
    const text = sentence;
    if (!siteId || text.trim() === '') {
      setTryResult(null);
      setTryError(null);
      return undefined;
    }
    const timer = window.setTimeout(() => {
      trySequence.current += 1;
      const sequence = trySequence.current;
      api.trySentence(siteId, text).then(
        (result) => {
          if (sequence !== trySequence.current) return;
          setTryResult({ text, verdict: result });
          setTryError(null);
        },
        (error: unknown) => {
          if (sequence !== trySequence.current) return;
          setTryResult(null);
          setTryError(error instanceof ApiProblem ? error.message : 'Could not try the sentence.');
        },
      );
    }, 350);
    return () => window.clearTimeout(timer);
  }, [api, siteId, sentence, tryGeneration]);

  const update = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) =>
    setForm((current) => (current ? { ...current, [key]: value } : current));

  const save = (event: Event) => {
    event.preventDefault();
    if (!site || !form) return;
    setSaving(true);
    api.patchSite(site.id, { settings: toSettingsPatch(form, site.settings) }).then(
      (saved) => {
        setSaving(false);
        if (saved && typeof saved === 'object' && 'settings' in saved) {
          setSite(saved);
          setForm(toForm(saved.settings));
        }
        setTryGeneration((generation) => generation + 1);
        notify(`Saved the settings of ${site.name}.`, 'success');
      },
      (error: unknown) => {
        setSaving(false);
        notify(`Not saved: ${error instanceof Error ? error.message : String(error)}`, 'error');
      },
    );
  };

  return (
    <section class="view settings-view" aria-labelledby="settings-title">
      <div class="view-head">
        <h1 id="settings-title">Site settings</h1>
        <label class="field field-inline">
          <span class="visually-hidden">Site</span>
          <select aria-label="Site to configure" value={siteId} onChange={(event) => setSiteId(event.currentTarget.value)}>
            {sites.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {sites.length === 0 ? <p class="empty">No site in your scope.</p> : null}

      <div class="settings-grid">
        {form && site ? (
          <form class="card settings-form" onSubmit={save} aria-label={`Settings of ${site.name}`}>
            <h2>Word lists</h2>
            <div class="two-columns">
              <label class="field">
                <span>Banned words</span>
                <textarea
                  name="bannedWords"
                  rows={6}
                  value={form.bannedWords}
                  onInput={(event) => update('bannedWords', event.currentTarget.value)}
                  aria-describedby="banned-hint"
                />
                <small id="banned-hint" class="muted">
                  One per line. A match rejects the comment.
                </small>
              </label>
              <label class="field">
                <span>Suspect words</span>
                <textarea
                  name="suspectWords"
                  rows={6}
                  value={form.suspectWords}
                  onInput={(event) => update('suspectWords', event.currentTarget.value)}
                  aria-describedby="suspect-hint"
                />
                <small id="suspect-hint" class="muted">
                  One per line. A match holds the comment for review.
                </small>
              </label>
            </div>

            <h2>Policy</h2>
            <div class="two-columns">
              <label class="field">
                <span>Pre-moderation</span>
                <select
                  name="premoderation"
                  value={form.premoderation}
                  onChange={(event) => update('premoderation', event.currentTarget.value as PremoderationMode)}
                >
                  <option value="none">None: publish what passes the filter</option>
                  <option value="new-authors">New authors: hold their comments</option>
                  <option value="all">All: hold every comment</option>
                </select>
              </label>
              <NumberField
                name="newAuthorThreshold"
                label="New author until approved comments reach"
                value={form.newAuthorThreshold}
                min={0}
                max={100}
                onChange={(value) => update('newAuthorThreshold', value)}
              />
              <NumberField
                name="editWindowSeconds"
                label="Edit window (seconds)"
                hint="How long authors may edit or delete a comment."
                value={form.editWindowSeconds}
                min={0}
                max={604_800}
                onChange={(value) => update('editWindowSeconds', value)}
              />
              <NumberField
                name="slowModeSeconds"
                label="Slow mode (seconds between comments)"
                hint="0 turns slow mode off."
                value={form.slowModeSeconds}
                min={0}
                max={3600}
                onChange={(value) => update('slowModeSeconds', value)}
              />
              <NumberField
                name="heatedSlowModeSeconds"
                label="Slow mode on heated posts (seconds)"
                value={form.heatedSlowModeSeconds}
                min={0}
                max={3600}
                onChange={(value) => update('heatedSlowModeSeconds', value)}
              />
              <NumberField
                name="maxLength"
                label="Longest comment (characters)"
                value={form.maxLength}
                min={1}
                max={5000}
                onChange={(value) => update('maxLength', value)}
              />
              <NumberField
                name="maxLinks"
                label="Most links per comment"
                value={form.maxLinks}
                min={0}
                max={50}
                onChange={(value) => update('maxLinks', value)}
              />
              <label class="field">
                <span>Trusted link domains</span>
                <textarea
                  name="trustedDomains"
                  rows={3}
                  value={form.trustedDomains}
                  onInput={(event) => update('trustedDomains', event.currentTarget.value)}
                />
              </label>
              <label class="field field-check">
                <input
                  type="checkbox"
                  checked={form.isAutoHeatEnabled}
                  onChange={(event) => update('isAutoHeatEnabled', event.currentTarget.checked)}
                />
                <span>Heat posts automatically when reports or holds pile up</span>
              </label>
            </div>
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={isSaving}>
                {isSaving ? 'Saving…' : 'Save settings'}
              </button>
              <button type="button" class="button button-ghost" onClick={() => setForm(toForm(site.settings))}>
                Undo changes
              </button>
            </div>
          </form>
        ) : siteId ? (
          <p class="muted">Loading…</p>
        ) : null}

        <aside class="card try-box" aria-labelledby="try-title">
          <h2 id="try-title">Try a sentence</h2>
          <p class="muted small">See what the filter would do with a comment on this site, as you type. Nothing is stored.</p>
          <label class="field">
            <span class="visually-hidden">Sentence to try</span>
            <textarea
              name="trySentence"
              rows={4}
              placeholder="Type a comment…"
              aria-label="Sentence to try"
              value={sentence}
              onInput={(event) => setSentence(event.currentTarget.value)}
            />
          </label>
          <div class="try-result" aria-live="polite" data-testid="try-result">
            {tryError ? <p class="notice notice-error">{tryError}</p> : null}
            {tryResult ? (
              <>
                <p>
                  <span
                    class={`pill pill-${tryResult.verdict.action}`}
                    data-testid="try-verdict"
                    data-action={tryResult.verdict.action}
                  >
                    {VERDICT_TEXT[tryResult.verdict.action]}
                  </span>
                  {tryResult.verdict.refusal ? <span class="muted"> · {tryResult.verdict.refusal.message}</span> : null}
                </p>
                <p class="comment-body try-text">
                  <HighlightedText text={tryResult.text} findings={tryResult.verdict.findings} />
                </p>
                <FindingList findings={tryResult.verdict.findings} text={tryResult.text} />
              </>
            ) : null}
          </div>
        </aside>
      </div>
    </section>
  );
}
