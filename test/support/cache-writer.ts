// A writer child for the crash tests: writes deterministic batches into the encrypted cache
// and prints one line per committed batch on stdout ("ack <batch>") only after putRecords has
// resolved. The parent kills it with SIGKILL at seeded points and checks what survived.
// Usage: node test/support/cache-writer.ts <cache dir> <batches>
import { openCacheStore } from '../../src/main/services/cache/cache-store.ts';
import { observation, syntheticPatient, testProtector } from './cache-fixtures.ts';
import type { SourcedResource } from '../../src/adapters/source-adapter.ts';

/** What batch `b` writes: the parent recomputes this to know what must (or must not) exist. */
export function writerBatch(b: number): { patientKey: string; sourceId: string; records: SourcedResource[] } {
  const sourceId = b % 2 === 0 ? 'cdr' : 'lis';
  const size = 1 + (b % 4);
  const records: SourcedResource[] = [];
  for (let j = 0; j < size; j++) {
    const item = observation(b * 10 + j, sourceId, b + j / 10);
    // Payloads of varied size so kills land in different places of pages and WAL frames.
    (item.resource as { note?: { text: string }[] }).note = [{ text: 'x'.repeat((b * 37 + j * 101) % 3000) }];
    records.push(item);
  }
  return { patientKey: syntheticPatient(b % 3).key, sourceId, records };
}

async function main(): Promise<void> {
  const [dir, batchesArg] = process.argv.slice(2);
  if (!dir || !batchesArg) throw new Error('usage: cache-writer.ts <dir> <batches>');
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  process.stdout.write('ready\n');
  for (let b = 0; b < Number(batchesArg); b++) {
    const batch = writerBatch(b);
    await store.putRecords(batch.patientKey, batch.sourceId, batch.records);
    process.stdout.write(`ack ${b}\n`);
    // Now and then a master-key rotation, so some kills land inside one.
    if (b % 7 === 6) await store.rotateMasterKey();
  }
  store.close();
  process.stdout.write('done\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
