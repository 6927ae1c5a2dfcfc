import { useCallback, useState } from 'react';

const NONE: ReadonlySet<string> = new Set();

/**
 * The series of the selected study whose images failed (as their thumbnails found), so the
 * failure message offers only series that may still open. Tagged with the study: a switch
 * starts from none without a reset.
 */
export function useFailedSeries(studyUid: string | undefined) {
  const [failed, setFailed] = useState<{ studyUid: string; uids: ReadonlySet<string> }>();
  const onSeriesState = useCallback((study: string, seriesUid: string, state: 'ready' | 'failed') => {
    setFailed((prev) => {
      const uids = new Set(prev?.studyUid === study ? prev.uids : NONE);
      if (state === 'failed') uids.add(seriesUid);
      else uids.delete(seriesUid);
      return { studyUid: study, uids };
    });
  }, []);
  return { failedSeries: failed && failed.studyUid === studyUid ? failed.uids : NONE, onSeriesState };
}
