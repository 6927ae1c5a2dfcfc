import { useCallback } from 'react';
import type { AuditStatus } from '../../../shared/api/admin-insight.ts';
import { useApi } from '../../api/api-context.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';

const headKey = (state: string): MessageKey => `console.audit.head.${state}` as MessageKey;

/** The chain as `huizhen audit verify` judges it, and the forwarding spool. */
export function AuditStatusBlock() {
  const api = useApi();
  const { t, fmt } = useI18n();
  const read = useCallback(() => api.adminAuditStatus({}), [api]);
  const view = useApiRead(read);
  const status: AuditStatus | undefined = view.value;
  const chain = status?.chain;
  const state = !status ? 'loading' : !status.kept ? 'not-kept' : chain ? (chain.ok ? 'intact' : 'tampered') : 'error';
  return (
    <section className="acon-block" aria-labelledby="aa-chain" data-testid="audit-chain" data-state={state} data-loading={view.loading}>
      <h2 id="aa-chain" className="acon__subtitle">
        {t('console.audit.chain')}
      </h2>
      {view.error && <p className="acon__bad">{t('console.failed', { error: view.error })}</p>}
      {status && !status.kept && <p className="acon__note">{t('console.audit.chain.notKept')}</p>}
      {status?.error && <p className="acon__bad">{t('console.audit.chain.error', { error: status.error })}</p>}
      {chain && (
        <>
          <p className={chain.ok ? 'acon__good' : 'acon__bad'}>
            {chain.ok
              ? t('console.audit.chain.ok', { events: fmt.number(chain.events) })
              : t('console.audit.chain.tampered', { count: fmt.number(chain.problems.length) })}
          </p>
          {chain.problems.length > 0 && (
            <ul className="acon-list">
              {chain.problems.slice(0, 20).map((p) => (
                <li key={`${p.line}:${p.kind}`}>{t('console.audit.problem', { line: fmt.number(p.line), kind: p.kind })}</li>
              ))}
            </ul>
          )}
          <dl className="acon-figures">
            <div className="acon-figures__item">
              <dt>{t('console.audit.witness')}</dt>
              <dd>{t(headKey(chain.witness))}</dd>
            </div>
            <div className="acon-figures__item">
              <dt>{t('console.audit.repository')}</dt>
              <dd>{t(headKey(chain.repository))}</dd>
            </div>
          </dl>
        </>
      )}
      <h3 className="acon__minor">{t('console.audit.forwarding')}</h3>
      {status && !status.forwarding && <p className="acon__note">{t('console.audit.forwarding.none')}</p>}
      {status?.forwarding && (
        <dl className="acon-figures" data-testid="audit-forwarding" data-pending={status.forwarding.pending}>
          <div className="acon-figures__item">
            <dt>{t('console.audit.forwarding.pending')}</dt>
            <dd>{fmt.number(status.forwarding.pending)}</dd>
          </div>
          <div className="acon-figures__item">
            <dt>{t('console.audit.forwarding.delivered')}</dt>
            <dd>{fmt.number(status.forwarding.deliveredSeq)}</dd>
          </div>
          <div className="acon-figures__item">
            <dt>{t('console.audit.forwarding.lastDelivery')}</dt>
            <dd>
              {status.forwarding.lastDeliveryAt ? fmt.dateTime(status.forwarding.lastDeliveryAt) : t('console.audit.forwarding.never')}
            </dd>
          </div>
          {status.forwarding.lastError && (
            <div className="acon-figures__item">
              <dt>{t('console.audit.forwarding.lastError')}</dt>
              <dd className="acon__bad">
                <code>{status.forwarding.lastError.code}</code> {status.forwarding.lastError.message}
              </dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}
