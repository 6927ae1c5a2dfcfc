import { useEffect, useState, type ReactNode } from 'react';
import type { LinkDecisionView } from '../../../shared/api/contract.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import { useApi } from '../../api/api-context.tsx';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { ageText, candidateSourceIds, genderText, linkText } from '../../patient/patient-text.ts';
import { IdentifierTypeLabel } from '../../patient/IdentifierTypeLabel.tsx';
import { groupIdentifiers, sameTypeRuns } from './identifier-groups.ts';
import { shortSourceName } from '../../lib/short-source-name.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { linkReasonLines, linkReasonsTooltip, reasonsConcerning } from '../../i18n/link-reasons.ts';
import { sourceName } from '../sources/source-registry.ts';
import { useSources } from '../sources/sources-context.tsx';
import { announceLinkChange } from '../../patient/link-changes.ts';
import { LinkAction } from './LinkAction.tsx';
import { QualityMark } from '../timeline/QualityMark.tsx';
import { BannerAllergies } from './BannerAllergies.tsx';
import { AccessFlag, ExportButton, useSession } from '../session/index.ts';
import { confirmCandidate, relink, sameRef, unlinkedRecords, unlinkFromCandidate } from './link-requests.ts';
import './patient-banner.css';
import './link-actions.css';

const SETTLED = new Set(['ok', 'slow', 'failed', 'circuit-open', 'cached']);

interface PatientBannerProps {
  view: PatientView;
  onClose(): void;
  /** A control at the head of the name line (the way back to the ward list). */
  lead?: ReactNode;
}

/**
 * The open patient in three dense lines at 1280 px: who (name, demographics, link, access); the
 * allergies first, then the identifiers; the systems, how much is loaded, export and close.
 * Nothing a clinician must see sits behind a click; only OID-named identifiers do.
 */
