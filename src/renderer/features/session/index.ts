export { SessionProvider, useSession } from './session-context.tsx';
export { SessionGate } from './SessionGate.tsx';
export { SessionBar } from './SessionBar.tsx';
export { BreakGlassPanel } from './BreakGlassPanel.tsx';
export { AccessFlag } from './AccessFlag.tsx';
export { ExportButton } from './ExportButton.tsx';
