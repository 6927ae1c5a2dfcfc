/**
 * The benchmark's integration platform, run as its own process so publishing does not load the
 * workstation's event loop: `node bench/suites/broker-publisher.ts URL EXCHANGE RATE SECONDS`.
 * Publishes ORU^R01 to oru.CARD-1 at RATE messages/s (in 10 ms ticks), persistent and confirmed,
 * for patients the workstation does not have open; prints "published N" at the end.
 */
import amqp from 'amqplib';
import { oruR01 } from '../../test/support/inbound-hl7-harness.ts';

const [url, exchange, rateText, secondsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const model = await amqp.connect(url!);
const channel = await model.createConfirmChannel();
const total = rate * seconds;
const started = performance.now();
let sent = 0;
while (sent < total) {
  // Catch up to where the schedule says we should be, then wait for the next 10 ms tick.
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
  for (; sent < due; sent++) {
    const body = oruR01({
      controlId: `LOAD-${process.pid}-${sent}`,
      mrn: `L9${String(sent % 200).padStart(8, '0')}`,
      glucose: (4 + (sent % 50) / 10).toFixed(1),
    });
    channel.publish(exchange!, 'oru.CARD-1', Buffer.from(body, 'utf8'), { persistent: true, contentType: 'application/hl7-v2' });
  }
  await new Promise((r) => setTimeout(r, 10));
}
await channel.waitForConfirms();
console.log(`published ${sent} in ${Math.round(performance.now() - started)} ms`);
await model.close();
