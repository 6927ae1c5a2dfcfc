import type { SourceStatus } from '../../../shared/domain/source.ts';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { candidateSourceIds } from '../../patient/patient-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { sourceName } from './source-registry.ts';
import { useSources } from './sources-context.tsx';
import { SourceStatusItem } from './SourceStatusBar.tsx';

const SETTLED = new Set(['ok', 'slow', 'failed', 'circuit-open', 'cached']);

/** The open patient's per-source statuses, with a placeholder for systems not yet reported. */
export function openStatuses(view: PatientView, registry: readonly SourceStatus[]): SourceStatus[] {
  const wanted = view.candidate ? candidateSourceIds(view.candidate) : [];
  return wanted.map(
    (id) =>
      view.sources.find((s) => s.sourceId === id) ?? {
        sourceId: id,
        name: sourceName(registry, id),
        kind: registry.find((s) => s.sourceId === id)?.kind ?? 'fhir',
        state: 'loading',
      },
  );
}

/** Per-source progress while a patient opens: which systems answered, which are still awaited. */
export function OpenProgress({ view }: { view: PatientView }) {
  const { t } = useI18n();
  const registry = useSources();
  const statuses = openStatuses(view, registry);
  const done = statuses.filter((s) => SETTLED.has(s.state)).length;
  return (
    <div className="tl__progress" role="status" data-testid="timeline-progress">
      <span className="tl__progress-text">
        <span className="tl__spinner" aria-hidden="true" />
        {t('sources.progress', { done, total: statuses.length })}
        {view.entries.length > 0 && ` — ${t('timeline.partial')}`}
      </span>
      <ul className="tl__progress-list">
        {statuses.map((s) => (
          <SourceStatusItem key={s.sourceId} status={s} />
        ))}
      </ul>
    </div>
  );
}
