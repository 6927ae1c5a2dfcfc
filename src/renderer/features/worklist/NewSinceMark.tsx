import { useI18n } from '../../i18n/i18n-context.tsx';
import { useLastLook } from './last-look.ts';

/** "新": the entry happened after the user last looked at this patient (opened from the worklist). */
export function NewSinceMark({ time }: { time: string | undefined }) {
  const since = useLastLook();
  const { t } = useI18n();
  if (!since || !time || !(Date.parse(time) > Date.parse(since))) return null;
  return (
    <span className="wl-new" data-testid="new-since-mark" title={t('worklist.newSinceTitle')}>
      {t('worklist.newSince')}
    </span>
  );
}
