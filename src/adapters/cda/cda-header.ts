/**
 * The CDA R2 header: what the document is (id, type code, title, time), whom it is about
 * (recordTarget), who wrote and keeps it, and the encounter it belongs to. Required CDA header
 * elements missing is a structural error; optional ones that cannot be read are skipped with a
 * recorded problem.
 */
import type { Address, CodeableConcept, ContactPoint, HumanName, Identifier, Patient, Period } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import {
  attr,
  CdaError,
  child,
  children,
  descend,
  pathOf,
  readAd,
  readCd,
  type ReadContext,
  readIi,
  readPeriod,
  readPn,
  readTel,
  readTs,
  requireChild,
  requireRoot,
  requireTs,
  textOf,
  tsToDate,
  type V3Id,
  WST500_DOCUMENT_CODES_OID,
} from '../xml/index.ts';
import { patientIdentifier, readGender } from './patient-mapping.ts';

export interface CdaPatient {
  ids: V3Id[];
  identifiers: Identifier[];
  names: HumanName[];
  gender?: Patient['gender'];
  birthDate?: string;
  telecom: ContactPoint[];
  addresses: Address[];
}

export interface CdaParty {
  name?: string;
  organization?: string;
  time?: string;
}

export interface CdaHeader {
  id: V3Id;
  /** LOINC (C-CDA) or WS/T 500 (2.16.156.10011.2.4, e.g. C0053 出院小结). */
  code: CodeableConcept;
  /** 'wst500' when the document type is a WS/T 500 code or realm CN; 'ccda' for LOINC-typed documents. */
  flavour: 'wst500' | 'ccda' | 'cda';
  title?: string;
  effectiveTime: string;
  confidentiality?: string;
  language?: string;
  setId?: V3Id;
  version?: number;
  templateIds: string[];
  patient: CdaPatient;
  authors: CdaParty[];
  custodian?: string;
  encounter?: { identifiers: Identifier[]; period?: Period; type?: CodeableConcept };
}

function readPatient(recordTarget: Element, ctx: ReadContext): CdaPatient {
  const role = requireChild(recordTarget, 'patientRole');
  const person = child(role, 'patient');
  // WS/T 500 puts the 身份证 on patient/id, the hospital ids on patientRole/id.
  const ids = [...children(role, 'id'), ...(person ? children(person, 'id') : [])].map(readIi).filter((i): i is V3Id => !!i);
  const names = person
    ? children(person, 'name')
        .map(readPn)
        .filter((n): n is HumanName => !!n)
    : [];
  const birthValue = attr(child(person ?? role, 'birthTime'), 'value');
  const birthDate = birthValue ? tsToDate(birthValue) : undefined;
  if (birthValue && !birthDate)
    ctx.onProblem(pathOf(child(person ?? role, 'birthTime') ?? role, 'value'), 'birth time is not an HL7 timestamp');
  const gender = readGender(child(person ?? role, 'administrativeGenderCode'));
  return {
    ids,
    identifiers: ids.map((i) => patientIdentifier(i)),
    names,
    ...(gender ? { gender } : {}),
    ...(birthDate ? { birthDate } : {}),
    telecom: children(role, 'telecom')
      .map(readTel)
      .filter((t): t is ContactPoint => !!t),
    addresses: children(role, 'addr')
      .map(readAd)
      .filter((a): a is Address => !!a),
  };
}

function personOrDevice(assigned: Element | undefined): string | undefined {
  const person = textOf(descend(assigned, 'assignedPerson', 'name'));
  if (person) return readPn(descend(assigned, 'assignedPerson', 'name'))?.text ?? person;
  const device = descend(assigned, 'assignedAuthoringDevice');
  return textOf(child(device, 'softwareName')) ?? textOf(child(device, 'manufacturerModelName'));
}

function readAuthor(author: Element, ctx: ReadContext): CdaParty {
  const assigned = child(author, 'assignedAuthor');
  const name = personOrDevice(assigned);
  const organization = textOf(descend(assigned, 'representedOrganization', 'name'));
  const time = readTs(child(author, 'time'), ctx);
  return { ...(name ? { name } : {}), ...(organization ? { organization } : {}), ...(time ? { time } : {}) };
}

export function readHeader(doc: Element, ctx: ReadContext): CdaHeader {
  requireRoot(doc, ['ClinicalDocument'], 'a CDA document');
  const idEl = requireChild(doc, 'id');
  const id = readIi(idEl);
  if (!id) throw new CdaError('structure', pathOf(idEl), 'document id has no root');
  const codeEl = requireChild(doc, 'code');
  const code = readCd(codeEl);
  if (!code) throw new CdaError('structure', pathOf(codeEl), 'document type code is empty');
  const effectiveTime = requireTs(child(doc, 'effectiveTime'), doc, 'effectiveTime', ctx.defaultTimezone);
  const recordTargets = children(doc, 'recordTarget');
  const first = recordTargets[0];
  if (!first) throw new CdaError('structure', pathOf(doc), 'required element <recordTarget> is missing');
  if (recordTargets.length > 1) ctx.onProblem(pathOf(recordTargets[1]!), 'more than one recordTarget; only the first patient is read');

  const codeSystem = attr(codeEl, 'codeSystem');
  const realm = attr(child(doc, 'realmCode'), 'code');
  const flavour =
    codeSystem === WST500_DOCUMENT_CODES_OID || realm === 'CN' ? 'wst500' : codeSystem === '2.16.840.1.113883.6.1' ? 'ccda' : 'cda';
  const title = textOf(child(doc, 'title'));
  const setId = readIi(child(doc, 'setId'));
  const versionRaw = attr(child(doc, 'versionNumber'), 'value');
  const version = versionRaw && /^-?\d+$/.test(versionRaw) ? Number(versionRaw) : undefined;
  const custodianOrg = descend(doc, 'custodian', 'assignedCustodian', 'representedCustodianOrganization');
  const custodian = textOf(child(custodianOrg, 'name'));
  const encounterEl = descend(doc, 'componentOf', 'encompassingEncounter');
  const encounterPeriod = readPeriod(child(encounterEl, 'effectiveTime'), ctx);
  const encounterType = readCd(child(encounterEl, 'code'));
  const confidentiality = attr(child(doc, 'confidentialityCode'), 'code');
  const language = attr(child(doc, 'languageCode'), 'code');

  return {
    id,
    code,
    flavour,
    ...(title ? { title } : {}),
    effectiveTime,
    ...(confidentiality ? { confidentiality } : {}),
    ...(language ? { language } : {}),
    ...(setId ? { setId } : {}),
    ...(version !== undefined ? { version } : {}),
    templateIds: children(doc, 'templateId')
      .map((t) => attr(t, 'root'))
      .filter((r): r is string => !!r),
    patient: readPatient(first, ctx),
    authors: children(doc, 'author').map((a) => readAuthor(a, ctx)),
    ...(custodian ? { custodian } : {}),
    ...(encounterEl
      ? {
          encounter: {
            identifiers: children(encounterEl, 'id')
              .map(readIi)
              .filter((i): i is V3Id => !!i)
              .map((i) => patientIdentifier(i)),
            ...(encounterPeriod ? { period: encounterPeriod } : {}),
            ...(encounterType ? { type: encounterType } : {}),
          },
        }
      : {}),
  };
}
