import { useId, useMemo } from 'react';
import type { PatientView } from '../../patient/open-patient-view.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { summarizeAllergies, type AllergyLine } from '../summary/index.ts';
import './banner-allergies.css';

/**
 * The patient's allergies in the banner, seen before anything else: high criticality first and
 * red; the reaction on hover or keyboard focus. "无已知过敏" (a system said so) is not
 * "未记录过敏" (none said anything), and neither is claimed while systems are still answering.
 */
export function BannerAllergies({ view }: { view: PatientView }) {
  const { t } = useI18n();
  const summary = useMemo(() => summarizeAllergies(view.entries), [view.entries]);
  const settled = view.phase === 'open';
  const state = summary.state === 'recorded' || settled ? summary.state : 'pending';
  return (
    <div
      className={`pb__allergies pb__allergies--${state}`}
      data-testid="banner-allergies"
      data-state={state}
      role="group"
      aria-label={t('summary.allergies')}
    >
      <span className="pb__allergies-k">{t('summary.allergies')}</span>
      {state === 'recorded' && summary.lines.map((a) => <AllergyChip key={a.entry.id} allergy={a} />)}
      {state === 'none-known' && <span className="pb__allergy-state">{t('allergy.noneKnown')}</span>}
      {state === 'not-recorded' && <span className="pb__allergy-state pb__allergy-state--unknown">{t('allergy.notRecorded')}</span>}
      {state === 'pending' && <span className="pb__allergy-state">{t('allergy.pending')}</span>}
    </div>
  );
}

function AllergyChip({ allergy: a }: { allergy: AllergyLine }) {
  const { t } = useI18n();
  const tip = useId();
  const criticality = t(`summary.criticality.${a.criticality ?? 'unknown'}` as MessageKey);
  const sources = [...new Set(a.entry.provenance.map((p) => p.sourceName))].join(' · ');
  return (
    <span
      className={`pb__allergy pb__allergy--${a.criticality ?? 'unknown'}`}
      data-testid="banner-allergy"
      data-criticality={a.criticality}
      tabIndex={0}
      aria-describedby={tip}
    >
      {a.criticality === 'high' && <span aria-hidden="true">⚠ </span>}
      {a.title}
      <span className="pb__allergy-tip hz-tip" role="tooltip" id={tip} data-testid="banner-allergy-tip">
        {criticality}
        {a.criticalitySource ? ` (${t('summary.statedBy', { source: a.criticalitySource })})` : ''}
        {a.reactions.length > 0 ? ` · ${t('allergy.reaction', { reaction: a.reactions.join('、') })}` : ''}
        {a.conflict ? ` · ${t('summary.conflict')}` : ''}
        {` · ${sources}`}
      </span>
    </span>
  );
}
