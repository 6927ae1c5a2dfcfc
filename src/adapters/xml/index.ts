/**
 * Reading HL7 v3 XML (CDA documents and v3 messages alike): a parser that refuses what could
 * hurt (DTDs, entity expansion, excessive size or nesting), DOM helpers that address elements
 * by their v3 local names, and readers for the v3 data types.
 */
export { CdaError, isCdaError, type CdaErrorKind } from './cda-error.ts';
export { CHINA_ICD10_OIDS, GBT2261_SEX_OID, isIcd10System, isOid, systemForOid, WST500_DOCUMENT_CODES_OID } from './code-systems.ts';
export { decodeXmlBytes, MAX_XML_ATTRIBUTES, MAX_XML_BYTES, MAX_XML_DEPTH, parseXml, rootElement, undeclaredCharset } from './safe-xml.ts';
export {
  firstElementChild,
  iiToIdentifier,
  readAd,
  readCd,
  readIi,
  readPeriod,
  readPn,
  readPq,
  readSt,
  readTel,
  readTs,
  requireTs,
  tsToDate,
  tsToFhir,
  type ReadContext,
  type V3Id,
} from './v3-datatypes.ts';
export {
  attr,
  child,
  children,
  descend,
  descendAll,
  HL7_V3_NS,
  isElement,
  pathOf,
  requireChild,
  requireRoot,
  textOf,
  XSI_NS,
  xsiType,
} from './v3-dom.ts';
export { findLimitBreach, lineAt, type LimitBreach } from './xml-nesting.ts';
