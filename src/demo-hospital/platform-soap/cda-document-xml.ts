/**
 * The XML every platform document shares: the CDA header (patient, author, custodian, the stay)
 * and the section wrapper, for the document builders to fill.
 */
import type { Encounter } from '@medplum/fhirtypes';
import { attrs, escapeXmlText as x } from '../../adapters/hl7v3/xml-text.ts';
import { DEMO_HOSPITAL_NAME_FOR_DOCUMENTS, hl7ts } from './document-time.ts';
import { WST500_RESIDENT_ID_ROOT, type PlatformPatient, PLATFORM_EMPI_ROOT } from './platform-patients.ts';

export const WST500_DOC_OID = '2.16.156.10011.2.4';
export const DOCUMENT_ID_ROOT = '2.16.156.10011.1.1';
export const LOINC = '2.16.840.1.113883.6.1';
export const ICD10 = '2.16.840.1.113883.6.3';
export const ATC = '2.16.840.1.113883.6.73';
export const SNOMED = '2.16.840.1.113883.6.96';

export interface PlatformDocument {
  id: { root: string; extension: string };
  code: { code: string; codeSystem: string; displayName: string };
  title: string;
  /** HL7 TS */
  effectiveTime: string;
  xml: string;
}

export interface DocParts {
  id: string;
  code: PlatformDocument['code'];
  title: string;
  effective: string;
  realm: 'CN' | 'US';
  encounter?: Encounter;
  sections: string[];
  /** Header parts between the participants and componentOf (inFulfillmentOf, documentationOf). */
  headerExtras?: string;
  /** More patientRole ids (a 检查报告's 电子申请单编号). */
  roleIds?: string;
  /** Who wrote it, when not the ward doctor (a 检查报告's radiologist). */
  author?: string;
}

function patientHeader(p: PlatformPatient, realm: 'CN' | 'US', roleIds = ''): string {
  const pat = p.patient;
  const name =
    realm === 'CN' && p.hanzi
      ? `<name>${x(p.hanzi.text ?? '')}</name>`
      : `<name><given>${x(pat.name?.[0]?.given?.[0] ?? '')}</given><family>${x(pat.name?.[0]?.family ?? '')}</family></name>`;
  const gender =
    realm === 'CN'
      ? `<administrativeGenderCode code="${pat.gender === 'male' ? '1' : '2'}" codeSystem="2.16.156.10011.2.3.3.4" codeSystemName="生理性别代码表(GB/T 2261.1)" displayName="${pat.gender === 'male' ? '男性' : '女性'}"/>`
      : `<administrativeGenderCode code="${pat.gender === 'male' ? 'M' : 'F'}" codeSystem="2.16.840.1.113883.5.1"/>`;
  const resident = p.residentId ? `<id root="${WST500_RESIDENT_ID_ROOT}" extension="${x(p.residentId)}"/>` : '';
  const tel = pat.telecom?.[0]?.value ? `<telecom value="tel:${x(pat.telecom[0].value)}" use="MC"/>` : '';
  return (
    `<recordTarget typeCode="RCT" contextControlCode="OP"><patientRole classCode="PAT"><id root="${PLATFORM_EMPI_ROOT}" extension="${p.empiId}"/>${roleIds}${tel}` +
    `<patient classCode="PSN" determinerCode="INSTANCE">${resident}${name}${gender}<birthTime value="${(pat.birthDate ?? '').replaceAll('-', '')}"/></patient></patientRole></recordTarget>`
  );
}

export function document(p: PlatformPatient, d: DocParts): string {
  const encounter = d.encounter?.period
    ? `<componentOf><encompassingEncounter><id root="${PLATFORM_EMPI_ROOT}.3" extension="${x(d.encounter.id ?? '')}"/><effectiveTime><low value="${hl7ts(d.encounter.period.start)}"/>${d.encounter.period.end ? `<high value="${hl7ts(d.encounter.period.end)}"/>` : ''}</effectiveTime></encompassingEncounter></componentOf>`
    : '';
  const cn = d.realm === 'CN';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<realmCode code="${d.realm}"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_MT000040"/>` +
    (cn ? '' : '<templateId root="2.16.840.1.113883.10.20.22.1.1"/><templateId root="2.16.840.1.113883.10.20.22.1.2"/>') +
    `<id root="${DOCUMENT_ID_ROOT}" extension="${x(d.id)}"/>` +
    `<code${attrs({ code: d.code.code, codeSystem: d.code.codeSystem, displayName: d.code.displayName })}/>` +
    `<title>${x(d.title)}</title><effectiveTime value="${d.effective}"/>` +
    `<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="${cn ? 'zh-CN' : 'en-US'}"/>` +
    patientHeader(p, d.realm, d.roleIds) +
    `<author><time value="${d.effective}"/><assignedAuthor><id root="${PLATFORM_EMPI_ROOT}.4" extension="D0042"/><assignedPerson><name>${x(d.author ?? (cn ? '李医生' : 'Dr. Li'))}</name></assignedPerson></assignedAuthor></author>` +
    `<custodian><assignedCustodian><representedCustodianOrganization><id root="${PLATFORM_EMPI_ROOT}.5"/><name>${x(DEMO_HOSPITAL_NAME_FOR_DOCUMENTS)}</name></representedCustodianOrganization></assignedCustodian></custodian>` +
    (d.headerExtras ?? '') +
    encounter +
    `<component><structuredBody>${d.sections.join('')}</structuredBody></component></ClinicalDocument>`
  );
}

export function section(code: string, display: string, title: string, text: string, entries = '', template?: string): string {
  return `<component><section>${template ? `<templateId root="${template}"/>` : ''}<code code="${code}" codeSystem="${LOINC}" displayName="${x(display)}"/><title>${x(title)}</title><text>${text}</text>${entries}</section></component>`;
}
