import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { sourceName } from '../sources/source-registry.ts';
import { useSources } from '../sources/sources-context.tsx';

/**
 * Which of a candidate's parts are this workstation's cached copy (their system did not answer
 * this search), and since when: a doctor choosing a patient during an outage sees what may be
 * out of date. The oldest fetch time is the one shown.
 */
export function CachedMark({ candidate }: { candidate: PatientCandidate }) {
  const { t, fmt, locale } = useI18n();
  const sources = useSources();
  const cached = candidate.cached ?? [];
  if (cached.length === 0) return null;
  const oldest = cached.map((c) => c.fetchedAt).reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  const time = fmt.dateTime(oldest);
  // Refs added through another system's cross-reference were not searched; they do not count as live.
  const crossReferenced = new Set(
    candidate.link.reasons.flatMap((r) => (r.code === 'cross-reference' ? [`${r.ref.sourceId}/${r.ref.sourcePatientId}`] : [])),
  );
  const cachedIds = new Set(cached.map((c) => c.sourceId));
  const onlyCached = candidate.refs.every((r) => cachedIds.has(r.sourceId) || crossReferenced.has(`${r.sourceId}/${r.sourcePatientId}`));
  const names = new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(
    [...cachedIds].map((id) => sourceName(sources, id)),
  );
  return (
    <div
      className="ps-row__cached"
      data-testid="patient-result-cached"
      data-cached-sources={[...cachedIds].join(' ')}
      data-only={onlyCached}
    >
      <span aria-hidden="true">◷ </span>
      {onlyCached ? t('search.cachedOnly', { time }) : t('search.cachedPart', { sources: names, time })}
    </div>
  );
}
