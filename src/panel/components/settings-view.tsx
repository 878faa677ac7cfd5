import { useEffect, useRef, useState } from 'preact/hooks';
import type { SiteDto, TryResultDto } from '../../contracts/moderation-api';
import {
  CATEGORY_ACTIONS,
  type CategoryAction,
  type ConfigurableCategory,
  type ModerationSettings,
  type PremoderationMode,
} from '../../contracts/moderation';
import { ApiProblem } from '../api-client';
import { parseWordList } from '../format';
import { FindingList, HighlightedText } from './highlighted-text';
import { usePanel } from './panel-context';
import { t } from '../i18n';

/** The API's limit for `reactionLabel` (src/sites/site.schemas.ts). */
const REACTION_LABEL_MAX = 40;

interface SettingsForm {
  bannedWords: string;
  suspectWords: string;
  trustedDomains: string;
  premoderation: PremoderationMode;
  editWindowSeconds: number;
  closeAfterDays: number;
  slowModeSeconds: number;
  heatedSlowModeSeconds: number;
  newAuthorThreshold: number;
  maxLength: number;
  maxLinks: number;
  isAutoHeatEnabled: boolean;
  categories: Record<ConfigurableCategory, CategoryAction>;
  /** The site's word for the reaction button; empty: the widget's own, in the reader's language. */
  reactionLabel: string;
  isDownvotesEnabled: boolean;
}

/** What readers write, each with its own action; then the signals about how and by whom it was written. */
const CONTENT_CATEGORIES: readonly ConfigurableCategory[] = [
  'profanity',
  'slur',
  'dehumanising',
  'violence',
  'threat',
  'insult',
  'self-harm',
  'promotion',
];
const SIGNAL_CATEGORIES: readonly ConfigurableCategory[] = ['spam', 'evasion', 'brigading', 'history', 'external'];

function toForm(settings: ModerationSettings): SettingsForm {
  return {
    bannedWords: settings.bannedWords.join('\n'),
    suspectWords: settings.suspectWords.join('\n'),
    trustedDomains: settings.trustedDomains.join('\n'),
    premoderation: settings.premoderation,
    editWindowSeconds: settings.editWindowSeconds,
    closeAfterDays: settings.closeAfterDays,
    slowModeSeconds: settings.slowModeSeconds,
    heatedSlowModeSeconds: settings.heatedSlowModeSeconds,
    newAuthorThreshold: settings.newAuthorThreshold,
    maxLength: settings.maxLength,
    maxLinks: settings.maxLinks,
    isAutoHeatEnabled: settings.autoHeat.enabled,
    categories: { ...settings.categories },
    reactionLabel: settings.reactionLabel ?? '',
    isDownvotesEnabled: settings.downvotes,
  };
}

