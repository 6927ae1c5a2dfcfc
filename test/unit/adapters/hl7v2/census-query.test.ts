import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../src/adapters/hl7v2/index.ts';
import { askCensus, inpatientsOf } from '../../../../src/adapters/hl7v2/census-query.ts';
import { buildCensusQuery, type Hl7Endpoint } from '../../../../src/adapters/hl7v2/queries.ts';
import { SourceError } from '../../../../src/adapters/source-error.ts';
import { Hl7v2SourceConfigSchema } from '../../../../src/shared/config/sources/hl7v2.ts';

const endpoint: Hl7Endpoint = {
  sendingApplication: 'HUIZHEN',
  sendingFacility: 'WARD',
  receivingApplication: 'HIS',
  receivingFacility: 'HOSP',
  version: '2.5',
  charset: 'utf-8',
};
const config = Hl7v2SourceConfigSchema.parse({
  id: 'his',
  name: 'HIS',
  kind: 'hl7v2',
  host: '127.0.0.1',
  port: 2575,
  receivingApplication: 'HIS',
  services: ['census'],
  patientIdAuthority: 'HIS',
});
const header = 'MSH|^~\\&|HIS|HOSP|HUIZHEN|WARD|20261207080000||RSP^ZV2^RSP_ZV2|R1|P|2.5\rMSA|AA|Q1';
const answer = (body: string[], qak = 'QAK|Q1|OK|IHE PDQ Query|2|2|0') =>
  parseHl7Message([header, qak, 'QPD|IHE PDQ Query|Q1|@PV1.3.1^CARD-1', ...body].join('\r'));

describe('IHE ITI-22 census query (QBP^ZV1)', () => {
  it('asks by ward or attending, inpatients only, with the limit in RCP-2', () => {
    const byWard = buildCensusQuery(endpoint, { ward: 'CARD-1' }, 500, new Date('2026-12-07T00:00:00Z')).text.split('\r');
    expect(byWard[0]).toContain('|QBP^ZV1^QBP_Q21|');
    expect(byWard[1]).toMatch(/^QPD\|IHE PDQ Query\|Q\w+\|@PV1\.3\.1\^CARD-1~@PV1\.2\^I$/);
    expect(byWard[2]).toBe('RCP|I|500^RD');
    const byDoctor = buildCensusQuery(endpoint, { attending: 'D1001' }, 50).text.split('\r');
    expect(byDoctor[1]).toContain('|@PV1.7.1^D1001~@PV1.2^I');
  });

  it('splits RSP^ZV2 into patients: the own id of the configured authority, the PV1, PV2 and any DG1/AL1 of the group', () => {
    const found = inpatientsOf(
      answer([
        'PID|1||110101195001011234^^^CN-RID^NNCHN~H1^^^HIS^MR||王^小明',
        'PV1|1|I|CARD-1^01^03',
        'PV2|||I21.9^急性心肌梗死^I10',
        'PID|2||H2^^^HIS^MR||李^四',
        'PV1|2|I|CARD-1^02^04',
        'AL1|1|DA|^青霉素',
      ]),
      config,
    );
    expect(found.map((p) => [p.sourcePatientId, p.pv1.get(3, 3), p.pv2?.get(3, 2) ?? '', p.al1.length])).toEqual([
      ['H1', '03', '急性心肌梗死', 0],
      ['H2', '04', '', 1],
    ]);
  });

  it('refuses an answer that cannot say where someone lies: a PID without its PV1, or without an id of the authority', () => {
    for (const body of [
      ['PID|1||H1^^^HIS^MR'],
      ['PID|1||H1^^^HIS^MR', 'PID|2||H2^^^HIS^MR', 'PV1|2|I|CARD-1'],
      ['PID|1||X1^^^LIS^MR', 'PV1|1|I|CARD-1'],
    ]) {
      const error = (() => {
        try {
          inpatientsOf(answer(body), config);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('protocol');
    }
  });

  it('one query per ward and one for the attending; a patient in two answers counts once; hits remaining make the answer partial', async () => {
    const asked: string[] = [];
    const whole = await askCensus(
      {
        config,
        endpoint,
        ask: async (request) => {
          asked.push(request.text.split('\r')[1]!.split('|')[3]!);
          return answer(['PID|1||H1^^^HIS^MR', 'PV1|1|I|CARD-1^01^03']);
        },
      },
      { wards: ['CARD-1', 'RESP-2'], practitionerId: 'D1001' },
      new AbortController().signal,
    );
    expect(asked).toEqual(['@PV1.3.1^CARD-1~@PV1.2^I', '@PV1.3.1^RESP-2~@PV1.2^I', '@PV1.7.1^D1001~@PV1.2^I']);
    expect(whole.inpatients.map((p) => p.sourcePatientId)).toEqual(['H1']);
    expect(whole.complete).toBe(true);
    const partial = await askCensus(
      { config, endpoint, ask: async () => answer(['PID|1||H1^^^HIS^MR', 'PV1|1|I|CARD-1'], 'QAK|Q1|OK|IHE PDQ Query|900|500|400') },
      { wards: ['CARD-1'] },
      new AbortController().signal,
    );
    expect(partial.complete).toBe(false);
  });
});
