import type { PatientView } from '../../app/patient-session.ts';
import { ageText, candidateSourceIds, genderText, identifierLabel, linkText } from '../../app/patient-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { sourceName } from '../sources/source-registry.ts';
import { useSources } from '../sources/sources-context.tsx';
import './patient-banner.css';

const SETTLED = new Set(['ok', 'slow', 'failed', 'circuit-open', 'cached']);

export function PatientBanner({ view, onClose }: { view: PatientView; onClose(): void }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const sources = useSources();
  const c = view.candidate;
  if (!c) {
    return (
      <div className="pb pb--empty" data-testid="patient-banner" data-state="empty">
        {t('banner.noPatient')}
      </div>
    );
  }
  const nameOf = (id: string) => sourceName(sources, id);
  const wanted = candidateSourceIds(c);
  const done = view.sources.filter((s) => wanted.includes(s.sourceId) && SETTLED.has(s.state)).length;
  return (
    <section className="pb" data-testid="patient-banner" data-state={view.phase} aria-label={c.displayName}>
      <div className="pb__main">
        <h1 className="pb__name" data-testid="patient-banner-name">
          {c.displayName}
        </h1>
        <span className="pb__demo" data-testid="patient-banner-demographics">
          <span>{genderText(i18n, c.gender)}</span>
          <span>{ageText(i18n, c.birthDate)}</span>
          {c.birthDate && <span>{t('banner.birthDate', { date: fmt.clinical(c.birthDate) })}</span>}
        </span>
        {c.otherNames.length > 0 && <span className="pb__other">({c.otherNames.join('，')})</span>}
        <span className={`pb__link pb__link--${c.link.outcome}`}>
          {c.link.outcome === 'possible' && <span aria-hidden="true">⚠ </span>}
          {linkText(i18n, c.link)}
        </span>
        <button type="button" className="pb__close" onClick={onClose} data-testid="patient-banner-close">
          {t('banner.close')}
        </button>
      </div>
      <div className="pb__meta">
        {c.identifiers.length > 0 && (
          <dl className="pb__ids" aria-label={t('banner.identifiers')}>
            {c.identifiers.map((id, i) => (
              <div key={`${id.sourceId}-${id.value}-${i}`} className="pb__id">
                <dt>{identifierLabel(id, nameOf)}</dt>
                <dd>{id.value}</dd>
              </div>
            ))}
          </dl>
        )}
        <div className="pb__sources">
          <span className="pb__k">{t('banner.foundIn')}</span>
          {wanted.map((id) => (
            <span key={id} className="pb__source" data-source-id={id}>
              {nameOf(id)}
            </span>
          ))}
        </div>
        <span className="pb__progress" role="status" data-testid="patient-banner-progress">
          {view.phase === 'opening' && t('banner.loading', { total: wanted.length, done })}
          {view.phase === 'open' && t('banner.loaded', { count: fmt.number(view.entries.length) })}
        </span>
      </div>
    </section>
  );
}
