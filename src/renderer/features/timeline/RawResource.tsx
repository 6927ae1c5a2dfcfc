import { useState } from 'react';
import type { Resource } from '@medplum/fhirtypes';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

type Whole = { state: 'idle' | 'loading' } | { state: 'ready'; resource: Resource } | { state: 'failed'; message: string };

/**
 * The entry's FHIR resource as the source sent it (after mapping and masking). Results arrive
 * with a summary of theirs (`resourceSummary`): the whole one is fetched from main when the
 * clinician opens this box, not shipped with every one of 10,000 results. Mount it keyed by
 * the entry id, so another entry starts afresh.
 */
export function RawResource({ entry, viewId }: { entry: TimelineEntry; viewId: string | undefined }) {
  const { t } = useI18n();
  const api = useApi();
  const [current, setCurrent] = useState<Whole>({ state: 'idle' });

  const fetchWhole = () => {
    if (!entry.resourceSummary || !viewId || current.state !== 'idle') return;
    setCurrent({ state: 'loading' });
    api.entryResources({ viewId, entryIds: [entry.id] }).then(
      ({ resources }) =>
        setCurrent(resources[0] ? { state: 'ready', resource: resources[0] } : { state: 'failed', message: 'empty reply' }),
      (error: unknown) => setCurrent({ state: 'failed', message: errorMessage(error) }),
    );
  };

  const shown = !entry.resourceSummary ? entry.resource : current.state === 'ready' ? current.resource : undefined;
  return (
    <details className="tl-detail__rawbox" onToggle={(e) => e.currentTarget.open && fetchWhole()}>
      <summary className="tl-detail__h3">
        {t('detail.raw')} <code>{entry.resource.resourceType}</code>
      </summary>
      {shown ? (
        <pre className="tl-detail__raw" data-testid="timeline-detail-raw" tabIndex={0}>
          {JSON.stringify(shown, null, 2)}
        </pre>
      ) : current.state === 'failed' ? (
        <p className="tl-detail__raw-status" role="alert" data-testid="timeline-detail-raw-error">
          {t('detail.rawFailed', { message: current.message })}
        </p>
      ) : (
        <p className="tl-detail__raw-status" data-testid="timeline-detail-raw-loading">
          {t('detail.rawLoading')}
        </p>
      )}
    </details>
  );
}
