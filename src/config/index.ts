export { loadConfig, ConfigError } from './config';
export type { Config, LogLevel } from './config';
