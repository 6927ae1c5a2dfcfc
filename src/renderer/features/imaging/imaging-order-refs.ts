/**
 * The orders behind each study the viewer can open, keyed by Study Instance UID: the shared
 * linking rules (basedOn, accession number, Study Instance UID, else the study's own DICOM order
 * attributes) over the record's entries.
 */
export { studyOrders, type LinkedOrder, type OrderMatch } from '../../../shared/domain/imaging-order-link.ts';
