import { describe, expect, it } from 'vitest';
import type { LinkedOrder } from '../../../../../src/renderer/features/imaging/imaging-order-refs.ts';
import type { LinkedReport } from '../../../../../src/renderer/features/imaging/imaging-report-refs.ts';
import { reportOwnIndication } from '../../../../../src/renderer/features/imaging/report-indication.ts';

const report = (indication?: string[]): LinkedReport => ({
  entryId: 'dr1',
  matchedBy: ['study-uid'],
  title: '检查报告 胸部CT平扫',
  ...(indication ? { indication } : {}),
});
const order = (indication: string[]): LinkedOrder => ({
  entryId: 'sr1',
  matchedBy: ['report-based-on'],
  indication,
  clinicalInfo: [],
  sources: [{ sourceId: 'his', sourceName: 'HIS', sourceKind: 'hl7v2', nativeId: 'ORM-1' }],
});

describe('reportOwnIndication', () => {
  it('drops what an order above already says, and keeps the report’s own words in their order', () => {
    expect(reportOwnIndication(report(['肺结节待查', '主诉：咳嗽 2 周', '临床诊断：肺结节']), [order(['肺结节待查'])])).toEqual([
      '主诉：咳嗽 2 周',
      '临床诊断：肺结节',
    ]);
  });
  it('says nothing when every reason is the order’s, and everything when no order is shown', () => {
    expect(reportOwnIndication(report(['咳嗽 1 周']), [order(['咳嗽 1 周']), order(['发热'])])).toEqual([]);
    expect(reportOwnIndication(report(['咳嗽 1 周']), undefined)).toEqual(['咳嗽 1 周']);
    expect(reportOwnIndication(report(['咳嗽 1 周']), [])).toEqual(['咳嗽 1 周']);
    expect(reportOwnIndication(report(), [order(['咳嗽 1 周'])])).toEqual([]);
  });
});
