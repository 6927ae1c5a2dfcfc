import { qidoGet } from '../../src/adapters/dicomweb/qido-http.ts';
import { STUDY_FIELDS } from '../../src/adapters/dicomweb/qido.ts';
import { ORDER_STUDY_FIELDS } from '../../src/adapters/dicomweb/study-order.ts';
import { endpointFromConfig } from '../../src/adapters/dicomweb/dicomweb-transport.ts';
import { DEMO_PACS_PATIENT_ID } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { isDemoPacsUnavailable, startDemoPacs } from '../../src/demo-hospital/pacs/start-demo-pacs.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DicomwebSourceConfigSchema } from '../../src/shared/config/sources/dicomweb.ts';
import { studyOrders } from '../../src/shared/domain/imaging-order-link.ts';
import { reportsForStudy, studyKeysOf } from '../../src/shared/domain/imaging-report-link.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { medianCpuMs, medianMs, type BenchSuite } from '../measure.ts';

const ACSN = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] } };

function entry(id: string, kind: TimelineEntry['kind'], resource: Record<string, unknown>): TimelineEntry {
  return {
    id,
    kind,
    title: id,
    codes: [],
    provenance: [{ sourceId: 'cdr', sourceName: 'CDR', sourceKind: 'fhir', nativeId: id, fetchedAt: '2025-01-01T00:00:00Z' }],
    resource: resource as unknown as TimelineEntry['resource'],
  };
}

/** A large record: 20,000 results, 60 studies, an order for each and a report for half of them. */
function largeRecord(): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let i = 0; i < 20_000; i++) out.push(entry(`o${i}`, 'observation', { resourceType: 'Observation', id: `o${i}` }));
  for (let s = 0; s < 60; s++) {
    const uid = `2.25.${1000 + s}`;
    const accession = [{ ...ACSN, value: `A${s}` }];
    out.push(
      entry(`s${s}`, 'imaging', {
        resourceType: 'ImagingStudy',
        id: uid,
        identifier: [{ system: 'urn:dicom:uid', value: uid }, ...accession],
      }),
    );
    out.push(
      entry(`sr${s}`, 'other', { resourceType: 'ServiceRequest', id: `sr${s}`, identifier: accession, reasonCode: [{ text: '咳嗽' }] }),
    );
    if (s % 2 === 0) out.push(entry(`r${s}`, 'report', { resourceType: 'DiagnosticReport', id: `r${s}`, identifier: accession }));
  }
  return out;
}

/**
 * Issue 18, the order beside the images: what asking the PACS for the order attributes (0008,0090,
 * 0008,1080, 0032,1030, 0040,1002) adds to the QIDO-RS study search for 张伟 (Orthanc reads them
 * from a stored file, not its index), and what linking every study's order costs the renderer on
 * a large record, against the report linking it already did.
 */
export const imagingOrder: BenchSuite = {
  name: 'Imaging order: QIDO with the order attributes, linking orders in the renderer',
  async run() {
    const record = largeRecord();
    const reportsCpu = medianCpuMs(9, () => {
      for (const e of record) if (e.kind === 'imaging') reportsForStudy(studyKeysOf(e)!, record);
    });
    const ordersCpu = medianCpuMs(9, () => studyOrders(record));
    const pacs = await startDemoPacs(generateSyntheticHospital(), { profile: 'small' });
    if (isDemoPacsUnavailable(pacs)) throw new Error(pacs.unavailable);
    try {
      const endpoint = endpointFromConfig(DicomwebSourceConfigSchema.parse(pacs.sourceConfig));
      const query = (fields: readonly string[]) => () =>
        qidoGet(
          endpoint,
          'studies',
          [['PatientID', DEMO_PACS_PATIENT_ID], ...fields.map((f) => ['includefield', f] as const)],
          'bench',
          AbortSignal.timeout(60_000),
        );
      const orderFields: readonly string[] = ORDER_STUDY_FIELDS;
      const without = STUDY_FIELDS.filter((f) => !orderFields.includes(f));
      // Alternated, so both see the same machine load.
      const base: number[] = [];
      const withOrder: number[] = [];
      for (let i = 0; i < 3; i++) {
        base.push(await medianMs(7, query(without)));
        withOrder.push(await medianMs(7, query(STUDY_FIELDS)));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      return [
        {
          name: 'QIDO-RS studies for 张伟 (3), with the order attributes',
          value: median(withOrder),
          unit: 'ms',
          baseline: { name: 'without them', value: median(base) },
          lowerIsBetter: false,
        },
        {
          name: 'studyOrders over 20,000 entries, 60 studies (CPU)',
          value: ordersCpu,
          unit: 'ms',
          baseline: { name: 'reportsForStudy for each study', value: reportsCpu },
        },
      ];
    } finally {
      await pacs.stop();
    }
  },
};
