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

/** Results (Observations, not cancelled or entered in error) that became known after `since`. */
export function resultsSince(resources: readonly Resource[], since: string | undefined): (Resource & ObservationLike)[] {
  const after = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  return resources.filter(isObservation).filter((o) => {
    if (o.status === 'cancelled' || o.status === 'entered-in-error') return false;
    const at = Date.parse(resultTime(o) ?? '');
    return Number.isFinite(at) && at > after;
  });
}
