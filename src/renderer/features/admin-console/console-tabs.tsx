import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { ConfigurationPanel } from './ConfigurationPanel.tsx';
import { SourcesPanel } from './SourcesPanel.tsx';

export interface ConsoleTab {
  id: string;
  label: MessageKey;
  Panel: ComponentType;
}

/** A section still to be built: one line, replaced by its real panel at merge. */
function Coming() {
  const { t } = useI18n();
  return (
    <p className="acon__coming" data-testid="console-coming">
      {t('console.coming')}
    </p>
  );
}

/**
 * The console's sections in order. Adding one is one line here: an id, its label key and its
 * panel component (each panel fetches its own data through the API, which audits it).
 */
export const CONSOLE_TABS: readonly ConsoleTab[] = [
  { id: 'sources', label: 'console.tab.sources', Panel: SourcesPanel },
  // PLACEHOLDER (issue 19): replaced by the Quality panel from src/renderer/features/admin-quality at merge.
  { id: 'quality', label: 'console.tab.quality', Panel: Coming },
  // PLACEHOLDER (issue 19): replaced by the Audit panel from src/renderer/features/admin-audit at merge.
  { id: 'audit', label: 'console.tab.audit', Panel: Coming },
  { id: 'configuration', label: 'console.tab.configuration', Panel: ConfigurationPanel },
];
