import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openCacheStore, type CacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, tempCacheDir, testProtector } from '../support/cache-fixtures.ts';

/** The model: patient → source → record id → value; plus the passphrase in force. */
interface Model {
  patients: Map<string, Map<string, Map<string, number>>>;
  passphrase: string;
}
interface Real {
  dir: string;
  store: CacheStore;
}

// Few patients and ids, so that sequences often revisit the same rows (updates, replaces).
const PATIENTS = ['p-欧阳', 'p-司马'];
const SOURCES = ['cdr', 'lis'];

function valueOf(resource: unknown): number {
  return (resource as { valueQuantity: { value: number } }).valueQuantity.value;
}

async function expectPatientMatches(model: Model, real: Real, patient: string): Promise<void> {
  const { records, failures } = await real.store.getRecords(patient);
  expect(failures).toEqual([]);
  const actual = records.map((r) => `${r.provenance.sourceId}/${r.resource.id}=${valueOf(r.resource)}`).sort();
  const expected: string[] = [];
  for (const [source, recs] of model.patients.get(patient) ?? []) for (const [id, v] of recs) expected.push(`${source}/${id}=${v}`);
  expect(actual).toEqual(expected.sort());
}

class PutCommand implements fc.AsyncCommand<Model, Real> {
  readonly patient: string;
  readonly source: string;
  readonly items: { n: number; value: number }[];
  readonly replace: boolean;
  constructor(patient: string, source: string, items: { n: number; value: number }[], replace: boolean) {
    this.patient = patient;
    this.source = source;
    this.items = items;
    this.replace = replace;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    await real.store.putRecords(
      this.patient,
      this.source,
      this.items.map((i) => observation(i.n, this.source, i.value)),
      { replace: this.replace },
    );
    const sources = model.patients.get(this.patient) ?? new Map<string, Map<string, number>>();
    const recs = this.replace ? new Map<string, number>() : (sources.get(this.source) ?? new Map<string, number>());
    for (const i of this.items) recs.set(`obs-${i.n}`, i.value);
    sources.set(this.source, recs);
    model.patients.set(this.patient, sources);
  }
  toString = () => `put(${this.patient}, ${this.source}, ${JSON.stringify(this.items)}, replace=${this.replace})`;
}

class GetCommand implements fc.AsyncCommand<Model, Real> {
  readonly patient: string;
  constructor(patient: string) {
    this.patient = patient;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    await expectPatientMatches(model, real, this.patient);
  }
  toString = () => `get(${this.patient})`;
}

class PurgeCommand implements fc.AsyncCommand<Model, Real> {
  readonly patient: string;
  constructor(patient: string) {
    this.patient = patient;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    expect(await real.store.purgePatient(this.patient)).toBe(model.patients.delete(this.patient));
  }
  toString = () => `purge(${this.patient})`;
}

class RotateCommand implements fc.AsyncCommand<Model, Real> {
  readonly newPassphrase: string | undefined;
  constructor(newPassphrase: string | undefined) {
    this.newPassphrase = newPassphrase;
  }
  check = () => true;
  async run(model: Model, real: Real) {
    await real.store.rotateMasterKey(this.newPassphrase ? testProtector(this.newPassphrase) : undefined);
    if (this.newPassphrase) model.passphrase = this.newPassphrase;
  }
  toString = () => `rotate(${this.newPassphrase ?? 'same passphrase'})`;
}

class ReopenCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    real.store.close();
    real.store = await openCacheStore({ directory: real.dir, protector: testProtector(model.passphrase) });
    expect((await real.store.listPatients()).map((p) => p.patientKey).sort()).toEqual([...model.patients.keys()].sort());
  }
  toString = () => 'reopen()';
}

const patient = fc.constantFrom(...PATIENTS);
const commands = [
  fc
    .tuple(
      patient,
      fc.constantFrom(...SOURCES),
      fc.array(fc.record({ n: fc.integer({ min: 0, max: 4 }), value: fc.integer({ min: 0, max: 999 }) }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([p, s, items, replace]) => new PutCommand(p, s, items, replace)),
  patient.map((p) => new GetCommand(p)),
  patient.map((p) => new PurgeCommand(p)),
  fc.option(fc.constantFrom('second passphrase', '第三个口令-long'), { nil: undefined }).map((p) => new RotateCommand(p)),
  fc.constant(new ReopenCommand()),
];

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('model-based: put / get / purge / rotate / reopen', () => {
  it('behaves like a map of maps, across any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'medium' }), async (cmds) => {
        const { dir, cleanup } = tempCacheDir('model');
        cleanups.push(cleanup);
        const real: Real = { dir, store: await openCacheStore({ directory: dir, protector: testProtector() }) };
        const model: Model = { patients: new Map(), passphrase: 'correct horse battery 汇诊' };
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          for (const p of PATIENTS) await expectPatientMatches(model, real, p);
        } finally {
          real.store.close();
          cleanup();
        }
      }),
      { numRuns: 50, seed: 20260601 },
    );
  });
});
