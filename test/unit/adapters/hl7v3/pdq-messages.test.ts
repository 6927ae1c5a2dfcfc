import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CdaError } from '../../../../src/adapters/cda/index.ts';
import { parseXml } from '../../../../src/adapters/xml/index.ts';
import { convertHl7v3ToBundle } from '../../../../src/adapters/hl7v3/convert-hl7v3.ts';
import { buildPdqQuery, criteriaFromText } from '../../../../src/adapters/hl7v3/pdq-query.ts';
import { readPdqResponse } from '../../../../src/adapters/hl7v3/pdq-response.ts';
import { buildEnvelope, faultXml, readEnvelope } from '../../../../src/adapters/hl7v3/soap-envelope.ts';
import type { Element } from '@xmldom/xmldom';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/hl7v3/${name}`, import.meta.url));
const roots = { patientIdRoot: '2.16.156.10011.0.99.1', residentIdRoot: '2.16.156.10011.1.3' };
const wrapper = {
  messageRoot: '1.2.3',
  messageId: 'm1',
  creationTime: new Date('2025-06-30T02:00:00Z'),
  senderDevice: '1.2.3',
  receiverDevice: '1.2.4',
};

describe('PDQv3 query building', () => {
  it('classifies typed text: 汉字 name, 身份证, MRN-like ids, dates, sex', () => {
    expect(criteriaFromText('张伟 1968-03-12 男', roots)).toEqual([{ name: { text: '张伟' }, birthDate: '1968-03-12', gender: 'male' }]);
    expect(criteriaFromText('11010119680312013x', roots)).toEqual([
      { identifier: { root: '2.16.156.10011.1.3', extension: '11010119680312013X' } },
    ]);
    expect(criteriaFromText('E100007919', roots)).toEqual([{ identifier: { root: '2.16.156.10011.0.99.1', extension: 'E100007919' } }]);
    expect(criteriaFromText('Wei Zhang', roots)).toEqual([{ name: { given: 'Wei', family: 'Zhang' } }]);
    expect(criteriaFromText('Johnnie679 Hermiston71', roots)).toContainEqual({ name: { text: 'Johnnie679 Hermiston71' } });
  });

  it('builds a PRPA_IN201305UV02 with the parameters, escaped, that parses back', () => {
    const xml = buildPdqQuery(wrapper, 'q1', {
      name: { text: '张<伟>&' },
      identifier: { root: '1.2.9', extension: 'A"1' },
      birthDate: '1968-03-12',
      gender: 'male',
    });
    const root = parseXml(xml).documentElement as Element;
    expect(root.localName).toBe('PRPA_IN201305UV02');
    expect(root.namespaceURI).toBe('urn:hl7-org:v3');
    expect(xml).toContain('<livingSubjectName><value>张&lt;伟&gt;&amp;</value>');
    expect(xml).toContain('<livingSubjectId><value root="1.2.9" extension="A&#34;1"/>');
    expect(xml).toContain('<livingSubjectBirthTime><value value="19680312"/>');
    expect(xml).toContain('<creationTime value="20250630100000+0800"/>');
  });
});

describe('PDQv3 response parsing (eHealth Suisse EPR sample, prefixed namespaces, SOAP 1.2)', () => {
  it('reads every identifier, name, gender, birth date and address', () => {
    const message = readEnvelope(fixture('ehealthsuisse-iti47-response.xml'));
    if (message.kind !== 'payload') throw new Error('expected a payload');
    expect(message.version).toBe('1.2');
    expect(message.action).toBe('urn:hl7-org:v3:PRPA_IN201306UV02');
    const answer = readPdqResponse(message.payload);
    expect(answer.acknowledgement.typeCode).toBe('AA');
    expect(answer.queryResponseCode).toBe('OK');
    expect(answer.patients).toHaveLength(1);
    const p = answer.patients[0]!.patient;
    expect(p.identifier).toEqual([
      {
        system: 'urn:oid:1.3.6.1.4.1.21367.2017.2.5.93',
        value: '25f98b34-0e01-48b7-a06c-f706eb4c485f',
        assigner: { display: 'XDS Affinity Domain' },
      },
      { system: 'urn:oid:2.16.756.5.30.1.127.3.10.3', value: '761337610411353650', assigner: { display: 'SPID' } },
    ]);
    expect(p).toMatchObject({
      gender: 'female',
      birthDate: '1989-06-22',
      name: [{ family: 'Dell', given: ['Dylan Jose'] }],
      address: [{ use: 'home', city: 'Pontarlier', postalCode: '25300', line: ['Ruelle de la Tour'] }],
    });
  });

  it('converts the sample for `huizhen convert hl7v3`', () => {
    const bundle = convertHl7v3ToBundle(fixture('ehealthsuisse-iti47-response.xml'));
    expect(bundle.type).toBe('collection');
    expect(bundle.entry?.[0]?.resource?.name?.[0]?.family).toBe('Dell');
    expect(convertHl7v3ToBundle(fixture('ehealthsuisse-iti47-response.xml'))).toEqual(bundle);
  });

  it('refuses the request sample: it is a query, not a response', () => {
    expect(() => convertHl7v3ToBundle(fixture('ehealthsuisse-iti47-request.xml'))).toThrow(
      expect.objectContaining({
        code: 'request-not-answer',
        message: expect.stringContaining('PRPA_IN201305UV02 is a PDQv3 query request, not an answer'),
      }),
    );
  });
});

describe('PDQv3 failures as typed errors', () => {
  const response = (ack: string, extra = ''): string =>
    `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"><id root="1"/><acknowledgement><typeCode code="${ack}"/><acknowledgementDetail><text>患者主索引服务不可用</text></acknowledgementDetail></acknowledgement>${extra}</PRPA_IN201306UV02>`;

  it('reads AE/AR acknowledgements with their detail, and refuses them in convert', () => {
    const answer = readPdqResponse(parseXml(response('AE')).documentElement as Element);
    expect(answer.acknowledgement).toMatchObject({ typeCode: 'AE', details: ['患者主索引服务不可用'] });
    expect(() => convertHl7v3ToBundle(response('AR'))).toThrow(/acknowledgement AR \(message rejected\): 患者主索引服务不可用/);
  });

  it('treats an AA answer without controlActProcess as a structural error', () => {
    expect(() => readPdqResponse(parseXml(response('AA')).documentElement as Element)).toThrow(CdaError);
  });

  it('reads SOAP 1.2 and 1.1 faults with their text', () => {
    const f12 = readEnvelope(
      buildEnvelope({
        version: '1.2',
        action: 'a',
        messageId: 'm',
        body: faultXml('1.2', { code: 'Receiver', reason: 'EMPI down', subcode: 'x:Busy' }),
      }),
    );
    expect(f12).toEqual({ kind: 'fault', fault: { version: '1.2', code: 'Receiver', subcode: 'Busy', reason: 'EMPI down' } });
    const f11 = readEnvelope(
      buildEnvelope({ version: '1.1', action: 'a', messageId: 'm', body: faultXml('1.1', { code: 'Sender', reason: 'bad query' }) }),
    );
    expect(f11).toEqual({ kind: 'fault', fault: { version: '1.1', code: 'Client', reason: 'bad query' } });
    expect(() =>
      convertHl7v3ToBundle(
        buildEnvelope({ version: '1.1', action: 'a', messageId: 'm', body: faultXml('1.1', { code: 'Sender', reason: 'bad query' }) }),
      ),
    ).toThrow(/fault Client: bad query/);
  });

  it('refuses non-SOAP answers and XXE in SOAP', () => {
    expect(() => readEnvelope('<html><body>502 Bad Gateway</body></html>')).toThrow(/expected a SOAP Envelope/);
    expect(() => readEnvelope('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')).toThrow(/DOCTYPE/);
  });
});
