/**
 * Below this window width the imaging viewer needs the search sidebar's 320 px: at 1280 px the
 * studies list, a 1×2 comparison and the report share what is left, and the images were the
 * ones to shrink. From 1440 px on there is room for all of them.
 */
export const VIEWER_NEEDS_WIDTH_BELOW = 1440;

export interface SidebarInputs {
  /** The reader's own choice, remembered on this workstation. */
  chosenOpen: boolean;
  /** The imaging viewer is the view on screen. */
  viewerShown: boolean;
  /** The window is narrower than VIEWER_NEEDS_WIDTH_BELOW. */
  narrow: boolean;
  /** The reader opened the sidebar again while it was folded for the viewer. */
  unfoldedForViewer: boolean;
}

/**
 * Whether the sidebar shows, and whether it is folded for the viewer rather than by choice. The
 * fold is derived, never stored: it ends with the viewer or on a wide enough window, and the
 * remembered choice is what comes back.
 */
export function sidebarShown(inputs: SidebarInputs): { open: boolean; foldedForViewer: boolean } {
  const auto = inputs.viewerShown && inputs.narrow;
  if (!auto) return { open: inputs.chosenOpen, foldedForViewer: false };
  return { open: inputs.unfoldedForViewer, foldedForViewer: !inputs.unfoldedForViewer };
}
