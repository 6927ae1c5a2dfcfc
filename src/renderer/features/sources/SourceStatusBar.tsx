import type { SourceStatus } from '../../../shared/domain/source.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { sourceErrorText } from './source-error-text.ts';
import { answeredWithWarnings, sourceWarningLines } from './source-warning-text.ts';
import { useSources } from './sources-context.tsx';
import { useNow } from '../../lib/use-now.ts';
import { sourceStateView, type ShownSourceState } from './source-state-view.ts';
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
            <SourceStatusItem key={s.sourceId} status={s} />
          ))}
        </ul>
      )}
    </footer>
  );
}

export function SourceStatusItem({ status }: { status: SourceStatus }) {
  const { t, fmt } = useI18n();
  const now = useNow(1_000, status.state === 'loading');
  const view = sourceStateView(status, now);
  const warned = answeredWithWarnings(status);
  // A partial answer never reads "OK": it says it answered in part.
  const stateLabel = warned > 0 ? t('sources.state.partial') : t(`sources.state.${view.shown}` as MessageKey);
  const parts: string[] = [];
  if (view.waitedSeconds !== undefined) parts.push(t('sources.waiting', { seconds: view.waitedSeconds }));
  // Latency is for IT (in the title); the clinician reads the state and how fresh it is.
  const latency = status.latencyMs !== undefined ? t('sources.latency', { value: fmt.milliseconds(status.latencyMs) }) : '';
  if (status.lastSuccessAt) parts.push(t('sources.lastSuccess', { time: fmt.relative(status.lastSuccessAt) }));
  const title = [
    `${status.name} (${status.kind})`,
    stateLabel,
    ...sourceWarningLines({ t }, status),
    latency,
    ...parts,
    status.lastSuccessAt ? fmt.dateTime(status.lastSuccessAt) : '',
    status.error ? t('sources.error', { message: sourceErrorText({ t, fmt }, status.error) }) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <li
      className={`src-item src-item--${status.state}${view.shown === 'hung' ? ' src-item--waiting' : ''}${warned > 0 ? ' src-item--warned' : ''}`}
      data-testid="source-status"
      data-source-id={status.sourceId}
      data-state={status.state}
      data-shown={view.shown}
      data-warnings={warned > 0 ? warned : undefined}
      title={title}
    >
      <span className="src-item__glyph" aria-hidden="true">
        {STATE_GLYPH[view.shown]}
      </span>
      <span className="src-item__name">{status.name}</span>
      <span className="src-item__state">{stateLabel}</span>
      {/* A partial answer must not read as a plain OK: the count stays in sight, the kinds in the title. */}
      {warned > 0 && (
        <span className="src-item__warnings" data-testid="source-warnings">
          {t('sources.answeredWithWarnings.short', { count: warned })}
        </span>
      )}
      {parts.length > 0 && <span className="src-item__meta">{parts.join(' · ')}</span>}
      {/* A part read from the cache says why the live call failed: refused, timed out, … */}
      {status.error && (status.state === 'failed' || status.state === 'circuit-open' || status.state === 'cached') && (
        <span className="src-item__error">{t('sources.error', { message: sourceErrorText({ t, fmt }, status.error) })}</span>
      )}
    </li>
  );
}
