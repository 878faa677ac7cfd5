import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/** Every route the app serves, read from Express's own router (so a new route can't be forgotten). */
export function listRoutes(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: LayerLike[]): void => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, enabled] of Object.entries(layer.route.methods)) {
          if (enabled && method !== '_all')
            routes.push({ method: method.toUpperCase(), path: layer.route.path });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack);
  return routes;
}

/** API routes are mounted under `/api/v1`; these prefixes tell them from pages and ops routes. */
export function isApiRoute(route: RouteInfo): boolean {
  return /^\/(mod|sites|comments|subscriptions)(\/|$)/.test(route.path);
}
