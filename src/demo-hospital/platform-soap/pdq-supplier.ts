/**
 * The platform's PDQv3 supplier: reads a PRPA_IN201305UV02 parameter list, matches patients
 * (ids by root + extension, names in 汉字 or pinyin in either order, birth date, sex) and
 * writes the PRPA_IN201306UV02 answer.
 */
import type { Element } from '@xmldom/xmldom';
import { attr, descend, readIi, readPn } from '../../adapters/xml/index.ts';
import { wrapMessage, type AcknowledgementParams, type WrapperParams } from '../../adapters/hl7v3/transmission-wrapper.ts';
import { attrs, escapeXmlText as x } from '../../adapters/hl7v3/xml-text.ts';
import { PLATFORM_EMPI_ROOT, PLATFORM_RESIDENT_ID_ROOT, type PlatformPatient } from './platform-patients.ts';

export interface PdqParameters {
  id?: { root: string; extension?: string };
  name?: string[];
  birthDate?: string;
  gender?: string;
}

export function readPdqParameters(message: Element): PdqParameters {
  const list = descend(message, 'controlActProcess', 'queryByParameter', 'parameterList');
  const id = readIi(descend(list, 'livingSubjectId', 'value'));
  const nameEl = descend(list, 'livingSubjectName', 'value');
  const pn = readPn(nameEl);
  const name = pn
    ? [...(pn.given ?? []), ...(pn.family ? [pn.family] : []), ...(pn.given || pn.family ? [] : [pn.text ?? ''])].filter(Boolean)
    : undefined;
  const birth = attr(descend(list, 'livingSubjectBirthTime', 'value'), 'value');
  const gender = attr(descend(list, 'livingSubjectAdministrativeGender', 'value'), 'code');
  return {
    ...(id ? { id } : {}),
    ...(name && name.length > 0 ? { name } : {}),
    ...(birth ? { birthDate: birth.slice(0, 8) } : {}),
    ...(gender ? { gender } : {}),
  };
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s·.-]+/g, '');

function nameMatches(p: PlatformPatient, parts: string[]): boolean {
  const names = p.patient.name ?? [];
  const candidates = names.flatMap((n) => {
    const given = n.given?.join('') ?? '';
    const family = n.family ?? '';
    return [n.text ?? '', family + given, given + family, family, given].map(norm).filter(Boolean);
  });
  const wanted = [norm(parts.join('')), norm([...parts].reverse().join(''))];
  return wanted.some((w) => candidates.some((c) => c === w || (w.length >= 2 && c.startsWith(w))));
}

export function matchPatients(all: readonly PlatformPatient[], q: PdqParameters): PlatformPatient[] {
  return all.filter((p) => {
    if (q.id) {
      const ok =
        (q.id.root === PLATFORM_EMPI_ROOT && q.id.extension === p.empiId) ||
        (q.id.root === PLATFORM_RESIDENT_ID_ROOT || q.id.root === '2.16.156.10011.1.3'
          ? q.id.extension?.toUpperCase() === p.residentId
          : false);
      if (!ok) return false;
    }
    if (q.name && !nameMatches(p, q.name)) return false;
    if (q.birthDate && (p.patient.birthDate ?? '').replaceAll('-', '') !== q.birthDate) return false;
    if (q.gender && q.gender !== (p.patient.gender === 'male' ? 'M' : p.patient.gender === 'female' ? 'F' : 'UN')) return false;
    return true;
  });
}

function personXml(p: PlatformPatient): string {
  const pat = p.patient;
  const names = [p.hanzi, p.pinyin]
    .filter((n) => n !== undefined)
    .map(
      (n, i) =>
        `<name use="${i === 0 ? 'L IDE' : 'L SYL'}"><family>${x(n.family ?? '')}</family><given>${x(n.given?.[0] ?? '')}</given></name>`,
    );
  if (names.length === 0)
    for (const n of pat.name ?? [])
      names.push(`<name use="L"><given>${x(n.given?.[0] ?? '')}</given><family>${x(n.family ?? '')}</family></name>`);
  const tel = (pat.telecom ?? []).map((t) => `<telecom value="tel:${x(t.value ?? '')}" use="MC"/>`).join('');
  const addr = (pat.address ?? [])
    .map(
      (a) =>
        `<addr use="H">${a.city ? `<city>${x(a.city)}</city>` : ''}${a.district ? `<county>${x(a.district)}</county>` : ''}${a.text ? `<streetAddressLine>${x(a.text)}</streetAddressLine>` : ''}</addr>`,
    )
    .join('');
  return (
    `<patientPerson classCode="PSN" determinerCode="INSTANCE">${names.join('')}${tel}` +
    `<administrativeGenderCode code="${pat.gender === 'male' ? 'M' : pat.gender === 'female' ? 'F' : 'UN'}" codeSystem="2.16.840.1.113883.5.1"/>` +
    `<birthTime value="${(pat.birthDate ?? '').replaceAll('-', '')}"/>${addr}</patientPerson>`
  );
}

/** A patient role without its person, as a platform with a broken mapping sends one: a reader must skip it. */
const UNREADABLE_PATIENT_XML =
  '<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><statusCode code="active"/><subject1 typeCode="SBJ"><patient classCode="PAT">' +
  `<id root="${PLATFORM_EMPI_ROOT}" extension="E-UNREADABLE" assigningAuthorityName="EMPI"/><statusCode code="active"/>` +
  '</patient></subject1></registrationEvent></subject>';

