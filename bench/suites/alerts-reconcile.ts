import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { buildTimeline, toTimelineEntry } from '../../src/main/services/timeline/build-timeline.ts';
import { referencedMedication } from '../../src/main/services/timeline/medication-concept.ts';
import { createReconcileIndex, mergeReconciled, reconciledGroup, reconcileKeys } from '../../src/main/services/timeline/reconcile/index.ts';
import { createClinicalAlerts, openAcknowledgementStore } from '../../src/main/services/clinical-alerts/index.ts';
import { ClinicalAlertsConfigSchema } from '../../src/shared/config/clinical-alerts.ts';
import { medianMs, type BenchSuite, type Figure, medianCpuMs } from '../measure.ts';
import { goalVerdict } from '../support/bench-cache.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const ATC = 'http://www.whocc.no/atc';
const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00+08:00');
/** Drugs as an inpatient ward orders them: the CDR codes them (ATC), the HIS and the EMR's documents name them. */
const DRUGS = [
  { atc: 'A10BA02', name: '二甲双胍片 Metformin 500 mg' },
  { atc: 'C09AA02', name: '依那普利片 Enalapril 10 mg' },
  { atc: 'C03DA01', name: '螺内酯片 Spironolactone 20 mg' },
  { atc: 'B01AA03', name: '华法林钠片 Warfarin 2.5 mg' },
  { atc: 'C08CA01', name: '氨氯地平片 Amlodipine 5 mg' },
  { atc: 'C10AA05', name: '阿托伐他汀钙片 Atorvastatin 20 mg' },
  { atc: 'A02BC01', name: '奥美拉唑肠溶胶囊 Omeprazole 20 mg' },
  { atc: 'B01AC06', name: '阿司匹林肠溶片 Aspirin 100 mg' },
  { atc: 'J01DD04', name: '注射用头孢曲松钠 Ceftriaxone 1 g' },
  { atc: 'H03AA01', name: '左甲状腺素钠片 Levothyroxine 50 µg' },
];
const CONDITIONS = [
  { icd: 'E11.9', name: '2型糖尿病' },
  { icd: 'I10', name: '原发性高血压' },
  { icd: 'J18.9', name: '肺炎' },
  { icd: 'N18.4', name: '慢性肾脏病4期' },
  { icd: 'I48', name: '心房颤动' },
];
const RESULTS = [
  { loinc: '2823-3', unit: 'mmol/L', base: 4.6, spread: 2.2 },
  { loinc: '62238-1', unit: 'mL/min/{1.73_m2}', base: 28, spread: 30 },
  { loinc: '6301-6', unit: '{INR}', base: 2.5, spread: 2.4 },
];

const provenance = (sourceId: string, nativeId: string) => ({
  sourceId,
  sourceName: sourceId.toUpperCase(),
  sourceKind: 'fhir' as const,
  nativeId,
  fetchedAt: '2026-01-01T00:00:00Z',
});
const at = (i: number) => new Date(START + i * (DAY / 12)).toISOString();

/**
 * A long inpatient record of 10,000 entries as three systems send it: daily orders of ten drugs
 * (CDR by ATC code, HIS by name — they reconcile), the EMR's medication statements and
 * diagnoses by name, the CDR's diagnoses by ICD-10, a few allergies, and potassium, eGFR and INR
 * results (which the risk rules read).
 */
