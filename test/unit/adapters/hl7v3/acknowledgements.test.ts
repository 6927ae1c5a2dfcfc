import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/adapters/xml/index.ts';
import { answerFailure, describeFailure } from '../../../../src/adapters/hl7v3/answer-status.ts';
import { convertHl7v3ToBundle } from '../../../../src/adapters/hl7v3/convert-hl7v3.ts';
import { hl7v3MessageIn } from '../../../../src/adapters/hl7v3/message-payload.ts';
import { readAcknowledgement } from '../../../../src/adapters/hl7v3/transmission-wrapper.ts';

const root = (xml: string): Element => parseXml(xml).documentElement as Element;
const TEXT = '患者主索引服务不可用';

/** One acknowledgement in each spelling platforms use. */
const ACKS = {
  'element typeCode, text content': `<acknowledgement><typeCode code="AE"/><acknowledgementDetail><text>${TEXT}</text></acknowledgementDetail></acknowledgement>`,
  'attribute typeCode, text content': `<acknowledgement typeCode="AE"><acknowledgementDetail><text>${TEXT}</text></acknowledgementDetail></acknowledgement>`,
  'attribute typeCode, text/@value (ISO ST)': `<acknowledgement typeCode="AE"><acknowledgementDetail typeCode="E"><text value="${TEXT}"/></acknowledgementDetail></acknowledgement>`,
  'element typeCode, reason only in code/@displayName': `<acknowledgement><typeCode code="AE"/><acknowledgementDetail><code code="SYN" displayName="${TEXT}"/></acknowledgementDetail></acknowledgement>`,
  'commit-level CE, lower case': `<acknowledgement typeCode="ce"><acknowledgementDetail><text>${TEXT}</text></acknowledgementDetail></acknowledgement>`,
};

const inDefaultNs = (ack: string): string =>
  `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><id root="1"/>${ack}<controlActProcess/></PRPA_IN201306UV02>`;
const inPrefixedNs = (ack: string): string =>
  `<v3:PRPA_IN201306UV02 xmlns:v3="urn:hl7-org:v3"><v3:id root="1"/>${ack.replace(/<(\/?)(?=[a-zA-Z])/g, '<$1v3:')}<v3:controlActProcess/></v3:PRPA_IN201306UV02>`;
const inControlAct = (ack: string): string =>
  `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><id root="1"/><controlActProcess>${ack}</controlActProcess></PRPA_IN201306UV02>`;

describe.each(Object.entries(ACKS))('acknowledgement written as %s', (_label, ack) => {
  it.each([
    ['default namespace', inDefaultNs],
    ['prefixed namespace', inPrefixedNs],
    ['inside controlActProcess', inControlAct],
  ])('%s: read as AE with the platform text, and convert refuses it as an error answer', (_where, wrap) => {
    const xml = wrap(ack);
    expect(readAcknowledgement(root(xml))).toMatchObject({ typeCode: 'AE', details: [TEXT] });
    expect(() => convertHl7v3ToBundle(xml)).toThrow(
      expect.objectContaining({ code: 'error-answer', message: expect.stringContaining(TEXT) }),
    );
  });
});

