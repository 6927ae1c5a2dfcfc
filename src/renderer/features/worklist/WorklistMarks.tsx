import type { WorklistResponse, WorklistRow } from '../../../shared/api/worklist.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSources } from '../sources/index.ts';
import { emptyWardState } from './empty-ward.ts';

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

/** A census time as the doctor reads it: the time alone today, the date and time otherwise. */
export function useWhen(): (iso: string) => string {
  const { fmt } = useI18n();
  return (iso) => {
    const at = new Date(iso);
    return at.toDateString() === new Date().toDateString() ? fmt.time(at) : fmt.dateTime(at);
  };
}

/**
 * Census sources that could not be read: which system (its name, not its id), why, and — when it
 * gave its census earlier — that the ward list is its census as of then, from this workstation.
 */
export function CensusFailures({ failures }: { failures: NonNullable<WorklistResponse['censusFailures']> }) {
  const { t } = useI18n();
  const name = useSourceName();
  const when = useWhen();
  const stale = failures.some((f) => f.lastAnsweredAt);
  return (
    <p className="wl__census-failure" role="status" data-testid="worklist-census-failure" data-stale={stale}>
      {failures
        .map((f) => {
          const reason = t(f.code === 'unknown' ? 'worklist.censusFailure.unknown' : `system.error.${f.code}`);
          return f.lastAnsweredAt
            ? t('worklist.censusStale', { system: name(f.sourceId), reason, time: when(f.lastAnsweredAt) })
            : t('worklist.censusFailure', { system: name(f.sourceId), reason });
        })
        .join(' ')}{' '}
      {t('worklist.censusFailure.incomplete')}
    </p>
  );
}

/**
 * An empty list says "no inpatients" only when a census source answered with none; while the
 * systems are still asked it says so, and with every census source failed and none ever read it
 * says the census could not be read.
 */
export function EmptyWard({ list, updating }: { list: WorklistResponse; updating: boolean }) {
  const { t } = useI18n();
  const name = useSourceName();
  const when = useWhen();
  const empty = emptyWardState(list, updating);
  const text =
    empty.state === 'unread'
      ? t('worklist.censusUnread', { systems: empty.sourceIds.map(name).join('、') })
      : empty.state === 'as-of'
        ? t('worklist.emptyAsOf', { time: when(empty.at) })
        : t(empty.state === 'updating' ? 'worklist.emptyUpdating' : 'worklist.empty');
  return (
    <p className={`wl__empty wl__empty--${empty.state}`} data-testid="worklist-empty" data-state={empty.state}>
      {text}
    </p>
  );
}

/** The allergy flag, the systems that hold the allergy, and a disagreement (an allergy here, none known there) marked. */
export function AllergyFlag({ row }: { row: WorklistRow }) {
  const { t } = useI18n();
  const name = useSourceName();
  const systems = (row.allergySources ?? []).map((id) => name(id)).join('、');
  return (
    <span
      className={row.allergies === 'yes' ? 'wl__allergy' : 'wl__muted'}
      data-testid="worklist-allergy"
      data-allergy={row.allergies}
      title={systems ? t('worklist.allergy.from', { systems }) : undefined}
    >
      {t(`worklist.allergy.${row.allergies}`)}
      {row.allergyConflict && (
        <span className="wl__conflict" data-testid="worklist-allergy-conflict" title={t('worklist.allergy.conflictTitle', { systems })}>
          {t('worklist.allergy.conflict')}
        </span>
      )}
    </span>
  );
}

/** Sources not yet answered for this row, by the names the rest of the screen uses. */
export function PendingSources({ row }: { row: WorklistRow }) {
  const name = useSourceName();
  return (
    <span className="wl__muted" data-testid="worklist-pending" data-pending={row.pendingSources.join(' ')}>
      {row.pendingSources.map((id) => shortName(name(id))).join('、')}
    </span>
  );
}
