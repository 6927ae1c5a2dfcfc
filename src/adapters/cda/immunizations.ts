/**
 * C-CDA immunization activities (substanceAdministration, template 2.16.840.1.113883.10.20.22.4.52)
 * → FHIR Immunization: the vaccine (CVX or as sent), when it was given, and whether it was
 * refused (negationInd). A vaccine is no drug the patient takes: it must not be a MedicationStatement.
 */
import type { Immunization } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { EntryContext } from './cda-entries.ts';
import { referencedText } from './narrative-references.ts';
import { attr, child, children, descend, readCd, readPeriod, readPq, textOf } from '../xml/index.ts';

export const IMMUNIZATION_ACTIVITY = '2.16.840.1.113883.10.20.22.4.52';

export function isImmunizationActivity(el: Element): boolean {
  return children(el, 'templateId').some((t) => attr(t, 'root') === IMMUNIZATION_ACTIVITY);
}

export function readImmunization(el: Element, ctx: EntryContext): Immunization | undefined {
  const material = descend(el, 'consumable', 'manufacturedProduct', 'manufacturedMaterial');
  const codeEl = child(material, 'code');
  const coded = readCd(codeEl);
  const name = coded?.text ?? textOf(child(material, 'name')) ?? referencedText(codeEl, ctx.narrative);
  if (!coded?.coding && !name) return undefined;
  const when = readPeriod(child(el, 'effectiveTime'), ctx.read);
  const dose = child(el, 'doseQuantity');
  const doseQ = dose ? readPq(dose, ctx.read) : undefined;
  const route = readCd(child(el, 'routeCode'));
  const refused = attr(el, 'negationInd') === 'true';
  return {
    resourceType: 'Immunization',
    id: ctx.idFor(el),
    status: refused ? 'not-done' : 'completed',
    vaccineCode: { ...(coded?.coding ? { coding: coded.coding } : {}), ...(name ? { text: name } : {}) },
    patient: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
    ...((when?.start ?? when?.end) ? { occurrenceDateTime: when?.start ?? when?.end ?? '' } : { occurrenceString: 'unknown' }),
    primarySource: true,
    ...(route ? { route } : {}),
    ...(doseQ ? { doseQuantity: doseQ } : {}),
  };
}
