import { describe, expect, it } from 'vitest';
import { endpointTemplate, errorClassOf, resafeErrorInfo, safeErrorInfo } from '../../../src/adapters/safe-error-info.ts';
import { SourceError } from '../../../src/adapters/source-error.ts';
import { statusError, transportError, timeoutError } from '../../../src/adapters/http/request-errors.ts';
import { SourceErrorInfoSchema } from '../../../src/shared/domain/source.ts';

/** A synthetic 身份证 number with a valid GB 11643 check digit (made up here, nobody's). */
function idCard(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
const ID_CARD = idCard('11010119900307417');
const ID_CARD_X = idCard('44030419851201002');
const NAME = '张三丰';
const PINYIN = 'ZhangSanfeng';
const MRN = 'MRN-0048213';
const FHIR_ID = 'pat-0001';
const UID = '1.2.826.0.1.3680043.8.498.12345678901234567890';
const HOSTILE = [ID_CARD, ID_CARD_X, NAME, PINYIN, MRN, FHIR_ID, UID, '0048213', '110101'];

const ctx = (request: string) => ({ sourceId: 'cdr', sourceName: 'CDR', request });
const leaks = (value: unknown) => HOSTILE.filter((s) => JSON.stringify(value).includes(s));

describe('endpoint templates', () => {
  it('keeps the structure of a request and replaces every id', () => {
    expect(endpointTemplate(`GET Patient/${FHIR_ID}`)).toBe('GET Patient/{id}');
    expect(endpointTemplate(`GET Patient/${FHIR_ID}/$everything`)).toBe('GET Patient/{id}/$everything');
    expect(endpointTemplate(`GET Observation/${FHIR_ID}/_history/3`)).toBe('GET Observation/{id}/_history/{id}');
    expect(endpointTemplate(`GET Patient/${FHIR_ID}/Observation`)).toBe('GET Patient/{id}/Observation');
    expect(endpointTemplate('GET Observation')).toBe('GET Observation');
    expect(endpointTemplate(`QIDO-RS GET studies/${UID}/series`)).toBe('QIDO-RS GET studies/{uid}/series');
    expect(endpointTemplate(`WADO-RS GET studies/${UID}/series/${UID}/instances/${UID}/frames`)).toBe(
      'WADO-RS GET studies/{uid}/series/{uid}/instances/{uid}/frames',
    );
    expect(endpointTemplate('PDQv3 PRPA_IN201305UV02')).toBe('PDQv3 PRPA_IN201305UV02');
    expect(endpointTemplate('QBP^Q22^QBP_Q21')).toBe('QBP^Q22^QBP_Q21');
    expect(endpointTemplate('QRY^A19')).toBe('QRY^A19');
    expect(endpointTemplate(undefined)).toBeUndefined();
  });

  it('drops query strings and never keeps a name, a 身份证, an MRN or a document id, wherever they stand', () => {
    const hostile = [
      `GET Patient?identifier=urn:oid:2.16.156.10011.1.3|${ID_CARD}&name=${NAME}`,
      `GET Patient/${ID_CARD}`,
      `GET Patient/${NAME}/$everything`,
      `GET ${PINYIN}/Patient`,
      `GET Patient/${PINYIN}`,
      `GET fhir/${MRN}/Observation?subject=Patient/${FHIR_ID}#${ID_CARD_X}`,
      `CDA ${ID_CARD_X}`,
      `document retrieve ${MRN}`,
      `PDQv3 ${NAME}^${ID_CARD}`,
      `${NAME} ${PINYIN} ${MRN}`,
      `QRY^A19 ${MRN}`,
      `GET Patient/${encodeURIComponent(NAME)}`,
    ];
    for (const request of hostile) {
      const template = endpointTemplate(request);
      expect(leaks(template), `${request} → ${template}`).toEqual([]);
      expect(template).not.toContain('?');
    }
    expect(endpointTemplate(`GET Patient?identifier=${ID_CARD}`)).toBe('GET Patient');
    expect(endpointTemplate(`GET ${PINYIN}/Patient`)).toBe('GET {id}/Patient');
    expect(endpointTemplate(`CDA ${ID_CARD_X}`)).toBe('CDA {id}');
  });
});

describe('safe failure info', () => {
  it('an OperationOutcome echoing the query reaches nobody: code, status and endpoint template only', () => {
    const error = statusError(
      ctx(`GET Patient/${FHIR_ID}/$everything`),
      404,
      'Not Found',
      `Patient with identifier ${ID_CARD} (${NAME}, ${MRN}) is not known`,
    );
    expect(error.message).toContain(ID_CARD); // the adapter's own log keeps it; nothing beyond does
    const info = error.toInfo();
    expect(info).toEqual({
      code: 'not-found',
      status: 404,
      endpoint: 'GET Patient/{id}/$everything',
      message: 'not-found HTTP 404 at GET Patient/{id}/$everything',
    });
    expect(SourceErrorInfoSchema.parse(info)).toEqual(info);
    expect(leaks(info)).toEqual([]);
  });

  it('an HL7 error answer naming the patient, and an HL7 v3 "not known" with the id, keep their codes only', () => {
    const ack = new SourceError('bad-request', 'lis', `LIS: AE: QRY^A19: ERR|^^^204&Unknown key identifier ${MRN} ${NAME}`, {
      request: 'QRY^A19',
    });
    expect(ack.toInfo()).toEqual({ code: 'bad-request', message: 'bad-request at QRY^A19', endpoint: 'QRY^A19' });
    const v3 = new SourceError('not-found', 'emr', `EMR: patient 2.16.156.10011.1.3^${ID_CARD_X} is not known to the platform`);
    expect(v3.toInfo()).toEqual({ code: 'not-found', message: 'not-found' });
  });

  it('timeouts keep their wait, network failures their errno, and a raw cause says no more than its class', () => {
    const timedOut = timeoutError(ctx(`GET Patient/${FHIR_ID}`), 4000).toInfo();
    expect(timedOut).toMatchObject({ code: 'timeout', timeoutMs: 4000, endpoint: 'GET Patient/{id}' });
    const refused = Object.assign(new Error(`connect ECONNREFUSED for ${ID_CARD}`), { code: 'ECONNREFUSED' });
    const unreachable = transportError(
      ctx(`GET Patient?identifier=${ID_CARD}`),
      new TypeError('fetch failed', { cause: refused }),
      new AbortController().signal,
      new AbortController().signal,
      4000,
    ).toInfo();
    expect(unreachable).toMatchObject({ code: 'unreachable', endpoint: 'GET Patient', errorClass: 'ECONNREFUSED' });
    expect(leaks(unreachable)).toEqual([]);
    expect(errorClassOf(new Error('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(errorClassOf(new Error(`ECONNREFUSED ${ID_CARD}`))).toBeUndefined();
    expect(errorClassOf(new SyntaxError(`Unexpected token in ${NAME}`))).toBe('SyntaxError');
    expect(errorClassOf(new Error(NAME))).toBeUndefined();
    expect(errorClassOf(Object.assign(new Error('x'), { name: `${PINYIN} Error` }))).toBeUndefined();
  });

  it('rebuilds an info made elsewhere from its parameters: its free text and any id in its endpoint are gone, a template stays', () => {
    const made = {
      code: 'bad-request' as const,
      message: `${NAME} ${ID_CARD} was refused`,
      status: 400,
      endpoint: `GET Patient/${FHIR_ID}?identifier=${ID_CARD}`,
      errorClass: `${PINYIN} (${MRN})`,
    };
    const again = resafeErrorInfo(made);
    expect(again).toEqual({
      code: 'bad-request',
      status: 400,
      endpoint: 'GET Patient/{id}',
      message: 'bad-request HTTP 400 at GET Patient/{id}',
    });
    expect(resafeErrorInfo(again)).toEqual(again);
    const uid = resafeErrorInfo({
      code: 'unreachable',
      message: '',
      endpoint: 'QIDO-RS GET studies/{uid}/series',
      errorClass: 'ECONNREFUSED',
    });
    expect(uid).toMatchObject({ endpoint: 'QIDO-RS GET studies/{uid}/series', errorClass: 'ECONNREFUSED' });
  });

  it('builds the same from bare facts', () => {
    expect(safeErrorInfo({ code: 'server-error', status: 503, request: `GET Encounter?patient=${FHIR_ID}` })).toEqual({
      code: 'server-error',
      status: 503,
      endpoint: 'GET Encounter',
      message: 'server-error HTTP 503 at GET Encounter',
    });
  });
});
