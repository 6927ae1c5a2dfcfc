import type { WorklistResponse, WorklistRow } from '../../../shared/api/worklist.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSources } from '../sources/index.ts';

/** A system's name as the source registry knows it, else its configured id. */
function useSourceName(): (sourceId: string) => string {
  const sources = useSources();
  return (sourceId) => sources.find((s) => s.sourceId === sourceId)?.name ?? sourceId;
}

const placeText = (p: WorklistRow['placements'][number], homeWard: string | undefined): string =>
  `${p.ward !== homeWard ? `${p.ward} ` : ''}${p.bed ?? '—'}`;

/**
 * The bed the row shows (the most authoritative system's), and — when the systems disagree on
 * the ward or bed — a conflict mark naming each system's placement, not silently resolved.
 */
export function Placement({ row, homeWard }: { row: WorklistRow; homeWard: string | undefined }) {
  const { t } = useI18n();
  const name = useSourceName();
  const shown = `${row.ward !== homeWard ? `${row.ward} ` : ''}${row.bed ?? '—'}`;
  if (!row.placementConflict) return <>{shown}</>;
  const detail = row.placements
    .map((p) => t('worklist.conflict.one', { system: name(p.sourceId), place: placeText(p, homeWard) }))
    .join('；');
  return (
    <>
      {shown}
      <span
        className="wl__conflict"
        data-testid="worklist-bed-conflict"
        title={detail}
        aria-label={`${t('worklist.conflict.mark')}: ${detail}`}
      >
        {t('worklist.conflict.mark')}
      </span>
    </>
  );
}

/** "HIS (HL7 v2 MLLP)" → "HIS": the chip stays narrow, its title keeps the whole name. */
const shortName = (name: string): string => name.replace(/\s*[(（][^)）]*[)）]\s*$/, '') || name;

/** Every system whose census places this person (provenance), as chips. */
export function Provenance({ row }: { row: WorklistRow }) {
  const { t } = useI18n();
  const name = useSourceName();
  const systems = [...new Set(row.placements.map((p) => p.sourceId))];
  return (
    <span className="wl__provenance" data-testid="worklist-provenance" aria-label={t('worklist.provenance')}>
      {systems.map((id) => (
        <span key={id} className="wl__system" data-source={id} title={name(id)}>
          {shortName(name(id))}
        </span>
      ))}
    </span>
  );
}

/** Census sources that could not be read: which system, why, and that the list may be incomplete. */
export function CensusFailures({ failures }: { failures: NonNullable<WorklistResponse['censusFailures']> }) {
  const { t } = useI18n();
  const name = useSourceName();
  return (
    <p className="wl__census-failure" role="status" data-testid="worklist-census-failure">
      {failures
        .map((f) =>
          t('worklist.censusFailure', {
            system: name(f.sourceId),
            reason: t(f.code === 'unknown' ? 'worklist.censusFailure.unknown' : `system.error.${f.code}`),
          }),
        )
        .join(' ')}{' '}
      {t('worklist.censusFailure.incomplete')}
    </p>
  );
}
