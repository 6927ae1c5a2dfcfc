/**
 * The real-world regression corpus (test/fixtures/real-world/): what a correct conversion of each
 * public sample written by others contains, and a checker that compares a converter's Bundle
 * against it. Expectations are written from what the document says (what a doctor needs), not from
 * what the converters produce today; every miss is reported with the class of defect it belongs to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ucum from '@lhncbc/ucum-lhc';
import { z } from 'zod';

export const CORPUS_DIR = join(import.meta.dirname, '..', 'fixtures', 'real-world');
/** The format folders, each with its README (origins, licences) and samples. */
export const FORMAT_FOLDERS = ['cda-wst500', 'hl7v3', 'hl7v2', 'ccda'] as const;
export type FormatFolder = (typeof FORMAT_FOLDERS)[number];

const Text = z.string().min(1);
/** One spelling, or several of which any one will do (e.g. a Chinese and an English display). */
const AnyOf = z.union([Text, z.array(Text).min(1)]);
type AnyOf = z.infer<typeof AnyOf>;
/** Overrides the defect class a miss of this item is reported under. */
const DefectClass = Text.optional();

const PatientExpectation = z.strictObject({
  name: AnyOf.optional(),
  identifiers: z.array(Text).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: Text.optional(),
  class: DefectClass,
});

const ConditionExpectation = z.strictObject({
  text: AnyOf.optional(),
  code: Text.optional(),
  /** admission / discharge / principal / other … as written in the document (any spelling). */
  role: AnyOf.optional(),
  class: DefectClass,
});

const MedicationExpectation = z.strictObject({
  drug: AnyOf,
  dose: z.strictObject({ value: z.number(), unit: AnyOf.optional() }).optional(),
  /** Frequency as written (any spelling) and/or as administrations per day. */
  frequency: z.strictObject({ text: AnyOf.optional(), perDay: z.number().positive().optional() }).optional(),
  route: AnyOf.optional(),
  class: DefectClass,
});

const ResultExpectation = z.strictObject({
  name: AnyOf,
  /** A number must arrive as a Quantity; a text must appear in the value. */
  value: z.union([z.number(), Text]).optional(),
  unit: AnyOf.optional(),
  /** The UCUM code the unit maps to (any of several equivalent spellings), or null when the unit has no UCUM form (then it must not be labelled UCUM). */
  ucum: AnyOf.nullable().optional(),
  class: DefectClass,
});

export const Expectation = z.strictObject({
  /** The sample's file name, beside this expectation. */
  sample: Text,
  converter: z.enum(['hl7v2', 'hl7v3', 'cda']),
  about: Text,
  outcome: z.enum(['bundle', 'error']).default('bundle'),
  /** For outcome "error": texts the error message must carry (e.g. the platform's own reason). */
  error: z.strictObject({ contains: z.array(Text).min(1), class: DefectClass }).optional(),
  patients: z.array(PatientExpectation).optional(),
  patientCount: z.number().int().nonnegative().optional(),
  documentType: z.strictObject({ code: Text, class: DefectClass }).optional(),
  sections: z.array(AnyOf).optional(),
  conditions: z.array(ConditionExpectation).optional(),
  medications: z.array(MedicationExpectation).optional(),
  results: z.array(ResultExpectation).optional(),
  allergies: z.array(z.strictObject({ substance: AnyOf, class: DefectClass })).optional(),
  procedures: z.array(z.strictObject({ text: AnyOf.optional(), code: Text.optional(), class: DefectClass })).optional(),
  /** Narrative a doctor needs (chief complaint, discharge advice …): must appear somewhere in the Bundle's resources. */
  texts: z.array(AnyOf).optional(),
  /** Data elements (flags, administrative items) that must not become an Observation or Condition of the patient. */
  notFindings: z.array(Text).optional(),
  notes: Text.optional(),
});
export type Expectation = z.infer<typeof Expectation>;

