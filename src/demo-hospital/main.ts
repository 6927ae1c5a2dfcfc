/**
 * Runs the demo hospital on its own: `node src/demo-hospital/main.ts [--seed N] [--port P]
 * [--bad-data [--bad-data-seed N] [--bad-data-manifest FILE]]`. Prints the FHIR base URL and the
 * demo patient, and stops cleanly on SIGINT/SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDemoHospital } from './start-demo-hospital.ts';
import { DEMO_PATIENT } from './synthetic/demo-patient.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    port: { type: 'string' },
    'delay-ms': { type: 'string' },
    'extra-observations': { type: 'string' },
    /** Also run the message broker (RabbitMQ) publishing ward events. */
    broker: { type: 'boolean' },
    /** Add the bad-data patients (DQ-…) with their injected defects. */
    'bad-data': { type: 'boolean' },
    'bad-data-seed': { type: 'string' },
    /** Write the manifest of injected defects (JSON) to this file. */
    'bad-data-manifest': { type: 'string' },
  },
});
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const hospital = await startDemoHospital({
  ...(values.seed !== undefined ? { seed: num(values.seed) as number } : {}),
  ...(values['extra-observations'] !== undefined ? { extraObservations: num(values['extra-observations']) as number } : {}),
  ...(values.broker ? { broker: true } : {}),
  ...(values['bad-data'] || values['bad-data-manifest'] !== undefined
    ? { badData: values['bad-data-seed'] !== undefined ? { seed: num(values['bad-data-seed']) as number } : true }
    : {}),
  fhir: {
    ...(values.port !== undefined ? { port: num(values.port) as number } : {}),
    ...(values['delay-ms'] !== undefined ? { delayMs: num(values['delay-ms']) as number } : {}),
  },
});
console.log(`demo hospital: FHIR R4 at ${hospital.fhirBaseUrl}`);
for (const notice of hospital.notices) console.log(`demo hospital: ${notice}`);
if (hospital.broker)
  console.log(
    `demo hospital: broker ${hospital.broker.url} (user guest, password guest), exchange "${hospital.broker.exchange}", wards ${hospital.broker.wards.join(', ')}`,
  );
console.log(
  `demo hospital: ${hospital.data.patients.length} patients; try ${hospital.fhirBaseUrl}/Patient?identifier=${DEMO_PATIENT.mrn} (${DEMO_PATIENT.nameHanzi})`,
);

if (hospital.badData) {
  const { patients, manifest } = hospital.badData;
  console.log(`demo hospital: bad-data mode: ${manifest.length} injected defects in ${patients.map((p) => p.mrn).join(', ')}`);
  if (values['bad-data-manifest']) {
    writeFileSync(values['bad-data-manifest'], `${JSON.stringify({ patients, defects: manifest }, null, 2)}\n`);
    console.log(`demo hospital: manifest written to ${values['bad-data-manifest']}`);
  }
}

const shutdown = (): void => {
  hospital.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
