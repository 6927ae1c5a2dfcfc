import type { CompareLayout } from './compare-layout.ts';
import type { ImagingLabel } from './imaging-words.ts';

const LAYOUTS: readonly { layout: CompareLayout; key: string }[] = [
  { layout: '1x1', key: '1' },
  { layout: '1x2', key: '2' },
  { layout: '2x2', key: '4' },
];

export interface CompareBarProps {
  layout: CompareLayout;
  scrollLinked: boolean;
  windowLinked: boolean;
  fullscreen: boolean;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
  setLayout(layout: CompareLayout): void;
  toggleScrollLinked(): void;
  toggleWindowLinked(): void;
  toggleFullscreen(): void;
}

/** Layout, the two links between viewports and full screen, each with its key in the tooltip (the keys' help is under "More"). */
export function CompareBar(props: CompareBarProps) {
  const { layout, t } = props;
  const withKey = (label: string, key: string) => t('shortcut', { label, key });
  return (
    <div className="imaging__toolbar imaging__comparebar" role="toolbar" aria-label={t('compare-tools')}>
      {/* Named for a screen reader; the three buttons say what they are to the eye. */}
      <span className="imaging__sr-only">{t('layout')}</span>
      {LAYOUTS.map((l) => (
        <button
          key={l.layout}
          type="button"
          data-testid={`imaging-layout-${l.layout}`}
          aria-pressed={layout === l.layout}
          title={withKey(l.layout.replace('x', '×'), l.key)}
          onClick={() => props.setLayout(l.layout)}
        >
          {l.layout.replace('x', '×')}
        </button>
      ))}
      <span className="imaging__sep" role="separator" />
      <button
        type="button"
        data-testid="imaging-sync-scroll"
        aria-pressed={props.scrollLinked}
        title={withKey(t('sync-scroll'), 'S')}
        onClick={props.toggleScrollLinked}
      >
        {t('sync-scroll')}
      </button>
      <button
        type="button"
        data-testid="imaging-link-window"
        aria-pressed={props.windowLinked}
        title={withKey(t('link-window'), 'W')}
        onClick={props.toggleWindowLinked}
      >
        {t('link-window')}
      </button>
      <span className="imaging__sep" role="separator" />
      <button
        type="button"
        data-testid="imaging-fullscreen"
        aria-pressed={props.fullscreen}
        title={withKey(t(props.fullscreen ? 'exit-fullscreen' : 'fullscreen'), props.fullscreen ? 'Esc' : 'F')}
        onClick={props.toggleFullscreen}
      >
        {/* A sign the width of a letter; its name is read out and is the tooltip. */}
        <span className="imaging__icon" aria-hidden="true">
          {props.fullscreen ? '⤡' : '⤢'}
        </span>
        <span className="imaging__sr-only">{t(props.fullscreen ? 'exit-fullscreen' : 'fullscreen')}</span>
      </button>
    </div>
  );
}