function patientXml(p: PlatformPatient): string {
  const resident = p.residentId
    ? `<id root="${PLATFORM_RESIDENT_ID_ROOT}" extension="${x(p.residentId)}" assigningAuthorityName="居民身份证"/>`
    : '';
  return (
    '<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><statusCode code="active"/><subject1 typeCode="SBJ"><patient classCode="PAT">' +
    `<id root="${PLATFORM_EMPI_ROOT}" extension="${p.empiId}" assigningAuthorityName="EMPI"/>${resident}<statusCode code="active"/>${personXml(p)}` +
    '</patient></subject1></registrationEvent></subject>'
  );
}

const GBT2261_SEX: Readonly<Record<string, [string, string]>> = {
  male: ['1', '男性'],
  female: ['2', '女性'],
  other: ['9', '未说明的性别'],
  unknown: ['0', '未知的性别'],
};

/**
 * The same patient in the ISO data-type style the 互联互通 个人信息 services use: ids as
 * DSET_II items, the 身份证 on patientPerson, names as LIST_EN parts, DSET_TEL, GB/T 2261.1 sex,
 * BAG_AD parts.
 */
function isoPatientXml(p: PlatformPatient): string {
  const pat = p.patient;
  const part = (type: string, value: string | undefined): string => (value ? `<part${attrs({ type, value })}/>` : '');
  const names = [p.hanzi, p.pinyin].filter((n) => n !== undefined);
  const nameItems = (names.length > 0 ? names : (pat.name ?? []))
    .map((n, i) => `<item use="${i === 0 ? 'L' : 'L SYL'}">${part('FAM', n.family)}${part('GIV', n.given?.[0])}</item>`)
    .join('');
  const tel = (pat.telecom ?? []).map((t) => `<item${attrs({ value: `tel:${t.value ?? ''}`, use: 'MC' })}/>`).join('');
  const addr = (pat.address ?? [])
    .map((a) => `<item use="H">${part('CTY', a.city)}${part('CNT', a.district)}${part('SAL', a.text)}</item>`)
    .join('');
  const [sexCode, sexName] = GBT2261_SEX[pat.gender ?? 'unknown'] ?? ['0', '未知的性别'];
  const person =
    '<patientPerson classCode="PSN" determinerCode="INSTANCE">' +
    (p.residentId ? `<id><item root="${PLATFORM_RESIDENT_ID_ROOT}"${attrs({ extension: p.residentId })}/></id>` : '') +
    (nameItems ? `<name xsi:type="LIST_EN">${nameItems}</name>` : '') +
    (tel ? `<telecom xsi:type="DSET_TEL">${tel}</telecom>` : '') +
    `<administrativeGenderCode code="${sexCode}" codeSystem="2.16.156.10011.2.3.3.4"><displayName${attrs({ value: sexName })}/></administrativeGenderCode>` +
    `<birthTime value="${(pat.birthDate ?? '').replaceAll('-', '')}"/>` +
    (addr ? `<addr xsi:type="BAG_AD">${addr}</addr>` : '') +
    '</patientPerson>';
  return (
    '<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><statusCode code="active"/><subject1 typeCode="SBJ"><patient classCode="PAT">' +
    `<id><item root="${PLATFORM_EMPI_ROOT}" extension="${p.empiId}"/></id><statusCode code="active"/>${person}` +
    '</patient></subject1></registrationEvent></subject>'
  );
}

/** Classic: HL7 v3 data types R1 as IHE PDQv3 writes them; iso: the 互联互通 ISO 21090 style. */
export type PlatformDataTypeStyle = 'classic' | 'iso';

export function buildPdqAnswer(
  wrapper: Omit<WrapperParams, 'interaction'>,
  ack: AcknowledgementParams,
  matches: readonly PlatformPatient[],
  responseCode: 'OK' | 'NF' | 'AE' | 'QE',
  request: Element,
  style: PlatformDataTypeStyle = 'classic',
  withUnreadablePatient = false,
): string {
  const queryId = descend(request, 'controlActProcess', 'queryByParameter', 'queryId');
  const queryAck =
    `<queryAck>${queryId ? `<queryId${attrs({ root: attr(queryId, 'root'), extension: attr(queryId, 'extension') })}/>` : ''}<statusCode code="deliveredResponse"/>` +
    `<queryResponseCode code="${responseCode}"/><resultTotalQuantity value="${matches.length}"/><resultCurrentQuantity value="${matches.length}"/><resultRemainingQuantity value="0"/></queryAck>`;
  const unreadable = withUnreadablePatient ? UNREADABLE_PATIENT_XML : '';
  const payload = `<controlActProcess classCode="CACT" moodCode="EVN"><code code="PRPA_TE201306UV02" codeSystem="2.16.840.1.113883.1.6"/>${matches.map(style === 'iso' ? isoPatientXml : patientXml).join('')}${unreadable}${queryAck}</controlActProcess>`;
  return wrapMessage({ ...wrapper, interaction: 'PRPA_IN201306UV02' }, payload, ack);
}
