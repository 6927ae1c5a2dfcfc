/** FHIR dateTimes of the synthetic data as HL7 TS ("2021-04-05T09:30:00+08:00" → "20210405093000+0800"). */
export const DEMO_HOSPITAL_NAME_FOR_DOCUMENTS = '汇诊示范医院 Demo Hospital';

export function hl7ts(fhir: string | undefined): string {
  if (!fhir) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(fhir);
  if (!m) return '';
  const [, y, mo, d, h, mi, s, tz] = m;
  if (!h) return `${y}${mo}${d}`;
  const zone = !tz || tz === 'Z' ? '+0000' : tz.replace(':', '');
  return `${y}${mo}${d}${h}${mi}${s}${zone}`;
}
