/**
 * A system's name without its protocol in brackets ("CDR (FHIR R4)" → "CDR", "集成平台 EMR（HL7 v3）"
 * → "集成平台 EMR"): the protocol tells a clinician nothing, and a row has room for names only.
 */
export function shortSourceName(name: string): string {
  const short = name.replace(/\s*[(（][^()（）]*[)）]\s*$/u, '').trim();
  return short.length > 0 ? short : name;
}
