import { useEffect } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** Back to the ward list from an open patient: a button and Alt+W (closing the patient). */
export function WorklistBack({ onBack }: { onBack(): void }) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === 'w' || e.key === 'W' || e.code === 'KeyW')) {
        e.preventDefault();
        onBack();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);
  return (
    <button type="button" className="wl-back" onClick={onBack} title={`${t('worklist.back')} (Alt+W)`} data-testid="worklist-back">
      ← {t('worklist.back')}
    </button>
  );
}
