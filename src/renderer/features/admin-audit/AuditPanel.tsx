import { Fragment, useCallback, useState, type FormEvent } from 'react';
import type { AuditRow, AuditSearchRequest } from '../../../shared/api/admin-insight.ts';
import { AuditActionSchema } from '../../../shared/domain/audit-action.ts';
import { useApi } from '../../api/api-context.tsx';
import { ApiError } from '../../api/api-error.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';
import { AuditStatusBlock } from './AuditStatusBlock.tsx';
import './admin-audit.css';
import { ReadStatus } from '../admin-parts/index.ts';

const ACTIONS = AuditActionSchema.options;
const PAGE_SIZE = 25;
const actionKey = (action: string): MessageKey =>
  (ACTIONS as readonly string[]).includes(action) ? (`console.audit.action.${action}` as MessageKey) : 'console.audit.col.action';

/** What main refuses as a pattern rather than one record's id (AuditSearchRequestSchema). */
const WILDCARD = /[*?%]/;

/** A datetime-local value (the workstation's own clock) as an ISO instant. */
const isoOf = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/**
 * Audit: the chain's state (the checks of `huizhen audit verify`), the forwarding spool, and the
 * trail searched by user, patient reference, action and time — newest first, paged, patients as
 * masked references. Every search is itself an audit event (main records it before reading).
 */
export function AuditPanel() {
  const { t } = useI18n();
  const [form, setForm] = useState({ userId: '', sourceId: '', patientId: '', action: '', since: '', until: '' });
  const [query, setQuery] = useState<AuditSearchRequest>({ page: 0, pageSize: PAGE_SIZE });
  const [searches, setSearches] = useState(0);
  const [wildcard, setWildcard] = useState(false);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    const pattern = WILDCARD.test(form.sourceId) || WILDCARD.test(form.patientId);
    setWildcard(pattern);
    if (pattern) return;
    const since = isoOf(form.since);
    const until = isoOf(form.until);
    const action = AuditActionSchema.safeParse(form.action);
    setQuery({
      page: 0,
      pageSize: PAGE_SIZE,
      ...(form.userId.trim() ? { userId: form.userId.trim() } : {}),
      ...(form.sourceId.trim() && form.patientId.trim()
        ? { patient: { sourceId: form.sourceId.trim(), sourcePatientId: form.patientId.trim() } }
        : {}),
      ...(action.success ? { actions: [action.data] } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    setSearches((n) => n + 1);
  }

  return (
    <div className="aa" data-testid="console-audit">
      {/* Re-read after each search: the search itself is a new event on the chain. */}
      <AuditStatusBlock key={searches} />
      <section className="acon-block" aria-labelledby="aa-search">
        <h2 id="aa-search" className="acon__subtitle">
          {t('console.audit.search')}
        </h2>
        <form className="aa__form" onSubmit={submit} data-testid="audit-search-form">
          <label>
            {t('console.audit.user')}
            <input className="acon__filter" value={form.userId} onChange={set('userId')} data-testid="audit-user" />
          </label>
          <label>
            {t('console.audit.action')}
            <select className="acon__filter" value={form.action} onChange={set('action')} data-testid="audit-action">
              <option value="">{t('console.audit.anyAction')}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(actionKey(a))}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('console.audit.patientSource')}
            <input className="acon__filter" value={form.sourceId} onChange={set('sourceId')} data-testid="audit-patient-source" />
          </label>
          <label>
            {t('console.audit.patientId')}
            <input
              className="acon__filter"
              value={form.patientId}
              onChange={set('patientId')}
              data-testid="audit-patient-id"
              autoComplete="off"
            />
          </label>
          <label>
            {t('console.audit.since')}
            <input type="datetime-local" className="acon__filter" value={form.since} onChange={set('since')} data-testid="audit-since" />
          </label>
          <label>
            {t('console.audit.until')}
            <input type="datetime-local" className="acon__filter" value={form.until} onChange={set('until')} data-testid="audit-until" />
          </label>
          <button type="submit" className="acon__button" data-testid="audit-submit">
            {t('console.audit.submit')}
          </button>
        </form>
        <p className="acon__note">{t('console.audit.searchNote')}</p>
        {wildcard && (
          <p className="acon__bad" role="alert" data-testid="audit-wildcard">
            {t('console.audit.wildcard')}
          </p>
        )}
        <AuditResults query={query} onPage={(page) => setQuery({ ...query, page })} />
      </section>
    </div>
  );
}

