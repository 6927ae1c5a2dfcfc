import { useId } from 'react';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { shortSourceName } from '../../lib/short-source-name.ts';
import { sourceErrorText } from './source-error-text.ts';
import { answeredWithWarnings, sourceWarningLines } from './source-warning-text.ts';
import { useSources } from './sources-context.tsx';
import { useNow } from '../../lib/use-now.ts';
import { saysStateInWords, sourceStateView, type ShownSourceState, type SourceStateView } from './source-state-view.ts';
import './sources.css';

const STATE_GLYPH: Record<ShownSourceState, string> = {
  idle: '○',
  loading: '◌',
  hung: '◔',
  ok: '●',
  slow: '◐',
  failed: '✕',
  'circuit-open': '⊘',
  cached: '◷',
};

/** The footer: one compact chip per system, so the whole workstation's systems fit one line at 1280 px. */
export function SourceStatusBar() {
  const sources = useSources();
  const { t } = useI18n();
  return (
    <footer className="src-bar" aria-label={t('sources.title')} data-testid="source-status-bar">
      <span className="src-bar__title">{t('sources.title')}</span>
      {sources.length === 0 ? (
        <span className="src-bar__none">{t('sources.none')}</span>
      ) : (
        <ul className="src-bar__list">
          {sources.map((s) => (
            <SourceStatusChip key={s.sourceId} status={s} />
          ))}
        </ul>
      )}
    </footer>
  );
}

interface SourceWords {
  view: SourceStateView;
  stateLabel: string;
  /** How long a hung call has waited, when the last success was: what the clinician reads. */
  parts: string[];
  /** The full name, state, latency (for IT), times and the reason, one per line. */
  details: string[];
  errorText: string | undefined;
  /** Warnings of the last answer (a partial answer): never read as a plain OK. */
  warned: number;
}

function useSourceWords(status: SourceStatus): SourceWords {
  const { t, fmt } = useI18n();
  const now = useNow(1_000, status.state === 'loading');
  const view = sourceStateView(status, now);
  const warned = answeredWithWarnings(status);
  // A partial answer never reads "OK": it says it answered in part.
  const stateLabel = warned > 0 ? t('sources.state.partial') : t(`sources.state.${view.shown}` as MessageKey);
  const parts: string[] = [];
  if (view.waitedSeconds !== undefined) parts.push(t('sources.waiting', { seconds: view.waitedSeconds }));
  const latency = status.latencyMs !== undefined ? t('sources.latency', { value: fmt.milliseconds(status.latencyMs) }) : '';
  if (status.lastSuccessAt) parts.push(t('sources.lastSuccess', { time: fmt.relative(status.lastSuccessAt) }));
  const errorText = status.error ? t('sources.error', { message: sourceErrorText({ t, fmt }, status.error) }) : undefined;
  const details = [
    `${status.name} (${status.kind})`,
    stateLabel,
    ...sourceWarningLines({ t }, status),
    latency,
    ...parts,
    status.lastSuccessAt ? fmt.dateTime(status.lastSuccessAt) : '',
    errorText ?? '',
  ].filter(Boolean);
  return { view, stateLabel, parts, details, errorText, warned };
}

const itemClass = (status: SourceStatus, view: SourceStateView, warned: number) =>
  `src-item src-item--${status.state}${view.shown === 'hung' ? ' src-item--waiting' : ''}${warned > 0 ? ' src-item--warned' : ''}`;

/** The count of a partial answer's warnings, in sight (the kinds are in the details). */
function WarningCount({ warned }: { warned: number }) {
  const { t } = useI18n();
  if (warned === 0) return null;
  return (
    <span className="src-item__warnings" data-testid="source-warnings">
      {t('sources.answeredWithWarnings.short', { count: warned })}
    </span>
  );
}

/**
 * One system in the footer: glyph and short name; a state that needs the reader's attention
 * (loading, hung, slow, failed, cut off, cached) also in words. The rest is a tooltip that opens
 * on hover and on keyboard focus, and is the chip's description for a screen reader.
 */
export function SourceStatusChip({ status }: { status: SourceStatus }) {
  const tip = useId();
  const { view, stateLabel, parts, details, warned } = useSourceWords(status);
  return (
    <li
      className={`${itemClass(status, view, warned)} src-item--chip`}
      data-testid="source-status"
      data-source-id={status.sourceId}
      data-state={status.state}
      data-shown={view.shown}
      data-warnings={warned > 0 ? warned : undefined}
      // Focusable so the keyboard reaches the details the mouse gets on hover.
      tabIndex={0}
      aria-describedby={tip}
    >
      <span className="src-item__glyph" aria-hidden="true">
        {STATE_GLYPH[view.shown]}
      </span>
      <span className="src-item__name">{shortSourceName(status.name)}</span>
      <span className={saysStateInWords(view.shown) || warned > 0 ? 'src-item__state' : 'visually-hidden'}>{stateLabel}</span>
      <WarningCount warned={warned} />
      {view.waitedSeconds !== undefined && <span className="src-item__meta">{parts[0]}</span>}
      <span className="src-item__tip hz-tip" role="tooltip" id={tip} data-testid="source-status-tip">
        {details.map((line, i) => (
          <span key={i} className="src-item__tip-line">
            {line}
          </span>
        ))}
      </span>
    </li>
  );
}

/** One system in full, on one line: where there is room (an open's progress list). */
export function SourceStatusItem({ status }: { status: SourceStatus }) {
  const { view, stateLabel, parts, details, errorText, warned } = useSourceWords(status);
  return (
    <li
      className={itemClass(status, view, warned)}
      data-testid="source-status"
      data-source-id={status.sourceId}
      data-state={status.state}
      data-shown={view.shown}
      data-warnings={warned > 0 ? warned : undefined}
      title={details.join('\n')}
    >
      <span className="src-item__glyph" aria-hidden="true">
        {STATE_GLYPH[view.shown]}
      </span>
      <span className="src-item__name">{status.name}</span>
      <span className="src-item__state">{stateLabel}</span>
      {/* A partial answer must not read as a plain OK: the count stays in sight, the kinds in the details. */}
      <WarningCount warned={warned} />
      {parts.length > 0 && <span className="src-item__meta">{parts.join(' · ')}</span>}
      {/* A part read from the cache says why the live call failed: refused, timed out, … */}
      {errorText && (status.state === 'failed' || status.state === 'circuit-open' || status.state === 'cached') && (
        <span className="src-item__error">{errorText}</span>
      )}
    </li>
  );
}
