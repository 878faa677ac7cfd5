import type { Model } from 'mongoose';
import type { Clock } from '../shared/clock';
import type { ModeratorDoc } from './identity.models';

/** How long the moderators' names are trusted before a reload: another instance's new moderator is protected within this. */
export const MODERATOR_NAMES_TTL_MS = 30_000;

interface Loaded {
  readonly at: number;
  readonly moderators: readonly { name: string; isAdmin: boolean; sites: readonly string[] }[];
}

/**
 * The names guests may not take on a site (its moderators and every admin), read
 * once for all sites and kept for a short while: a guest's first comment must not
 * cost a moderators query. Changes made through this instance drop it at once.
 */
export function createModeratorNames(deps: { Moderator: Model<ModeratorDoc>; clock: Clock }) {
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;

  const load = (): Promise<Loaded> => {
    loading ??= deps.Moderator.find({}, { name: 1, role: 1, sites: 1 })
      .lean<Pick<ModeratorDoc, 'name' | 'role' | 'sites'>[]>()
      .then((docs) => {
        const next: Loaded = {
          at: deps.clock.now().getTime(),
          moderators: docs.map((doc) => ({ name: doc.name, isAdmin: doc.role === 'admin', sites: doc.sites })),
        };
        loaded = next;
        return next;
      })
      .finally(() => (loading = undefined));
    return loading;
  };

  return {
    async namesOf(site: string): Promise<string[]> {
      const now = deps.clock.now().getTime();
      const current = loaded && now >= loaded.at && now - loaded.at < MODERATOR_NAMES_TTL_MS ? loaded : await load();
      return current.moderators.filter((moderator) => moderator.isAdmin || moderator.sites.includes(site)).map((moderator) => moderator.name);
    },
    invalidate(): void {
      loaded = undefined;
    },
  };
}
