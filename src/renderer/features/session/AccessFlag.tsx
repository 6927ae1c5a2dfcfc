import type { PatientAccess } from '../../../shared/api/session.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';

/** In the banner: on what grounds the record is shown; break-the-glass is unmissable. */
export function AccessFlag({ access }: { access: PatientAccess }) {
  const { t, fmt } = useI18n();
  return (
    <span className="access-flags">
      {access.basis === 'break-glass' ? (
        <span className="access-flag access-flag--btg" data-testid="access-break-glass" title={access.reason}>
          {t('access.breakGlassActive', { until: access.until ? fmt.time(new Date(access.until)) : '' })}
        </span>
      ) : (
        <span className="access-flag" data-testid="access-basis">
          {t(`access.basis.${access.basis}`)}
        </span>
      )}
      {access.withheldTypes.length > 0 && (
        <span className="access-flag access-flag--withheld" data-testid="access-withheld" title={access.withheldTypes.join(', ')}>
          {t('access.withheld', { count: access.withheldTypes.length })}
        </span>
      )}
      {access.masked && (
        <span className="access-flag access-flag--masked" data-testid="access-masked">
          {/* The roles' level hides only the 身份证; saying "identity masked" there would send a nurse looking for a name that is on screen. */}
          {t(access.maskLevel === 'national-id' ? 'access.maskedNationalId' : 'access.masked')}
        </span>
      )}
    </span>
  );
}
