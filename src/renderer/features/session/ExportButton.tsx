import { useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { errorText } from '../../i18n/error-text.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** De-identified export of the open patient's timeline (FHIR) or one study (DICOM PS3.15); main writes it. */
export function ExportButton({
  viewId,
  kind,
  studyInstanceUid,
  testId,
}: {
  viewId: string;
  kind: 'timeline' | 'study';
  studyInstanceUid?: string;
  testId: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const run = async () => {
    setStatus({ ok: true, text: t('export.running') });
    try {
      const res = await api.exportDeidentified({ viewId, kind, ...(studyInstanceUid ? { studyInstanceUid } : {}) });
      setStatus({
        ok: res.failures.length === 0,
        text:
          t('export.done', { files: res.files, directory: res.directory }) + (res.failures.length ? ` — ${res.failures.join('; ')}` : ''),
      });
    } catch (e) {
      setStatus({ ok: false, text: errorText(i18n, e) });
    }
  };
  return (
    <span className="export">
      <button type="button" onClick={() => void run()} data-testid={testId}>
        {kind === 'timeline' ? t('export.timeline') : t('export.study')}
      </button>
      {status && (
        <span className={`export__status${status.ok ? '' : ' export__status--error'}`} role="status" data-testid={`${testId}-status`}>
          {status.text}
        </span>
      )}
    </span>
  );
}
