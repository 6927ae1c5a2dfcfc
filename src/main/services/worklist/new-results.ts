import type { Resource } from '../../../shared/domain/fhir.ts';

/** What a row says about results that arrived since the user last looked. */
export interface NewResults {
  count: number;
  abnormal: number;
  critical: number;
}

interface ObservationLike {
  resourceType: 'Observation';
  issued?: string;
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string };
  interpretation?: { coding?: { code?: string; display?: string }[]; text?: string }[];
  status?: string;
}

/** Source interpretation codes (HL7 v2 OBX-8, FHIR v3-ObservationInterpretation) meaning outside the reference range. */
const ABNORMAL = new Set(['A', 'AA', 'H', 'HH', 'L', 'LL', 'HU', 'LU', '>', '<', 'U', 'D', 'B', 'W', 'R', 'POS', 'DET', 'CAR']);
const CRITICAL = new Set(['AA', 'HH', 'LL', 'HU', 'LU']);

const codesOf = (o: ObservationLike): string[] =>
  (o.interpretation ?? []).flatMap((i) => [
    ...(i.coding ?? []).map((c) => (c.code ?? '').toUpperCase()),
    ...(i.text ? [i.text] : []),
    ...(i.coding ?? []).map((c) => c.display ?? ''),
  ]);

/** When a result became known: when it was issued, else when it was taken. */
export function resultTime(o: ObservationLike): string | undefined {
  return o.issued ?? o.effectiveDateTime ?? o.effectivePeriod?.start;
}

export function isObservation(resource: Resource): resource is Resource & ObservationLike {
  return resource.resourceType === 'Observation';
}

export function isAbnormal(o: ObservationLike): boolean {
  return codesOf(o).some((c) => ABNORMAL.has(c) || CRITICAL.has(c) || /critical|危急/i.test(c));
}

/** The default for the critical-value port: the source said so (HH/LL/AA or a "critical" interpretation). */
export function isSourceCritical(o: ObservationLike): boolean {
  return codesOf(o).some((c) => CRITICAL.has(c) || /critical|panic|危急/i.test(c));
}

/**
 * The instant `since` cut down to the precision a result's time was written in. HL7 v2 times
 * (OBX-14, OBR-22) carry whole seconds or minutes while the user's last look carries milliseconds:
 * a result stamped 10:00:00 that arrived after a look at 10:00:00.500 is still new to the user.
 */
function sinceAtPrecisionOf(time: string, since: number): number {
  const clock = /T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?/.exec(time);
  if (!clock || clock[4]) return since;
  const unit = clock[3] === undefined ? 60_000 : 1_000;
  return Math.floor(since / unit) * unit;
}

/**
 * Results (Observations, not cancelled or entered in error) that became known after `since`.
 * One stamped within the same second (or minute) as `since` counts as new: a new result shown
 * twice is better than one the user never sees.
 */
export function resultsSince(resources: readonly Resource[], since: string | undefined): (Resource & ObservationLike)[] {
  const after = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  return resources.filter(isObservation).filter((o) => {
    if (o.status === 'cancelled' || o.status === 'entered-in-error') return false;
    const time = resultTime(o) ?? '';
    const at = Date.parse(time);
    if (!Number.isFinite(at)) return false;
    if (!Number.isFinite(after)) return true;
    const cut = sinceAtPrecisionOf(time, after);
    return cut === after ? at > after : at >= cut;
  });
}
