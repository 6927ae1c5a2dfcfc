import { LOCALES, isLocale, localeNames } from './catalogs.ts';
import { useI18n } from './i18n-context.tsx';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="app-language">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        data-testid="language-switch"
        value={locale}
        aria-label={t('app.language')}
        onChange={(e) => {
          if (isLocale(e.target.value)) setLocale(e.target.value);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
