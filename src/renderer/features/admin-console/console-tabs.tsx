import { lazy, type ComponentType } from 'react';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { SourcesPanel } from './SourcesPanel.tsx';

export interface ConsoleTab {
  id: string;
  label: MessageKey;
  Panel: ComponentType;
}

// The first tab paints with the console; the others load when opened, so their code is not in
// what every sign-in downloads and parses before the first paint (issue 19's < 500 ms).
const QualityPanel = lazy(() => import('../admin-quality/index.ts').then((m) => ({ default: m.QualityPanel })));
const MappingPanel = lazy(() => import('../admin-mapping/index.ts').then((m) => ({ default: m.MappingPanel })));
const AuditPanel = lazy(() => import('../admin-audit/index.ts').then((m) => ({ default: m.AuditPanel })));
const ConfigurationPanel = lazy(() => import('./ConfigurationPanel.tsx').then((m) => ({ default: m.ConfigurationPanel })));

/**
 * The console's sections in order. Adding one is one line here: an id, its label key and its
 * panel component (each panel fetches its own data through the API, which audits it).
 */
export const CONSOLE_TABS: readonly ConsoleTab[] = [
  { id: 'sources', label: 'console.tab.sources', Panel: SourcesPanel },
  { id: 'quality', label: 'console.tab.quality', Panel: QualityPanel },
  { id: 'mapping', label: 'console.tab.mapping', Panel: MappingPanel },
  { id: 'audit', label: 'console.tab.audit', Panel: AuditPanel },
  { id: 'configuration', label: 'console.tab.configuration', Panel: ConfigurationPanel },
];
