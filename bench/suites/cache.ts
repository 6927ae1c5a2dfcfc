import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';
import { openCacheStore } from '../../src/main/services/cache/cache-store.ts';
import { createPassphraseKeyProtector } from '../../src/main/services/cache/passphrase-key-protector.ts';
import { migrate } from '../../src/main/services/cache/schema.ts';
import { buildTimeline } from '../../src/main/services/timeline/build-timeline.ts';
import { TimelineSnapshotCache } from '../../src/main/services/patient-record/timeline-snapshot-cache.ts';
import { FhirResourceSchema } from '../../src/shared/domain/fhir.ts';
import { ProvenanceSchema } from '../../src/shared/domain/provenance.ts';
import { medianMs, type BenchSuite, type Figure } from '../measure.ts';

const COUNT = 10_000;
const PATIENT = 'bench-patient-110105199001011234';

function records(count: number): SourcedResource[] {
  const start = Date.parse('2015-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => ({
    resource: {
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      subject: { reference: 'Patient/CDR-000001', display: '张伟' },
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }], text: '血糖' },
      effectiveDateTime: new Date(start + i * 3_600_000).toISOString(),
      valueQuantity: { value: 4 + (i % 50) / 10, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
      referenceRange: [{ low: { value: 3.9, unit: 'mmol/L' }, high: { value: 6.1, unit: 'mmol/L' } }],
    },
    provenance: {
      sourceId: 'lis',
      sourceName: 'LIS',
      sourceKind: 'fhir',
      nativeId: `Observation/obs-${i}`,
      fetchedAt: '2026-01-01T00:00:00Z',
    },
  }));
}

const Validated = z.object({ resource: FhirResourceSchema, provenance: ProvenanceSchema });

/**
 * The baseline: an unencrypted cache with the same schema and the same per-row work minus the
 * crypto (one transaction of plain JSON rows; reads parse and validate the same way).
 */
function plainCache(dir: string) {
  const db = new DatabaseSync(join(dir, 'plain.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON');
  migrate(db);
  db.prepare(
    `INSERT INTO patients (patient_ref, key_id, wrapped_key, sealed_label, created_at, last_access) VALUES ('p', 'k', x'00', x'00', 0, 0)`,
  ).run();
  return {
    write(items: SourcedResource[]) {
      db.exec('BEGIN IMMEDIATE');
      db.exec(`DELETE FROM records`);
      const insert = db.prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const item of items) {
        insert.run('p', 'lis', `Observation/${item.resource.id}`, item.resource.resourceType, 'k', Buffer.from(JSON.stringify(item)), 0);
      }
      db.exec('COMMIT');
    },
    read(): SourcedResource[] {
      const rows = db.prepare(`SELECT sealed FROM records WHERE patient_ref = 'p' ORDER BY rowid`).all();
      return rows.map((row) => Validated.parse(JSON.parse(Buffer.from(row.sealed as Uint8Array).toString('utf8'))));
    },
    close: () => db.close(),
  };
}

/** The encrypted store against a plain-JSON store of the same schema, at 10,000 records. */
export const cacheThroughput: BenchSuite = {
  name: 'cache: encrypted store (AES-256-GCM per record, node:sqlite WAL)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'huizhen-bench-cache-'));
    // scrypt runs once per open; a low cost keeps the bench about records, not key derivation.
    const protector = createPassphraseKeyProtector('bench passphrase 汇诊', { log2Cost: 12 });
    const items = records(COUNT);
    const figures: Figure[] = [];
    try {
      const plain = plainCache(dir);
      const store = await openCacheStore({ directory: join(dir, 'enc'), protector });

      const plainWrite = await medianMs(3, () => plain.write(items));
      const encWrite = await medianMs(3, () => store.putRecords(PATIENT, 'lis', items, { replace: true }));
      figures.push({
        name: `write ${COUNT.toLocaleString('en')} records, one transaction, encrypted`,
        value: encWrite,
        unit: 'ms',
        baseline: { name: 'same rows unencrypted', value: plainWrite },
        lowerIsBetter: false,
      });

      const plainRead = await medianMs(5, () => plain.read());
      const encRead = await medianMs(5, async () => {
        const { records: read, failures } = await store.getRecords(PATIENT);
        if (read.length !== COUNT || failures.length > 0) throw new Error(`read ${read.length} records, ${failures.length} failures`);
      });
      figures.push({
        name: `read ${COUNT.toLocaleString('en')} records, decrypt + parse + validate`,
        value: encRead,
        unit: 'ms',
        baseline: { name: 'same reads unencrypted', value: plainRead },
        lowerIsBetter: false,
        goal: '≤ 2× the unencrypted time, i.e. ≥ 50% throughput',
      });
      figures.push({ name: '  encrypted read throughput vs unencrypted', value: (100 * plainRead) / encRead, unit: '%', goal: '≥ 50%' });
      store.close();
      plain.close();

      // A patient opened for the first time since start: the data key is unwrapped on this read.
      const coldTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const fresh = await openCacheStore({ directory: join(dir, 'enc'), protector });
        const t = performance.now();
        const { records: read } = await fresh.getRecords(PATIENT);
        coldTimes.push(performance.now() - t);
        if (read.length !== COUNT) throw new Error('cold read incomplete');
        fresh.close();
      }
      coldTimes.sort((a, b) => a - b);
      figures.push({
        name: `time to read a ${COUNT.toLocaleString('en')}-record patient (first read after open)`,
        value: coldTimes[2]!,
        unit: 'ms',
        goal: '< 100 ms',
      });

      // What a cached open shows first instead: the first screen the last complete open saved.
      const saver = await openCacheStore({ directory: join(dir, 'enc'), protector });
      const entries = buildTimeline(items);
      const saved = await new TimelineSnapshotCache(saver).save(
        [{ cacheKey: PATIENT, revision: await saver.revisionOf(PATIENT) }],
        entries,
      );
      saver.close();
      if (!saved) throw new Error('the first screen was not saved');
      const screenTimes: number[] = [];
      let screenEntries = 0;
      for (let i = 0; i < 5; i++) {
        const fresh = await openCacheStore({ directory: join(dir, 'enc'), protector });
        const t = performance.now();
        const snapshot = await new TimelineSnapshotCache(fresh).read([PATIENT]);
        screenTimes.push(performance.now() - t);
        screenEntries = snapshot?.entries.length ?? 0;
        fresh.close();
      }
      screenTimes.sort((a, b) => a - b);
      figures.push({
        name: `time to read its saved first screen (${screenEntries} of ${entries.length.toLocaleString('en')} entries, first read after open)`,
        value: screenTimes[2]!,
        unit: 'ms',
        baseline: { name: 'the whole record', value: coldTimes[2]! },
        goal: '< 100 ms',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