describe('answer status', () => {
  it('AA with queryAck NF is an empty answer; queryAck AE and QE are failures', () => {
    expect(answerFailure({ typeCode: 'AA', details: [] }, 'NF')).toBeUndefined();
    expect(answerFailure({ typeCode: 'AA', details: [] }, 'OK')).toBeUndefined();
    expect(answerFailure({ details: [] }, 'AE')).toMatchObject({ kind: 'query-error', sourceErrorCode: 'server-error' });
    expect(answerFailure({ details: ['出生日期格式错误'] }, 'QE')).toMatchObject({
      kind: 'query-parameter-error',
      sourceErrorCode: 'bad-request',
    });
    expect(describeFailure(answerFailure({ details: ['出生日期格式错误'] }, 'qe')!)).toBe(
      'query response QE (query parameter error): 出生日期格式错误',
    );
  });

  it('AR is a refused request, an unknown type a protocol error, the worst of several acks speaks', () => {
    expect(answerFailure({ typeCode: 'AR', details: [] }, undefined)).toMatchObject({ kind: 'rejected', sourceErrorCode: 'bad-request' });
    expect(answerFailure({ typeCode: 'XX', details: [] }, undefined)).toMatchObject({
      kind: 'unknown-acknowledgement',
      sourceErrorCode: 'protocol',
    });
    const two =
      '<acknowledgement typeCode="AA"/><acknowledgement typeCode="AR"><acknowledgementDetail><text value="第二条被拒"/></acknowledgementDetail></acknowledgement>';
    expect(readAcknowledgement(root(inDefaultNs(two)))).toMatchObject({ typeCode: 'AR', details: ['第二条被拒'] });
  });

  it('IHE detectedIssueEvent (e.g. PDQv3 unknown domain) adds its reason', () => {
    const xml =
      '<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><acknowledgement><typeCode code="AE"/></acknowledgement><controlActProcess>' +
      '<reasonOf typeCode="RSON"><detectedIssueEvent classCode="ALRT" moodCode="EVN"><code code="ActAdministrativeDetectedIssueCode" codeSystem="2.16.840.1.113883.5.4"/>' +
      '<triggerFor typeCode="TRIG"><actOrderRequired classCode="ACT" moodCode="RQO"><code code="UnknownDomain" codeSystem="1.3.6.1.4.1.19376.1.2.27.1"/></actOrderRequired></triggerFor>' +
      '</detectedIssueEvent></reasonOf><queryAck><queryResponseCode code="AE"/></queryAck></controlActProcess></PRPA_IN201306UV02>';
    expect(readAcknowledgement(root(xml))).toMatchObject({
      typeCode: 'AE',
      details: ['ActAdministrativeDetectedIssueCode: UnknownDomain'],
    });
  });

  it('queryAck AE under an AA acknowledgement still refuses convert', () => {
    const xml =
      '<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><acknowledgement typeCode="AA"/><controlActProcess><queryAck><queryResponseCode code="AE"/></queryAck></controlActProcess></PRPA_IN201306UV02>';
    expect(() => convertHl7v3ToBundle(xml)).toThrow(
      expect.objectContaining({ code: 'error-answer', message: expect.stringContaining('query response AE') }),
    );
  });
});

describe('the message inside a platform operation wrapper (HIPMessageServer style)', () => {
  const message = inDefaultNs(ACKS['attribute typeCode, text/@value (ISO ST)']);
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  it('finds it as escaped text in a …Result element, and as a child element', () => {
    const asText = root(
      `<HIPMessageServerResponse xmlns="http://goodwillcis.com"><HIPMessageServerResult>${escaped}</HIPMessageServerResult></HIPMessageServerResponse>`,
    );
    expect(hl7v3MessageIn(asText).localName).toBe('PRPA_IN201306UV02');
    const asElement = root(`<HIPMessageServerResponse xmlns="http://esb.example"><return>${message}</return></HIPMessageServerResponse>`);
    expect(hl7v3MessageIn(asElement).localName).toBe('PRPA_IN201306UV02');
  });

  it('finds it in a CDATA section too', () => {
    const cdata = root(`<R xmlns="http://esb.example"><Result><![CDATA[${message}]]></Result></R>`);
    expect(hl7v3MessageIn(cdata).localName).toBe('PRPA_IN201306UV02');
  });

  it('convert reads the SOAP 1.1 answer through the wrapper and refuses the AE with its text', () => {
    const soap = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><HIPMessageServerResponse xmlns="http://goodwillcis.com"><HIPMessageServerResult>${escaped}</HIPMessageServerResult></HIPMessageServerResponse></s:Body></s:Envelope>`;
    expect(() => convertHl7v3ToBundle(soap)).toThrow(
      expect.objectContaining({ code: 'error-answer', message: expect.stringContaining(TEXT) }),
    );
  });

  it('escaped XML with a DOCTYPE is refused like any other XML', () => {
    const evil = '&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM "file:///etc/passwd"&gt;]&gt;&lt;x&gt;&amp;e;&lt;/x&gt;';
    expect(() => hl7v3MessageIn(root(`<R xmlns="http://esb.example"><Result>${evil}</Result></R>`))).toThrow(/DOCTYPE/);
  });
});
