import type { ImagingLabel } from './imaging-words.ts';
import type { StackViewerActions, StackViewerState } from './stack-viewer-state.ts';
import { currentWindow, type WindowChoice } from './window-choices.ts';

interface WindowMenuProps {
  choices: readonly WindowChoice[];
  viewer: StackViewerState;
  actions: StackViewerActions;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
}

const numbersOf = (width: number, center: number) => `${Math.round(width)}/${Math.round(center)}`;

/**
 * The window presets as one menu: a native select, so the keyboard, screen readers and the
 * platform's own list work as everywhere else. What it shows is derived from the readout, so a
 * drag or a wheel that changes the window shows "Custom" with the numbers, never a stale name.
 */
export function WindowMenu({ choices, viewer, actions, t }: WindowMenuProps) {
  const current = currentWindow(choices, viewer.windowWidth, viewer.windowCenter);
  const label = (c: WindowChoice) => `${c.name === 'image' ? t('window-image') : t(`preset-${c.name}`)} ${numbersOf(c.width, c.center)}`;
  return (
    <select
      className="imaging__window-menu"
      data-testid="imaging-preset"
      data-current={current ?? ''}
      aria-label={t('presets')}
      title={t('presets')}
      value={current ?? ''}
      disabled={current === undefined}
      onChange={(e) => {
        const chosen = choices.find((c) => c.name === e.target.value);
        if (chosen) actions.setWindow(chosen.width, chosen.center);
      }}
    >
      {current === undefined && <option value="">{t('presets')}</option>}
      {choices.map((c) => (
        <option key={c.name} value={c.name} data-testid={`imaging-preset-${c.name}`}>
          {label(c)}
        </option>
      ))}
      {current === 'custom' && viewer.windowWidth !== undefined && viewer.windowCenter !== undefined && (
        <option value="custom" disabled>
          {t('window-custom', { window: numbersOf(viewer.windowWidth, viewer.windowCenter) })}
        </option>
      )}
    </select>
  );
}
