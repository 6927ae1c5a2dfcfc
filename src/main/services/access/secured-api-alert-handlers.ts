import type { ApiHandlers } from '../api/index.ts';
import { ApiRequestError } from '../api/index.ts';
import { CriticalValueViewSchema, PatientAlertsSchema } from '../../../shared/api/contract.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import type { Gate } from './secured-api-gate.ts';

export type AlertHandlers = Pick<ApiHandlers, 'patientAlerts' | 'acknowledgeCriticalValue'>;

/** Critical values and risk alerts: only of a patient this user opened, over what they may see of it. */
export function alertHandlers(gate: Gate): AlertHandlers {
  const alertsOf = () => {
    const alerts = gate.options.alerts;
    if (!alerts) throw new ApiRequestError('clinical alerts are not configured on this workstation');
    return alerts;
  };
  return {
    async patientAlerts({ viewId }) {
      const user = gate.requireCapability('open');
      const open = gate.ownOpen(user, viewId);
      // Through the contract's schema: only what the renderer needs leaves main (not the system record keys).
      return PatientAlertsSchema.parse(alertsOf().forRecord(gate.visible(user, open.entries)));
    },
    async acknowledgeCriticalValue({ viewId, entryId }) {
      const user = gate.requireCapability('open');
      const open = gate.ownOpen(user, viewId);
      const alerts = alertsOf();
      const entry = gate.visible(user, open.entries).find((e) => e.id === entryId);
      // Only a critical value of the patient this user opened: an id from anywhere else is refused before anything is kept.
      if (!entry || !alerts.isCriticalValue(entry)) throw new ApiRequestError('that entry is not a critical value of the open patient');
      await gate.record({
        action: 'critical-value-acknowledge',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: open.refs },
        entity: { type: entry.resource.resourceType, ...(entry.resource.id ? { id: entry.resource.id } : {}), detail: `entry=${entry.id}` },
      });
      const acknowledged = await alerts.acknowledge(
        entry,
        { id: user.id, displayName: user.displayName },
        new Date(gate.clock()).toISOString(),
      );
      return { critical: CriticalValueViewSchema.parse(acknowledged) };
    },
  };
}
