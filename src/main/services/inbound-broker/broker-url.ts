/**
 * The URL amqplib connects with: the configured one (which never holds a password) with the
 * password from the credential vault put back in. The result stays in main and is never logged.
 */
import type { BrokerConfig } from '../../../shared/config/broker.ts';

export interface SecretSource {
  get(name: string): string | undefined;
}

export function connectUrlOf(config: BrokerConfig, secrets: SecretSource | undefined): string {
  if (!config.passwordRef) {
    if (!config.password) return config.url;
    const url = new URL(config.url);
    url.password = encodeURIComponent(config.password);
    return url.toString();
  }
  const password = secrets?.get(config.passwordRef);
  if (password === undefined)
    throw new Error(
      `broker.passwordRef "${config.passwordRef}" is not in the credential vault (huizhen credentials set ${config.passwordRef})`,
    );
  const url = new URL(config.url);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The broker's address for logs: no user, no password. */
export function displayUrlOf(config: BrokerConfig): string {
  const url = new URL(config.url);
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
