/**
 * RXA of an immunization message (VXU^V04, VXR, VXX, RSP^K11 answers) → FHIR Immunization, as the
 * CDC immunization guide fills it: RXA-3 given, RXA-5 vaccine (CVX), RXA-6/7 amount, RXA-9 whether
 * the record is first-hand, RXA-15 lot, RXA-17 manufacturer, RXA-20 completion, RXA-21 action.
 * RXA of a pharmacy administration (RAS) is a drug given, not a vaccine, and is not read here.
 */
import type { Encounter, Immunization, Patient, Reference } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { fhirUnit } from '../../units/index.ts';
import { codeableConcept, comp, dateTime, type DataTypeContext, conceptKey } from './datatypes.ts';
import { stableId } from './ids.ts';

type Ctx = DataTypeContext & { namespace: string };

const IMMUNIZATION_MESSAGES = new Set(['VXU', 'VXR', 'VXX', 'VXQ']);
const VACCINE_SYSTEMS = new Set(['CVX', 'HL70292']);

/** True for an RXA that records a vaccination: an immunization message, or a CVX-coded vaccine elsewhere. */
export function isImmunizationRxa(rxa: Hl7Segment, messageCode: string): boolean {
  return IMMUNIZATION_MESSAGES.has(messageCode.toUpperCase()) || VACCINE_SYSTEMS.has(comp(rxa.composite(5), 3).toUpperCase());
}

/** RXA-20 (table 0322): refused or not administered is a vaccination that did not happen. */
const NOT_DONE = new Set(['RE', 'NA']);
/** RXA-9 (NIP001): 00 is a new record by the one who gave it; 01–08 are historical, from elsewhere. */
const HISTORICAL = /^0[1-8]$/;
/** The CDC guide's "999": the amount is not known. */
const UNKNOWN_AMOUNT = '999';

export function immunizationFromRxa(
  rxa: Hl7Segment,
  patient: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  patientKey: string,
  ctx: Ctx,
): Immunization {
  const vaccineCode = codeableConcept(rxa.composite(5), ctx) ?? { text: 'Vaccine' };
  const codeKey = conceptKey(vaccineCode);
  const when = dateTime(comp(rxa.composite(3), 1), ctx);
  const amount = comp(rxa.composite(6), 1);
  const n = Number(amount);
  const unit = fhirUnit(comp(rxa.composite(7), 1) || comp(rxa.composite(7), 2));
  const dose = amount !== '' && amount !== UNKNOWN_AMOUNT && Number.isFinite(n) ? { value: n, ...(unit ?? {}) } : undefined;
  const deleted = comp(rxa.composite(21), 1).toUpperCase() === 'D';
  const completion = comp(rxa.composite(20), 1).toUpperCase();
  const lot = comp(rxa.composite(15), 1);
  const expiry = dateTime(comp(rxa.composite(16), 1), ctx)?.slice(0, 10);
  const manufacturer = comp(rxa.composite(17), 2) || comp(rxa.composite(17), 1);
  const source = comp(rxa.composite(9), 1);
  return {
    resourceType: 'Immunization',
    id: stableId('imm', ctx.namespace, patientKey, codeKey, when ?? ''),
    status: deleted ? 'entered-in-error' : NOT_DONE.has(completion) ? 'not-done' : 'completed',
    vaccineCode,
    patient: patient ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(when ? { occurrenceDateTime: when } : { occurrenceString: 'unknown' }),
    primarySource: !HISTORICAL.test(source),
    ...(lot ? { lotNumber: lot } : {}),
    ...(expiry ? { expirationDate: expiry } : {}),
    ...(manufacturer ? { manufacturer: { display: manufacturer } } : {}),
    ...(dose ? { doseQuantity: dose } : {}),
  };
}
