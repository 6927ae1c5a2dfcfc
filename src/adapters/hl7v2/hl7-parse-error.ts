/**
 * The one error the HL7 v2 parser and converter throw: it says where the message is broken
 * (segment name, its position, the field) so hospital IT can find the line in their interface
 * engine's log.
 */
export interface Hl7Location {
  /** Segment name, e.g. "PID". */
  segment?: string;
  /** 0-based position of the segment in the message (or batch file). */
  segmentIndex?: number;
  /** HL7 field path, e.g. "MSH-9" or "OBX-5". */
  field?: string;
}

export class Hl7ParseError extends Error {
  readonly segment: string | undefined;
  readonly segmentIndex: number | undefined;
  readonly field: string | undefined;
  readonly reason: string;

  constructor(reason: string, location: Hl7Location = {}, options: { cause?: unknown } = {}) {
    super(`HL7 v2: ${describeLocation(location)}${reason}`, options);
    this.name = 'Hl7ParseError';
    this.reason = reason;
    this.segment = location.segment;
    this.segmentIndex = location.segmentIndex;
    this.field = location.field;
  }
}

function describeLocation({ segment, segmentIndex, field }: Hl7Location): string {
  const parts: string[] = [];
  if (segment !== undefined) parts.push(segmentIndex !== undefined ? `${segment} (segment ${segmentIndex + 1})` : segment);
  else if (segmentIndex !== undefined) parts.push(`segment ${segmentIndex + 1}`);
  if (field !== undefined) parts.push(field);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

export function isHl7ParseError(error: unknown): error is Hl7ParseError {
  return error instanceof Hl7ParseError;
}
