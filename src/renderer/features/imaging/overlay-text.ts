/**
 * The corner text over the image. Patient name and ID are masked when the user's role or the
 * setting says so: the first character of the name and the last four of the ID stay, enough
 * to notice a wrong patient without disclosing who it is.
 */
import { TAGS, personName, text, type Dataset } from './dicom-json.ts';

export interface OverlayText {
  patientName: string;
  patientId: string;
  studyDate: string;
  seriesDescription: string;
  modality: string;
}

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 4))}`;
}

export function maskId(id: string): string {
  return id.length <= 4 ? '*'.repeat(id.length) : `${'*'.repeat(id.length - 4)}${id.slice(-4)}`;
}

/** DICOM DA (yyyymmdd) as yyyy-mm-dd; anything else unchanged. */
export function formatDicomDate(da: string | undefined): string {
  if (!da) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

export function overlayText(dataset: Dataset | undefined, mask: boolean): OverlayText {
  const name = dataset ? (personName(dataset, TAGS.PatientName) ?? '') : '';
  const id = dataset ? (text(dataset, TAGS.PatientID) ?? '') : '';
  return {
    patientName: mask && name ? maskName(name) : name,
    patientId: mask && id ? maskId(id) : id,
    studyDate: formatDicomDate(dataset ? text(dataset, TAGS.StudyDate) : undefined),
    seriesDescription: dataset ? (text(dataset, TAGS.SeriesDescription) ?? '') : '',
    modality: dataset ? (text(dataset, TAGS.Modality) ?? '') : '',
  };
}
