/**
 * The composition root: the only place that imports every service and wires them. The desktop
 * shell, the browser host and the CLI take their workstation from here.
 */
export { composeWorkstation, type ComposedWorkstation, type FetchHandler } from './compose-workstation.ts';
export { createWorkstation, type Workstation } from './create-workstation.ts';
export { linkAuditEvent } from './link-audit-event.ts';
