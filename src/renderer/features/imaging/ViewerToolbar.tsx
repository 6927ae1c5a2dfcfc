import { useState } from 'react';
import type { ImagingLabel } from './imaging-words.ts';
import type { PrimaryTool, StackViewerActions, StackViewerState } from './use-stack-viewer.ts';
import type { WindowChoice } from './window-choices.ts';
import { WindowMenu } from './WindowMenu.tsx';

const TOOLS: readonly PrimaryTool[] = ['window-level', 'pan', 'zoom', 'length', 'angle', 'ellipse'];
const CINE_RATES = [5, 10, 15, 25] as const;

interface ViewerToolbarProps {
  viewer: StackViewerState;
  actions: StackViewerActions;
  /** The windows offered for the series shown (windowChoices). */
  windows: readonly WindowChoice[];
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
}

/** The mouse tools, invert and reset, the window menu, and cine with its frame rate. */
export function ViewerToolbar({ viewer, actions, windows, t }: ViewerToolbarProps) {
  const [fps, setFps] = useState<number>(10);
  return (
    <div className="imaging__toolbar" role="toolbar" aria-label={t('tools')}>
      {TOOLS.map((tool) => (
        <button
          key={tool}
          type="button"
          data-testid={`imaging-tool-${tool}`}
          aria-pressed={viewer.tool === tool}
          onClick={() => actions.setTool(tool)}
        >
          {t(`tool-${tool}` as ImagingLabel)}
        </button>
      ))}
      <button type="button" data-testid="imaging-tool-invert" aria-pressed={viewer.invert} onClick={actions.toggleInvert}>
        {t('tool-invert')}
      </button>
      <button type="button" data-testid="imaging-tool-reset" onClick={actions.reset}>
        {t('tool-reset')}
      </button>
      <span className="imaging__sep" role="separator" />
      <WindowMenu choices={windows} viewer={viewer} actions={actions} t={t} />
      <span className="imaging__sep" role="separator" />
      <button
        type="button"
        data-testid="imaging-cine"
        data-state={viewer.cineFps ? 'playing' : 'stopped'}
        aria-pressed={viewer.cineFps !== undefined}
        onClick={() => (viewer.cineFps ? actions.stop() : actions.play(fps))}
      >
        {viewer.cineFps ? t('stop') : t('cine')}
      </button>
      <label className="imaging__fps">
        {t('fps')}
        <select
          data-testid="imaging-cine-fps"
          value={fps}
          onChange={(e) => {
            const next = Number(e.target.value);
            setFps(next);
            if (viewer.cineFps) actions.play(next);
          }}
        >
          {CINE_RATES.map((r) => (
            <option key={r} value={r}>
              {r} fps
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
