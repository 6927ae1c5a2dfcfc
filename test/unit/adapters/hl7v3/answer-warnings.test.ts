import { readFileSync } from 'node:fs';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { answerWarnings, cleanDetailCode } from '../../../../src/adapters/hl7v3/answer-warnings.ts';
import { readDocumentList } from '../../../../src/adapters/hl7v3/document-messages.ts';
import { readPdqResponse } from '../../../../src/adapters/hl7v3/pdq-response.ts';
import { acknowledgementXml, readAcknowledgement, wrapMessage } from '../../../../src/adapters/hl7v3/transmission-wrapper.ts';
import { parseXml } from '../../../../src/adapters/xml/index.ts';
import { answerWarningTotal, sumAnswerWarnings } from '../../../../src/shared/domain/answer-warnings.ts';
import { AnswerWarningSchema } from '../../../../src/shared/domain/source.ts';

const root = (xml: string | Buffer): Element => parseXml(xml).documentElement as Element;
const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/hl7v3/${name}`, import.meta.url));
const realWorld = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/real-world/hl7v3/${name}`, import.meta.url));

describe('an accepted PDQv3 answer that is not whole', () => {
  it('互联互通 attribute style: the W detail, the patient without a person and the unreadable birth time are counted, by code', () => {
    const answer = readPdqResponse(root(fixture('synthetic/cn-pdq-answer-AA-warning-attribute.xml')));
    expect(answer.acknowledgement.typeCode).toBe('AA');
    expect(answer.patients).toHaveLength(2);
    expect(answer.warnings.map((w) => w.code)).toEqual(['record-skipped', 'value-left-out']);
    const warnings = answerWarnings(answer.acknowledgement, answer.warnings);
    expect(warnings).toEqual([
      { code: 'platform-warning', count: 1, detailCode: 'RESULT-TRUNCATED' },
      { code: 'record-skipped', count: 1 },
      { code: 'value-left-out', count: 1 },
    ]);
    for (const w of warnings) expect(AnswerWarningSchema.parse(w)).toEqual(w);
    // The platform's words stay in the adapter: they may quote the query back.
    expect(JSON.stringify(warnings)).not.toContain('院区');
  });

  it('normative element style, "nothing found" with a warning: an empty answer that is not a clean "no match"', () => {
    const answer = readPdqResponse(root(fixture('synthetic/cn-pdq-answer-AA-warning-nf-element.xml')));
    expect(answer.queryResponseCode).toBe('NF');
    expect(answerWarnings(answer.acknowledgement, answer.warnings)).toEqual([
      { code: 'platform-warning', count: 1, detailCode: 'NOSTORE' },
    ]);
  });

  it('an I (information) detail is no warning; a clean public AA answer has none', () => {
    const info = readAcknowledgement(
      root(
        `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><acknowledgement typeCode="AA"><acknowledgementDetail typeCode="I"><text value="查询成功"/></acknowledgementDetail></acknowledgement></PRPA_IN201306UV02>`,
      ),
    );
    expect(answerWarnings(info)).toEqual([]);
    for (const name of ['ipf-pdq-response-prpa-in201306uv02.xml', 'ipf-pdq-empty-response-prpa-in201306uv02.xml']) {
      const answer = readPdqResponse(root(realWorld(name)));
      expect(answerWarnings(answer.acknowledgement, answer.warnings), name).toEqual([]);
    }
  });

  it('an AE/AR answer carries no warnings: it is a failure, worded as one', () => {
    const ae = readPdqResponse(root(realWorld('hcmi-prpa-in201306uv02-ae-query-failed.xml')));
    expect(answerWarnings(ae.acknowledgement, ae.warnings)).toEqual([]);
  });

  it('E on an accepted answer counts as the platform warning; a detail code that is not a plain code is dropped, not shown', () => {
    const ack = readAcknowledgement(
      root(
        `<MCCI_IN000002UV01 xmlns="urn:hl7-org:v3"><acknowledgement><typeCode code="CA"/>` +
          `<acknowledgementDetail typeCode="E"><code code="&lt;img src=x onerror=alert(1)&gt;"/><text>患者 张伟 的地址未保存</text></acknowledgementDetail>` +
          `<acknowledgementDetail typeCode="W"><code code="W\u202e001"/></acknowledgementDetail>` +
          `</acknowledgement></MCCI_IN000002UV01>`,
      ),
    );
    expect(ack.typeCode).toBe('AA');
    expect(answerWarnings(ack)).toEqual([{ code: 'platform-warning', count: 2 }]);
    expect(cleanDetailCode(' INTERR ')).toBe('INTERR');
    expect(cleanDetailCode('x'.repeat(41))).toBeUndefined();
  });

  it('the demo platform writes a W detail as it reads: code kept, typeCode W', () => {
    const xml = wrapMessage(
      {
        interaction: 'PRPA_IN201306UV02',
        messageRoot: '1',
        messageId: 'm',
        creationTime: new Date(0),
        senderDevice: '1',
        receiverDevice: '2',
      },
      '<controlActProcess/>',
      {
        typeCode: 'AA',
        targetMessage: { root: '1' },
        detail: { code: 'NOSTORE', text: '部分结果未返回', typeCode: 'W' },
        style: 'attribute',
      },
    );
    expect(xml).toContain('<acknowledgementDetail typeCode="W">');
    expect(answerWarnings(readAcknowledgement(root(xml)))).toEqual([{ code: 'platform-warning', count: 1, detailCode: 'NOSTORE' }]);
    expect(acknowledgementXml({ typeCode: 'AE', targetMessage: { root: '1' }, detail: { text: 'x' } })).toContain('typeCode="E"');
  });
});

describe('a document list with a document the reader must skip', () => {
  it('counts it as a skipped record beside the platform warning', () => {
    const xml =
      `<QueryDocumentListResponse xmlns="urn:hl7-org:v3"><acknowledgement typeCode="AA"><acknowledgementDetail typeCode="W"><code code="PARTIAL"/></acknowledgementDetail></acknowledgement>` +
      `<controlActProcess><subject><document><id root="1.2" extension="D1"/></document></subject><subject><document><title>出院小结</title></document></subject>` +
      `<queryAck><queryResponseCode code="OK"/></queryAck></controlActProcess></QueryDocumentListResponse>`;
    const list = readDocumentList(root(xml));
    expect(list.documents).toHaveLength(1);
    expect(answerWarnings(list.acknowledgement, list.skipped)).toEqual([
      { code: 'platform-warning', count: 1, detailCode: 'PARTIAL' },
      { code: 'record-skipped', count: 1 },
    ]);
  });
});

describe('warnings summed over one call', () => {
  it('by code and detail code; past the kept rows a warning is counted under its code, never lost', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ code: 'platform-warning' as const, count: 1, detailCode: `C${i}` }));
    const summed = sumAnswerWarnings(many, [{ code: 'record-skipped', count: 2 }], [{ code: 'record-skipped', count: 3 }]);
    expect(answerWarningTotal(summed)).toBe(45);
    expect(summed.length).toBeLessThanOrEqual(20);
    expect(summed.find((w) => w.code === 'record-skipped')).toEqual({ code: 'record-skipped', count: 5 });
  });
});
