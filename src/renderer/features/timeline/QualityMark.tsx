import type { QualityFinding } from '../../../shared/domain/quality.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { qualityReasons } from './quality-text.ts';

/**
 * A record that arrived with defects (unmapped code, odd unit, implausible value …): a small
 * mark with the reasons, so the clinician reads the value knowing how far to trust it.
 */
export function QualityMark({ findings }: { findings: readonly QualityFinding[] }) {
  const { t } = useI18n();
  const reasons = qualityReasons(t, findings);
  const title = [t('quality.title'), ...reasons.map((r) => `• ${r}`)].join('\n');
  return (
    <span
      className="tl-quality"
      title={title}
      aria-label={`${t('quality.mark')}: ${reasons.join('; ')}`}
      data-testid="quality-mark"
      data-quality-codes={[...new Set(findings.map((f) => f.code))].join(' ')}
    >
      <span aria-hidden="true">ⓘ </span>
      {t('quality.mark')}
    </span>
  );
}
