import type { PatientIdentifier } from '../../shared/domain/patient.ts';
import { useI18n } from '../i18n/i18n-context.tsx';
import { identifierTypeText } from './patient-text.ts';

/** An identifier's type, worded in the UI's language; a source's own label is quoted and says whose words it is. */
export function IdentifierTypeLabel({ id, nameOf }: { id: PatientIdentifier; nameOf: (sourceId: string) => string }) {
  const i18n = useI18n();
  const label = identifierTypeText(i18n, id, nameOf);
  if (!label.sourceWording) return <>{label.text}</>;
  return (
    <q className="id-source-term" title={i18n.t('idType.sourceWording', label.sourceWording)} data-testid="id-source-term">
      {label.text}
    </q>
  );
}
