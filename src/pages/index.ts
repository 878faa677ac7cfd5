export { createPagesRouter } from './pages.router';
export type { PagesRouterOptions } from './pages.router';
export { DEMO_SITE, DEMO_POST } from './demo.page';
