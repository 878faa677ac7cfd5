import type { Ref, TargetedKeyboardEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../error-messages';
import { applyFormat, shortcutOf, type FormatKind, type TextEdit } from '../format-actions';
import type { WidgetMessageKey as MessageKey } from '../i18n';
import { FormattedHtml } from './comment-body';
import { useWidget } from './widget-context';

export interface FormattingFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  textarea: Ref<HTMLTextAreaElement>;
  placeholder?: string;
  describedBy?: string;
  isInvalid?: boolean;
  /** Keys the field does not handle itself (Ctrl+Enter to post, Escape to cancel). */
  onKeyDown?: (event: TargetedKeyboardEvent<HTMLTextAreaElement>) => void;
}

/** A chain link drawn in the text colour: an emoji needs a font many systems lack (a blank box without one). */
const LINK_ICON = (
  <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
    <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.2 1.2" />
    <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
  </svg>
);

const TOOLS: { kind: FormatKind; glyph: string | preact.JSX.Element; label: MessageKey }[] = [
  { kind: 'bold', glyph: 'B', label: 'format.bold' },
  { kind: 'italic', glyph: 'I', label: 'format.italic' },
  { kind: 'strike', glyph: 'S', label: 'format.strike' },
  { kind: 'code', glyph: '</>', label: 'format.code' },
  { kind: 'quote', glyph: '❝', label: 'format.quote' },
  { kind: 'list', glyph: '•', label: 'format.list' },
  { kind: 'link', glyph: LINK_ICON, label: 'format.link' },
  { kind: 'spoiler', glyph: '▒', label: 'format.spoiler' },
];

function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

/** Arrow keys, Home and End move the focus along a toolbar or tab list (one Tab stop each). */
function moveFocus(event: TargetedKeyboardEvent<HTMLElement>): HTMLButtonElement | undefined {
  const buttons = Array.from(event.currentTarget.querySelectorAll('button'));
  const index = buttons.indexOf(event.target as HTMLButtonElement);
  if (index === -1) return undefined;
  const target =
    event.key === 'ArrowRight' ? (index + 1) % buttons.length
    : event.key === 'ArrowLeft' ? (index - 1 + buttons.length) % buttons.length
    : event.key === 'Home' ? 0
    : event.key === 'End' ? buttons.length - 1
    : undefined;
  if (target === undefined) return undefined;
  event.preventDefault();
  const next = buttons[target];
  next?.focus();
  return next;
}

type Preview = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; html: string } | { state: 'failed'; message: string };

/**
 * The comment textarea with its Write / Preview tabs and formatting toolbar
 * (bold, italic, strike, code, quote, list, link, spoiler; Ctrl+B and Ctrl+I,
 * ⌘ on a Mac). The preview is the service's own rendering of the draft.
 */
