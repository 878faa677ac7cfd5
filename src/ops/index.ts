export { createMetrics } from './metrics';
export type { Metrics } from './metrics';
export { createOpsRouter } from './ops.routes';
export type { OpsDeps } from './ops.routes';
export { createSystemRouter, systemApiPaths } from './system.routes';
export type { SystemDeps } from './system.routes';
