/**
 * DICOM DA/TM (+ TimezoneOffsetFromUTC) to FHIR dateTime. FHIR requires a zone whenever a time
 * is given; DICOM rarely records one, so the zone comes from the image, else the source's
 * configured offset, else this workstation's zone on that date (PACS and ward share a city).
 */

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?(?:\.(\d{1,6}))?$/;
const DICOM_OFFSET = /^([+-])(\d{2})(\d{2})$/;
const FHIR_OFFSET = /^[+-]\d{2}:\d{2}$/;

/** "+0800" (DICOM) or "+08:00" (config) → "+08:00"; undefined if neither. */
export function normalizeOffset(offset: string | undefined): string | undefined {
  if (!offset) return undefined;
  const trimmed = offset.trim();
  if (FHIR_OFFSET.test(trimmed)) return trimmed;
  const m = DICOM_OFFSET.exec(trimmed);
  return m ? `${m[1]}${m[2]}:${m[3]}` : undefined;
}

function localOffset(year: number, month: number, day: number, hour: number, minute: number): string {
  const minutes = -new Date(year, month - 1, day, hour, minute).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** undefined when the date is missing or not a valid DA; the date alone when the time is unusable. */
export function dicomToFhirDateTime(date: string | undefined, time: string | undefined, offset: string | undefined): string | undefined {
  const d = date ? DA.exec(date.trim()) : null;
  if (!d) return undefined;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const isoDate = `${d[1]}-${d[2]}-${d[3]}`;
  const t = time ? TM.exec(time.trim()) : null;
  if (!t) return isoDate;
  const [hh, mm, ss] = [t[1] ?? '00', t[2] ?? '00', t[3] ?? '00'];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return isoDate;
  const fraction = t[4] ? `.${t[4]}` : '';
  const zone = normalizeOffset(offset) ?? localOffset(year, month, day, Number(hh), Number(mm));
  return `${isoDate}T${hh}:${mm}:${ss}${fraction}${zone}`;
}
