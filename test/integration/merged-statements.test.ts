// The merged record loses nothing a later system states, over the real demo systems: 张伟's
// penicillin allergy is "low" in the CDR and unrated in the EMR's CDA documents, and his diabetes
// began 2019-03-25 by the CDR and 2018-06-15 by the onset he gave the EMR's admitting doctor.
// Whichever system the configuration puts first, the banner and the summary read the same:
// criticality low (said by the CDR), diabetes since the earliest onset with both dates shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHospital, type DemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { PLATFORM_SOURCE_ID } from '../../src/demo-hospital/platform-soap/index.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation } from '../../src/main/composition/index.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
// The banner's and the summary's own models (pure files of the renderer feature).
import { summarizeAllergies } from '../../src/renderer/features/summary/allergy-summary.ts';
import { summarizeRecord } from '../../src/renderer/features/summary/clinical-summary.ts';

let hospital: DemoHospital;

beforeAll(async () => {
  hospital = await startDemoHospital();
}, 120_000);
afterAll(async () => {
  await hospital?.stop();
});

/** 张伟's merged record through the workstation's API, with the systems configured in this order. */
async function openZhangWei(firstSourceId: string): Promise<TimelineEntry[]> {
  const sources = [...hospital.config.sources];
  const first = sources.findIndex((s) => s.id === firstSourceId);
  sources.unshift(...sources.splice(first, 1));
  const workstation = await createWorkstation(parseConfig({ ...hospital.config, sources }));
  try {
    const { candidates } = await workstation.handlers.searchPatients({ query: DEMO_PATIENT.nameHanzi });
    const zhang = candidates.find((c) => c.refs.some((r) => r.sourceId === 'cdr' && r.sourcePatientId === DEMO_PATIENT.fhirId));
    expect(zhang?.refs.map((r) => r.sourceId)).toEqual(expect.arrayContaining(['cdr', PLATFORM_SOURCE_ID]));
    const opened = await workstation.handlers.openPatient({ refs: zhang!.refs });
    expect(opened.sources.every((s) => s.state === 'ok' || s.state === 'slow')).toBe(true);
    return opened.entries;
  } finally {
    await workstation.close();
  }
}

/** What the banner and the summary show, as data; the same whichever system came first. */
function shown(entries: readonly TimelineEntry[]) {
  const summary = summarizeRecord(entries);
  return {
    banner: summarizeAllergies(entries).lines.map((a) => [a.title, a.criticality, a.criticalitySource, a.reactions, a.conflict]),
    problems: summary.problems.map((p) => [p.title, p.since, p.onsets, p.conflict]),
    medications: summary.medications.current.map((m) => [m.title, m.dosage, m.conflict]),
  };
}

describe('张伟 opened over the demo systems, CDR first or EMR first', () => {
  it('the allergy reads the criticality the CDR states, named as the CDR’s; the diabetes onset disagreement is kept', async () => {
    const cdrFirst = await openZhangWei('cdr');
    const emrFirst = await openZhangWei(PLATFORM_SOURCE_ID);

    for (const entries of [cdrFirst, emrFirst]) {
      const penicillin = summarizeAllergies(entries).lines.find((a) => a.title.includes('青霉素'));
      expect(penicillin).toMatchObject({ criticality: 'low', criticalitySource: 'CDR (FHIR R4)', conflict: false });
      expect(new Set(penicillin!.entry.provenance.map((p) => p.sourceId))).toEqual(new Set(['cdr', PLATFORM_SOURCE_ID]));

      const diabetes = summarizeRecord(entries).problems.find((p) => p.title === '2型糖尿病');
      expect(diabetes?.since?.slice(0, 10)).toBe('2018-06-15');
      expect(diabetes?.conflict).toBe(true);
      expect(diabetes?.onsets?.map((o) => [o.sourceName, o.value.slice(0, 10)])).toEqual([
        ['集成平台 EMR (HL7 v3)', '2018-06-15'],
        ['CDR (FHIR R4)', '2019-03-25'],
      ]);
      // Problems only one system dates agree with themselves: no disagreement invented.
      expect(summarizeRecord(entries).problems.find((p) => p.title === '原发性高血压')?.onsets).toBeUndefined();
    }

    // With the EMR first its entry carries the CDR's statement and says whose it is.
    const emrPenicillin = emrFirst.find((e) => e.kind === 'allergy' && e.title.includes('青霉素'))!;
    expect(emrPenicillin.provenance[0]!.sourceId).toBe(PLATFORM_SOURCE_ID);
    expect(emrPenicillin.statedBy).toEqual(
      expect.arrayContaining([{ field: 'criticality', sourceId: 'cdr', sourceName: 'CDR (FHIR R4)' }]),
    );
    expect(emrPenicillin.summary).toMatch(/^low/);

    // The banner and the summary read the same whichever system the configuration puts first.
    expect(shown(emrFirst)).toEqual(shown(cdrFirst));
  }, 180_000);
});
