/**
 * Negated C-CDA allergy observations in the shapes HL7's examples and vendors use (C-CDA R2.1
 * Companion Guide "No Known Allergies"; the CCD in test/fixtures/cda says it with a general
 * substance 105590001). Generated around one template, varied by what the class varies by.
 */
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { convertCdaDocument } from '../../../../src/adapters/cda/index.ts';

const NOW = '2026-12-08T00:00:00Z';

function ccdWithAllergy(observation: { value?: string; participant?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.10.20.22.1.2"/><id root="2.16.840.1.113883.19.5.99999.1" extension="nka-test"/>
  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/><title>CCD</title><effectiveTime value="20261201"/>
  <recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="SYN-1"/>
    <patient><name><given>Test</given><family>Synthetic</family></name><administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19700101"/></patient>
  </patientRole></recordTarget>
  <component><structuredBody><component><section>
    <templateId root="2.16.840.1.113883.10.20.22.2.6.1"/><code code="48765-2" codeSystem="2.16.840.1.113883.6.1"/><title>ALLERGIES</title><text>No known allergies</text>
    <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/><statusCode code="active"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" negationInd="true">
        <templateId root="2.16.840.1.113883.10.20.22.4.7"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/>
        <effectiveTime><low nullFlavor="NA"/></effectiveTime>
        ${observation.value ?? ''}
        ${observation.participant ?? ''}
      </observation></entryRelationship>
    </act></entry>
  </section></component></structuredBody></component>
</ClinicalDocument>`;
}

const value = (code: string) => `<value xsi:type="CD" code="${code}" codeSystem="2.16.840.1.113883.6.96"/>`;
const substance = (code: string, extra = '') =>
  `<participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">${code}${extra}</playingEntity></participantRole></participant>`;

function allergies(xml: string): AllergyIntolerance[] {
  return convertCdaDocument(xml, { now: NOW })
    .clinical.map((c) => c.resource)
    .filter((r): r is AllergyIntolerance => r.resourceType === 'AllergyIntolerance');
}

const codeOf = (a: AllergyIntolerance | undefined) => a?.code?.coding?.[0]?.code;
const verification = (a: AllergyIntolerance | undefined) => a?.verificationStatus?.coding?.[0]?.code;

describe('negated allergy observations: a statement, never dropped', () => {
  it('no particular substance (nullFlavor, none, "Substance"): "no known allergy" by the allergy type', () => {
    for (const [participant, type, expected] of [
      [substance('<code nullFlavor="NA"/>'), '419199007', '716186003'],
      ['', '419199007', '716186003'],
      [substance('<code code="105590001" codeSystem="2.16.840.1.113883.6.96"/>'), '419199007', '716186003'],
      [substance('<code nullFlavor="NA"/>'), '416098002', '409137002'],
      [substance('<code code="410942007" codeSystem="2.16.840.1.113883.6.96"/>'), '419199007', '409137002'],
      [substance('<code nullFlavor="NA"/>'), '414285001', '429625007'],
      [substance('<code nullFlavor="NA"/>'), '426232007', '428607008'],
    ] as const) {
      const [allergy, ...more] = allergies(ccdWithAllergy({ value: value(type), participant }));
      expect(more, `${type} ${participant}`).toEqual([]);
      expect(codeOf(allergy), `${type} ${participant}`).toBe(expected);
      expect(verification(allergy)).toBe('confirmed');
    }
  });

  it('a named substance: that allergy, refuted (not an allergy the banner lists)', () => {
    const [allergy] = allergies(
      ccdWithAllergy({
        value: value('416098002'),
        participant: substance('<code code="7980" codeSystem="2.16.840.1.113883.6.88" displayName="Penicillin G"/>'),
      }),
    );
    expect(codeOf(allergy)).toBe('7980');
    expect(verification(allergy)).toBe('refuted');
  });

  it('an allergy not negated is unchanged: confirmed, its substance', () => {
    const xml = ccdWithAllergy({
      value: value('416098002'),
      participant: substance('<code code="7980" codeSystem="2.16.840.1.113883.6.88"/>'),
    }).replace(' negationInd="true"', '');
    const [allergy] = allergies(xml);
    expect(codeOf(allergy)).toBe('7980');
    expect(verification(allergy)).toBe('confirmed');
  });
});
