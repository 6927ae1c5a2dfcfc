/**
 * The demo hospital in a process of its own, so a test can freeze it (SIGSTOP) as a hung
 * hospital network looks: connections are accepted by the kernel and nothing ever answers.
 * Prints its workstation config as one JSON line, then serves until SIGTERM.
 */
import { z } from 'zod';
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';

/** The parent's choice of demo hospital parts (argv[2], JSON): a ward census, no PACS. */
const options = z
  .object({ pacs: z.literal(false).optional(), wardCensus: z.boolean().optional() })
  .strict()
  .parse(JSON.parse(process.argv[2] ?? '{}'));
const hospital = await startDemoHospital(options);
process.stdout.write(`${JSON.stringify({ config: hospital.config })}\n`);
process.once('SIGTERM', () => {
  hospital.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
