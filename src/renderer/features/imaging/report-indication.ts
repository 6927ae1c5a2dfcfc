import type { LinkedOrder } from './imaging-order-refs.ts';
import type { LinkedReport } from './imaging-report-refs.ts';

/**
 * What a report says of why the study was done that the order above it does not already say:
 * the order's reason, which the report link also reads, is shown once, under the order; a CDA
 * 检查报告's own 主诉 or clinical diagnosis stays with the report that wrote it.
 */
export function reportOwnIndication(report: LinkedReport, orders: readonly LinkedOrder[] | undefined): string[] {
  const said = new Set((orders ?? []).flatMap((o) => o.indication));
  return (report.indication ?? []).filter((text) => !said.has(text));
}
