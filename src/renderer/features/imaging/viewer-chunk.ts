/**
 * What the viewer's lazy chunk (Cornerstone3D, its loader and tools: megabytes) offers the app
 * shell: the panel, and Cornerstone's start so it can run before the panel is first shown.
 */
export { ImagingPanel } from './ImagingPanel.tsx';
export { ensureCornerstone } from './cornerstone-setup.ts';
