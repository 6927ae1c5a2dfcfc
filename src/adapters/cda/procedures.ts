/**
 * Procedures done to the patient → FHIR Procedure: C-CDA procedure activities (procedure, act and
 * observation templates 2.16.840.1.113883.10.20.22.4.14/.12/.13) and WS/T 500 手术操作 entries
 * (a <procedure> coded in ICD-9-CM 2.16.156.10011.2.3.3.12, its name also in the nested
 * 手术(操作)名称 DE06.00.094.00). Planned procedures (moodCode other than EVN) stay in the document.
 */
import type { CodeableConcept, Procedure } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import type { EntryContext } from './cda-entries.ts';
import { referencedText } from './narrative-references.ts';
import { attr, child, children, readCd, readPeriod, textOf } from '../xml/index.ts';

const PROCEDURE_TEMPLATES: ReadonlySet<string> = new Set([
  '2.16.840.1.113883.10.20.22.4.12', // Procedure Activity Act
  '2.16.840.1.113883.10.20.22.4.13', // Procedure Activity Observation
  '2.16.840.1.113883.10.20.22.4.14', // Procedure Activity Procedure
]);
/** WS/T 500 手术(操作)名称. */
const DE_PROCEDURE_NAME = 'DE06.00.094.00';

const STATUS: Readonly<Record<string, Procedure['status']>> = {
  completed: 'completed',
  active: 'in-progress',
  aborted: 'stopped',
  cancelled: 'not-done',
  held: 'on-hold',
  suspended: 'on-hold',
  new: 'preparation',
};

/** True for an element that records a procedure done (a <procedure>, or a C-CDA procedure act/observation). */
export function isProcedureEntry(el: Element): boolean {
  const mood = attr(el, 'moodCode');
  if (mood && mood !== 'EVN') return false;
  if (el.localName === 'procedure') return true;
  return children(el, 'templateId').some((t) => PROCEDURE_TEMPLATES.has(attr(t, 'root') ?? ''));
}

function nestedName(el: Element): string | undefined {
  for (const rel of children(el, 'entryRelationship')) {
    for (const obs of children(rel, 'observation')) {
      if (attr(child(obs, 'code'), 'code') === DE_PROCEDURE_NAME) return textOf(child(obs, 'value'));
    }
  }
  return undefined;
}

export function readProcedure(el: Element, ctx: EntryContext): Procedure | undefined {
  const codeEl = child(el, 'code');
  const coded = readCd(codeEl);
  const name = coded?.text ?? nestedName(el) ?? referencedText(codeEl, ctx.narrative);
  if (!coded?.coding && !name) return undefined;
  const code: CodeableConcept = { ...(coded?.coding ? { coding: coded.coding } : {}), ...(name ? { text: name } : {}) };
  const period = readPeriod(child(el, 'effectiveTime'), ctx.read);
  return {
    resourceType: 'Procedure',
    id: ctx.idFor(el),
    status: STATUS[attr(child(el, 'statusCode'), 'code') ?? ''] ?? 'completed',
    code,
    subject: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
    ...(period?.start && period.end && period.start !== period.end
      ? { performedPeriod: period }
      : period?.start || period?.end
        ? { performedDateTime: period.start ?? period.end }
        : {}),
  };
}