function AuditResults({ query, onPage }: { query: AuditSearchRequest; onPage(page: number): void }) {
  const api = useApi();
  const { t, fmt } = useI18n();
  const read = useCallback(
    () =>
      api.adminAuditSearch(query).catch((error: unknown) => {
        // Main's refusal is a code; the words are the renderer's.
        throw error instanceof ApiError && error.denial === 'search-rate' ? new Error(t('console.audit.searchRate')) : error;
      }),
    [api, query, t],
  );
  const view = useApiRead(read);
  const refused = view.error !== undefined && view.error === t('console.audit.searchRate');
  // A refused search shows no rows: the last answer was for another patient.
  const answer = refused ? undefined : view.value;
  const pages = answer ? Math.max(1, Math.ceil(answer.total / answer.pageSize)) : 1;
  return (
    <div
      data-testid="audit-results"
      data-loading={view.loading}
      data-total={answer?.total ?? ''}
      data-refused={refused ? 'search-rate' : ''}
    >
      <p>
        <ReadStatus
          loading={view.loading}
          error={view.error}
          idle={
            answer
              ? t('console.audit.results', { total: fmt.number(answer.total), page: fmt.number(answer.page + 1), pages: fmt.number(pages) })
              : ''
          }
        />
      </p>
      {answer && answer.unreadable > 0 && (
        <p className="acon__bad">{t('console.audit.unreadable', { count: fmt.number(answer.unreadable) })}</p>
      )}
      {answer && answer.rows.length === 0 && <p className="acon__note">{t('console.audit.noResults')}</p>}
      {answer && answer.rows.length > 0 && (
        <table className="acon-table" data-testid="audit-table">
          <thead>
            <tr>
              {(['seq', 'at', 'user', 'action', 'outcome', 'patient', 'detail'] as const).map((c) => (
                <th key={c} scope="col">
                  {t(`console.audit.col.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {answer.rows.map((row) => (
              <Row key={row.seq} row={row} />
            ))}
          </tbody>
        </table>
      )}
      <div className="acon-config__bar">
        <button
          type="button"
          className="acon__button"
          disabled={!answer || answer.page === 0}
          onClick={() => onPage((answer?.page ?? 1) - 1)}
        >
          {t('console.audit.previous')}
        </button>
        <button
          type="button"
          className="acon__button"
          data-testid="audit-next"
          disabled={!answer || answer.page + 1 >= pages}
          onClick={() => onPage((answer?.page ?? 0) + 1)}
        >
          {t('console.audit.next')}
        </button>
      </div>
    </div>
  );
}

function Row({ row }: { row: AuditRow }) {
  const { t, fmt } = useI18n();
  return (
    <tr data-testid="audit-row" data-action={row.action} data-user={row.userId ?? ''} data-outcome={row.outcome}>
      <td>{fmt.number(row.seq)}</td>
      <td>{fmt.dateTime(row.at)}</td>
      <td>
        {row.userId ? (
          <>
            {row.userName} <code>{row.userId}</code>
          </>
        ) : (
          <code>{row.attemptedUser ?? '—'}</code>
        )}
      </td>
      <td>{t(actionKey(row.action))}</td>
      <td className={row.outcome === 'success' ? '' : 'acon__bad'}>{t(`console.audit.outcome.${row.outcome}`)}</td>
      <td>
        {row.patients?.map((p, i) => (
          <Fragment key={p}>
            {i > 0 && ' '}
            <code>{p}</code>
          </Fragment>
        )) ?? '—'}
      </td>
      <td>
        {row.entityType ?? ''}
        {row.detail && <span className="acon__muted"> {row.detail}</span>}
      </td>
    </tr>
  );
}
