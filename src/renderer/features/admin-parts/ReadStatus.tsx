import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** A console panel's read as it stands: loading, failed, or what the panel has to say once it is in. */
export function ReadStatus({
  loading,
  error,
  idle = '',
  testId,
}: {
  loading: boolean;
  error: string | undefined;
  /** Shown when the read is in and did not fail. */
  idle?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <span className="acon__status" role="status" data-testid={testId}>
      {loading ? t('console.loading') : error ? t('console.failed', { error }) : idle}
    </span>
  );
}

/**
 * A panel's top row: its own controls, "reload", then the read's status. `after` sits between
 * reload and the status (the Quality panel's export).
 */
export function ReloadBar({
  view,
  children,
  after,
  idle,
  statusTestId,
}: {
  view: { loading: boolean; error: string | undefined; reload(): void };
  children?: ReactNode;
  after?: ReactNode;
  idle?: string;
  statusTestId?: string;
}) {
  const { t } = useI18n();
  return (
    <div className="acon-config__bar">
      {children}
      <button type="button" className="acon__button" onClick={view.reload} disabled={view.loading}>
        {t('console.reload')}
      </button>
      {after}
      <ReadStatus
        loading={view.loading}
        error={view.error}
        {...(idle === undefined ? {} : { idle })}
        {...(statusTestId ? { testId: statusTestId } : {})}
      />
    </div>
  );
}
