import { useState } from 'react';
import type { ImagingLabel } from './imaging-words.ts';
import type { PrimaryTool, StackViewerActions, StackViewerState } from './use-stack-viewer.ts';
import { WINDOW_PRESETS } from './window-presets.ts';

const TOOLS: readonly PrimaryTool[] = ['window-level', 'pan', 'zoom', 'length', 'angle', 'ellipse'];
const CINE_RATES = [5, 10, 15, 25] as const;

interface ViewerToolbarProps {
  viewer: StackViewerState;
  actions: StackViewerActions;
  t: (key: ImagingLabel) => string;
}

/** The mouse tools, invert and reset, window presets, and cine with its frame rate. */
export function ViewerToolbar({ viewer, actions, t }: ViewerToolbarProps) {
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
      {WINDOW_PRESETS.map((p) => (
        <button
          key={p.name}
          type="button"
          data-testid={`imaging-preset-${p.name}`}
          title={`${p.width}/${p.center}`}
          onClick={() => actions.setWindow(p.width, p.center)}
        >
          {t(`preset-${p.name}` as ImagingLabel)}
        </button>
      ))}
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
