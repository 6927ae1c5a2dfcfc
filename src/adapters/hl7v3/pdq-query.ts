/**
 * IHE PDQv3 (ITI-47) Patient Demographics Query: PRPA_IN201305UV02 with a parameterList of
 * livingSubjectName, livingSubjectId (root = assigning authority OID), livingSubjectBirthTime and
 * livingSubjectAdministrativeGender, built from what a clinician typed.
 */
import { patientQueryReadings } from '../query/patient-query.ts';
import { wrapMessage, type WrapperParams } from './transmission-wrapper.ts';
import { attrs, escapeXmlText } from './xml-text.ts';

export const PDQ_QUERY_INTERACTION = 'PRPA_IN201305UV02';
export const PDQ_RESPONSE_INTERACTION = 'PRPA_IN201306UV02';
export const PDQ_QUERY_ACTION = 'urn:hl7-org:v3:PRPA_IN201305UV02';
export const PDQ_RESPONSE_ACTION = 'urn:hl7-org:v3:PRPA_IN201306UV02';

export interface PdqCriteria {
  name?: { family?: string; given?: string; text?: string };
  identifier?: { root: string; extension: string };
  /** YYYY-MM-DD */
  birthDate?: string;
  gender?: 'male' | 'female';
}

const RESIDENT_ID = /^\d{17}[\dXx]$/;
const GENDER_WORDS: Readonly<Record<string, 'male' | 'female'>> = {
  男: 'male',
  女: 'female',
  m: 'male',
  f: 'female',
  male: 'male',
  female: 'female',
};
const LATIN = /^[A-Za-z' -]+$/;

/**
 * Free text → PDQ criteria, one set per reading of the query (their hits are merged). 身份证 numbers are searched under the platform's resident-id root,
 * other identifiers under its patient-id root. Two Latin words are read "Given Family" as typed
 * in the West and in pinyin ("Wei Zhang" and "Zhang Wei" both work: the platform matches either
 * order); 汉字 go as the whole name, since splitting 欧阳娜娜 by rule is a guess.
 */
export function criteriaFromText(text: string, roots: { patientIdRoot: string; residentIdRoot: string }): PdqCriteria[] {
  const tokens = text
    .trim()
    .split(/[\s,，]+/)
    .filter(Boolean);
  let gender: PdqCriteria['gender'];
  const rest: string[] = [];
  for (const t of tokens) {
    const g = GENDER_WORDS[t.toLowerCase()];
    if (g && (t.length === 1 || t.length > 3 || /^[男女]$/.test(t))) gender = g;
    else rest.push(t);
  }
  const readings = patientQueryReadings(rest.join(' '));
  if (readings.length === 0) return gender ? [{ gender }] : [];
  return readings.map((params) => {
    const criteria: PdqCriteria = {};
    if (gender) criteria.gender = gender;
    if (params.birthdate) criteria.birthDate = params.birthdate;
    if (params.identifier) {
      criteria.identifier = RESIDENT_ID.test(params.identifier)
        ? { root: roots.residentIdRoot, extension: params.identifier.toUpperCase() }
        : { root: roots.patientIdRoot, extension: params.identifier };
    }
    if (params.name) {
      const words = params.name.split(' ');
      criteria.name =
        words.length === 2 && words.every((w) => LATIN.test(w)) ? { given: words[0]!, family: words[1]! } : { text: params.name };
    }
    return criteria;
  });
}

export function isEmptyCriteria(c: PdqCriteria): boolean {
  return !c.name && !c.identifier && !c.birthDate;
}

function parameter(name: string, value: string, semantics: string): string {
  return `<${name}>${value}<semanticsText>${semantics}</semanticsText></${name}>`;
}

export function buildPdqQuery(wrapper: Omit<WrapperParams, 'interaction'>, queryId: string, c: PdqCriteria): string {
  const params: string[] = [];
  if (c.gender)
    params.push(
      parameter(
        'livingSubjectAdministrativeGender',
        `<value code="${c.gender === 'male' ? 'M' : 'F'}" codeSystem="2.16.840.1.113883.5.1"/>`,
        'LivingSubject.administrativeGender',
      ),
    );
  if (c.birthDate)
    params.push(parameter('livingSubjectBirthTime', `<value value="${c.birthDate.replaceAll('-', '')}"/>`, 'LivingSubject.birthTime'));
  if (c.identifier)
    params.push(
      parameter('livingSubjectId', `<value${attrs({ root: c.identifier.root, extension: c.identifier.extension })}/>`, 'LivingSubject.id'),
    );
  if (c.name) {
    const n = c.name;
    const parts =
      n.text !== undefined
        ? escapeXmlText(n.text)
        : `${n.given ? `<given>${escapeXmlText(n.given)}</given>` : ''}${n.family ? `<family>${escapeXmlText(n.family)}</family>` : ''}`;
    params.push(parameter('livingSubjectName', `<value>${parts}</value>`, 'LivingSubject.name'));
  }
  const payload =
    '<controlActProcess classCode="CACT" moodCode="EVN">' +
    '<code code="PRPA_TE201305UV02" codeSystem="2.16.840.1.113883.1.6"/>' +
    '<queryByParameter>' +
    `<queryId${attrs({ root: wrapper.messageRoot, extension: queryId })}/>` +
    '<statusCode code="new"/><responseModalityCode code="R"/><responsePriorityCode code="I"/>' +
    `<parameterList>${params.join('')}</parameterList>` +
    '</queryByParameter></controlActProcess>';
  return wrapMessage({ ...wrapper, interaction: PDQ_QUERY_INTERACTION }, payload);
}
