import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { SEARCH_LIMIT_MAX, SEARCH_PAGE_SIZE } from '../../../shared/api/contract.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { ageText, candidateSourceIds, genderText, linkText } from '../../patient/patient-text.ts';
import { IdentifierTypeLabel } from '../../patient/IdentifierTypeLabel.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { errorText } from '../../i18n/error-text.ts';
import { linkReasonLines, linkReasonsTooltip } from '../../i18n/link-reasons.ts';
import { sourceName } from '../sources/source-registry.ts';
import { useSources } from '../sources/sources-context.tsx';
import { ConfirmSamePerson } from '../patient-banner/PatientBanner.tsx';
import { groupIdentifiers } from '../patient-banner/identifier-groups.ts';
import { onLinkChange } from '../../patient/link-changes.ts';
import { usePatientSearch, type SearchProgressListener, type SearchState } from './use-patient-search.ts';
import { useResultFocus } from './use-result-focus.ts';
import { CachedMark } from './CachedMark.tsx';
import './patient-search.css';

export interface PatientSearchProps {
  /** The key of the candidate currently open, to mark it in the list. */
  openedKey?: string | undefined;
  onOpen(candidate: PatientCandidate): void;
  /** Each answer of the search, so a patient opened before it settled gains the records that come later. */
  onProgress?: SearchProgressListener;
}

export function PatientSearch({ openedKey, onOpen, onProgress }: PatientSearchProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { state, search } = usePatientSearch(onProgress);
  const [query, setQuery] = useState('');
  // A new search (or its end) starts at the top; progress merging more candidates in keeps the reader's place.
  const searchKey = state.status === 'idle' ? '' : `${state.status}\u0000${state.query}`;
  const inputId = useId();
  const candidates = useMemo(() => (state.status === 'done' || state.status === 'searching' ? state.candidates : []), [state]);

  // A confirm or unlink changed the grouping: search again and re-open the patient being followed.
  const lastQuery = state.status === 'idle' ? undefined : state.query;
  useEffect(
    () =>
      onLinkChange((follow) => {
        if (!lastQuery) return;
        search(lastQuery, (found) => {
          const next =
            follow && found.find((c) => c.refs.some((r) => r.sourceId === follow.sourceId && r.sourcePatientId === follow.sourcePatientId));
          if (next) onOpen(next);
        });
      }),
    [lastQuery, search, onOpen],
  );

  const { inputRef, listRef, active, focusRow, onRowKey, onRowFocus, onRowBlur } = useResultFocus(candidates, searchKey);

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      search(query);
    } else if (e.key === 'ArrowDown' && candidates.length > 0) {
      e.preventDefault();
      focusRow(0);
    }
  };

  return (
    <section className="ps" aria-labelledby={`${inputId}-label`}>
      <form
        className="ps__form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search(query);
        }}
      >
        <label id={`${inputId}-label`} htmlFor={inputId} className="ps__label">
          {t('search.label')}
        </label>
        <div className="ps__row">
          <input
            ref={inputRef}
            id={inputId}
            className="ps__input"
            data-testid="patient-search-input"
            type="search"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            placeholder={t('search.placeholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onInputKey}
            aria-describedby={`${inputId}-status`}
          />
          <button type="submit" className="ps__button" data-testid="patient-search-submit">
            {t('search.button')}
          </button>
        </div>
        <SearchStatus id={`${inputId}-status`} state={state} />
      </form>
      {candidates.length > 0 && (
        <ul ref={listRef} className="ps__results" role="listbox" aria-label={t('search.label')} data-testid="patient-results">
          {candidates.map((c, i) => (
            <CandidateRow
              key={c.key}
              candidate={c}
              tabIndex={i === active ? 0 : -1}
              opened={c.key === openedKey}
              onOpen={() => onOpen(c)}
              onKeyDown={(e) => onRowKey(e, i, () => onOpen(c))}
              onFocus={() => onRowFocus(i, c.key)}
              onBlur={onRowBlur}
            />
          ))}
        </ul>
      )}
      {state.status === 'done' && state.more && (
        <button
          type="button"
          className="ps__more"
          data-testid="patient-search-more"
          onClick={() => search(state.query, undefined, Math.min(SEARCH_LIMIT_MAX, state.candidates.length + SEARCH_PAGE_SIZE))}
        >
          {t('search.more')}
        </button>
      )}
    </section>
  );
}

