/**
 * Why a drug is given: C-CDA puts the indication under the medication activity as an
 * entryRelationship typeCode="RSON" — an Indication observation (…4.19), or a problem concern act
 * holding a problem observation (vendors' exports, e.g. Vitera's). Its coded value (with the name
 * the narrative gives it) becomes the medication's reasonCode; the problem itself stays where the
 * problem list puts it, so nothing is counted twice.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { attr, child, children } from '../xml/index.ts';
import { conceptWithNarrative, type NarrativeLookup } from './narrative-references.ts';

/** Observations under an RSON relationship, directly or inside the act that wraps them (one level). */
function reasonObservations(el: Element): Element[] {
  const found: Element[] = [];
  for (const rel of children(el, 'entryRelationship')) {
    if (attr(rel, 'typeCode') !== 'RSON') continue;
    for (const inner of children(rel)) {
      if (inner.localName === 'observation') found.push(inner);
      else if (inner.localName === 'act')
        for (const nested of children(inner, 'entryRelationship')) found.push(...children(nested, 'observation'));
    }
  }
  return found;
}

export function medicationReasons(el: Element, narrative: NarrativeLookup | undefined): CodeableConcept[] {
  return reasonObservations(el)
    .filter((o) => attr(o, 'negationInd') !== 'true')
    .map((o) => conceptWithNarrative(child(o, 'value'), narrative))
    .filter((c): c is CodeableConcept => c !== undefined);
}