function toSettingsPatch(form: SettingsForm, current: ModerationSettings): Partial<ModerationSettings> {
  return {
    bannedWords: parseWordList(form.bannedWords),
    suspectWords: parseWordList(form.suspectWords),
    trustedDomains: parseWordList(form.trustedDomains),
    premoderation: form.premoderation,
    editWindowSeconds: form.editWindowSeconds,
    closeAfterDays: form.closeAfterDays,
    slowModeSeconds: form.slowModeSeconds,
    heatedSlowModeSeconds: form.heatedSlowModeSeconds,
    newAuthorThreshold: form.newAuthorThreshold,
    maxLength: form.maxLength,
    maxLinks: form.maxLinks,
    autoHeat: { ...current.autoHeat, enabled: form.isAutoHeatEnabled },
    categories: { ...form.categories },
    reactionLabel: form.reactionLabel.trim() === '' ? null : form.reactionLabel.trim(),
    downvotes: form.isDownvotesEnabled,
  };
}

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
      (error: unknown) => notify(t('settings.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
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
          setTryError(error instanceof ApiProblem ? error.message : t('settings.tryFailed'));
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
        notify(t('settings.saved', { name: site.name }), 'success');
      },
      (error: unknown) => {
        setSaving(false);
        notify(t('settings.notSaved', { reason: error instanceof Error ? error.message : String(error) }), 'error');
      },
    );
  };

  return (
    <section class="view settings-view" aria-labelledby="settings-title">
      <div class="view-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
        <label class="field field-inline">
          <span class="visually-hidden">{t('shell.site')}</span>
          <select aria-label={t('settings.siteToConfigure')} value={siteId} onChange={(event) => setSiteId(event.currentTarget.value)}>
            {sites.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {sites.length === 0 ? <p class="empty">{t('settings.noSite')}</p> : null}

      <div class="settings-grid">
        {form && site ? (
          <form class="card settings-form" onSubmit={save} aria-label={t('settings.of', { name: site.name })}>
            <h2>{t('settings.wordLists')}</h2>
            <div class="two-columns">
              <label class="field">
                <span>{t('settings.banned')}</span>
                <textarea
                  name="bannedWords"
                  rows={6}
                  value={form.bannedWords}
                  onInput={(event) => update('bannedWords', event.currentTarget.value)}
                  aria-describedby="banned-hint"
                />
                <small id="banned-hint" class="muted">
                  {t('settings.bannedHint')}
                </small>
              </label>
              <label class="field">
                <span>{t('settings.suspect')}</span>
                <textarea
                  name="suspectWords"
                  rows={6}
                  value={form.suspectWords}
                  onInput={(event) => update('suspectWords', event.currentTarget.value)}
                  aria-describedby="suspect-hint"
                />
                <small id="suspect-hint" class="muted">
                  {t('settings.suspectHint')}
                </small>
              </label>
            </div>

            <h2 id="categories-title">{t('settings.categories')}</h2>
            <p class="muted small">{t('settings.categoriesHint')}</p>
            {[CONTENT_CATEGORIES, SIGNAL_CATEGORIES].map((group, index) => (
              <fieldset key={index} class="category-grid" aria-label={t(index === 0 ? 'settings.categories.content' : 'settings.categories.signals')}>
                <legend class="small muted">{t(index === 0 ? 'settings.categories.content' : 'settings.categories.signals')}</legend>
                {group.map((category) => (
                  <label key={category} class="field field-inline category-field">
                    <span>{t(`settings.category.${category}`)}</span>
                    <select
                      name={`category-${category}`}
                      value={form.categories[category]}
                      onChange={(event) =>
                        update('categories', { ...form.categories, [category]: event.currentTarget.value as CategoryAction })
                      }
                    >
                      {CATEGORY_ACTIONS.map((action) => (
                        <option key={action} value={action}>
                          {t(`settings.categoryAction.${action}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
              </fieldset>
            ))}

            <h2>{t('settings.policy')}</h2>
            <div class="two-columns">
              <label class="field">
                <span>{t('settings.premoderation')}</span>
                <select
                  name="premoderation"
                  value={form.premoderation}
                  onChange={(event) => update('premoderation', event.currentTarget.value as PremoderationMode)}
                >
                  <option value="none">{t('settings.premoderation.none')}</option>
                  <option value="new-authors">{t('settings.premoderation.newAuthors')}</option>
                  <option value="all">{t('settings.premoderation.all')}</option>
                </select>
              </label>
              <NumberField
                name="newAuthorThreshold"
                label={t('settings.newAuthorThreshold')}
                value={form.newAuthorThreshold}
                min={0}
                max={100}
                onChange={(value) => update('newAuthorThreshold', value)}
              />
              <NumberField
                name="editWindowSeconds"
                label={t('settings.editWindow')}
                hint={t('settings.editWindowHint')}
                value={form.editWindowSeconds}
                min={0}
                max={604_800}
                onChange={(value) => update('editWindowSeconds', value)}
              />
              <NumberField
                name="closeAfterDays"
                label={t('settings.closeAfterDays')}
                hint={t('settings.closeAfterDaysHint')}
                value={form.closeAfterDays}
                min={0}
                max={3650}
                onChange={(value) => update('closeAfterDays', value)}
              />
              <NumberField
                name="slowModeSeconds"
                label={t('settings.slowMode')}
                hint={t('settings.slowModeHint')}
                value={form.slowModeSeconds}
                min={0}
                max={3600}
                onChange={(value) => update('slowModeSeconds', value)}
              />
              <NumberField
                name="heatedSlowModeSeconds"
                label={t('settings.heatedSlowMode')}
                value={form.heatedSlowModeSeconds}
                min={0}
                max={3600}
                onChange={(value) => update('heatedSlowModeSeconds', value)}
              />
              <NumberField
                name="maxLength"
                label={t('settings.maxLength')}
                value={form.maxLength}
                min={1}
                max={5000}
                onChange={(value) => update('maxLength', value)}
              />
              <NumberField
                name="maxLinks"
                label={t('settings.maxLinks')}
                value={form.maxLinks}
                min={0}
                max={50}
                onChange={(value) => update('maxLinks', value)}
              />
              <label class="field">
                <span>{t('settings.trustedDomains')}</span>
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
                <span>{t('settings.autoHeat')}</span>
              </label>
              <label class="field">
                <span>{t('settings.reactionLabel')}</span>
                <input
                  type="text"
                  name="reactionLabel"
                  maxLength={REACTION_LABEL_MAX}
                  placeholder={t('settings.reactionLabelPlaceholder')}
                  value={form.reactionLabel}
                  onInput={(event) => update('reactionLabel', event.currentTarget.value)}
                />
              </label>
              <label class="field field-check">
                <input
                  type="checkbox"
                  name="downvotes"
                  checked={form.isDownvotesEnabled}
                  onChange={(event) => update('isDownvotesEnabled', event.currentTarget.checked)}
                />
                <span>{t('settings.downvotes')}</span>
              </label>
            </div>
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={isSaving}>
                {isSaving ? t('settings.saving') : t('settings.save')}
              </button>
              <button type="button" class="button button-ghost" onClick={() => setForm(toForm(site.settings))}>
                {t('settings.undo')}
              </button>
            </div>
          </form>
        ) : siteId ? (
          <p class="muted">{t('common.loading')}</p>
        ) : null}

        <aside class="card try-box" aria-labelledby="try-title">
          <h2 id="try-title">{t('settings.try')}</h2>
          <p class="muted small">{t('settings.tryHint')}</p>
          <label class="field">
            <span class="visually-hidden">{t('settings.tryLabel')}</span>
            <textarea
              name="trySentence"
              rows={4}
              placeholder={t('settings.tryPlaceholder')}
              aria-label={t('settings.tryLabel')}
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
                    {t(`settings.tryVerdict.${tryResult.verdict.action}`)}
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
