/**
 * The demo HIS's pharmacy interface: HL7 v2 RDE^O11 orders for 张伟 (synthetic), pushed over MLLP
 * to a workstation's inbound listener. Atorvastatin 20 mg is what the CDR orders and the EMR's
 * 出院小结 repeats, so the medication list shows one line with three systems; amlodipine comes as
 * a discontinue (ORC-1 DC) while the CDR still holds it active — a conflict the doctor must see.
 * The HIS offers no query for a patient's orders (HL7 v2 has no normative one): it pushes only.
 */
import { connect } from 'node:net';
import { frameMllp, MllpDecoder } from '../../adapters/hl7v2/mllp-framing.ts';
import { HIS_DEMO_MRN } from '../hl7v2-common/demo-identities.ts';
import { HIS_APPLICATION, HIS_FACILITY } from './his-mllp.ts';

interface OrderLine {
  controlId: string;
  control: 'NW' | 'DC';
  filler: string;
  /** CWE: the HIS formulary code, its name, the coding system ("HIS" = local). */
  drug: string;
  dose: string;
  /** TQ1-3 repeat pattern. */
  pattern: string;
}

const ORDERS: readonly OrderLine[] = [
  {
    controlId: 'HISRX0001',
    control: 'NW',
    filler: 'RX-20261206-01',
    drug: 'Y0101^阿托伐他汀钙片 20mg^HIS',
    dose: '20',
    pattern: 'QN^每晚一次^HL70335',
  },
  {
    controlId: 'HISRX0002',
    control: 'DC',
    filler: 'RX-20261206-02',
    drug: 'Y0102^苯磺酸氨氯地平片 5mg^HIS',
    dose: '5',
    pattern: 'QD^每日一次^HL70335',
  },
];

function rdeO11(o: OrderLine): string {
  return [
    `MSH|^~\\&|${HIS_APPLICATION}|${HIS_FACILITY}|HUIZHEN|WARD|20261207083000+0800||RDE^O11^RDE_O11|${o.controlId}|P|2.5.1|||AL|NE|CHN|UNICODE UTF-8`,
    `PID|1||${HIS_DEMO_MRN}^^^HIS^MR||张^伟^^^^^L^I||19680312|M`,
    `ORC|${o.control}|P-${o.filler}^HIS|${o.filler}^PHARM||${o.control === 'DC' ? 'DC' : 'IP'}||||20261206090000+0800`,
    `TQ1|1||${o.pattern}`,
    `RXE||${o.drug}|${o.dose}||mg^mg^UCUM|TAB^片^HL70292`,
    'RXR|PO^口服^HL70162',
    '',
  ].join('\r');
}

/** The demo's pharmacy orders as the HIS sends them. */
export function demoPharmacyOrders(): string[] {
  return ORDERS.map(rdeO11);
}

/** Sends each order over one MLLP connection and resolves with each acknowledgement's MSA-1 (MSH-15 AL asks for enhanced mode: CA once stored). */
export async function pushDemoPharmacyOrders(port: number, host = '127.0.0.1'): Promise<string[]> {
  return pushHisMessages(demoPharmacyOrders(), port, host);
}

/** The HIS's push: each message over one MLLP connection, one at a time, each acknowledgement's MSA-1 in order. */
export async function pushHisMessages(messages: readonly string[], port: number, host = '127.0.0.1'): Promise<string[]> {
  const socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // A listener that never answers must not hold the demo: no acknowledgement in 30 s is a failure.
  socket.setTimeout(30_000, () => socket.destroy(new Error('no acknowledgement')));
  const decoder = new MllpDecoder();
  const acks: ((frame: Uint8Array) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) acks.shift()?.(frame);
  });
  try {
    const codes: string[] = [];
    for (const message of messages) {
      const ack = new Promise<Uint8Array>((resolve, reject) => {
        acks.push(resolve);
        socket.once('error', reject);
      });
      socket.write(frameMllp(new TextEncoder().encode(message)));
      const text = new TextDecoder().decode(await ack);
      const msa = text.split(/\r\n?|\n/).find((s) => s.startsWith('MSA|'));
      codes.push(msa?.split('|')[1] ?? '');
    }
    return codes;
  } finally {
    socket.end();
  }
}
