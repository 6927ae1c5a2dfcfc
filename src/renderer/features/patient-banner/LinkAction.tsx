import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { errorText } from '../../i18n/error-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useSession } from '../session/session-context.tsx';

export interface LinkActionProps {
  label: string;
  /** The question the confirmation step asks. */
  prompt: string;
  confirmLabel: string;
  /** Runs the action with the note (may be empty); a rejection is shown, the step stays open. */
  onConfirm(note: string): Promise<void>;
  testId: string;
  tone?: 'danger' | 'normal';
}

/**
 * A link action with a confirmation step: the button opens a small inline form (question,
 * optional note, confirm/cancel). Escape cancels. Clicks and keys stay inside it, so it can sit
 * in a clickable search-result row without opening the patient.
 */
export function LinkAction(props: LinkActionProps) {
  // Linking records is a doctor's decision: other roles do not get the control at all.
  return useSession().capabilities.includes('link') ? <LinkActionControl {...props} /> : null;
}

function LinkActionControl({ label, prompt, confirmLabel, onConfirm, testId, tone = 'normal' }: LinkActionProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const noteRef = useRef<HTMLInputElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (open) noteRef.current?.focus();
  }, [open]);

  const stop = (e: MouseEvent | KeyboardEvent) => e.stopPropagation();
  const cancel = () => {
    setOpen(false);
    setNote('');
    setError(undefined);
    triggerRef.current?.focus();
  };
  const submit = () => {
    setBusy(true);
    setError(undefined);
    onConfirm(note.trim()).then(
      () => {
        setBusy(false);
        setOpen(false);
        setNote('');
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(i18n, e));
      },
    );
  };

  if (!open) {
    return (
      <button
        ref={triggerRef}
        type="button"
        className={`la__trigger la__trigger--${tone}`}
        data-testid={testId}
        onClick={(e) => {
          stop(e);
          setOpen(true);
        }}
        onKeyDown={stop}
      >
        {label}
      </button>
    );
  }
  return (
    <div
      className="la__step"
      role="group"
      aria-labelledby={`${id}-prompt`}
      data-testid={`${testId}-step`}
      onClick={stop}
      onKeyDown={(e) => {
        stop(e);
        if (e.key === 'Escape') cancel();
      }}
    >
      <span id={`${id}-prompt`} className="la__prompt">
        {prompt}
      </span>
      <input
        ref={noteRef}
        className="la__note"
        type="text"
        maxLength={500}
        placeholder={t('links.note')}
        aria-label={t('links.note')}
        data-testid={`${testId}-note`}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button
        type="button"
        className={`la__confirm la__confirm--${tone}`}
        disabled={busy}
        data-testid={`${testId}-confirm`}
        onClick={submit}
      >
        {busy ? t('links.working') : confirmLabel}
      </button>
      <button type="button" className="la__cancel" disabled={busy} onClick={cancel}>
        {t('links.cancel')}
      </button>
      {error && (
        <span className="la__error" role="alert">
          {t('links.failed', { message: error })}
        </span>
      )}
    </div>
  );
}