/** What the search is doing, or found, in one line under the box. */
function SearchStatus({ id, state }: { id: string; state: SearchState }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div id={id} className="ps__status" role="status" data-testid="patient-search-status" data-status={state.status}>
      {state.status === 'idle' && t('search.hint')}
      {state.status === 'searching' && <SearchProgressText candidates={state.candidates.length} pending={state.pending} />}
      {state.status === 'done' &&
        (state.candidates.length === 0
          ? t('search.noResults', { query: state.query })
          : t(state.more ? 'search.resultCountCapped' : 'search.resultCount', { count: state.candidates.length }))}
      {state.status === 'failed' && (
        <span className="ps__error" role="alert">
          {t('search.failed', { message: errorText(i18n, state.error) })} {t('search.failedHint')}
        </span>
      )}
    </div>
  );
}

/** While systems are still asked: what was found so far (the cache's answer first) and who is still awaited. */
function SearchProgressText({ candidates, pending }: { candidates: number; pending: readonly string[] }) {
  const { t, locale } = useI18n();
  const sources = useSources();
  const names = new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(pending.map((id) => sourceName(sources, id)));
  return (
    <>
      {candidates > 0 ? t('search.partialCount', { count: candidates }) : t('search.searching')}
      {pending.length > 0 && (
        <span className="ps__pending" data-testid="patient-search-pending" data-pending={pending.join(' ')}>
          {' '}
          {t('search.pending', { sources: names })}
        </span>
      )}
    </>
  );
}

interface CandidateRowProps {
  candidate: PatientCandidate;
  tabIndex: number;
  opened: boolean;
  onOpen(): void;
  onKeyDown(e: KeyboardEvent<HTMLLIElement>): void;
  onFocus(): void;
  /** `moved`: focus went to another element (not lost because the row was replaced). */
  onBlur(moved: boolean): void;
}

function CandidateRow({ candidate: c, tabIndex, opened, onOpen, onKeyDown, onFocus, onBlur }: CandidateRowProps) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const sources = useSources();
  const nameOf = (id: string) => sourceName(sources, id);
  // Identifiers known only by an OID are for the banner's details, not for choosing a patient.
  const { readable } = groupIdentifiers(c.identifiers);
  return (
    <li
      className={`ps-row${opened ? ' ps-row--opened' : ''}`}
      role="option"
      aria-selected={opened}
      tabIndex={tabIndex}
      data-testid="patient-result"
      data-key={c.key}
      data-link={c.link.outcome}
      onClick={onOpen}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onBlur={(e) => onBlur(e.relatedTarget !== null)}
    >
      <div className="ps-row__head">
        <span className="ps-row__name">{c.displayName}</span>
        <span className="ps-row__demo">
          {genderText(i18n, c.gender)} · {ageText(i18n, c.birthDate)}
          {c.birthDate && <> · {fmt.clinical(c.birthDate)}</>}
        </span>
        {opened && <span className="ps-row__opened">{t('search.opened')}</span>}
      </div>
      {c.otherNames.length > 0 && (
        <div className="ps-row__other">
          <span className="ps-row__k">{t('search.otherNames')}</span> {c.otherNames.join('，')}
        </div>
      )}
      {readable.length > 0 && (
        <ul className="ps-row__ids">
          {readable.map((id, i) => (
            <li key={`${id.sourceId}-${id.system ?? ''}-${id.value}-${i}`} className="ps-row__id">
              <span className="ps-row__k">
                <IdentifierTypeLabel id={id} nameOf={nameOf} />
              </span>{' '}
              <span className="ps-row__v">{id.value}</span>
            </li>
          ))}
        </ul>
      )}
      <CachedMark candidate={c} />
      <div className="ps-row__foot">
        <ul className="ps-row__sources">
          {candidateSourceIds(c).map((id) => (
            <li
              key={id}
              className={`ps-row__source${c.cached?.some((p) => p.sourceId === id) ? ' ps-row__source--cached' : ''}`}
              data-source-id={id}
            >
              {nameOf(id)}
            </li>
          ))}
        </ul>
        {/* The matcher's score and reasons are for whoever checks the link, on hover or focus, not for every reader. */}
        <span
          className={`ps-row__link ps-row__link--${c.link.outcome}`}
          title={
            [
              c.link.score !== undefined ? t('link.score', { score: fmt.number(c.link.score, { maximumFractionDigits: 2 }) }) : '',
              linkReasonsTooltip(linkReasonLines(i18n, c.link.reasons, nameOf)),
            ]
              .filter(Boolean)
              .join('\n') || undefined
          }
          data-testid="patient-link-outcome"
        >
          {c.link.outcome === 'possible' && <span aria-hidden="true">⚠ </span>}
          {linkText(i18n, c.link)}
        </span>
        {c.link.outcome === 'possible' && <ConfirmSamePerson candidate={c} testId="result-confirm-same" reopen={opened} />}
      </div>
    </li>
  );
}
