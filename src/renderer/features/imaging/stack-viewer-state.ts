/** What the stack viewer shows and offers: its state, its actions, and the Cornerstone tools behind them. */
import { AngleTool, EllipticalROITool, LengthTool, PanTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import type { ImagingFailure } from './imaging-failure.ts';

export type PrimaryTool = 'window-level' | 'pan' | 'zoom' | 'length' | 'angle' | 'ellipse';

export const TOOL_NAMES: Record<PrimaryTool, string> = {
  'window-level': WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  ellipse: EllipticalROITool.toolName,
};
export const ANNOTATION_TOOLS = new Set([LengthTool.toolName, AngleTool.toolName, EllipticalROITool.toolName]);

export interface StackViewerState {
  ready: boolean;
  index: number;
  count: number;
  windowWidth?: number;
  windowCenter?: number;
  invert: boolean;
  tool: PrimaryTool;
  cineFps?: number;
  measurements: number;
  /** Rendered frames since the stack was set; tests wait on it instead of on timers. */
  renders: number;
  /** Why the current image could not be shown; cleared when an image is shown. */
  error?: ImagingFailure;
}

export type VoiRange = { lower: number; upper: number };

export interface StackViewerActions {
  scrollTo(index: number): void;
  scrollBy(delta: number): void;
  setWindow(width: number, center: number): void;
  toggleInvert(): void;
  reset(): void;
  setTool(tool: PrimaryTool): void;
  play(fps: number): void;
  stop(): void;
}

export const INITIAL: StackViewerState = {
  ready: false,
  index: 0,
  count: 0,
  invert: false,
  tool: 'window-level',
  measurements: 0,
  renders: 0,
};
