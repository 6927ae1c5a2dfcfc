import { z } from 'zod';
import { apiContract, type ApiResponse } from '../../shared/api/contract.ts';
import { ApiEventSchema, type ApiEvent } from '../../shared/api/events.ts';
import type { TimelineEntry } from '../../shared/domain/timeline.ts';
import { checkTimelineEntries } from './timeline-entry-check.ts';

/**
 * The two payloads that carry a whole timeline (a `timeline.updated` event, the openPatient
 * reply): their envelope goes through the contract's zod schemas as before, their entries
 * through checkTimelineEntries, the same rules at a fraction of the cost. Everything else keeps
 * the plain contract schemas.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const entriesOfAnyShape = z.custom<unknown[]>((v) => Array.isArray(v), { message: 'expected an array' });

// Derived from the contract's own objects, so a field added there (e.g. `access`) is checked
// and kept here too; only `entries` is swapped for the lean check.
type EventOption = (typeof ApiEventSchema.options)[number];
// `complete` tells it from 'patient.remasked' (also with entries; rare, so it takes the plain schema).
type TimelineUpdatedOption = Extract<EventOption, { shape: { entries: unknown; complete: unknown } }>;
const isTimelineUpdated = (o: EventOption): o is TimelineUpdatedOption => o.shape.type.value === 'timeline.updated' && 'entries' in o.shape;
const timelineUpdated = ApiEventSchema.options.find(isTimelineUpdated);
if (!timelineUpdated) throw new Error('ApiEventSchema has no timeline.updated event with entries');
const TimelineUpdatedEnvelope = timelineUpdated.extend({ entries: entriesOfAnyShape });
const OpenPatientEnvelope = apiContract.openPatient.response.extend({ entries: entriesOfAnyShape });

/** Where a zod issue is and what it says, as every response check reports it. */
export function issueText(issue: z.core.$ZodIssue | undefined): string {
  const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  return `${where}: ${issue?.message ?? 'rejected'}`;
}

function withEntries<E extends { entries: unknown[] }>(envelope: E): Checked<Omit<E, 'entries'> & { entries: TimelineEntry[] }> {
  const entries = checkTimelineEntries(envelope.entries);
  if (!entries.ok)
    return { ok: false, message: ` at "${entries.path}" (entry id ${entryId(envelope.entries, entries.path)}): ${entries.message}` };
  return { ok: true, value: { ...envelope, entries: entries.entries } };
}

/** The offending entry's id when it has one, so a log line leads to the record. */
function entryId(entries: unknown[], path: string): string {
  const index = Number(path.split('.')[1]);
  const e = entries[index];
  const id = typeof e === 'object' && e !== null ? (e as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? JSON.stringify(id) : 'unknown';
}

/** An event off the wire, checked as ApiEventSchema would, with timelines checked the lean way. */
export function parseApiEvent(json: unknown): Checked<ApiEvent> {
  const isTimeline = typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'timeline.updated';
  if (!isTimeline) {
    const parsed = ApiEventSchema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: `invalid event${issueText(parsed.error.issues[0])}` };
  }
  const envelope = TimelineUpdatedEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, message: `invalid timeline.updated event${issueText(envelope.error.issues[0])}` };
  const checked = withEntries(envelope.data);
  return checked.ok ? checked : { ok: false, message: `invalid timeline.updated event${checked.message}` };
}

/** The openPatient reply, checked as its contract schema would, with the timeline checked the lean way. */
export function parseOpenPatientResponse(json: unknown): Checked<ApiResponse<'openPatient'>> {
  const envelope = OpenPatientEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, message: `invalid openPatient response${issueText(envelope.error.issues[0])}` };
  const checked = withEntries(envelope.data);
  return checked.ok ? checked : { ok: false, message: `invalid openPatient response${checked.message}` };
}
