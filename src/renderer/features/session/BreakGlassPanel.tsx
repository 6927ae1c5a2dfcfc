import { useState, type FormEvent } from 'react';
import { BREAK_GLASS_REASON_MIN } from '../../../shared/api/session.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { useApi } from '../../api/api-context.tsx';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

/**
 * Shown where the timeline would be when the rules deny this patient: why, and the emergency
 * way in — a stated reason, time-limited, flagged and audited.
 */
export function BreakGlassPanel({ refs, message, onGranted }: { refs: readonly SourcePatientRef[]; message: string; onGranted(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.breakGlass({ refs: refs.map((r) => ({ ...r })), reason });
      onGranted();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="break-glass" data-testid="access-denied" role="alert">
      <h2>{t('access.deniedTitle')}</h2>
      <p>{t('access.deniedExplain')}</p>
      {/* The explanation above is in the UI's language; main's own wording is for whoever investigates. */}
      {message && (
        <details className="break-glass__detail" data-testid="access-denied-details">
          <summary>{t('access.deniedDetails')}</summary>
          {message}
        </details>
      )}
      <form onSubmit={(e) => void submit(e)} className="break-glass__form">
        <label>
          <span>{t('access.breakGlassReason', { min: BREAK_GLASS_REASON_MIN })}</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500} data-testid="break-glass-reason" />
        </label>
        {error && <p className="signin__error">{error}</p>}
        <button
          type="submit"
          className="break-glass__button"
          disabled={busy || reason.trim().length < BREAK_GLASS_REASON_MIN}
          data-testid="break-glass-submit"
        >
          {t('access.breakGlass')}
        </button>
        <p className="break-glass__hint">{t('access.breakGlassHint')}</p>
      </form>
    </section>
  );
}