export function FormattingField({ id, value, onChange, textarea, placeholder, describedBy, isInvalid, onKeyDown }: FormattingFieldProps) {
  const { controller, translator, t } = useWidget();
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const [toolIndex, setToolIndex] = useState(0);
  const pendingSelection = useRef<[number, number] | null>(null);
  const ownTextarea = useRef<HTMLTextAreaElement | null>(null);
  const shortcut = isMac() ? '⌘' : 'Ctrl+';

  useEffect(() => {
    const element = ownTextarea.current;
    const selection = pendingSelection.current;
    if (!element || !selection) return;
    pendingSelection.current = null;
    element.focus();
    element.setSelectionRange(selection[0], selection[1]);
  }, [value, mode]);

  useEffect(() => {
    if (mode !== 'preview') return;
    if (value.trim() === '') {
      setPreview({ state: 'idle' });
      return;
    }
    let isCurrent = true;
    setPreview({ state: 'loading' });
    controller
      .previewComment(value)
      .then((html) => isCurrent && setPreview({ state: 'ready', html }))
      .catch((failure: unknown) => isCurrent && setPreview({ state: 'failed', message: describeError(failure, translator) }));
    return () => {
      isCurrent = false;
    };
  }, [mode, value, controller, translator]);

  const format = (kind: FormatKind): void => {
    const element = ownTextarea.current;
    const current: TextEdit = element
      ? { value, selectionStart: element.selectionStart, selectionEnd: element.selectionEnd }
      : { value, selectionStart: value.length, selectionEnd: value.length };
    const next = applyFormat(current, kind, t('format.linkPlaceholder'));
    // Put the text and caret in place now: the next key typed must land inside the markers,
    // not after them, even before the re-render comes round. Only when that is not possible
    // does the re-render place the caret; placing it again after render would undo a key the
    // reader pressed in between (End, an arrow) and move the caret back.
    if (element && mode === 'write') {
      element.value = next.value;
      element.focus();
      element.setSelectionRange(next.selectionStart, next.selectionEnd);
      pendingSelection.current = null;
    } else {
      pendingSelection.current = [next.selectionStart, next.selectionEnd];
    }
    onChange(next.value);
  };

  const keyDown = (event: TargetedKeyboardEvent<HTMLTextAreaElement>): void => {
    const kind = shortcutOf(event);
    if (kind) {
      event.preventDefault();
      format(kind);
      return;
    }
    onKeyDown?.(event);
  };

  const setRefs = (element: HTMLTextAreaElement | null): void => {
    ownTextarea.current = element;
    if (typeof textarea === 'function') textarea(element);
    else if (textarea) textarea.current = element;
  };

  const labelOf = (tool: (typeof TOOLS)[number]): string =>
    tool.kind === 'bold' ? t('format.bold', { shortcut: `${shortcut}B` }) : tool.kind === 'italic' ? t('format.italic', { shortcut: `${shortcut}I` }) : t(tool.label);

  return (
    <div class="formatting-field">
      <div class="format-tabs">
        <span
          role="tablist"
          aria-label={t('format.modes')}
          onKeyDown={(event) => {
            const next = moveFocus(event);
            if (next) setMode(next.id.endsWith('-preview-tab') ? 'preview' : 'write');
          }}
        >
          <button
            type="button"
            role="tab"
            id={`${id}-write-tab`}
            tabIndex={mode === 'write' ? 0 : -1}
            aria-selected={mode === 'write'}
            aria-controls={id}
            onClick={() => setMode('write')}
          >
            {t('format.write')}
          </button>{' '}
          <button
            type="button"
            role="tab"
            id={`${id}-preview-tab`}
            tabIndex={mode === 'preview' ? 0 : -1}
            aria-selected={mode === 'preview'}
            aria-controls={`${id}-preview`}
            onClick={() => setMode('preview')}
          >
            {t('format.preview')}
          </button>
        </span>
        {mode === 'write' ? (
          <span class="format-toolbar" role="toolbar" aria-label={t('format.toolbar')} aria-controls={id} onKeyDown={(event) => void moveFocus(event)}>
            {TOOLS.map((tool, index) => (
              <button
                key={tool.kind}
                type="button"
                class={`format-${tool.kind}`}
                tabIndex={index === toolIndex ? 0 : -1}
                onFocus={() => setToolIndex(index)}
                aria-label={labelOf(tool)}
                title={labelOf(tool)}
                // Keeps the textarea's focus and selection while the button is pressed.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => format(tool.kind)}
              >
                {tool.glyph}
              </button>
            ))}
          </span>
        ) : null}
      </div>
      <textarea
        id={id}
        name="body"
        ref={setRefs}
        hidden={mode !== 'write'}
        placeholder={placeholder}
        value={value}
        aria-describedby={describedBy}
        aria-invalid={isInvalid ? 'true' : 'false'}
        onInput={(event) => onChange(event.currentTarget.value)}
        onKeyDown={keyDown}
      />
      {mode === 'preview' ? (
        <div class="format-preview body formatted" id={`${id}-preview`} role="tabpanel" aria-labelledby={`${id}-preview-tab`} aria-live="polite">
          {preview.state === 'ready' ? (
            <FormattedHtml html={preview.html} />
          ) : (
            <p class="hint">
              {preview.state === 'loading' ? t('format.previewLoading') : preview.state === 'failed' ? preview.message : t('format.previewEmpty')}
            </p>
          )}
        </div>
      ) : null}
      <p class="format-help">{t('format.help')}</p>
    </div>
  );
}
