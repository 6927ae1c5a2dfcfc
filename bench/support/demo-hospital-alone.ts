// The first-start bench's baseline: the demo hospital's systems as `npm start` starts them
// (scripts/start.ts's options), without the workstation, in a process of its own like the real start.
import { startDemoHospital } from '../../src/demo-hospital/start-demo-hospital.ts';

const hospital = await startDemoHospital({
  pacs: 'full',
  identityProvider: true,
  wardCensus: true,
  broker: true,
  onProgress: (line) => console.log(`huizhen: ${line}`),
});
const stop = () => void hospital.stop().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const notice of hospital.notices) console.log(`huizhen: ${notice}`);
console.log(`huizhen: demo hospital running — ${hospital.systems.map((s) => s.name).join(', ')}`);
