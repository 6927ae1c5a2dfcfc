import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CriticalValueView, PatientAlertsView, RiskAlertView } from '../../../shared/api/contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useOpenView } from '../../lib/open-view.tsx';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { directionMark, ordered, ruleText, unitWords } from './alert-words.ts';
import './critical-values.css';

/** The open patient's views with the strip above them: the strip its own height, the views the rest. */
export function WithCriticalValues({ view, children }: { view: PatientView; children: ReactNode }) {
  return (
    <div className="cv-frame">
      <CriticalValuesStrip view={view} />
      {children}
    </div>
  );
}

/**
 * The top of an open patient: critical values (危急值) until each is acknowledged, then with who
 * and when; and the medication risk alerts (用药风险) with the records behind them. Main computes
 * both over the merged record; this strip asks again as sources answer.
 */
export function CriticalValuesStrip({ view }: { view: PatientView }) {
  const api = useApi();
  const { t } = useI18n();
  // Kept with the open it answers, so another patient's (or no) open never shows them.
  const [answered, setAnswered] = useState<{ viewId: string; alerts: PatientAlertsView }>();
  const [failed, setFailed] = useState(false);
  const asked = useRef(0);
  // Only once main has admitted the open (its grounds arrived): before that the view id is ours alone.
  const admitted = view.access !== undefined && (view.phase === 'open' || view.phase === 'opening');
  const viewId = admitted ? view.viewId : undefined;
  const entryCount = view.entries.length;

  useEffect(() => {
    if (!viewId) return;
    const mine = ++asked.current;
    api.patientAlerts({ viewId }).then(
      (answer) => {
        if (mine !== asked.current) return;
        setAnswered({ viewId, alerts: answer });
        setFailed(false);
      },
      () => {
        if (mine === asked.current) setFailed(true);
      },
    );
    // Asked again whenever the record grows (a source answered, a result was pushed).
  }, [api, viewId, entryCount]);

  const acknowledge = useCallback(
    async (value: CriticalValueView) => {
      if (!viewId) return;
      try {
        const { critical } = await api.acknowledgeCriticalValue({ viewId, entryId: value.entryId });
        setAnswered((prev) =>
          prev && prev.viewId === viewId
            ? {
                viewId,
                alerts: {
                  ...prev.alerts,
                  critical: ordered(prev.alerts.critical.map((c) => (c.entryId === critical.entryId ? critical : c))),
                },
              }
            : prev,
        );
      } catch {
        setFailed(true);
      }
    },
    [api, viewId],
  );

  const alerts = answered && answered.viewId === viewId ? answered.alerts : undefined;
  if (!viewId || !alerts || (alerts.critical.length === 0 && alerts.risks.length === 0 && alerts.findings.length === 0 && !failed))
    return null;
  const open = alerts.critical.filter((c) => !c.acknowledged).length;
  return (
    <section className="cv" aria-label={t('alerts.region')} data-testid="critical-values" data-unacknowledged={open}>
      {alerts.critical.length > 0 && (
        <div className="cv__group">
          <h2 className="cv__h">
            {t('alerts.criticalTitle')}
            {open > 0 && <span className="cv__count">{t('alerts.unacknowledged', { count: open })}</span>}
          </h2>
          <ul className="cv__list">
            {alerts.critical.map((c) => (
              <CriticalLine key={c.entryId} value={c} onAcknowledge={acknowledge} />
            ))}
          </ul>
        </div>
      )}
      {alerts.risks.length > 0 && (
        <div className="cv__group">
          <h2 className="cv__h">{t('alerts.riskTitle')}</h2>
          <ul className="cv__list">
            {alerts.risks.map((r) => (
              <RiskLine key={r.ruleId} alert={r} />
            ))}
          </ul>
        </div>
      )}
      {alerts.findings.length > 0 && (
        <p className="cv__note" data-testid="risk-findings">
          {t('alerts.findings', { count: alerts.findings.length, rules: alerts.findings.map((f) => f.ruleId).join(', ') })}
        </p>
      )}
      {failed && (
        <p className="cv__note" role="alert">
          {t('alerts.failed')}
        </p>
      )}
    </section>
  );
}

function CriticalLine({ value, onAcknowledge }: { value: CriticalValueView; onAcknowledge(value: CriticalValueView): Promise<void> }) {
  const { t, fmt } = useI18n();
  const openView = useOpenView();
  const [busy, setBusy] = useState(false);
  const limit = value.limit ? (value.direction === 'low' ? value.limit.low : value.limit.high) : undefined;
  const basis = [
    ...(value.sourceFlag ? [t('alerts.sourceFlag', { flag: value.sourceFlag })] : []),
    ...(limit !== undefined
      ? [
          t(value.direction === 'low' ? 'alerts.limitLow' : 'alerts.limitHigh', {
            limit: fmt.number(limit),
            unit: unitWords(value.limit!.unit),
          }),
        ]
      : []),
  ].join(' · ');
  return (
    <li
      className={`cv__item cv__item--critical${value.acknowledged ? ' cv__item--done' : ''}`}
      data-testid="critical-value"
      data-acknowledged={value.acknowledged ? 'true' : 'false'}
    >
      <button
        type="button"
        className="cv__entry"
        onClick={() => openView?.({ view: 'timeline', entryId: value.entryId })}
        title={t('alerts.openEntry')}
      >
        <span className="cv__mark" aria-hidden="true">
          {directionMark(value.direction)}
        </span>
        <span className="cv__title">{value.title}</span>
        {value.value !== undefined && (
          <span className="cv__value">
            {fmt.number(value.value)} {unitWords(value.unit)}
          </span>
        )}
        <span className="cv__when">{fmt.dateTime(value.clinicalTime)}</span>
      </button>
      <span className="cv__basis">{basis}</span>
      {value.acknowledged ? (
        <span className="cv__ack" data-testid="critical-ack">
          {t('alerts.acknowledgedBy', { who: value.acknowledged.by.displayName, when: fmt.dateTime(value.acknowledged.at) })}
        </span>
      ) : (
        <button
          type="button"
          className="cv__ackButton"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onAcknowledge(value).finally(() => setBusy(false));
          }}
        >
          {t('alerts.acknowledge')}
        </button>
      )}
    </li>
  );
}

function RiskLine({ alert }: { alert: RiskAlertView }) {
  const { t, fmt, locale } = useI18n();
  const openView = useOpenView();
  return (
    <li className={`cv__item cv__item--risk cv__item--${alert.severity}`} data-testid="risk-alert" data-rule={alert.ruleId}>
      <span className="cv__title">{ruleText(alert, locale, t)}</span>
      <span className="cv__because">{t('alerts.because')}</span>
      <span className="cv__evidence">
        {alert.evidence.map((e) => (
          <button
            key={`${e.condition}:${e.entryId}`}
            type="button"
            className="cv__chip"
            data-testid="risk-evidence"
            onClick={() => openView?.({ view: 'timeline', entryId: e.entryId })}
            title={t('alerts.openEntry')}
          >
            {e.title}
            {e.value !== undefined ? ` ${fmt.number(e.value)} ${unitWords(e.unit)}` : ''}
            {e.clinicalTime ? ` · ${fmt.date(e.clinicalTime)}` : ''}
          </button>
        ))}
      </span>
    </li>
  );
}
