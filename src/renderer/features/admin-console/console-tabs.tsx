import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { ConfigurationPanel } from './ConfigurationPanel.tsx';
import { SourcesPanel } from './SourcesPanel.tsx';
import { QualityPanel } from '../admin-quality/index.ts';
import { AuditPanel } from '../admin-audit/index.ts';
import { MappingPanel } from '../admin-mapping/index.ts';

export interface ConsoleTab {
  id: string;
  label: MessageKey;
  Panel: ComponentType;
}

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
