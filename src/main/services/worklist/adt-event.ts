import { z } from 'zod';
import type { Hl7Message, Hl7Segment } from '../../../adapters/hl7v2/index.ts';
import { SourcePatientRefSchema, type SourcePatientRef } from '../../../shared/domain/source.ts';

/** The ADT triggers the census follows: admit/register, transfer, discharge, update, and the three cancels. */
export const ADT_TRIGGERS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13'] as const;
export const AdtTriggerSchema = z.enum(ADT_TRIGGERS);
export type AdtTrigger = z.infer<typeof AdtTriggerSchema>;

/** Where a patient lies: ward (PV1-3.1 point of care), room, bed. */
export const BedLocationSchema = z.object({
  ward: z.string().min(1).max(100),
  room: z.string().max(50).optional(),
  bed: z.string().max(50).optional(),
});
export type BedLocation = z.infer<typeof BedLocationSchema>;

/**
 * One ADT event, whatever carried it (MLLP push, the broker, a FHIR Encounter read): the census
 * accepts nothing else, so every feed is checked by this one schema.
 */
/** One identifier of the patient's record: value, the issuing system or authority, and its type code (HL7 table 0203). */
export const StayIdentifierSchema = z.object({
  value: z.string().min(1).max(100),
  system: z.string().max(300).optional(),
  type: z.string().max(20).optional(),
});
export type StayIdentifier = z.infer<typeof StayIdentifierSchema>;

/** PID-3's repetitions (CX: id, …, assigning authority, identifier type). */
function pidIdentifiers(pid: Hl7Segment | undefined): StayIdentifier[] {
  return (pid?.repetitions(3) ?? []).slice(0, 10).flatMap((rep) => {
    const value = (rep[0]?.[0] ?? '').trim();
    const system = (rep[3]?.[0] ?? '').trim();
    const type = (rep[4]?.[0] ?? '').trim();
    return value && value.length <= 100 ? [{ value, ...(system ? { system } : {}), ...(type ? { type } : {}) }] : [];
  });
}

export const AdtEventSchema = z.object({
  trigger: AdtTriggerSchema,
  patient: SourcePatientRefSchema,
  /** When it happened (EVN-2, else MSH-7), ISO 8601. */
  occurredAt: z.string().max(40).optional(),
  visitNumber: z.string().max(100).optional(),
  name: z.string().max(200).optional(),
  sex: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: z.string().max(20).optional(),
  /** The record's identifiers (PID-3, Patient.identifier): what the identity service links this record to others by. */
  identifiers: z.array(StayIdentifierSchema).max(10).optional(),
  location: BedLocationSchema.optional(),
  attending: z.object({ id: z.string().max(200).optional(), display: z.string().max(200).optional() }).optional(),
  admittedAt: z.string().max(40).optional(),
  dischargedAt: z.string().max(40).optional(),
  /** DG1 with type A/W/F first, else the first DG1: the principal diagnosis as text. */
  diagnosis: z.string().max(300).optional(),
  /** AL1 segments present (true), explicitly none, or not said (undefined). */
  allergies: z.boolean().optional(),
});
export type AdtEvent = z.infer<typeof AdtEventSchema>;

/** HL7 v2 TS (YYYYMMDD[HHMM[SS]][+ZZZZ]) → ISO 8601; undefined when unreadable. Without a zone: China Standard Time. */
export function hl7Time(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(?:\.\d+)?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const offset = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : '+08:00';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
  return Number.isFinite(Date.parse(iso)) ? iso : undefined;
}

const SEX: Record<string, AdtEvent['sex']> = { M: 'male', F: 'female', O: 'other', U: 'unknown', A: 'other', N: 'unknown' };

function xcnName(family: string, given: string, prefix = ''): string {
  return /\p{Script=Han}/u.test(family + given) ? family + given : [prefix, given, family].filter(Boolean).join(' ');
}

/** The segments one patient's census facts are read from: an ADT message's, or one patient group of a census answer. */
export interface AdtSegments {
  msh: Hl7Segment;
  evn?: Hl7Segment | undefined;
  pid?: Hl7Segment | undefined;
  pv1?: Hl7Segment | undefined;
  /** PV2-3 (admit reason): the diagnosis a census answer gives, which carries no DG1. */
  pv2?: Hl7Segment | undefined;
  dg1: readonly Hl7Segment[];
  al1: readonly Hl7Segment[];
}

/** The census facts of one patient's segments, as an event of this trigger. */
export function adtEventFromSegments(trigger: AdtTrigger, segments: AdtSegments, patient: SourcePatientRef): AdtEvent {
  const { msh, evn, pid, pv1, dg1: dg1s } = segments;
  const name = pid ? xcnName(pid.get(5, 1), pid.get(5, 2)) : '';
  const ward = pv1?.get(3, 1) ?? '';
  const attendingId = pv1?.get(7, 1) ?? '';
  const attendingName = pv1 ? xcnName(pv1.get(7, 2), pv1.get(7, 3), pv1.get(7, 6)) : '';
  const principal = dg1s.find((s) => ['A', 'W', 'F'].includes(s.get(6).toUpperCase())) ?? dg1s[0];
  const diagnosis = principal
    ? principal.get(3, 2) || principal.get(4) || principal.get(3, 1)
    : segments.pv2?.get(3, 2) || segments.pv2?.get(3, 1) || '';
  const birth = pid?.get(7, 1) ?? '';
  const sex = SEX[(pid?.get(8) ?? '').toUpperCase()];
  const identifiers = pidIdentifiers(pid);
  const event: AdtEvent = {
    trigger,
    patient,
    ...optional('occurredAt', hl7Time(evn?.get(2) ?? '') ?? hl7Time(msh.get(7))),
    ...optional('visitNumber', pv1?.get(19, 1)),
    ...optional('name', name),
    ...(sex ? { sex } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
    ...optional('birthDate', /^\d{8}/.test(birth) ? `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` : undefined),
    ...(ward ? { location: { ward, ...optional('room', pv1?.get(3, 2)), ...optional('bed', pv1?.get(3, 3)) } } : {}),
    ...(attendingId || attendingName ? { attending: { ...optional('id', attendingId), ...optional('display', attendingName) } } : {}),
    ...optional('admittedAt', hl7Time(pv1?.get(44) ?? '')),
    ...optional('dischargedAt', hl7Time(pv1?.get(45) ?? '')),
    ...optional('diagnosis', diagnosis),
    ...(segments.al1.length > 0 ? { allergies: true } : {}),
  };
  return AdtEventSchema.parse(event);
}

/**
 * Reads the census facts of one HL7 v2 ADT message. `patient` is the system record the
 * inbound path stored it under (so census and cache name the same patient). Undefined for
 * messages that are not ADT or of a trigger the census does not follow.
 */
export function adtEventFromMessage(message: Hl7Message, patient: SourcePatientRef): AdtEvent | undefined {
  const msh = message.msh;
  if (msh.get(9, 1) !== 'ADT') return undefined;
  const trigger = AdtTriggerSchema.safeParse(msh.get(9, 2) || message.segment('EVN')?.get(1));
  if (!trigger.success) return undefined;
  return adtEventFromSegments(
    trigger.data,
    {
      msh,
      evn: message.segment('EVN'),
      pid: message.segment('PID'),
      pv1: message.segment('PV1'),
      dg1: message.all('DG1'),
      al1: message.all('AL1'),
    },
    patient,
  );
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
