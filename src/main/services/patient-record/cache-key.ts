import type { SourcePatientRef } from '../../../shared/domain/source.ts';

/** One cached "patient" per system record: links across systems may change, a system's record does not. */
export const cacheKeyOf = (ref: SourcePatientRef): string => `${ref.sourceId}/${ref.sourcePatientId}`;
