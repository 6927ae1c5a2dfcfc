import type { Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { refKey } from '../identity/index.ts';

/**
 * The Patient resources recent searches returned, by system record, so a confirm or unlink can
 * be audited with what the matcher said about the pair. Bounded: oldest forgotten first.
 */
export class SeenPatients {
  private readonly byRef = new Map<string, Patient>();
  private readonly limit: number;

  constructor(limit = 2_000) {
    this.limit = limit;
  }

  remember(found: readonly SourcedResource<Patient>[]): void {
    for (const f of found) {
      if (!f.resource.id) continue;
      const key = refKey({ sourceId: f.provenance.sourceId, sourcePatientId: f.resource.id });
      this.byRef.delete(key);
      this.byRef.set(key, f.resource);
    }
    while (this.byRef.size > this.limit) this.byRef.delete(this.byRef.keys().next().value!);
  }

  get(ref: SourcePatientRef): Patient | undefined {
    return this.byRef.get(refKey(ref));
  }
}
