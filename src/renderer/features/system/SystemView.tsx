import { useState } from 'react';
import type { SourceProbeView } from '../../../shared/api/contract.ts';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSourceRegistry, useSources } from '../sources/sources-context.tsx';
import { sourceWarningLines } from '../sources/source-warning-text.ts';
import { probeText } from './probe-text.ts';
import './system-view.css';

type Check =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'done'; checkedAt: string; probes: readonly SourceProbeView[] }
  | { state: 'failed'; error: string };

/**
 * Where the administrator lands: they read no patient records, so no patient search; they run the
 * workstation, so each source's state as the status bar knows it (latency, last success, last
 * error) and "check now", the probes of `huizhen sources check`.
 */
export function SystemView({ embedded = false, onChecked }: { embedded?: boolean; onChecked?: () => void } = {}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const sources = useSources();
  const registry = useSourceRegistry();
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const probeOf = (id: string) => (check.state === 'done' ? check.probes.find((p) => p.sourceId === id) : undefined);

  const runCheck = () => {
    setCheck({ state: 'checking' });
    api.checkSources({}).then(
      (res) => {
        setCheck({ state: 'done', checkedAt: res.checkedAt, probes: res.probes });
        onChecked?.();
        // The states beside the probes come from real calls; read them again as main knows them now.
        api.listSources({}).then(
          (list) => registry.merge(list.sources),
          () => {},
        );
      },
      (error: unknown) => setCheck({ state: 'failed', error: errorMessage(error) }),
    );
  };

  return (
    <section className={embedded ? 'sysv sysv--embedded' : 'sysv'} data-testid="system-view" aria-labelledby="sysv-title">
      <header className="sysv__head">
        {/* Inside the administrator's console it is one panel under the console's own heading. */}
        {embedded ? (
          <h2 id="sysv-title" className="sysv__title">
            {t('system.title')}
          </h2>
        ) : (
          <h1 id="sysv-title" className="sysv__title">
            {t('system.title')}
          </h1>
        )}
        <p className="sysv__lead">{t('system.lead')}</p>
        <div className="sysv__actions">
          <button
            type="button"
            className="sysv__check"
            onClick={runCheck}
            disabled={check.state === 'checking'}
            data-testid="system-check-now"
          >
            {check.state === 'checking' ? t('system.checking') : t('system.checkNow')}
          </button>
          <span className="sysv__status" role="status" data-testid="system-check-status" data-state={check.state}>
            {check.state === 'done' && t('system.checkedAt', { time: i18n.fmt.dateTime(check.checkedAt) })}
            {check.state === 'failed' && t('system.checkFailed', { error: check.error })}
          </span>
          <span className="sysv__hint">{t('system.cliHint')}</span>
        </div>
      </header>
      <table className="sysv__table" data-testid="system-sources">
        <thead>
          <tr>
            <th scope="col">{t('system.source')}</th>
            <th scope="col">{t('system.protocol')}</th>
            <th scope="col">{t('system.state')}</th>
            <th scope="col">{t('system.latency')}</th>
            <th scope="col">{t('system.lastSuccess')}</th>
            <th scope="col">{t('system.lastError')}</th>
            <th scope="col">{t('system.probe')}</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <SourceRow key={s.sourceId} status={s} probe={probeOf(s.sourceId)} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SourceRow({ status: s, probe }: { status: SourceStatus; probe: SourceProbeView | undefined }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const none = t('system.none');
  const warnings = sourceWarningLines(i18n, s);
  return (
    <tr data-testid="system-source" data-source-id={s.sourceId} data-state={s.state}>
      <th scope="row">{s.name}</th>
      <td>{t(`system.kind.${s.kind}` as MessageKey)}</td>
      <td className={`sysv__state sysv__state--${s.state}`}>
        {warnings.length > 0 ? t('sources.state.partial') : t(`sources.state.${s.state}` as MessageKey)}
        {/* IT reads what the last answer left out, with the platform's own code, to take it up with the vendor. */}
        {warnings.length > 0 && (
          <ul className="sysv__warnings" data-testid="system-source-warnings">
            {warnings.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </td>
      <td>{s.latencyMs !== undefined ? fmt.milliseconds(s.latencyMs) : none}</td>
      <td title={s.lastSuccessAt ? fmt.dateTime(s.lastSuccessAt) : undefined}>
        {s.lastSuccessAt ? fmt.relative(s.lastSuccessAt) : t('system.never')}
      </td>
      <td title={s.error?.endpoint}>{s.error ? t(`system.error.${s.error.code}` as MessageKey) : none}</td>
      <td
        className={probe ? `sysv__probe sysv__probe--${probe.ok ? 'ok' : 'bad'}` : 'sysv__probe'}
        data-testid="system-probe"
        data-ok={probe ? String(probe.ok) : ''}
      >
        {probe ? probeText(i18n, probe) : none}
      </td>
    </tr>
  );
}
