import { useI18n } from '../../i18n/i18n-context.tsx';

/** The time range a console chart shows, as a radio group of buttons; `label` words each range. */
export function RangeChoice<R extends string>({
  ranges,
  value,
  onChange,
  label,
  testIdPrefix,
}: {
  ranges: readonly R[];
  value: R;
  onChange(range: R): void;
  label(range: R): string;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <div className="acon-history__ranges" role="radiogroup" aria-label={t('console.health.range')}>
      {ranges.map((r) => (
        <button
          key={r}
          type="button"
          role="radio"
          aria-checked={r === value}
          className="acon-history__range"
          data-testid={`${testIdPrefix}${r}`}
          onClick={() => onChange(r)}
        >
          {label(r)}
        </button>
      ))}
    </div>
  );
}
