/**
 * The demo hospital in a process of its own, so a test can freeze it (SIGSTOP) as a hung
 * hospital network looks: connections are accepted by the kernel and nothing ever answers.
 * Prints its workstation config as one JSON line, then serves until SIGTERM.
 */
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';

const hospital = await startDemoHospital();
process.stdout.write(`${JSON.stringify({ config: hospital.config })}\n`);
process.once('SIGTERM', () => {
  hospital.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
