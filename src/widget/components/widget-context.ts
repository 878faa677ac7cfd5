import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { WidgetMessageKey, WidgetTranslator } from '../i18n';
import type { MessageParams } from '../../i18n';
import type { ThreadStore } from '../thread-store';
import type { WidgetController } from '../widget-controller';

export interface WidgetContextValue {
  controller: WidgetController;
  /** The reader's language: `data-lang`, else the page's `lang`, else the browser's. */
  translator: WidgetTranslator;
  /** Shorthand for `translator.t`. */
  t: (key: WidgetMessageKey, params?: MessageParams) => string;
  /** Says something through the polite live region (screen readers). */
  announce: (message: string) => void;
  /** Ticks every 30 s so relative times stay true. */
  now: Date;
  /** Opens a deep reply chain on its own ("continue this thread"). */
  focusThread: (commentId: string) => void;
}

export const WidgetContext = createContext<WidgetContextValue | null>(null);

export function useWidget(): WidgetContextValue {
  const value = useContext(WidgetContext);
  if (!value) throw new Error('useWidget outside the widget');
  return value;
}

/** Re-renders the component whenever the store changes. */
export function useStore(store: ThreadStore): ThreadStore {
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store]);
  return store;
}

let nextId = 0;
/** A stable id unique within the page (several composers share one shadow root). */
export function useUniqueId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${(nextId += 1)}`);
  return id;
}
