/** What every segment mapper needs: options, the message's identity, and where we are in it. */
import type { Encounter, Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import type { Hl7Header } from '../message-header.ts';
import type { DataTypeContext } from './datatypes.ts';

export interface Hl7ConversionOptions {
  /** Separates ids of different sources (default "hl7v2"). */
  idNamespace?: string;
  /** For times without an offset (default "+08:00", China Standard Time). */
  defaultTimezone?: string;
  /** Assigning-authority namespace (CX-4.1) → Identifier.system. */
  identifierSystems?: Readonly<Record<string, string>>;
  /** Base URI for local codes (default "urn:huizhen:hl7v2:local:<MSH-3>"). */
  localCodeSystemBase?: string;
  /**
   * The assigning authority (CX-4.1) whose PID-3 value is this system's own patient id; it
   * becomes Patient.id. Default: the first identifier typed MR, else the first one.
   */
  patientIdAuthority?: string;
}

/** A mapped resource and where in the message it came from. */
export interface ConvertedResource {
  resource: Resource;
  /** "<MSH-10>/<segment>/<occurrence>", e.g. "MSG0001/OBX/3". */
  nativeId: string;
  /** "ORU^R01" */
  messageType: string;
}

export interface ConversionContext extends DataTypeContext {
  header: Hl7Header;
  namespace: string;
  patientIdAuthority: string | undefined;
  /** Key for ids when the message has no MSH-10: a digest of its text. */
  messageKey: string;
  /** Occurrence number (1-based) of each segment, by its index in the message. */
  occurrence: Map<number, number>;
  patient?: { reference: Reference<Patient>; key: string };
  encounterRef?: Reference<Encounter> | undefined;
}

export function nativeId(ctx: ConversionContext, segment: Hl7Segment): string {
  return `${ctx.messageKey}/${segment.name}/${ctx.occurrence.get(segment.index) ?? 1}`;
}
