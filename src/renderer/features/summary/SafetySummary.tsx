import { useMemo, type KeyboardEvent } from 'react';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { PatientView } from '../../patient/open-patient-view.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useOpenView } from '../../lib/open-view.tsx';
import { summarizeRecord } from './clinical-summary.ts';
import { summaryLines } from './summary-lines.tsx';
import { summaryWords } from './summary-words.ts';
import './summary.css';

const LINE = '[data-summary-line]';
/** ↑/↓ (and Home/End) move between the summary's lines; Enter or Space opens one. */
function onLinesKey(e: KeyboardEvent<HTMLDivElement>) {
  const lines = [...e.currentTarget.querySelectorAll<HTMLElement>(LINE)];
  const i = lines.indexOf(document.activeElement as HTMLElement);
  let next: HTMLElement | undefined;
  if (e.key === 'ArrowDown') next = lines[Math.min(i + 1, lines.length - 1)];
  else if (e.key === 'ArrowUp') next = lines[Math.max(i - 1, 0)];
  else if (e.key === 'Home') next = lines[0];
  else if (e.key === 'End') next = lines[lines.length - 1];
  if (!next) return;
  e.preventDefault();
  next.focus();
}

/**
 * The ward doctor's first look at the open patient: allergies, active problems reconciled
 * across systems, current medications apart from past ones, latest weight and height. Each
 * line opens its entry in the timeline's detail.
 */
export function SafetySummary({ view }: { view: PatientView }) {
  const { t, fmt, locale } = useI18n();
  const openView = useOpenView();
  const summary = useMemo(() => summarizeRecord(view.entries), [view.entries]);
  const open = (entry: TimelineEntry) => openView?.({ view: 'timeline', entryId: entry.id });
  const { statusText, conflictTitle, onsetsText } = summaryWords({ t, fmt, locale });
  const { allergies, problems, medications } = summary;
  const { line, measurement } = summaryLines({ t, fmt, open, conflictTitle });

  return (
    <div className="sum" data-testid="summary" data-phase={view.phase} onKeyDown={onLinesKey}>
      <section
        className="sum__section sum__section--allergies"
        aria-labelledby="sum-allergies"
        data-testid="summary-allergies"
        data-state={allergies.state}
      >
        <h2 id="sum-allergies" className="sum__h">
          {t('summary.allergies')}
        </h2>
        {allergies.state === 'recorded' ? (
          <ul className="sum__list">
            {allergies.lines.map((a) =>
              line(
                'summary-allergy',
                a.entry,
                a.entry.provenance,
                a.conflict,
                <>
                  <span className={`sum__crit sum__crit--${a.criticality ?? 'unknown'}`}>
                    {t(`summary.criticality.${a.criticality ?? 'unknown'}` as MessageKey)}
                  </span>
                  {a.criticalitySource && (
                    <span className="sum__meta" data-testid="summary-criticality-source">
                      {t('summary.statedBy', { source: a.criticalitySource })}
                    </span>
                  )}
                  <span className="sum__title">{a.title}</span>
                  {a.reactions.length > 0 && <span className="sum__meta">{a.reactions.join('、')}</span>}
                </>,
                a.criticality ? { 'data-criticality': a.criticality } : undefined,
              ),
            )}
          </ul>
        ) : allergies.state === 'none-known' ? (
          <ul className="sum__list">
            {line(
              'summary-allergy-none',
              allergies.noneKnown[0]!,
              allergies.noneKnown.flatMap((e) => e.provenance),
              false,
              <span className="sum__title">{t('allergy.noneKnown')}</span>,
            )}
          </ul>
        ) : (
          <p className="sum__none" data-testid="summary-allergy-unrecorded">
            {t('allergy.notRecorded')}
          </p>
        )}
      </section>

      <section className="sum__section" aria-labelledby="sum-problems" data-testid="summary-problems">
        <h2 id="sum-problems" className="sum__h">
          {t('summary.problems')} <span className="sum__count">{problems.length}</span>
        </h2>
        {problems.length === 0 ? (
          <p className="sum__none">{t('summary.noProblems')}</p>
        ) : (
          <ul className="sum__list">
            {problems.map((p) =>
              line(
                'summary-problem',
                p.entries[0]!,
                p.provenance,
                p.conflict,
                <>
                  <span className="sum__title">{p.title}</span>
                  {p.since && <span className="sum__meta">{t('summary.since', { date: fmt.clinical(p.since) })}</span>}
                  {p.onsets && (
                    <span className="sum__meta" data-testid="summary-onset-conflict">
                      {onsetsText(p.onsets)}
                    </span>
                  )}
                </>,
              ),
            )}
          </ul>
        )}
      </section>

      <section className="sum__section" aria-labelledby="sum-meds" data-testid="summary-medications">
        <h2 id="sum-meds" className="sum__h">
          {t('summary.currentMedications')} <span className="sum__count">{medications.current.length}</span>
        </h2>
        {medications.current.length === 0 ? (
          <p className="sum__none">{t('summary.noCurrentMedications')}</p>
        ) : (
          <ul className="sum__list" data-testid="summary-current-medications">
            {medications.current.map((m) =>
              line(
                'summary-medication',
                m.entry,
                m.entry.provenance,
                m.conflict,
                <>
                  <span className="sum__title">{m.title}</span>
                  {m.dosage && <span className="sum__meta">{m.dosage}</span>}
                </>,
              ),
            )}
          </ul>
        )}
        {medications.past.length > 0 && (
          <>
            <h3 className="sum__h3">
              {t('summary.pastMedications')} <span className="sum__count">{medications.past.length}</span>
            </h3>
            <ul className="sum__list sum__list--past" data-testid="summary-past-medications">
              {medications.past.map((m) =>
                line(
                  'summary-past-medication',
                  m.entry,
                  m.entry.provenance,
                  m.conflict,
                  <>
                    <span className="sum__title">{m.title}</span>
                    <span className="sum__meta">
                      {statusText(m.status)}
                      {m.entry.clinicalTime ? ` · ${fmt.clinical(m.entry.clinicalTime)}` : ''}
                    </span>
                  </>,
                ),
              )}
            </ul>
          </>
        )}
      </section>

      <section className="sum__section sum__section--body" aria-labelledby="sum-body" data-testid="summary-body">
        <h2 id="sum-body" className="sum__h">
          {t('summary.body')}
        </h2>
        {measurement(t('summary.weight'), summary.weight, 'summary-weight')}
        {measurement(t('summary.height'), summary.height, 'summary-height')}
      </section>
      <div className="sum__hint" aria-hidden="true">
        {t('summary.keyboardHint')}
      </div>
    </div>
  );
}
