/**
 * Which slices of one stack are decoded in Cornerstone's cache now. "Arrived" (the response is
 * in) is not "scrollable": the frame still waits for a decode worker and the cache. Readers and
 * the bench wait on this count instead, so a figure for "all slices" means every slice can be
 * shown without a fetch or a decode.
 */
export interface DecodedTally {
  /** A frame entered the cache; true when it is one of this stack's and was not counted yet. */
  loaded(imageId: string): boolean;
  /** A frame left the cache; true when it was counted. */
  removed(imageId: string): boolean;
  readonly count: number;
  readonly total: number;
}

export function createDecodedTally(imageIds: readonly string[], alreadyLoaded: (imageId: string) => boolean): DecodedTally {
  const wanted = new Set(imageIds);
  const decoded = new Set(imageIds.filter(alreadyLoaded));
  return {
    loaded(imageId) {
      if (!wanted.has(imageId) || decoded.has(imageId)) return false;
      decoded.add(imageId);
      return true;
    },
    removed: (imageId) => decoded.delete(imageId),
    get count() {
      return decoded.size;
    },
    total: wanted.size,
  };
}
