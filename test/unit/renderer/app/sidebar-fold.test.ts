import { describe, expect, it } from 'vitest';
import { sidebarShown } from '../../../../src/renderer/app/sidebar-fold.ts';

const base = { chosenOpen: true, viewerShown: false, narrow: true, unfoldedForViewer: false };

describe('sidebarShown', () => {
  it('folds the search away while the viewer is shown on a narrow window', () => {
    expect(sidebarShown({ ...base, viewerShown: true })).toEqual({ open: false, foldedForViewer: true });
  });
  it('opens again on demand, whatever the remembered choice', () => {
    expect(sidebarShown({ ...base, viewerShown: true, unfoldedForViewer: true })).toEqual({ open: true, foldedForViewer: false });
    expect(sidebarShown({ ...base, chosenOpen: false, viewerShown: true, unfoldedForViewer: true }).open).toBe(true);
  });
  it('keeps to the reader’s own choice on other views and on a wide window', () => {
    expect(sidebarShown(base)).toEqual({ open: true, foldedForViewer: false });
    expect(sidebarShown({ ...base, chosenOpen: false })).toEqual({ open: false, foldedForViewer: false });
    expect(sidebarShown({ ...base, viewerShown: true, narrow: false })).toEqual({ open: true, foldedForViewer: false });
  });
});
