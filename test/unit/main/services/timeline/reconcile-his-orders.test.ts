// Medication reconciliation with HIS orders (issue 16): an RDE^O11 from the HIS, converted as the
// inbound listener converts it, joins the CDR's order and the EMR document's statement of the same
// drug as one line with three provenances; a DC in the HIS against an active CDR order is a conflict.
import type { MedicationRequest, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { convertHl7v2ToBundle } from '../../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';

const ATC = 'http://www.whocc.no/atc';
const kinds = { his: 'hl7v2', cdr: 'fhir', emr: 'cda' } as const;
const sourced = (resource: Resource, sourceId: keyof typeof kinds): SourcedResource => ({
  resource,
  provenance: {
    sourceId,
    sourceName: sourceId.toUpperCase(),
    sourceKind: kinds[sourceId],
    nativeId: `${resource.resourceType}/${resource.id}`,
    fetchedAt: '2026-12-07T08:00:00Z',
  },
});

/** A generated HIS order (synthetic patient) as the HIS's pharmacy interface sends it. */
function hisOrder(control: string, status: string, filler: string, drug: string, dose: string, unit: string): MedicationRequest {
  const message = [
    `MSH|^~\\&|DEMO-HIS|DEMO-HOSP|HUIZHEN|WARD|20261207083000||RDE^O11^RDE_O11|${filler}-${control}|P|2.5.1`,
    'PID|1||D000001^^^DEMO-HIS^MR||测试^患者甲||19600101|M',
    `ORC|${control}|P-${filler}^DEMO-HIS|${filler}^PHARM||${status}||||20261201090000`,
    'TQ1|1||QD^每日一次^HL70335',
    `RXE||${drug}|${dose}||${unit}^${unit}^UCUM`,
    'RXR|PO^口服^HL70162',
  ].join('\r');
  const bundle = convertHl7v2ToBundle(new TextEncoder().encode(message));
  const rx = bundle.entry?.map((e) => e.resource).find((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest');
  if (!rx) throw new Error('no MedicationRequest');
  // The store keys a pushed resource by its patient as the cache does; the test keeps one patient.
  return { ...rx, subject: { reference: 'Patient/p' } };
}

const cdrOrder = (id: string, drug: Record<string, unknown>, status: string) =>
  ({
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: drug,
    authoredOn: '2026-11-20T10:00:00+08:00',
  }) as Resource;
const emrStatement = (id: string, text: string) =>
  ({
    resourceType: 'MedicationStatement',
    id,
    status: 'active',
    subject: { reference: 'Patient/p' },
    medicationCodeableConcept: { text },
    effectiveDateTime: '2026-11-28T09:00:00+08:00',
  }) as Resource;

describe('HIS orders in medication reconciliation', () => {
  it('the HIS order (local formulary code), the CDR order (ATC) and the EMR statement (words only) are one line with three provenances', () => {
    const entries = buildTimeline([
      sourced(hisOrder('NW', 'IP', 'F-1', 'Y0001^阿托伐他汀钙片 20mg^HIS', '20', 'mg'), 'his'),
      sourced(
        cdrOrder('c1', { coding: [{ system: ATC, code: 'C10AA05', display: 'atorvastatin' }], text: '阿托伐他汀钙片 20 mg' }, 'active'),
        'cdr',
      ),
      sourced(emrStatement('e1', 'Atorvastatin calcium tablets 20 mg'), 'emr'),
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.provenance.map((p) => p.sourceId).sort()).toEqual(['cdr', 'emr', 'his']);
    expect(entries[0]!.provenance.find((p) => p.sourceId === 'his')?.sourceKind).toBe('hl7v2');
    expect(entries[0]!.conflicts).toBeUndefined();
  });

  it('the same drug coded alike in the HIS and the CDR (ATC in RXE-2) merges by code', () => {
    const entries = buildTimeline([
      sourced(hisOrder('NW', 'IP', 'F-2', 'C08CA01^苯磺酸氨氯地平片 5mg^ATC', '5', 'mg'), 'his'),
      sourced(cdrOrder('c2', { coding: [{ system: ATC, code: 'C08CA01' }], text: 'Amlodipine 5 mg' }, 'active'), 'cdr'),
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.provenance).toHaveLength(2);
  });

  it('stopped in the HIS (ORC-1 DC) while the CDR still says active: one line with a status conflict naming both', () => {
    const [entry] = buildTimeline([
      sourced(hisOrder('DC', 'DC', 'F-3', 'Y0002^二甲双胍片 0.5g^HIS', '0.5', 'g'), 'his'),
      sourced(cdrOrder('c3', { coding: [{ system: ATC, code: 'A10BA02' }], text: '盐酸二甲双胍片 500 mg' }, 'active'), 'cdr'),
    ]);
    expect(entry!.conflicts).toEqual([
      {
        field: 'status',
        values: expect.arrayContaining([
          { sourceId: 'his', sourceName: 'HIS', value: 'stopped' },
          { sourceId: 'cdr', sourceName: 'CDR', value: 'active' },
        ]),
      },
    ]);
  });

  it('another strength from the HIS stays a line of its own', () => {
    const entries = buildTimeline([
      sourced(hisOrder('NW', 'IP', 'F-4', 'Y0001^阿托伐他汀钙片 40mg^HIS', '40', 'mg'), 'his'),
      sourced(emrStatement('e4', '阿托伐他汀钙片 20 mg'), 'emr'),
    ]);
    expect(entries).toHaveLength(2);
  });
});