export function PatientBanner({ view, onClose, lead }: PatientBannerProps) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const sources = useSources();
  const session = useSession();
  const c = view.candidate;
  const canExport = session.capabilities.includes('export');
  if (!c) {
    return (
      <div className="pb pb--empty" data-testid="patient-banner" data-state="empty">
        {lead}
        {t('banner.noPatient')}
      </div>
    );
  }
  const nameOf = (id: string) => sourceName(sources, id);
  const { readable, technical } = groupIdentifiers(c.identifiers);
  const wanted = candidateSourceIds(c);
  const done = view.sources.filter((s) => wanted.includes(s.sourceId) && SETTLED.has(s.state)).length;
  return (
    <section className="pb" data-testid="patient-banner" data-state={view.phase} aria-label={c.displayName}>
      <div className="pb__main">
        {lead}
        <h1 className="pb__name" data-testid="patient-banner-name">
          {c.displayName}
        </h1>
        <span className="pb__demo" data-testid="patient-banner-demographics">
          <span>{genderText(i18n, c.gender)}</span>
          <span>{ageText(i18n, c.birthDate)}</span>
          {c.birthDate && <span>{t('banner.birthDate', { date: fmt.clinical(c.birthDate) })}</span>}
        </span>
        {c.otherNames.length > 0 && <span className="pb__other">({c.otherNames.join('，')})</span>}
        <span
          className={`pb__link pb__link--${c.link.outcome}`}
          title={linkReasonsTooltip(linkReasonLines(i18n, c.link.reasons, nameOf)) || undefined}
          data-testid="patient-banner-link"
        >
          {c.link.outcome === 'possible' && <span aria-hidden="true">⚠ </span>}
          {linkText(i18n, c.link)}
        </span>
        {c.link.outcome === 'possible' && <ConfirmSamePerson candidate={c} testId="banner-confirm-same" reopen />}
        {view.access && <AccessFlag access={view.access} />}
        {view.quality && view.quality.length > 0 && <QualityMark findings={view.quality} />}
      </div>
      <div className="pb__safety">
        {view.phase !== 'failed' && <BannerAllergies view={view} />}
        {readable.length > 0 && (
          <dl className="pb__ids" aria-label={t('banner.identifiers')}>
            {sameTypeRuns(readable).map((run) => (
              <div key={`${run[0]!.sourceId}-${run[0]!.value}`} className="pb__id">
                <dt>
                  <IdentifierTypeLabel id={run[0]!} nameOf={nameOf} />
                </dt>
                {run.map((id, i) => (
                  <dd key={`${id.sourceId}-${id.value}-${i}`} title={nameOf(id.sourceId)}>
                    {id.value}
                  </dd>
                ))}
              </div>
            ))}
          </dl>
        )}
      </div>
      <div className="pb__meta">
        {technical.length > 0 && (
          <details className="pb__tech" data-testid="banner-technical-ids">
            <summary>{t('banner.technicalIds', { count: technical.length })}</summary>
            <dl className="pb__ids">
              {technical.map((id, i) => (
                <div key={`${id.sourceId}-${id.value}-${i}`} className="pb__id">
                  <dt>
                    <IdentifierTypeLabel id={id} nameOf={nameOf} />
                  </dt>
                  <dd>{id.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        <BannerSystems candidate={c} nameOf={nameOf} />
        <span className="pb__progress" role="status" data-testid="patient-banner-progress">
          {view.phase === 'opening' && t('banner.loading', { total: wanted.length, done })}
          {view.phase === 'opening' && view.totalEntries !== undefined && (
            <span className="pb__partial" data-testid="patient-banner-partial">
              {' '}
              {t('banner.partial', { shown: fmt.number(view.entries.length), total: fmt.number(view.totalEntries) })}
            </span>
          )}
          {view.phase === 'open' && t('banner.loaded', { count: fmt.number(view.entries.length) })}
        </span>
        {canExport && view.phase === 'open' && view.viewId && (
          <ExportButton viewId={view.viewId} kind="timeline" testId="export-timeline" />
        )}
        {/* At the end of the systems' line: the name line keeps its width for who the patient is. */}
        <button type="button" className="pb__close" onClick={onClose} data-testid="patient-banner-close">
          {t('banner.close')}
        </button>
        {view.asking && view.asking.length > 0 && (
          <span className="pb__asking" role="status" data-testid="patient-banner-asking" data-asking={view.asking.join(' ')}>
            {t('banner.asking', {
              systems: new Intl.ListFormat(i18n.locale, { type: 'conjunction', style: 'narrow' }).format(view.asking.map(nameOf)),
            })}
          </span>
        )}
        {view.extensionRefused && (
          <span className="pb__asking pb__asking--refused" role="alert" data-testid="patient-banner-extension-refused">
            {t('banner.extensionRefused')}
          </span>
        )}
      </div>
    </section>
  );
}

/** "Confirm same person" for a possible candidate; shared with the search results. */
export function ConfirmSamePerson({ candidate, testId, reopen }: { candidate: PatientCandidate; testId: string; reopen: boolean }) {
  const api = useApi();
  const { t } = useI18n();
  return (
    <LinkAction
      label={t('links.confirmSame')}
      prompt={t('links.confirmPrompt', { count: candidate.refs.length })}
      confirmLabel={t('links.confirmConfirm')}
      testId={testId}
      onConfirm={async (note) => {
        await confirmCandidate(api, candidate, note);
        announceLinkChange(reopen ? candidate.refs[0] : undefined);
      }}
    />
  );
}

/**
 * The systems the patient was found in, one entry per system record: why it is linked (tooltip,
 * or expand), and unlink; then the records a user unlinked from this patient, to re-link.
 */
function BannerSystems({ candidate: c, nameOf }: { candidate: PatientCandidate; nameOf(id: string): string }) {
  const api = useApi();
  const i18n = useI18n();
  const { t, fmt } = i18n;
  // The same records need no refetch: the key stands for c.refs, and an expanded record belongs to it.
  const refsKey = JSON.stringify(c.refs.map((r) => [r.sourceId, r.sourcePatientId]));
  const [expandedIn, setExpandedIn] = useState<{ refsKey: string; key: string | undefined }>();
  const expanded = expandedIn?.refsKey === refsKey ? expandedIn.key : undefined;
  const setExpanded = (key: string | undefined) => setExpandedIn({ refsKey, key });
  const [decisions, setDecisions] = useState<readonly LinkDecisionView[]>([]);

  useEffect(() => {
    let live = true;
    const refs = (JSON.parse(refsKey) as [string, string][]).map(([sourceId, sourcePatientId]) => ({ sourceId, sourcePatientId }));
    api.listLinkDecisions({ refs }).then(
      (res) => live && setDecisions(res.decisions),
      // Decisions are an extra; the banner works without them.
      () => live && setDecisions([]),
    );
    return () => {
      live = false;
    };
  }, [api, refsKey]);

  const keyOf = (r: SourcePatientRef) => `${r.sourceId}/${r.sourcePatientId}`;
  const unlinked = unlinkedRecords(c, decisions);
  return (
    <div className="pb__systems">
      <div className="pb__sources" data-testid="patient-banner-systems">
        <span className="pb__k">{t('banner.foundIn')}</span>
        {c.refs.map((ref) => {
          const reasons = linkReasonLines(i18n, reasonsConcerning(c.link.reasons, ref), nameOf).map((l) => l.text);
          const open = expanded === keyOf(ref);
          return (
            <button
              key={keyOf(ref)}
              type="button"
              className={`pb__source${open ? ' pb__source--open' : ''}`}
              data-source-id={ref.sourceId}
              data-testid="patient-banner-system"
              aria-expanded={open}
              title={reasons.join('\n') || t('links.noReasons')}
              onClick={() => setExpanded(open ? undefined : keyOf(ref))}
            >
              <SystemName name={nameOf(ref.sourceId)} />
            </button>
          );
        })}
      </div>
      {c.refs
        .filter((ref) => expanded === keyOf(ref))
        .map((ref) => {
          const reasons = linkReasonLines(i18n, reasonsConcerning(c.link.reasons, ref), nameOf).map((l) => l.text);
          const system = nameOf(ref.sourceId);
          return (
            <div key={keyOf(ref)} className="pb__why" data-testid="patient-banner-why" data-source-id={ref.sourceId}>
              <span className="pb__why-title">{t('links.systemDetails', { system, id: ref.sourcePatientId })}</span>
              <ul className="pb__why-list">
                {(reasons.length > 0 ? reasons : [t('links.noReasons')]).map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
              {c.refs.length > 1 && (
                <LinkAction
                  tone="danger"
                  label={t('links.unlink')}
                  prompt={t('links.unlinkPrompt', { system, id: ref.sourcePatientId })}
                  confirmLabel={t('links.unlinkConfirm')}
                  testId="banner-unlink"
                  onConfirm={async (note) => {
                    await unlinkFromCandidate(api, c, ref, note);
                    announceLinkChange(c.refs.find((r) => !sameRef(r, ref)));
                  }}
                />
              )}
            </div>
          );
        })}
      {unlinked.length > 0 && (
        <div className="pb__unlinked" data-testid="patient-banner-unlinked">
          <span className="pb__k">{t('links.unlinkedTitle')}</span>
          {unlinked.map((u) => {
            const system = nameOf(u.ref.sourceId);
            const latest = u.decisions[0]!;
            return (
              <span
                key={keyOf(u.ref)}
                className="pb__unlinked-item"
                data-source-id={u.ref.sourceId}
                data-testid="patient-banner-unlinked-record"
              >
                <span title={latest.note ?? undefined}>
                  {system} {u.ref.sourcePatientId} · {t('links.unlinkedBy', { by: latest.decidedBy, at: fmt.dateTime(latest.decidedAt) })}
                  {latest.note ? ` · ${latest.note}` : ''}
                </span>
                <LinkAction
                  label={t('links.relink')}
                  prompt={t('links.relinkPrompt', { system, id: u.ref.sourcePatientId })}
                  confirmLabel={t('links.relinkConfirm')}
                  testId="banner-relink"
                  onConfirm={async (note) => {
                    await relink(api, u.decisions, note);
                    announceLinkChange(c.refs[0]);
                  }}
                />
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** A system's short name on screen; the rest of its name (the protocol) is still read out and found in the text. */
function SystemName({ name }: { name: string }) {
  const short = shortSourceName(name);
  if (short === name || !name.startsWith(short)) return <>{name}</>;
  return (
    <>
      {short}
      <span className="visually-hidden">{name.slice(short.length)}</span>
    </>
  );
}
