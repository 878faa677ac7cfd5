import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ModeratorDto, SiteDto } from '../../contracts/moderation-api';
import type { ApiClient } from '../api-client';
import type { ModerationSocket } from '../live-connection';

export type NoticeKind = 'info' | 'success' | 'error';

export interface PanelContextValue {
  api: ApiClient;
  moderator: ModeratorDto;
  socket: ModerationSocket | null;
  /** Sites this moderator may moderate, as the API returned them. */
  sites: readonly SiteDto[];
  reloadSites: () => void;
  /** The site filter shared by every view; '' means every site in scope. */
  site: string;
  setSite: (site: string) => void;
  notify: (message: string, kind?: NoticeKind) => void;
}

export const PanelContext = createContext<PanelContextValue | null>(null);

export function usePanel(): PanelContextValue {
  const value = useContext(PanelContext);
  if (value === null) throw new Error('usePanel outside of the signed-in panel');
  return value;
}
