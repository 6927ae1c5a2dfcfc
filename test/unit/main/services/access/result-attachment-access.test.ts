/**
 * An HL7 v2 ED result's document (PDF, image, HTML) is part of the result: read by whoever may
 * read the result, and by nobody else — not by a role that reads documents but not results. The
 * record is built from a real conversion of a synthetic ORU^R01, as the adapter hands it over.
 */
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { createGate, createGateState } from '../../../../../src/main/services/access/secured-api-gate.ts';
import { createRolePolicy } from '../../../../../src/main/services/access/role-policy.ts';
import type { SecuredApiOptions } from '../../../../../src/main/services/access/secured-api.ts';
import type { SignInSession } from '../../../../../src/main/services/auth/index.ts';
import { toWireEntry } from '../../../../../src/main/services/access/wire-entries.ts';
import { buildCheckedTimeline } from '../../../../../src/main/services/data-quality/index.ts';
import { resultAttachments } from '../../../../../src/shared/domain/result-attachment.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';
import type { Role, User } from '../../../../../src/shared/domain/user.ts';
import { edResultMessage } from '../../../../support/ed-result-message.ts';

function record(): TimelineEntry[] {
  const converted = convertHl7Message(parseHl7Message(edResultMessage('H-ED-1')));
  const sourced: SourcedResource[] = converted.map((c) => ({
    resource: c.resource,
    provenance: {
      sourceId: 'lis',
      sourceName: 'LIS',
      sourceKind: 'hl7v2',
      nativeId: c.nativeId,
      messageType: c.messageType,
      fetchedAt: '2026-12-07T01:30:00Z',
    },
  }));
  // A discharge note of the same system that a result names as derived from, under another type: not an attachment.
  sourced.push({
    resource: {
      resourceType: 'DocumentReference',
      id: 'note-1',
      status: 'current',
      type: { text: '出院小结' },
      content: [{ attachment: { contentType: 'text/plain', data: 'eA==' } }],
    },
    provenance: { sourceId: 'lis', sourceName: 'LIS', sourceKind: 'hl7v2', nativeId: 'n1', fetchedAt: '2026-12-07T01:30:00Z' },
  });
  sourced.push({
    resource: {
      resourceType: 'Observation',
      id: 'abstracted',
      status: 'final',
      code: { text: '体温' },
      derivedFrom: [{ reference: 'DocumentReference/note-1' }],
    },
    provenance: { sourceId: 'lis', sourceName: 'LIS', sourceKind: 'hl7v2', nativeId: 'o1', fetchedAt: '2026-12-07T01:30:00Z' },
  });
  return buildCheckedTimeline(sourced).entries;
}

const user = (roles: Role[]): User => ({ id: `local:${roles.join('+')}`, displayName: 'x', roles, wards: [], authMethod: 'local' });

function gateWith(roleScopes: Partial<Record<Role, string[]>> = {}) {
  const options = { policy: createRolePolicy({ roleScopes }), audit: async () => {} } as unknown as SecuredApiOptions;
  return createGate(createGateState(options), {} as SignInSession);
}

const attachmentIds = (entries: readonly TimelineEntry[]) => [...resultAttachments(entries).keys()].sort();

describe('result attachments (HL7 v2 OBX ED)', () => {
  it('links each ED document to its result, and not a note some value was abstracted from', () => {
    const entries = record();
    const links = resultAttachments(entries);
    expect(links.size).toBe(3);
    const titles = [...links.values()]
      .map((results) => results.map((r) => r.title))
      .flat()
      .sort();
    expect(titles).toEqual(['形态学描述', '形态学报告单', '血涂片图像'].sort());
    const note = entries.find((e) => (e.resource as { id?: string }).id === 'note-1')!;
    expect(links.has(note.id)).toBe(false);
    // The renderer gets results as summaries: the link survives the wire.
    expect(attachmentIds(entries.map(toWireEntry))).toEqual(attachmentIds(entries));
  });

  it('a nurse (results, no documents) reads the attachments with the results, and still not the discharge note', () => {
    const entries = record();
    const readable = new Set(
      gateWith()
        .readable(user(['nurse']), entries)
        .map((e) => e.id),
    );
    for (const id of attachmentIds(entries)) expect(readable.has(id)).toBe(true);
    const note = entries.find((e) => (e.resource as { id?: string }).id === 'note-1')!;
    expect(readable.has(note.id)).toBe(false);
  });

  it('a role that reads documents but not results reads neither the results nor their attachments', () => {
    const entries = record();
    const gate = gateWith({ nurse: ['patient/Patient.rs', 'patient/DocumentReference.rs'] });
    const readable = new Set(gate.readable(user(['nurse']), entries).map((e) => e.id));
    for (const id of attachmentIds(entries)) expect(readable.has(id)).toBe(false);
    expect(entries.filter((e) => e.resource.resourceType === 'Observation').some((e) => readable.has(e.id))).toBe(false);
    // Its other documents stay readable by type.
    const note = entries.find((e) => (e.resource as { id?: string }).id === 'note-1')!;
    expect(readable.has(note.id)).toBe(true);
  });

  it('the ward doctor reads everything; the administrator nothing', () => {
    const entries = record();
    expect(gateWith().readable(user(['ward-doctor']), entries)).toHaveLength(entries.length);
    expect(gateWith().readable(user(['administrator']), entries)).toHaveLength(0);
  });
});
