export { ConfigError, loadConfigFile } from './load-config.ts';
export { configurationSummary } from './config-view.ts';