export interface CorpusSample {
  folder: FormatFolder;
  expectationFile: string;
  expectation: Expectation;
  bytes: Uint8Array;
}

/** Every sample of the corpus with its validated expectation (a malformed expectation throws, naming the file). */
export function loadCorpus(): CorpusSample[] {
  const samples: CorpusSample[] = [];
  for (const folder of FORMAT_FOLDERS) {
    const dir = join(CORPUS_DIR, folder);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.expect.json')).sort()) {
      const parsed = Expectation.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success) throw new Error(`${folder}/${name}: ${z.prettifyError(parsed.error)}`);
      samples.push({ folder, expectationFile: name, expectation: parsed.data, bytes: readFileSync(join(dir, parsed.data.sample)) });
    }
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Checking a Bundle against an expectation

export interface Miss {
  /** The class of defect (what the converter engineers fix), e.g. "WS/T 500 diagnosis lost". */
  defect: string;
  /** What is missing or wrong, in a line. */
  detail: string;
}

type Json = Record<string, unknown>;
const UCUM = 'http://unitsofmeasure.org';

const FORMAT_LABEL: Record<FormatFolder, string> = { 'cda-wst500': 'WS/T 500', hl7v3: 'HL7 v3', hl7v2: 'HL7 v2', ccda: 'C-CDA' };

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const spellings = (a: AnyOf): string[] => (Array.isArray(a) ? a : [a]);
const show = (a: AnyOf) => spellings(a).join(' | ');
/** Whether any label contains any of the spellings (ignoring case, width and white space). */
function mentions(labels: string[], a: AnyOf): boolean {
  const hay = labels.map(norm);
  return spellings(a).some((s) => hay.some((h) => h.includes(norm(s))));
}

const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Text, displays and codes of a CodeableConcept. */
function conceptLabels(cc: unknown): string[] {
  const out: string[] = [];
  for (const c of arr(cc)) {
    if (str(c.text)) out.push(c.text as string);
    for (const coding of arr(c.coding)) {
      if (str(coding.display)) out.push(coding.display as string);
      if (str(coding.code)) out.push(coding.code as string);
    }
  }
  return out;
}
const conceptCodes = (cc: unknown): string[] =>
  arr(cc)
    .flatMap((c) => arr(c.coding).map((x) => str(x.code) ?? ''))
    .filter(Boolean);

function allStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) allStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) allStrings(x, out);
  return out;
}

let ucumUtils: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | undefined;
function validUcum(code: string): boolean {
  try {
    ucumUtils ??= ucum.UcumLhcUtils.getInstance();
    return ucumUtils.validateUnitString(code).status === 'valid';
  } catch {
    return false;
  }
}

/** Every Quantity-like object (value + system/code) anywhere in a resource. */
function quantities(v: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(v)) for (const x of v) quantities(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Json;
    if ('system' in o && ('code' in o || 'unit' in o) && ('value' in o || 'unit' in o)) out.push(o);
    for (const x of Object.values(o)) quantities(x, out);
  }
  return out;
}

interface BundleIndex {
  resources: Json[];
  byType: (t: string) => Json[];
  byRef: (ref: unknown) => Json | undefined;
}
function indexBundle(bundle: unknown): BundleIndex {
  const entries = arr((bundle as Json | undefined)?.entry);
  const resources = entries.map((e) => e.resource as Json).filter(Boolean);
  const byFullUrl = new Map<string, Json>();
  for (const e of entries) if (str(e.fullUrl) && e.resource) byFullUrl.set(e.fullUrl as string, e.resource as Json);
  const byTypeId = new Map<string, Json>();
  for (const r of resources) if (str(r.id)) byTypeId.set(`${String(r.resourceType)}/${String(r.id)}`, r);
  return {
    resources,
    byType: (t) => resources.filter((r) => r.resourceType === t),
    byRef: (ref) => {
      const reference = str((ref as Json | undefined)?.reference);
      if (!reference) return undefined;
      return byFullUrl.get(reference) ?? byTypeId.get(reference) ?? byTypeId.get(reference.split('/').slice(-2).join('/'));
    },
  };
}

