// A workstation's broker subscription in a process of its own that crashes (SIGKILL, sent to
// itself) the moment its first group commit of messages is durable, before any of them is
// acknowledged to the broker: the crash between commit and ack. It prints "committed <n>" (the
// messages in that commit) just before. The parent then restarts on the same cache files.
// Usage: node test/support/broker-crash-child.ts <cache dir> <configuration JSON>
import type { CacheStore } from '../../src/main/services/cache/index.ts';
import { startBrokerSubscription } from '../../src/main/services/inbound-broker/start-broker-subscription.ts';
import { HuizhenConfigSchema } from '../../src/shared/config/schema.ts';
import { openTestStore } from './inbound-hl7-harness.ts';

async function main(): Promise<void> {
  const [dir, configJson] = process.argv.slice(2);
  if (!dir || !configJson) throw new Error('usage: broker-crash-child.ts <cache dir> <configuration JSON>');
  const store = await openTestStore(dir);
  const crashing: CacheStore = {
    ...store,
    async putRecordBatch(writes) {
      const revisions = await store.putRecordBatch(writes);
      // A batch that remembers control ids is a group commit of messages (the journal's row is last).
      if (writes.some((w) => w.patientKey.startsWith('inbound-hl7:'))) {
        process.stdout.write(`committed ${writes.length - 1}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
      return revisions;
    },
  };
  const subscription = await startBrokerSubscription({ config: HuizhenConfigSchema.parse(JSON.parse(configJson)), store: crashing });
  while (subscription.state() !== 'connected') await new Promise((r) => setTimeout(r, 20));
  process.stdout.write('connected\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
