import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/passphrase-key-protector.ts';
import type { KeyProtector } from '../../src/main/services/security/index.ts';

/** scrypt at N=2^10 so tests stay fast; production uses the OWASP default (2^17). */
export const TEST_LOG2_COST = 10;
export const TEST_PASSPHRASE = 'correct horse battery 汇诊';

export function testProtector(passphrase = TEST_PASSPHRASE): KeyProtector {
  return createPassphraseKeyProtector(passphrase, { log2Cost: TEST_LOG2_COST });
}

/** A protector that claims another backend name but otherwise works (a "changed key store"). */
export function renamedProtector(inner: KeyProtector, backendName: string): KeyProtector {
  return { backendName, protect: (plain) => inner.protect(plain), unprotect: (sealed) => inner.unprotect(sealed) };
}

export function tempCacheDir(label = 'cache'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `huizhen-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SyntheticPatient {
  key: string;
  name: string;
  idCard: string;
  mrn: string;
}

/** Names and identifiers distinctive enough that a byte scan for them cannot hit by chance. */
export function syntheticPatient(n: number): SyntheticPatient {
  const surnames = ['欧阳', '司马', '诸葛', '上官', '慕容'];
  const given = ['晓峰', '婉清', '明哲', '语嫣', '子骞'];
  const name = `${surnames[n % surnames.length]}${given[(n * 3) % given.length]}${n}`;
  const idCard = `1101051990${String(1000 + n).padStart(4, '0')}${String(4000 + n).slice(-4)}`;
  return { key: `patient-${idCard}`, name, idCard, mrn: `MRN-Q${String(770000 + n)}` };
}

export function patientResource(p: SyntheticPatient, sourceId = 'cdr'): SourcedResource {
  return {
    resource: {
      resourceType: 'Patient',
      id: p.mrn,
      name: [{ text: p.name }],
      identifier: [
        { system: 'urn:oid:2.16.156.10011.1.3', value: p.idCard },
        { system: 'urn:huizhen:mrn', value: p.mrn },
      ],
    },
    provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Patient/${p.mrn}`, fetchedAt: '2026-01-01T00:00:00Z' },
  };
}

export function observation(i: number, sourceId = 'cdr', value = 4 + (i % 50) / 10): SourcedResource {
  return {
    resource: {
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      effectiveDateTime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      valueQuantity: { value, unit: 'mmol/L' },
    },
    provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Observation/obs-${i}`, fetchedAt: '2026-01-01T00:00:00Z' },
  };
}