function patientLabels(p: Json): { names: string[]; ids: string[] } {
  const names: string[] = [];
  for (const n of arr(p.name)) {
    if (str(n.text)) names.push(n.text as string);
    const family = str(n.family) ?? '';
    const given = arr(n.given).map(String);
    names.push(`${family}${given.join('')}`, `${given.join(' ')} ${family}`, family, ...given);
  }
  return { names: names.filter(Boolean), ids: arr(p.identifier).map((i) => str(i.value) ?? '') };
}

function medicationLabels(index: BundleIndex, m: Json): string[] {
  const labels = conceptLabels(m.medicationCodeableConcept);
  const ref = m.medicationReference as Json | undefined;
  if (ref) {
    if (str(ref.display)) labels.push(ref.display as string);
    const contained = str(ref.reference)?.startsWith('#') ? arr(m.contained).find((c) => `#${String(c.id)}` === ref.reference) : undefined;
    const med = contained ?? index.byRef(ref);
    if (med) labels.push(...conceptLabels(med.code));
  }
  return labels;
}

function dosages(m: Json): Json[] {
  return [...arr(m.dosageInstruction), ...arr(m.dosage)];
}

function doseQuantities(d: Json): Json[] {
  return [...arr(d.doseAndRate).flatMap((r) => arr(r.doseQuantity)), ...arr(d.dose)];
}

function perDay(repeat: Json): number | undefined {
  // FHIR: a period without a frequency means once per period
  const f = typeof repeat.frequency === 'number' ? repeat.frequency : 1;
  const p = typeof repeat.period === 'number' ? repeat.period : undefined;
  const days: Record<string, number> = { s: 1 / 86400, min: 1 / 1440, h: 1 / 24, d: 1, wk: 7, mo: 30, a: 365 };
  const unit = str(repeat.periodUnit);
  if (p === undefined || !unit || !(unit in days)) return undefined;
  return f / (p * days[unit]!);
}

/** Observations and their components, each as a finding with code and value. */
function findings(index: BundleIndex): Json[] {
  const out: Json[] = [];
  for (const o of index.byType('Observation')) {
    out.push(o);
    for (const c of arr(o.component)) out.push({ ...c, resourceType: 'Observation.component' });
  }
  return out;
}

function valueLabels(f: Json): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(f)) if (k.startsWith('value')) out.push(...allStrings(v));
  return out;
}

const sameNumber = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The class of defect for a sample that should convert but was refused. */
function refusalClass(folder: FormatFolder, message: string): string {
  if (folder === 'hl7v2' && /\b(FHS|BHS|BTS|FTS)\b/.test(message)) return 'HL7 v2 batch/file envelope refused';
  if (folder === 'hl7v2' && /MSH-2|encoding char/i.test(message)) return 'HL7 v2 MSH-2 encoding characters refused';
  if (folder === 'hl7v3' && /PRPA_IN2013(01|02|11|14)UV02/.test(message)) return 'HL7 v3 patient registration/update message refused';
  return `${FORMAT_LABEL[folder]} sample refused`;
}

