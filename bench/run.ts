// npm run bench: figures for the workstation's hot paths, each against a baseline measured in
// the same run (absolute times differ between machines; ratios travel).
import { formatFigure, type BenchSuite } from './measure.ts';
import { fanOutLatency } from './suites/fan-out.ts';
import { timelineBuild } from './suites/timeline-build.ts';
import { cacheThroughput } from './suites/cache.ts';
import { dicomwebRecord } from './suites/dicomweb-record.ts';
import { dicomwebProxy } from './suites/dicomweb-proxy.ts';
import { hl7v2Throughput } from './suites/hl7v2-throughput.ts';
import { cdaParse } from './suites/cda-parse.ts';
import { identityLinking } from './suites/identity.ts';
import { fhirRecordFetch } from './suites/fhir-record.ts';
import { cachedOpen } from './suites/cached-open.ts';
import { viewerFigures } from './suites/viewer.ts';
import { pixelCorrectness } from './suites/pixel-correctness.ts';
import { viewerCompareFigures } from './suites/viewer-compare.ts';
import { rendererFigures } from './suites/renderer.ts';
import { inboundPush } from './suites/inbound-push.ts';
import { worklistFigures } from './suites/worklist.ts';
import { brokerEvents } from './suites/broker.ts';
import { alertsReconcile } from './suites/alerts-reconcile.ts';
import { outageFigures } from './suites/outage.ts';
import { dataQuality } from './suites/data-quality.ts';
import { adminConsoleFigures } from './suites/admin-console.ts';
import { adminInsightFigures } from './suites/admin-insight.ts';
import { firstStart } from './suites/first-start.ts';
import { imagingOrder } from './suites/imaging-order.ts';

const suites: BenchSuite[] = [
  timelineBuild,
  dataQuality,
  fanOutLatency,
  identityLinking,
  fhirRecordFetch,
  hl7v2Throughput,
  inboundPush,
  brokerEvents,
  cdaParse,
  cacheThroughput,
  dicomwebRecord,
  dicomwebProxy,
  cachedOpen,
  outageFigures,
  viewerFigures,
  pixelCorrectness,
  viewerCompareFigures,
  rendererFigures,
  alertsReconcile,
  worklistFigures,
  adminConsoleFigures,
  adminInsightFigures,
  firstStart,
  imagingOrder,
];
const only = process.argv[2];
console.log(`Huizhen benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
for (const suite of suites) {
  if (only && !suite.name.includes(only)) continue;
  console.log(`\n${suite.name}`);
  for (const figure of await suite.run()) console.log(formatFigure(figure));
}
