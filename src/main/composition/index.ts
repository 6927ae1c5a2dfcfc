/**
 * The composition root: the only place that imports every service and wires them. The desktop
 * shell, the browser host and the CLI take their workstation from here.
 */
export { composeWorkstation, type ComposedWorkstation, type ComposeOptions, type FetchHandler } from './compose-workstation.ts';
export { createWorkstation, type SourceProbe, type Workstation, type WorkstationOptions } from './create-workstation.ts';
export { linkAuditEvent } from './link-audit-event.ts';
