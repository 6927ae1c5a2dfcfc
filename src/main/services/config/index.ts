export { ConfigError, loadConfigFile } from './load-config.ts';