/** Compares a conversion (Bundle or thrown error) with the expectation; returns what is missing or wrong. */
export function checkConversion(folder: FormatFolder, exp: Expectation, result: { bundle?: unknown; error?: unknown }): Miss[] {
  const label = FORMAT_LABEL[folder];
  const misses: Miss[] = [];
  const miss = (defect: string, detail: string, override?: string) => misses.push({ defect: override ?? defect, detail });

  if (exp.outcome === 'error') {
    if (result.error === undefined) {
      miss(
        `${label} error answer read as success`,
        `converted to a Bundle; must fail with an error carrying ${exp.error?.contains.map((c) => `"${c}"`).join(', ') ?? 'the reason'}`,
        exp.error?.class,
      );
      return misses;
    }
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    for (const c of exp.error?.contains ?? [])
      if (!norm(message).includes(norm(c)))
        miss(`${label} error without the platform's reason`, `error "${message.slice(0, 160)}" lacks "${c}"`, exp.error?.class);
    return misses;
  }
  if (result.error !== undefined) {
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    miss(refusalClass(folder, message), `conversion failed: ${message.slice(0, 200)}`);
    return misses;
  }

  const index = indexBundle(result.bundle);

  // Patients
  const patients = index.byType('Patient');
  if (exp.patientCount !== undefined && patients.length !== exp.patientCount)
    miss(`${label} patient count wrong`, `expected ${exp.patientCount} Patient(s), got ${patients.length}`);
  for (const p of exp.patients ?? []) {
    const candidates = patients.filter((r) => !p.name || mentions(patientLabels(r).names, p.name));
    if (candidates.length === 0) {
      miss(`${label} patient missing`, `no Patient named ${p.name ? show(p.name) : '(any)'}`, p.class);
      continue;
    }
    for (const id of p.identifiers ?? []) {
      if (!candidates.some((r) => patientLabels(r).ids.includes(id)))
        miss(`${label} patient identifier lost`, `Patient ${p.name ? show(p.name) : ''} lacks identifier ${id}`, p.class);
    }
    if (p.gender && !candidates.some((r) => r.gender === p.gender))
      miss(`${label} patient gender lost`, `Patient gender is not ${p.gender}`, p.class);
    if (p.birthDate && !candidates.some((r) => str(r.birthDate)?.startsWith(p.birthDate!)))
      miss(`${label} patient birth date lost`, `Patient birthDate is not ${p.birthDate}`, p.class);
  }

  // Document type and sections
  const compositions = index.byType('Composition');
  if (exp.documentType) {
    const codes = compositions.flatMap((c) => conceptCodes(c.type));
    const docRefs = index.byType('DocumentReference').flatMap((d) => conceptCodes(d.type));
    if (![...codes, ...docRefs].includes(exp.documentType.code))
      miss(`${label} document type lost`, `no Composition/DocumentReference of type ${exp.documentType.code}`, exp.documentType.class);
  }
  const sectionLabels: string[] = [];
  const walk = (sections: unknown) => {
    for (const s of arr(sections)) {
      if (str(s.title)) sectionLabels.push(s.title as string);
      sectionLabels.push(...conceptLabels(s.code));
      walk(s.section);
    }
  };
  for (const c of compositions) walk(c.section);
  for (const s of exp.sections ?? []) if (!mentions(sectionLabels, s)) miss(`${label} section title lost`, `no section titled ${show(s)}`);

  // Conditions (diagnoses, problems)
  const conditions = index.byType('Condition');
  const encounterDiagnoses = index.byType('Encounter').flatMap((e) => arr(e.diagnosis));
  for (const c of exp.conditions ?? []) {
    const defect =
      folder === 'cda-wst500' ? 'WS/T 500 diagnosis lost (name + code in nested entryRelationship)' : `${label} diagnosis/problem lost`;
    const byCode = conditions.filter((r) => !c.code || conceptCodes(r.code).some((code) => norm(code) === norm(c.code!)));
    const matching = byCode.filter(
      (r) => !c.text || mentions([...conceptLabels(r.code), ...arr(r.note).map((n) => str(n.text) ?? '')], c.text),
    );
    if (matching.length === 0) {
      const what = [c.text ? show(c.text) : undefined, c.code].filter(Boolean).join(' ');
      const codeOnly = c.code !== undefined && byCode.length > 0;
      miss(codeOnly ? `${label} diagnosis text lost` : defect, `no Condition ${what}${codeOnly ? ' (code found, text not)' : ''}`, c.class);
      continue;
    }
    if (c.role) {
      const roleLabels = matching.flatMap((r) => {
        const refs = encounterDiagnoses.filter((d) => index.byRef(d.condition) === r).flatMap((d) => conceptLabels(d.use));
        return [
          ...arr(r.category).flatMap((x) => conceptLabels(x)),
          ...allStrings(r.extension),
          ...arr(r.note).map((n) => str(n.text) ?? ''),
          ...refs,
        ];
      });
      if (!mentions(roleLabels, c.role))
        miss(
          `${label} diagnosis role lost`,
          `Condition ${c.code ?? ''} ${c.text ? show(c.text) : ''} does not say it is ${show(c.role)}`,
          c.class,
        );
    }
  }

  // Medications
  const meds = ['MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'MedicationDispense'].flatMap((t) =>
    index.byType(t),
  );
  for (const m of exp.medications ?? []) {
    const matching = meds.filter((r) => mentions(medicationLabels(index, r), m.drug));
    if (matching.length === 0) {
      miss(
        folder === 'cda-wst500' ? 'WS/T 500 drug lost in 西药处方/中药处方/医嘱' : `${label} drug lost`,
        `no MedicationRequest/Statement for ${show(m.drug)}`,
        m.class,
      );
      continue;
    }
    const ds = matching.flatMap(dosages);
    if (m.dose) {
      const ok = ds
        .flatMap(doseQuantities)
        .some(
          (q) => sameNumber(q.value, m.dose!.value) && (!m.dose!.unit || mentions([str(q.unit) ?? '', str(q.code) ?? ''], m.dose!.unit)),
        );
      if (!ok) miss(`${label} dose lost`, `${show(m.drug)}: no dose ${m.dose.value} ${m.dose.unit ? show(m.dose.unit) : ''}`, m.class);
    }
    if (m.frequency) {
      const texts = ds.flatMap((d) => [str(d.text) ?? '', ...conceptLabels((d.timing as Json | undefined)?.code)]);
      const rates = ds
        .map((d) => perDay(((d.timing as Json | undefined)?.repeat as Json | undefined) ?? {}))
        .filter((x): x is number => x !== undefined);
      const ok =
        (m.frequency.text !== undefined && mentions(texts, m.frequency.text)) ||
        (m.frequency.perDay !== undefined && rates.some((r) => Math.abs(r - m.frequency!.perDay!) < 1e-6));
      if (!ok)
        miss(
          `${label} frequency lost`,
          `${show(m.drug)}: no frequency ${[m.frequency.text ? show(m.frequency.text) : '', m.frequency.perDay ? `${m.frequency.perDay}/day` : ''].filter(Boolean).join(' or ')}`,
          m.class,
        );
    }
    if (m.route) {
      const routes = ds.flatMap((d) => conceptLabels(d.route));
      if (!mentions(routes, m.route)) miss(`${label} route lost`, `${show(m.drug)}: no route ${show(m.route)}`, m.class);
    }
  }

  // Results
  const fs = findings(index);
  for (const r of exp.results ?? []) {
    const matching = fs.filter((f) => mentions(conceptLabels(f.code), r.name));
    if (matching.length === 0) {
      miss(`${label} result lost`, `no Observation ${show(r.name)}`, r.class);
      continue;
    }
    if (typeof r.value === 'number') {
      const withQuantity = matching.filter((f) => sameNumber((f.valueQuantity as Json | undefined)?.value, r.value as number));
      if (withQuantity.length === 0) {
        const asText = matching.some((f) => valueLabels(f).some((v) => v.trim() !== '' && Number(v.trim()) === r.value));
        miss(
          asText ? `${label} numeric value (ST/TX/REAL) not a Quantity` : `${label} result value lost`,
          `${show(r.name)}: no valueQuantity ${r.value}${asText ? ' (the number is there as text)' : ''}`,
          r.class,
        );
        continue;
      }
      if (r.unit) {
        const ok = withQuantity.some((f) => {
          const q = f.valueQuantity as Json;
          return mentions([str(q.unit) ?? '', str(q.code) ?? ''], r.unit!);
        });
        if (!ok) miss(`${label} result unit lost`, `${show(r.name)} ${r.value}: unit is not ${show(r.unit)}`, r.class);
      }
      if (r.ucum !== undefined) {
        const qs = withQuantity.map((f) => f.valueQuantity as Json);
        if (r.ucum === null) {
          if (qs.some((q) => q.system === UCUM))
            miss(
              'non-UCUM unit labelled UCUM',
              `${show(r.name)}: unit ${r.unit ? show(r.unit) : ''} has no UCUM form but is labelled UCUM`,
              r.class,
            );
        } else if (qs.every((q) => q.unit === undefined && q.code === undefined)) {
          miss(
            `${label} result unit lost`,
            `${show(r.name)} ${r.value}: the Quantity has no unit (expected ${r.unit ? show(r.unit) : show(r.ucum)})`,
            r.class,
          );
        } else if (!qs.some((q) => q.system === UCUM && spellings(r.ucum!).includes(String(q.code)))) {
          miss(
            `${label} unit not mapped to UCUM`,
            `${show(r.name)}: expected UCUM code ${show(r.ucum)}, got ${qs.map((q) => `${String(q.system ?? '-')}|${String(q.code ?? '-')}`).join(', ')}`,
            r.class,
          );
        }
      }
    } else if (typeof r.value === 'string') {
      if (!matching.some((f) => mentions(valueLabels(f), r.value as string)))
        miss(`${label} result value lost`, `${show(r.name)}: no value "${r.value}"`, r.class);
    }
  }

  // Allergies and procedures
  for (const a of exp.allergies ?? []) {
    if (
      !index
        .byType('AllergyIntolerance')
        .some((r) => mentions([...conceptLabels(r.code), ...arr(r.reaction).flatMap((x) => conceptLabels(x.substance))], a.substance))
    )
      miss(`${label} allergy lost`, `no AllergyIntolerance ${show(a.substance)}`, a.class);
  }
  for (const p of exp.procedures ?? []) {
    const ok = index
      .byType('Procedure')
      .some(
        (r) =>
          (!p.code || conceptCodes(r.code).some((c) => norm(c) === norm(p.code!))) && (!p.text || mentions(conceptLabels(r.code), p.text)),
      );
    if (!ok) miss(`${label} procedure lost`, `no Procedure ${[p.text ? show(p.text) : '', p.code ?? ''].join(' ')}`, p.class);
  }

  // Narrative (Composition section text, notes, value strings …), HTML tags ignored
  if (exp.texts?.length) {
    const everything = index.resources
      .filter((r) => r.resourceType !== 'Provenance')
      .flatMap((r) => allStrings(r))
      .map((t) => t.replace(/<[^>]*>/g, ''));
    for (const t of exp.texts) if (!mentions(everything, t)) miss(`${label} narrative lost`, `text "${show(t)}" appears nowhere`);
  }

  // Administrative data elements must stay out of the patient's findings
  for (const n of exp.notFindings ?? []) {
    const hit = [...index.byType('Observation'), ...conditions].find((r) => mentions(conceptLabels(r.code), n));
    if (hit) miss('administrative data element made a finding', `"${n}" became a ${String(hit.resourceType)}`);
  }

  // Every quantity labelled UCUM must carry a valid UCUM code
  const bad = new Set<string>();
  for (const r of index.resources)
    for (const q of quantities(r))
      if (q.system === UCUM && str(q.code) !== undefined && !validUcum(q.code as string)) bad.add(q.code as string);
  if (bad.size > 0) miss('non-UCUM unit labelled UCUM', `codes labelled ${UCUM} that are not UCUM: ${[...bad].join(', ')}`);

  return misses;
}
