/** WS/T 500 (卫生信息共享文档规范) entries read by their data elements: the door of this module. */
export { classifyDataElement, isDataElementCode, DATA_ELEMENT_CATALOGUE_OID, type DataElementClass } from './data-elements.ts';
export { readDiagnoses, isDiagnosisElement, CHINA_ICD10_SYSTEM, DIAGNOSIS_RANK_EXTENSION } from './diagnoses.ts';
export { DIAGNOSIS_ROLE_SYSTEM, diagnosisRoles, roleCategory, type DiagnosisRole } from './diagnosis-roles.ts';
export { readSubstanceAdministration, readHerbalPrescription, readOrderItem, medicationMood } from './medications.ts';
export { readLabItem, type LabItem } from './lab-items.ts';
export { visitDataElement, visitWst500Organizer, type VisitEntry } from './entries.ts';
