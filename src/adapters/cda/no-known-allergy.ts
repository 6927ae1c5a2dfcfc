/**
 * A negated allergy observation (negationInd="true") is a statement, not an absence: "no known
 * (drug) allergy" when it names no particular substance, "not allergic to X" when it names one.
 * Dropping it made a record that says "no known allergies" read the same as one that never asked
 * (the banner's "未记录过敏" instead of "无已知过敏"). FHIR says the first with SNOMED CT's
 * "no known … allergy" situations, the second as the substance's allergy refuted.
 */
import type { AllergyIntolerance, CodeableConcept } from '@medplum/fhirtypes';

const SNOMED = 'http://snomed.info/sct';

/** Substance codes that name no particular substance ("substance", "drug or medicament", "edible substance"). */
const ANY_SUBSTANCE: Readonly<Record<string, 'any' | 'drug' | 'food'>> = {
  '105590001': 'any',
  '410942007': 'drug',
  '762766007': 'food',
};

/** The allergy observation's value (C-CDA's allergy type) as a kind. */
const KIND_OF_TYPE: Readonly<Record<string, 'drug' | 'food' | 'environment'>> = {
  '416098002': 'drug',
  '419511003': 'drug',
  '59037007': 'drug',
  '414285001': 'food',
  '235719002': 'food',
  '418471000': 'food',
  '426232007': 'environment',
};

const NO_KNOWN: Readonly<Record<'any' | 'drug' | 'food' | 'environment', { code: string; display: string }>> = {
  any: { code: '716186003', display: 'No known allergy' },
  drug: { code: '409137002', display: 'No known drug allergy' },
  food: { code: '429625007', display: 'No known food allergy' },
  environment: { code: '428607008', display: 'No known environmental allergy' },
};

export interface NegatedAllergy {
  /** The participant's playingEntity code, as read (may be all nullFlavor: no particular substance). */
  substance: CodeableConcept | undefined;
  /** The observation value's code (C-CDA allergy type), when coded. */
  allergyType: string | undefined;
}

/** The code and verification a negated allergy observation states. */
export function negatedAllergy({ substance, allergyType }: NegatedAllergy): Pick<AllergyIntolerance, 'code' | 'verificationStatus'> {
  const substanceCode = substance?.coding?.find((c) => c.code)?.code;
  const general = !substance || (substanceCode ? ANY_SUBSTANCE[substanceCode] : !substance.text);
  if (!general) {
    return {
      code: substance,
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'refuted' }],
      },
    };
  }
  const kindOfSubstance = substanceCode ? ANY_SUBSTANCE[substanceCode] : undefined;
  const kind =
    kindOfSubstance && kindOfSubstance !== 'any' ? kindOfSubstance : ((allergyType ? KIND_OF_TYPE[allergyType] : undefined) ?? 'any');
  const { code, display } = NO_KNOWN[kind];
  return {
    code: { coding: [{ system: SNOMED, code, display }], text: display },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }],
    },
  };
}
