import type { RenderingPath } from './cornerstone-setup.ts';
import type { ImagingLabel } from './imaging-words.ts';
import { priorStudies, type ImagingStudyRef } from './imaging-study-refs.ts';
import { startSeriesDrag } from './compare-drag.ts';
import { SeriesThumbnail } from './SeriesThumbnail.tsx';
import type { StudySeries } from './use-study-series.ts';

/** Modalities then description, without repeating a modality the description starts with ("CT 胸部平扫"). */
function studyTitle(s: ImagingStudyRef): string {
  const modalities = s.modalities.join('/');
  return modalities && !s.description.startsWith(s.modalities[0] ?? '') ? `${modalities} ${s.description}` : s.description;
}

interface StudySidebarProps {
  studies: readonly ImagingStudyRef[];
  selection: StudySeries;
  rendering: RenderingPath | undefined;
  locale: string;
  t: (key: ImagingLabel) => string;
  /** Shows the study beside the current one ("对比"); studies and series can also be dragged onto a viewport. */
  onCompare?(studyUid: string): void;
  /** A series' thumbnail drew or failed. */
  onSeriesState?(studyUid: string, seriesUid: string, state: 'ready' | 'failed'): void;
}

/** The studies (with the prior of the same modality one click away) and the thumbnails of the selected study's series. */
export function StudySidebar({ studies, selection, rendering, locale, t, onCompare, onSeriesState }: StudySidebarProps) {
  const { studyUid, study, seriesList, seriesUid } = selection;
  const priors = study ? priorStudies(study, studies) : [];
  return (
    <aside className="imaging__side">
      <h3 className="imaging__heading">{t('studies')}</h3>
      <ul className="imaging__studies">
        {studies.map((s) => (
          <li key={s.studyUid} className="imaging__study-row">
            <button
              type="button"
              className="imaging__study"
              data-testid="imaging-study"
              data-study-uid={s.studyUid}
              aria-pressed={s.studyUid === studyUid}
              draggable={onCompare !== undefined}
              onDragStart={(e) => startSeriesDrag(e, { studyUid: s.studyUid })}
              onClick={() => selection.selectStudy(s.studyUid)}
            >
              <span className="imaging__study-date">{s.started?.slice(0, 10) ?? ''}</span> {studyTitle(s)}
            </button>
            {onCompare && s.studyUid !== studyUid && (
              <button
                type="button"
                className="imaging__compare"
                data-testid="imaging-compare-study"
                data-study-uid={s.studyUid}
                title={t('compare-title')}
                onClick={() => onCompare(s.studyUid)}
              >
                {t('compare')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="imaging__prior"
        data-testid="imaging-open-prior"
        disabled={priors.length === 0}
        title={priors.length === 0 ? t('noPrior') : undefined}
        onClick={() => priors[0] && selection.selectStudy(priors[0].studyUid)}
      >
        {priors.length === 0 ? t('noPrior') : `${t('prior')} (${priors[0]!.started?.slice(0, 10) ?? ''})`}
      </button>
      <h3 className="imaging__heading">{t('series')}</h3>
      <div className="imaging__thumbs">
        {seriesList.state === 'ready' &&
          rendering &&
          seriesList.study.studyUid === studyUid &&
          seriesList.series.map((s) => (
            <SeriesThumbnail
              key={`${studyUid}/${s.seriesUid}`}
              summary={s}
              series={selection.seriesPromise(seriesList.study, s)}
              rendering={rendering}
              locale={locale}
              active={s.seriesUid === seriesUid}
              onSelect={() => selection.selectSeries(s.seriesUid)}
              onDragStart={(e) => startSeriesDrag(e, { studyUid: seriesList.study.studyUid, seriesUid: s.seriesUid })}
              onState={(state) => onSeriesState?.(seriesList.study.studyUid, s.seriesUid, state)}
            />
          ))}
      </div>
    </aside>
  );
}
