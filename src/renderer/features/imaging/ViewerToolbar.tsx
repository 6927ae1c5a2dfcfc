import { useState } from 'react';
import type { ImagingLabel } from './imaging-words.ts';
import type { PrimaryTool, StackViewerActions, StackViewerState } from './use-stack-viewer.ts';
import type { WindowChoice } from './window-choices.ts';
import { WindowMenu } from './WindowMenu.tsx';
import { MoreTools } from './MoreTools.tsx';

/** On the row: what the mouse does all the time. Behind "More": the measurements, invert, reset, cine. */
const MAIN_TOOLS: readonly PrimaryTool[] = ['window-level', 'pan', 'zoom'];
const MORE_TOOLS: readonly PrimaryTool[] = ['length', 'angle', 'ellipse'];
const CINE_RATES = [5, 10, 15, 25] as const;

interface ViewerToolbarProps {
  viewer: StackViewerState;
  actions: StackViewerActions;
  /** The windows offered for the series shown (windowChoices). */
  windows: readonly WindowChoice[];
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
}

/** The mouse tools, the window menu, and behind "More" the measurements, invert, reset and cine with its frame rate. */
export function ViewerToolbar({ viewer, actions, windows, t }: ViewerToolbarProps) {
  const [fps, setFps] = useState<number>(10);
  const toolButton = (tool: PrimaryTool) => (
    <button
      key={tool}
      type="button"
      data-testid={`imaging-tool-${tool}`}
      aria-pressed={viewer.tool === tool}
      onClick={() => actions.setTool(tool)}
    >
      {t(`tool-${tool}` as ImagingLabel)}
    </button>
  );
  const measuring = MORE_TOOLS.includes(viewer.tool);
  return (
    <div className="imaging__toolbar" role="toolbar" aria-label={t('tools')}>
      {MAIN_TOOLS.map(toolButton)}
      <MoreTools label={measuring ? t(`tool-${viewer.tool}` as ImagingLabel) : t('more-tools')} active={measuring}>
        {MORE_TOOLS.map(toolButton)}
        <SecondaryTools viewer={viewer} actions={actions} t={t} fps={fps} setFps={setFps} />
        <span className="imaging__shortcuts" data-testid="imaging-shortcuts" title={t('shortcuts-help')}>
          ⌨ {t('shortcuts')}
        </span>
      </MoreTools>
      <span className="imaging__sep" role="separator" />
      <WindowMenu choices={windows} viewer={viewer} actions={actions} t={t} />
    </div>
  );
}

interface SecondaryToolsProps extends Omit<ViewerToolbarProps, 'windows'> {
  fps: number;
  setFps(fps: number): void;
}

/** Invert, reset, and cine with its frame rate. */
function SecondaryTools({ viewer, actions, t, fps, setFps }: SecondaryToolsProps) {
  return (
    <>
      <button type="button" data-testid="imaging-tool-invert" aria-pressed={viewer.invert} onClick={actions.toggleInvert}>
        {t('tool-invert')}
      </button>
      <button type="button" data-testid="imaging-tool-reset" onClick={actions.reset}>
        {t('tool-reset')}
      </button>
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
    </>
  );
}
