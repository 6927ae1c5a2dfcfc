/**
 * A synthetic LIS ORU^R01 for the demo's 张伟 (HIS MRN, as the inbound listener files it) whose
 * OBX-5 are ED attachments in the shapes senders write: a PDF (HL7 tables 0191/0291), a PNG image
 * (MIME) and an HTML page carrying a script and an event handler that must never run.
 */
import { deflateSync } from 'node:zlib';

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small RGB PNG: a grey field with a darker band, enough to see that it was drawn. */
export function syntheticPng(width = 96, height = 48): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const band = y > height / 3 && y < (2 * height) / 3;
      row.fill(band ? 0x60 : 0xd0, 1 + x * 3, 4 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ED_PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
export const ED_HTML =
  '<h2>外周血细胞形态学报告</h2><p>红细胞形态大致正常。</p>' +
  '<script>window.__pwned = "ed"</script><img src="x" onerror="window.__pwned = \'img\'"><p onclick="window.__pwned = 1">未见异常细胞。</p>';

/** The ORU^R01: one report, three ED results (PDF, PNG, HTML), each its own DocumentReference. */
export function edResultMessage(mrn: string, controlId = 'LISED0001'): string {
  const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
  return [
    `MSH|^~\\&|LIS|DEMO-HOSPITAL|HUIZHEN|WARD|20261207093000+0800||ORU^R01^ORU_R01|${controlId}|P|2.5.1|||AL|NE|CHN|UNICODE UTF-8`,
    `PID|1||${mrn}^^^HIS^MR||张^伟^^^^^L^I||19680312|M`,
    'OBR|1|ORD-ED-1^HIS|LAB-ED-1^LIS|MORPH^外周血细胞形态学^L|||20261207080000+0800|||||||||||||||20261207090000+0800||HM|F',
    `OBX|1|ED|MORPH-PDF^形态学报告单^L||LIS^AP^PDF^Base64^${b64(ED_PDF)}||||||F|||20261207090000+0800`,
    `OBX|2|ED|MORPH-IMG^血涂片图像^L||^image^png^Base64^${b64(syntheticPng())}||||||F|||20261207090000+0800`,
    `OBX|3|ED|MORPH-HTML^形态学描述^L||^TEXT^HTML^Base64^${b64(ED_HTML)}||||||F|||20261207090000+0800`,
    '',
  ].join('\r');
}
