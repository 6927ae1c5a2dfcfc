/**
 * The workstation's broker subscription against a real rabbitmq-server on 127.0.0.1: deliveries
 * stored as the MLLP listener stores them and acknowledged only after the commit; a broker
 * restart and a cut network lose nothing and store nothing twice; poison messages reach the
 * dead-letter queue with their reason; redeliveries are recognised across a workstation restart
 * and across a crash between the commit and the ack.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Observation } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStore } from '../../src/main/services/cache/index.ts';
import { openCacheCredentialVault } from '../../src/main/services/credentials/index.ts';
import { startWorkstationBroker, type BrokerSubscription } from '../../src/main/services/inbound-broker/index.ts';
import type { AdtArrived, BrokerOutcome } from '../../src/main/services/inbound-broker/broker-subscription.ts';
import { deadLetterQueueOf, REASON_HEADER } from '../../src/main/services/inbound-broker/routing.ts';
import { startBrokerSubscription } from '../../src/main/services/inbound-broker/start-broker-subscription.ts';
import type { HuizhenConfig } from '../../src/shared/config/schema.ts';
import type { SourcePatientRef } from '../../src/shared/domain/source.ts';
import { tempCacheDir } from '../support/cache-fixtures.ts';
import { adtA08, openTestStore, oruR01 } from '../support/inbound-hl7-harness.ts';
import { brokerTestConfig, rabbitmqSkipReason, startTcpProxy, TestPublisher, until, useTestRabbitmq } from '../support/rabbitmq.ts';

const CRASH_CHILD = fileURLToPath(new URL('../support/broker-crash-child.ts', import.meta.url));

if (rabbitmqSkipReason) console.warn(`broker tests skipped: ${rabbitmqSkipReason} (scripts/ensure-deps.sh installs it as root)`);

const cleanups: (() => Promise<void> | void)[] = [];

const mq = useTestRabbitmq();
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Running {
  config: HuizhenConfig;
  store: CacheStore;
  subscription: BrokerSubscription;
  outcomes: BrokerOutcome[];
  updated: SourcePatientRef[];
  adt: AdtArrived[];
}

async function openStore(dir?: string): Promise<{ dir: string; store: CacheStore }> {
  let where = dir;
  if (!where) {
    const temp = tempCacheDir('broker');
    cleanups.push(temp.cleanup);
    where = temp.dir;
  }
  const store = await openTestStore(where);
  return { dir: where, store };
}

async function subscribe(config: HuizhenConfig, store: CacheStore, closeStore = true): Promise<Running> {
  const outcomes: BrokerOutcome[] = [];
  const updated: SourcePatientRef[] = [];
  const adt: AdtArrived[] = [];
  const subscription = await startBrokerSubscription({
    config,
    store,
    onOutcome: (o) => outcomes.push(o),
    onPatientUpdated: (ref) => updated.push(ref),
    onAdt: (e) => adt.push(e),
  });
  cleanups.push(async () => {
    await subscription.close();
    if (closeStore) store.close();
  });
  await until(() => subscription.state() === 'connected', 60_000, 'the subscription to connect');
  return { config, store, subscription, outcomes, updated, adt };
}

const storedIds = (outcomes: readonly BrokerOutcome[]): string[] =>
  outcomes.flatMap((o) => (o.decision.action === 'ack' && o.decision.stored ? [o.decision.messageId] : []));

function countsOf(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe.skipIf(rabbitmqSkipReason)('broker subscription over a real RabbitMQ', () => {
  it('stores an ORU from oru.<ward> and an ADT from adt.<ward>, acks after the commit, tells the open patient and the worklist', async () => {
    const { store } = await openStore();
    const run = await subscribe(brokerTestConfig(mq.rabbit.url), store);
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'BRK-ORU-1', glucose: '7.4' }));
    await mq.publisher.publish('adt.CARD-1', adtA08({ controlId: 'BRK-ADT-1', mrn: 'L202500002' }));
    // Another ward's event is not this workstation's.
    await mq.publisher.publish('oru.ICU-2', oruR01({ controlId: 'BRK-ORU-OTHER', mrn: 'L202500003' }));
    await until(() => run.outcomes.length >= 2, 30_000, 'two deliveries');
    const { records } = await store.getRecords('lis/L202500001');
    const glucose = records
      .map((r) => r.resource)
      .filter((r): r is Observation => r.resourceType === 'Observation' && r.code?.coding?.[0]?.code === '2345-7');
    expect(glucose[0]?.valueQuantity?.value).toBe(7.4);
    expect(run.updated).toEqual(
      expect.arrayContaining([
        { sourceId: 'lis', sourcePatientId: 'L202500001' },
        { sourceId: 'lis', sourcePatientId: 'L202500002' },
      ]),
    );
    expect(run.adt).toEqual([
      expect.objectContaining({ ward: 'CARD-1', messageId: 'BRK-ADT-1', patients: [{ sourceId: 'lis', sourcePatientId: 'L202500002' }] }),
    ]);
    await until(async () => (await mq.publisher.messageCount(run.subscription.queue)) === 0, 10_000, 'the queue to be acknowledged empty');
    expect(storedIds(run.outcomes)).toEqual(['BRK-ORU-1', 'BRK-ADT-1']);
    expect((await store.getRecords('lis/L202500003')).records).toHaveLength(0);
  }, 120_000);

  it('stores a FHIR message (Bundle) under the configured FHIR source', async () => {
    const { store } = await openStore();
    const run = await subscribe(brokerTestConfig(mq.rabbit.url), store);
    const bundle = {
      resourceType: 'Bundle',
      id: 'fhir-msg-1',
      type: 'message',
      entry: [
        {
          resource: {
            resourceType: 'MessageHeader',
            id: 'h1',
            eventCoding: { system: 'http://example.org/events', code: 'observation-provide' },
            source: { endpoint: 'urn:lis' },
          },
        },
        {
          resource: {
            resourceType: 'Observation',
            id: 'k-1',
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
            subject: { reference: 'Patient/p-77' },
            valueQuantity: { value: 5.9, unit: 'mmol/L' },
          },
        },
      ],
    };
    await mq.publisher.publish('oru.CARD-1', JSON.stringify(bundle), { contentType: 'application/fhir+json' });
    await until(() => run.outcomes.length >= 1, 30_000, 'the FHIR delivery');
    expect(run.outcomes[0]?.decision).toMatchObject({ action: 'ack', stored: true, format: 'fhir', messageId: 'fhir-msg-1' });
    const { records } = await store.getRecords('cdr/p-77');
    expect(records.map((r) => r.resource.id)).toContain('k-1');
    expect(run.updated).toEqual([{ sourceId: 'cdr', sourcePatientId: 'p-77' }]);
  }, 120_000);

  it('sends poison messages to the dead-letter queue with the reason in a header, and goes on', async () => {
    const { store } = await openStore();
    const config = brokerTestConfig(mq.rabbit.url);
    const run = await subscribe(config, store);
    const dlq = deadLetterQueueOf(config.broker!);
    await mq.publisher.publish('oru.CARD-1', 'this is not a message', { contentType: 'text/plain', messageId: 'poison-1' });
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'BRK-POISON-2' }).replace('ORU^R01^ORU_R01', 'ORU^R99^ORU_R01'));
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'BRK-AFTER-POISON' }));
    await until(() => run.outcomes.length >= 3, 30_000, 'three deliveries');
    expect(storedIds(run.outcomes)).toEqual(['BRK-AFTER-POISON']);
    const first = await mq.publisher.take(dlq);
    const second = await mq.publisher.take(dlq);
    expect(first && String(first.properties.headers?.[REASON_HEADER])).toMatch(/neither HL7 v2 nor FHIR/);
    expect(first && first.properties.messageId).toBe('poison-1');
    expect(second && String(second.properties.headers?.[REASON_HEADER])).toMatch(/ORU\^R99.*not accepted/);
    expect(second && second.content.toString('utf8')).toContain('BRK-POISON-2');
    expect(await mq.publisher.messageCount(run.subscription.queue)).toBe(0);
  }, 120_000);

  it('a network cut mid-stream (TCP proxy): every message stored exactly once, none left unacknowledged', async () => {
    const { store } = await openStore();
    const proxy = await startTcpProxy(mq.rabbit.port);
    cleanups.push(() => proxy.close());
    const config = brokerTestConfig(`amqp://guest@127.0.0.1:${proxy.port}`, { prefetch: 8, passwordRef: 'broker.password' });
    // guest's password is "guest": the test gives it as the vault would.
    const outcomes: BrokerOutcome[] = [];
    let cutDone = false;
    const subscription = await startBrokerSubscription({
      config,
      store,
      secrets: { get: (name) => (name === 'broker.password' ? 'guest' : undefined) },
      onOutcome: (o) => {
        outcomes.push(o);
        // Cut while deliveries are in flight: stored but not yet acknowledged ones come back.
        if (!cutDone && outcomes.length === 5) {
          cutDone = true;
          proxy.cut();
          setTimeout(() => proxy.restore(), 300);
        }
      },
    });
    cleanups.push(async () => {
      await subscription.close();
      store.close();
    });
    await until(() => subscription.state() === 'connected', 60_000, 'connected');
    const ids = Array.from({ length: 40 }, (_, i) => `CUT-${i}`);
    for (const id of ids)
      await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: id, mrn: `L3${String(ids.indexOf(id)).padStart(8, '0')}` }));
    await until(() => new Set(storedIds(outcomes)).size === ids.length, 120_000, 'all 40 stored');
    await until(
      async () => (await mq.publisher.messageCount(subscription.queue)) === 0 && subscription.state() === 'connected',
      60_000,
      'the queue drained',
    );
    expect(cutDone).toBe(true);
    // The cut really caught deliveries in flight: prefetched ones came back, and at least one
    // stored before its ack was lost came back and was recognised instead of stored again.
    expect(outcomes.some((o) => o.redelivered)).toBe(true);
    expect(outcomes.some((o) => o.decision.action === 'ack' && !o.decision.stored)).toBe(true);
    const counts = countsOf(storedIds(outcomes));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    for (const [i] of ids.entries())
      expect((await store.getRecords(`lis/L3${String(i).padStart(8, '0')}`)).records.length).toBeGreaterThan(0);
  }, 240_000);

  it('dedupes redeliveries across a workstation restart (HL7 control id and FHIR message id, kept in the encrypted cache)', async () => {
    const { dir, store } = await openStore();
    const config = brokerTestConfig(mq.rabbit.url);
    const outcomes1: BrokerOutcome[] = [];
    const again = await startBrokerSubscription({ config, store, onOutcome: (o) => outcomes1.push(o) });
    await until(() => again.state() === 'connected', 60_000, 'connected');
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'RESTART-1' }));
    await mq.publisher.publish(
      'oru.CARD-1',
      JSON.stringify({
        resourceType: 'Observation',
        id: 'o-9',
        status: 'final',
        code: { text: 'K' },
        subject: { reference: 'Patient/p-9' },
      }),
      { contentType: 'application/fhir+json', messageId: 'fhir-restart-1' },
    );
    await until(() => outcomes1.length >= 2, 30_000, 'two deliveries');
    expect(storedIds(outcomes1)).toEqual(['RESTART-1', 'fhir-restart-1']);
    await again.close();
    store.close();

    // The workstation restarts: a new process would open the same cache files.
    const reopened = await openStore(dir);
    const run = await subscribe(config, reopened.store);
    await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: 'RESTART-1' }));
    await mq.publisher.publish(
      'oru.CARD-1',
      JSON.stringify({
        resourceType: 'Observation',
        id: 'o-9',
        status: 'final',
        code: { text: 'K' },
        subject: { reference: 'Patient/p-9' },
      }),
      { contentType: 'application/fhir+json', messageId: 'fhir-restart-1' },
    );
    await until(() => run.outcomes.length >= 2, 30_000, 'two redeliveries');
    expect(run.outcomes.map((o) => o.decision)).toEqual([
      expect.objectContaining({ action: 'ack', stored: false, messageId: 'RESTART-1' }),
      expect.objectContaining({ action: 'ack', stored: false, messageId: 'fhir-restart-1' }),
    ]);
    expect(run.updated).toEqual([]);
  }, 120_000);

  it('takes the broker password from the credential vault (passwordRef); the URL holds none', async () => {
    const { dir, store } = await openStore();
    const vault = await openCacheCredentialVault(store, dir);
    await vault.set('broker.password', 'guest');
    vault.close();
    const base = brokerTestConfig(mq.rabbit.url, { passwordRef: 'broker.password' });
    const config = { ...base, cache: { ...base.cache!, enabled: true, directory: dir } } as HuizhenConfig;
    expect(config.broker!.url).not.toContain('guest@127.0.0.1:0');
    expect(new URL(config.broker!.url).password).toBe('');
    const lines: string[] = [];
    const subscription = await startWorkstationBroker({ config, cache: store, log: (l) => lines.push(l), onPatientUpdated: () => {} });
    cleanups.push(async () => {
      await subscription?.close();
      store.close();
    });
    await until(() => subscription?.state() === 'connected', 60_000, 'connected with the vault password');
    expect(lines.join('\n')).not.toContain('guest:guest');
  }, 120_000);

  it('a crash between the commit and the ack: the redelivered messages are recognised by the journal, none stored twice, none lost', async () => {
    const { dir, store } = await openStore();
    const config = brokerTestConfig(mq.rabbit.url, { prefetch: 16 });
    // The queue and its bindings first, then a burst waiting for the workstation (one group commit).
    const declaring = await startBrokerSubscription({ config, store });
    await until(() => declaring.state() === 'connected', 60_000, 'connected');
    await declaring.close();
    store.close();
    const ids = Array.from({ length: 12 }, (_, i) => `CRASH-${i}`);
    for (const [i, id] of ids.entries()) await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: id, mrn: `L20250010${i % 3}` }));

    const child = spawn(process.execPath, [CRASH_CHILD, dir, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, `the child should crash after its first commit; stderr: ${err}`).toBe('SIGKILL');
    const committed = Number(/committed (\d+)/.exec(out)?.[1] ?? 0);
    expect(committed).toBeGreaterThan(0);

    // The workstation starts again on the same cache files; the broker hands back everything unacknowledged.
    const reopened = await openStore(dir);
    const run = await subscribe(config, reopened.store);
    await until(() => run.outcomes.length >= ids.length, 60_000, 'all twelve delivered again');
    const decisions = run.outcomes.map((o) => o.decision);
    const duplicates = decisions.flatMap((d) => (d.action === 'ack' && !d.stored ? [d.messageId] : []));
    // Exactly the committed ones are recognised (not stored again); every other one is stored now, once.
    expect(duplicates).toHaveLength(committed);
    expect(run.outcomes.filter((o) => o.decision.action === 'ack' && !o.decision.stored).every((o) => o.redelivered)).toBe(true);
    expect([...duplicates, ...storedIds(run.outcomes)].sort()).toEqual([...ids].sort());
    const check = await TestPublisher.connect(mq.rabbit.url);
    try {
      await until(async () => (await check.messageCount(run.subscription.queue)) === 0, 60_000, 'the queue drained');
    } finally {
      await check.close();
    }
  }, 180_000);

  // Last: it stops and starts the broker the other tests share.
  it('a broker restart mid-stream: the durable queue keeps what was published, every message stored exactly once', async () => {
    const { store } = await openStore();
    const config = brokerTestConfig(mq.rabbit.url, { prefetch: 4 });
    // The queue and its bindings first, then everything published while no one consumes.
    const declaring = await startBrokerSubscription({ config, store });
    await until(() => declaring.state() === 'connected', 60_000, 'connected');
    await declaring.close();
    const ids = Array.from({ length: 30 }, (_, i) => `RST-${i}`);
    for (const id of ids) await mq.publisher.publish('oru.CARD-1', oruR01({ controlId: id }));
    const outcomes: BrokerOutcome[] = [];
    let restarting: Promise<void> | undefined;
    const subscription = await startBrokerSubscription({
      config,
      store,
      onOutcome: (o) => {
        outcomes.push(o);
        if (!restarting && outcomes.length === 5) restarting = mq.rabbit.stop().then(() => mq.rabbit.start());
      },
    });
    cleanups.push(async () => {
      await subscription.close();
      store.close();
    });
    await until(() => restarting !== undefined, 60_000, 'the restart to begin');
    await restarting;
    await until(() => new Set(storedIds(outcomes)).size === ids.length, 180_000, 'all 30 stored');
    const counts = countsOf(storedIds(outcomes));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect(outcomes.some((o) => o.redelivered)).toBe(true);
    const check = await TestPublisher.connect(mq.rabbit.url);
    try {
      await until(async () => (await check.messageCount(subscription.queue)) === 0, 60_000, 'the queue drained');
    } finally {
      await check.close();
    }
  }, 300_000);
});
