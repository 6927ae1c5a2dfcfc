/**
 * The demo HIS's imaging order for 张伟 (synthetic): the prior chest CT as the ward ordered it, an
 * HL7 v2 ORM^O01 pushed over MLLP to a workstation's inbound listener — OBR-31 Reason for Study,
 * OBR-13 Relevant Clinical Information, OBR-16 the ordering doctor, OBR-18 the accession number
 * the PACS's study carries. The viewer shows it above the prior's report, named as the HIS's.
 */
import { DEMO_PRIOR_CT } from '../synthetic/dicom-uid.ts';
import { HIS_DEMO_MRN } from '../hl7v2-common/demo-identities.ts';
import { HIS_APPLICATION, HIS_FACILITY } from './his-mllp.ts';
import { pushHisMessages } from './his-orders.ts';

export const DEMO_PRIOR_CT_ORDER_REASON = '右下肺小结节待查';
export const DEMO_PRIOR_CT_ORDER_INFO = '体检胸片发现右下肺小结节影 1 周，无咳嗽咯血；吸烟 20 年';
export const DEMO_PRIOR_CT_ORDERED_BY = '李医生';

/** The fields of a segment by number, so none lands one separator off. */
function segment(name: string, fields: Readonly<Record<number, string>>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
}

/** The prior CT's order as the HIS sends it (v2.4, as many Chinese HIS still do). */
export function demoImagingOrders(): string[] {
  const date = DEMO_PRIOR_CT.date.replaceAll('-', '');
  return [
    [
      `MSH|^~\\&|${HIS_APPLICATION}|${HIS_FACILITY}|HUIZHEN|RAD|${date}090500+0800||ORM^O01|HISRAD0001|P|2.4|||AL|NE|CHN|UNICODE UTF-8`,
      `PID|1||${HIS_DEMO_MRN}^^^HIS^MR||张^伟||19680312|M`,
      `ORC|NW|RAD-${date}-01^HIS|${DEMO_PRIOR_CT.accession}^RIS||CM||||${date}090000+0800|||D1001^李^医生`,
      segment('OBR', {
        1: '1',
        2: `RAD-${date}-01^HIS`,
        3: `${DEMO_PRIOR_CT.accession}^RIS`,
        4: 'CT0201^胸部CT平扫^HIS',
        6: `${date}090000+0800`,
        13: DEMO_PRIOR_CT_ORDER_INFO,
        16: `D1001^李^医生`,
        18: DEMO_PRIOR_CT.accession,
        24: 'CT',
        31: `R91^${DEMO_PRIOR_CT_ORDER_REASON}^I10`,
      }),
      '',
    ].join('\r'),
  ];
}

/** Pushes the imaging orders (enhanced mode: CA once stored) and resolves with each MSA-1. */
export async function pushDemoImagingOrders(port: number, host = '127.0.0.1'): Promise<string[]> {
  return pushHisMessages(demoImagingOrders(), port, host);
}
