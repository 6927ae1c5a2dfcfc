import { useCallback, useState } from 'react';
import type { ConfigEntry, ConfigurationView, MessageCounters } from '../../../shared/api/admin-console.ts';
import { useApi } from '../../api/api-context.tsx';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';
import { ReloadBar } from '../admin-parts/index.ts';

const COUNTERS: readonly (keyof MessageCounters)[] = ['received', 'stored', 'duplicates', 'rejected', 'deadLettered'];

function bytes({ fmt }: Pick<I18n, 'fmt'>, value: number): string {
  if (value >= 1_048_576) return fmt.number(value / 1_048_576, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  return fmt.number(value / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
}

/** A setting's value, or for a secret only where it is kept: a vault name, a variable, a file. */
function valueText({ t }: Pick<I18n, 't'>, entry: ConfigEntry): string {
  if (entry.secret) return t(`console.config.secret.${entry.secret.kind}`, { ref: entry.secret.ref ?? '' });
  return entry.value === null || entry.value === undefined ? '—' : String(entry.value);
}

/**
 * Configuration: the settings as loaded (secrets as references only — main never sends a value),
 * the validation result, the push channels' counters since this start, and the cache's size.
 */
export function ConfigurationPanel() {
  const api = useApi();
  const read = useCallback(() => api.adminConfiguration({}), [api]);
  const view = useApiRead(read);
  return (
    <div className="acon-config" data-testid="console-configuration" data-loading={view.loading}>
      <ReloadBar view={view} />
      {view.value && (
        <>
          <Validation validation={view.value.validation} />
          <Channels view={view.value} />
          <CacheFigures cache={view.value.cache} />
          <Settings entries={view.value.entries} />
        </>
      )}
    </div>
  );
}

function Validation({ validation }: { validation: ConfigurationView['validation'] }) {
  const { t } = useI18n();
  return (
    <section className="acon-block" aria-labelledby="acon-validation" data-testid="console-validation" data-valid={validation.valid}>
      <h2 id="acon-validation" className="acon__subtitle">
        {t('console.config.validation')}
      </h2>
      <p className={validation.valid ? 'acon__good' : 'acon__bad'}>
        {validation.valid ? t('console.config.valid') : t('console.config.invalid')}
        {!validation.valid && ` · ${t('console.config.problems', { count: validation.problems.length })}`}
      </p>
      {validation.problems.length > 0 && (
        <ul className="acon-list">
          {validation.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      <h3 className="acon__minor">{t('console.config.warnings')}</h3>
      {validation.warnings.length === 0 ? (
        <p className="acon__note">{t('console.config.noWarnings')}</p>
      ) : (
        <ul className="acon-list" data-testid="console-warnings">
          {validation.warnings.map((w) => (
            <li key={`${w.code}:${w.path}`}>
              {t(`console.config.warning.${w.code}`)} <code>{w.path}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Channels({ view }: { view: ConfigurationView }) {
  const { t, fmt } = useI18n();
  const rows = [
    {
      id: 'inbound',
      label: t('console.config.inbound'),
      enabled: view.inbound.enabled,
      detail: view.inbound.address,
      counters: view.inbound.counters,
    },
    {
      id: 'broker',
      label: t('console.config.broker'),
      enabled: view.broker.enabled,
      detail: view.broker.state,
      counters: view.broker.counters,
    },
  ];
  return (
    <section className="acon-block" aria-labelledby="acon-channels">
      <h2 id="acon-channels" className="acon__subtitle">
        {t('console.config.channels')}
      </h2>
      <table className="acon-table" data-testid="console-channels">
        <thead>
          <tr>
            <th scope="col">{t('console.config.channel')}</th>
            {COUNTERS.map((c) => (
              <th key={c} scope="col">
                {t(`console.config.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid={`console-channel-${row.id}`} data-enabled={row.enabled}>
              <th scope="row">
                {row.label}
                <span className="acon__muted"> {row.enabled ? (row.detail ?? '') : t('console.config.notEnabled')}</span>
              </th>
              {COUNTERS.map((c) => (
                <td key={c}>{fmt.number(row.counters[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CacheFigures({ cache }: { cache: ConfigurationView['cache'] }) {
  const words = useI18n();
  const { t, fmt } = words;
  const figures: [string, string][] = cache.enabled
    ? [
        [t('console.config.cache.patients'), fmt.number(cache.patients)],
        [t('console.config.cache.records'), fmt.number(cache.records)],
        [t('console.config.cache.size'), cache.databaseBytes !== undefined ? bytes(words, cache.databaseBytes) : '—'],
        [
          t('console.config.cache.images'),
          t('console.config.cache.imagesValue', { count: fmt.number(cache.blobs), size: bytes(words, cache.blobBytes) }),
        ],
        [
          t('console.config.cache.retention'),
          cache.retentionDays !== undefined ? t('console.config.cache.retentionDays', { days: fmt.number(cache.retentionDays) }) : '—',
        ],
        [t('console.config.cache.purgeOnLogout'), cache.purgeOnLogout ? t('console.config.yes') : t('console.config.no')],
      ]
    : [];
  return (
    <section className="acon-block" aria-labelledby="acon-cache" data-testid="console-cache" data-patients={cache.patients}>
      <h2 id="acon-cache" className="acon__subtitle">
        {t('console.config.cache')}
      </h2>
      {cache.enabled ? (
        <dl className="acon-figures">
          {figures.map(([label, value]) => (
            <div key={label} className="acon-figures__item">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="acon__note">{t('console.config.cacheDisabled')}</p>
      )}
    </section>
  );
}

function Settings({ entries }: { entries: readonly ConfigEntry[] }) {
  const words = useI18n();
  const { t, fmt } = words;
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle ? entries.filter((e) => `${e.path} ${valueText(words, e)}`.toLowerCase().includes(needle)) : entries;
  return (
    <section className="acon-block" aria-labelledby="acon-settings">
      <header className="acon-config__bar">
        <h2 id="acon-settings" className="acon__subtitle">
          {t('console.config.loaded')}
        </h2>
        <input
          type="search"
          className="acon__filter"
          placeholder={t('console.config.filter')}
          aria-label={t('console.config.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="acon__muted">
          {t('console.config.count', { shown: fmt.number(shown.length), total: fmt.number(entries.length) })}
        </span>
      </header>
      <table className="acon-table acon-table--settings" data-testid="console-settings">
        <thead>
          <tr>
            <th scope="col">{t('console.config.path')}</th>
            <th scope="col">{t('console.config.value')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.path} data-testid="console-setting" data-secret={e.secret?.kind}>
              <th scope="row">
                <code>{e.path}</code>
              </th>
              <td className={e.secret ? 'acon__secret' : undefined}>{valueText(words, e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