export function reconcileRecord(count: number): SourcedResource[] {
  const items: SourcedResource[] = [];
  for (let i = 0; items.length < count; i++) {
    const drug = DRUGS[i % DRUGS.length]!;
    const slot = i % 20;
    let resource: Resource;
    let sourceId: string;
    if (slot < 10) {
      sourceId = slot % 2 === 0 ? 'cdr' : 'his';
      resource = {
        resourceType: 'MedicationRequest',
        id: `rx-${i}`,
        status: i % 97 === 0 ? 'stopped' : 'active',
        intent: 'order',
        subject: { reference: 'Patient/p' },
        authoredOn: at(i),
        medicationCodeableConcept:
          sourceId === 'cdr' ? { coding: [{ system: ATC, code: drug.atc, display: drug.name }], text: drug.name } : { text: drug.name },
      };
    } else if (slot < 14) {
      sourceId = 'emr';
      resource = {
        resourceType: 'MedicationStatement',
        id: `ms-${i}`,
        status: 'active',
        subject: { reference: 'Patient/p' },
        effectiveDateTime: at(i),
        medicationCodeableConcept: { text: drug.name },
      };
    } else if (slot < 17) {
      const c = CONDITIONS[i % CONDITIONS.length]!;
      sourceId = slot === 14 ? 'emr' : 'cdr';
      resource = {
        resourceType: 'Condition',
        id: `cond-${i}`,
        subject: { reference: 'Patient/p' },
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: i % 11 === 0 ? 'resolved' : 'active' }],
        },
        code:
          sourceId === 'cdr'
            ? { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: c.icd, display: c.name }], text: c.name }
            : { text: c.name },
        recordedDate: at(i),
      };
    } else if (slot === 17 && i % 100 === 17) {
      sourceId = i % 200 === 17 ? 'cdr' : 'emr';
      resource = {
        resourceType: 'AllergyIntolerance',
        id: `alg-${i}`,
        patient: { reference: 'Patient/p' },
        criticality: 'high',
        code: { text: '青霉素类' },
        recordedDate: at(i),
      };
    } else {
      const r = RESULTS[i % RESULTS.length]!;
      sourceId = 'lis';
      resource = {
        resourceType: 'Observation',
        id: `obs-${i}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: r.loinc }] },
        effectiveDateTime: at(i),
        valueQuantity: {
          value: Math.round((r.base + (((i * 7919) % 100) / 100) * r.spread) * 10) / 10,
          unit: r.unit,
          system: 'http://unitsofmeasure.org',
          code: r.unit,
        },
      };
    }
    items.push({ resource, provenance: provenance(sourceId, `${resource.resourceType}/${resource.id}`) });
  }
  return items;
}

/**
 * What buildTimeline does to reconcile problems, allergies and drugs (build-timeline.ts), over
 * entries already made: key each record by what it names, find the entry it joins, merge it in.
 */
function reconcilePass(items: readonly SourcedResource[], entries: readonly TimelineEntry[]): TimelineEntry[] {
  const index = createReconcileIndex();
  const merged: TimelineEntry[] = [];
  const holds = (i: number, sourceId: string) => merged[i]!.provenance.some((p) => p.sourceId === sourceId);
  for (let k = 0; k < entries.length; k++) {
    const entry = entries[k]!;
    const resource = items[k]!.resource;
    const group = entry.kind === 'observation' ? undefined : reconciledGroup(resource.resourceType);
    if (!group) continue;
    const keys = reconcileKeys(group, entry, referencedMedication(resource as Parameters<typeof referencedMedication>[0]) !== undefined);
    const target = keys === undefined ? undefined : index.findOrFile(keys, entry.provenance[0]!.sourceId, holds, merged.length);
    if (target === undefined) merged.push(entry);
    else merged[target] = mergeReconciled(group, merged[target]!, entry);
  }
  return merged;
}

const load = () => loadavg()[0]!.toFixed(1);

export const alertsReconcile: BenchSuite = {
  name: 'safety: reconciliation and clinical alerts over one record',
  async run() {
    const figures: Figure[] = [];
    const count = 10_000;
    const items = reconcileRecord(count);
    const loadBefore = load();
    // The baseline: the whole timeline of the same record (which includes reconciliation).
    const build = await medianMs(7, () => buildTimeline(items), collectGarbage);
    let entries: TimelineEntry[] = [];
    const reconcile = await medianMs(
      7,
      () => reconcilePass(items, entries),
      () => {
        // Fresh entries each run, made outside the timing (merging replaces them).
        entries = items.map(toTimelineEntry);
        collectGarbage();
      },
    );
    const lines = reconcilePass(items, items.map(toTimelineEntry)).length;
    const freshEntries = () => {
      entries = items.map(toTimelineEntry);
      collectGarbage();
    };
    const reconcileCpu = medianCpuMs(7, () => reconcilePass(items, entries), freshEntries);
    const buildCpu = medianCpuMs(7, () => buildTimeline(items), collectGarbage);
    figures.push({
      name: `reconciliation, ${count.toLocaleString('en')}-entry record → ${lines.toLocaleString('en')} lines`,
      value: reconcile,
      unit: 'ms',
      baseline: { name: 'buildTimeline of the same record', value: build },
      goal: goalVerdict('< 50 ms (issue 16)', reconcile < 50),
    });
    figures.push({
      name: '  the same, CPU time (less sensitive to other jobs)',
      value: reconcileCpu,
      unit: 'ms',
      baseline: { name: 'buildTimeline CPU time', value: buildCpu },
      goal: goalVerdict('< 50 ms (issue 16)', reconcileCpu < 50),
    });

    const timeline = buildTimeline(items);
    const alerts = createClinicalAlerts(ClinicalAlertsConfigSchema.parse({}), await openAcknowledgementStore());
    const view = alerts.forRecord(timeline);
    const evaluate = await medianMs(7, () => alerts.forRecord(timeline), collectGarbage);
    figures.push({
      name: `critical values + 3 risk rules over its ${timeline.length.toLocaleString('en')} entries (${view.critical.length} critical, ${view.risks.length} risks, ${view.findings.length} findings)`,
      value: evaluate,
      unit: 'ms',
      baseline: { name: 'buildTimeline of the same record', value: build },
      lowerIsBetter: true,
    });
    const countOnly = await medianMs(7, () => alerts.unacknowledgedCount(timeline), collectGarbage);
    figures.push({ name: '  the same, CPU time', value: medianCpuMs(7, () => alerts.forRecord(timeline), collectGarbage), unit: 'ms' });
    figures.push({ name: '  unacknowledged critical count (the worklist badge)', value: countOnly, unit: 'ms' });
    figures.push({ name: `  load average (1 min) before / after: ${loadBefore} / ${load()}`, value: Number(load()), unit: '' });
    return figures;
  },
};
