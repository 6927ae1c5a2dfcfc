import { describe, expect, it } from 'vitest';
import { auditEventId, toFhirAuditEvent } from '../../../../../src/main/services/audit/to-fhir-audit-event.ts';
import { type AuditRecord } from '../../../../../src/main/services/audit/index.ts';
import { DOCTOR, openEvent } from './audit-fixtures.ts';

const context = { workstationId: 'ward-3-pc-1', logId: 'a'.repeat(32) };
const record = (event: AuditRecord['event'], seq = 1): AuditRecord => ({ seq, hash: '0'.repeat(64), event });

describe('stored audit events as FHIR R4 AuditEvent (BALP-shaped)', () => {
  it('ids are deterministic per workstation, log and seq, and valid FHIR ids', () => {
    expect(auditEventId('pc-1', context.logId, 7)).toBe(auditEventId('pc-1', context.logId, 7));
    expect(auditEventId('pc-1', context.logId, 7)).not.toBe(auditEventId('pc-2', context.logId, 7));
    expect(auditEventId('pc-1', context.logId, 7)).not.toBe(auditEventId('pc-1', 'b'.repeat(32), 7));
    expect(auditEventId('pc-1', context.logId, 7)).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  });

  it('a patient open: rest/read, user and workstation agents, the patient record as entity', () => {
    const fhir = toFhirAuditEvent(record(openEvent(1)), context);
    expect(fhir).toMatchObject({
      type: { code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }, { code: 'patient-open' }],
      action: 'R',
      outcome: '0',
      recorded: openEvent(1).at,
      agent: [
        {
          requestor: true,
          who: { identifier: { value: DOCTOR.id } },
          role: [{ coding: [{ code: 'ward-doctor' }] }],
          type: { coding: [{ code: 'IRCP' }] },
        },
        { requestor: false, network: { address: 'ward-3-pc-1', type: '1' }, type: { coding: [{ code: '110153' }] } },
      ],
      source: { observer: { display: 'ward-3-pc-1' } },
      entity: [
        {
          what: { identifier: { system: 'https://huizhen.dev/fhir/NamingSystem/source-patient/his', value: 'H1000001' } },
          role: { code: '1' },
          type: { code: '1' },
        },
      ],
    });
    expect(fhir.purposeOfEvent).toBeUndefined();
  });

  it('a search carries its query text base64-encoded in a Query entity', () => {
    const fhir = toFhirAuditEvent(
      record({ ...openEvent(2), action: 'patient-search', patient: undefined, entity: { type: 'query', detail: '张伟' } }),
      context,
    );
    expect(fhir.subtype?.[0]).toMatchObject({ code: 'search-type' });
    expect(fhir.entity).toEqual([
      expect.objectContaining({ role: expect.objectContaining({ code: '24' }), query: Buffer.from('张伟').toString('base64') }),
    ]);
  });

  it('a failed login names the attempted user and is a minor failure; a denial is too', () => {
    const failed = toFhirAuditEvent(
      record({ ...openEvent(3), action: 'login-failed', outcome: 'failure', user: undefined, attemptedUser: 'wangf', patient: undefined }),
      context,
    );
    expect(failed).toMatchObject({
      type: { code: '110114' },
      subtype: [{ code: '110122' }, { code: 'login-failed' }],
      outcome: '8',
      agent: [{ who: { display: 'wangf' } }, {}],
    });
    const denied = toFhirAuditEvent(record({ ...openEvent(4), action: 'access-denied', outcome: 'denied' }), context);
    expect(denied).toMatchObject({ type: { code: '110113' }, outcome: '4' });
  });

  it('breaking the glass: security alert / emergency override, purposeOfEvent BTG with the reason', () => {
    const fhir = toFhirAuditEvent(record({ ...openEvent(5), action: 'break-glass', reason: '急诊抢救' }), context);
    expect(fhir).toMatchObject({
      type: { code: '110113' },
      subtype: [{ code: '110127' }, { code: 'break-glass' }],
      purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG' }], text: '急诊抢救' }],
    });
    expect(fhir.agent[0]?.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('BTG');
  });
});
