import type { SourceStatus } from '../../../shared/domain/source.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { outageOf, type DownSource } from './outage.ts';
import { sourceErrorText } from './source-error-text.ts';
import { useSources } from './sources-context.tsx';

function DownLine({ d }: { d: DownSource }) {
  const { t, fmt } = useI18n();
  const text =
    d.reading === 'cached'
      ? t('outage.cached', { name: d.name, time: d.cachedAsOf ? fmt.dateTime(d.cachedAsOf) : t('outage.unknownTime') })
      : d.reading === 'paused'
        ? t('outage.paused', { name: d.name })
        : t('outage.failed', { name: d.name });
  return (
    <li
      data-testid="outage-source"
      data-source-id={d.sourceId}
      data-reading={d.reading}
      title={d.reason ? sourceErrorText({ t, fmt }, d.reason) : undefined}
    >
      {text}
    </li>
  );
}

/**
 * Says at a glance which of the open patient's systems are not answering and what is shown in
 * their place, so cached data is never mistaken for current data.
 */
export function OutageBanner({ sources }: { sources: readonly SourceStatus[] }) {
  const { t } = useI18n();
  const outage = outageOf(sources);
  if (outage.down.length === 0) return null;
  return (
    <div
      className={`outage${outage.allDown ? ' outage--all' : ''}`}
      role="alert"
      data-testid="outage-banner"
      data-all-down={outage.allDown ? 'true' : undefined}
    >
      <strong className="outage__head">{t(outage.allDown ? 'outage.allDown' : 'outage.someDown')}</strong>
      <ul className="outage__list">
        {outage.down.map((d) => (
          <DownLine key={d.sourceId} d={d} />
        ))}
      </ul>
    </div>
  );
}

/** With no patient open: every system the workstation knows is down. */
export function GlobalOutageBanner() {
  const { t } = useI18n();
  const outage = outageOf(useSources());
  if (!outage.allDown) return null;
  return (
    <div className="outage outage--all outage--global" role="alert" data-testid="global-outage-banner">
      <strong className="outage__head">{t('outage.global')}</strong>
    </div>
  );
}
