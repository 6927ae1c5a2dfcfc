import type { SourceProbeView } from '../../../shared/api/contract.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';

/** One probe in the administrator's words: the verdict first, then what they can act on. */
export function probeText({ t, fmt }: Pick<I18n, 't' | 'fmt'>, probe: SourceProbeView): string {
  const parts: string[] = [];
  if (probe.ok) parts.push(t('system.probe.ok'));
  else if (probe.errorCode) parts.push(t(`system.error.${probe.errorCode}` as MessageKey));
  else if (!probe.reachable) parts.push(t('system.probe.unreachable'));
  else if (probe.authOk === false) parts.push(t('system.probe.authRefused'));
  else if (probe.problem) parts.push(t(`system.probe.problem.${probe.problem}` as MessageKey, { status: probe.httpStatus ?? '' }));
  if (probe.latencyMs !== undefined && probe.reachable) parts.push(fmt.milliseconds(probe.latencyMs));
  if (probe.protocolVersion) parts.push(t('system.probe.version', { version: probe.protocolVersion }));
  return parts.join(' · ');
}
