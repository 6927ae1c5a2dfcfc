import type { ApiHandlers } from '../api/index.ts';
import { ApiRequestError } from '../api/index.ts';
import { auditUserOf as auditUser } from './audit-port.ts';
import { studyUidsOf, type Gate } from './secured-api-gate.ts';
import { openPatient } from './secured-api-open-patient.ts';
import { requireOfferedPair, requireShownRecords } from './offered-link.ts';
import { probeLogLine, toProbeView } from './source-probes.ts';

type PatientHandlers = Omit<
  ApiHandlers,
  | 'getSession'
  | 'signInLocal'
  | 'beginOidcSignIn'
  | 'unlockLocal'
  | 'lockSession'
  | 'signOut'
  | 'reportActivity'
  | 'setPrivacyMode'
  | 'patientAlerts'
  | 'acknowledgeCriticalValue'
  | 'listWorklist'
  | 'adminSourceHealth'
  | 'adminConfiguration'
  | 'adminQualityOverview'
  | 'adminQualitySamples'
  | 'adminQualityCsv'
  | 'adminAuditSearch'
  | 'adminAuditStatus'
  | 'mappingUsage'
>;

/** Sources, search, open, links, break-the-glass, record views and exports: each checked and audited. */
export function patientHandlers(gate: Gate): PatientHandlers {
  const { core, masking } = gate.options;
  const { session, record } = gate;
  return {
    async listSources() {
      gate.requireCapability('sources');
      return core.handlers.listSources({});
    },

    async viewerSettings() {
      // Configuration only, but like everything else not before sign-in.
      session.require();
      return core.handlers.viewerSettings({});
    },

    async checkSources() {
      const user = gate.requireCapability('check-sources');
      // Probing reaches every hospital system: who asked, and when, is on the record.
      await record({ action: 'sources-check', outcome: 'success', user: auditUser(user), entity: { type: 'sources', detail: 'probe' } });
      const probes = await core.probeSources();
      for (const probe of probes) gate.log(probeLogLine(probe));
      return { checkedAt: new Date(gate.clock()).toISOString(), probes: probes.map(toProbeView) };
    },

    async searchPatients({ query, searchId, limit }) {
      const user = gate.requireCapability('search');
      await record({ action: 'patient-search', outcome: 'success', user: auditUser(user), entity: { type: 'query', detail: query } });
      if (searchId) gate.searches.set(searchId, user.id);
      const result = await core.handlers
        .searchPatients({ query, ...(searchId ? { searchId } : {}), ...(limit ? { limit } : {}) })
        .finally(() => {
          if (searchId) gate.searches.delete(searchId);
        });
      gate.rememberCandidates(user, result.candidates);
      return { ...result, candidates: masking.candidates(result.candidates, gate.maskLevelFor(user)) };
    },

    openPatient: (request) => openPatient(gate, request),

    async closePatient({ viewId }) {
      const user = session.currentUser();
      const open = gate.opens.get(viewId);
      if (open && user && open.userId === user.id) gate.opens.delete(viewId);
      return core.handlers.closePatient({ viewId });
    },

    async confirmLink(request) {
      await requireOfferedPair(gate, gate.requireCapability('link'), request, 'link');
      return core.handlers.confirmLink(request);
    },
    async unlinkPatients(request) {
      await requireOfferedPair(gate, gate.requireCapability('link'), request, 'unlink');
      return core.handlers.unlinkPatients(request);
    },
    async listLinkDecisions(request) {
      await requireShownRecords(gate, gate.requireCapability('open'), request.refs);
      return core.handlers.listLinkDecisions(request);
    },

    async breakGlass({ refs: requestedRefs, reason }) {
      const user = gate.requireCapability('break-glass');
      // A grant covers exactly the one person it was asked for.
      const refs = await gate.requireOnePerson(user, requestedRefs, 'break-glass', reason);
      await record({ action: 'break-glass', outcome: 'success', user: auditUser(user), patient: { refs }, reason });
      const grant = gate.grants.grant(user.id, refs, reason, gate.options.access.breakGlassMinutes);
      return { until: new Date(grant.until).toISOString() };
    },

    async recordView({ viewId, entryId }) {
      const user = session.require();
      const open = gate.ownOpen(user, viewId);
      const entry = open.entries.find((e) => e.id === entryId);
      if (!entry || !gate.mayRead(user, entry, open.entries)) throw new ApiRequestError('no such entry in the open patient');
      await record({
        action: entry.kind === 'imaging' ? 'image-view' : 'document-view',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: open.refs },
        entity: { type: entry.resource.resourceType, ...(entry.resource.id ? { id: entry.resource.id } : {}) },
      });
      return { ok: true };
    },

    async entryResources({ viewId, entryIds }) {
      const user = session.require();
      const open = gate.ownOpen(user, viewId);
      // Masked among all the patient's entries, as the timeline was: masking learns the
      // patient's names and identifiers from the whole record.
      const shown = new Map(gate.visible(user, open.entries).map((e) => [e.id, e.resource]));
      const resources = entryIds.map((id) => {
        const resource = shown.get(id);
        if (!resource) throw new ApiRequestError(`no such entry in the open patient: ${id}`);
        return resource;
      });
      return { resources };
    },

    async exportDeidentified({ viewId, kind, studyInstanceUid }) {
      const user = gate.requireCapability('export');
      const open = gate.ownOpen(user, viewId);
      const exporter = gate.options.exporter;
      if (!exporter) throw new ApiRequestError('exports are not configured on this workstation');
      const readable = gate.readable(user, open.entries);
      let target: { sourceId: string } | undefined;
      if (kind === 'study') {
        if (!studyInstanceUid) throw new ApiRequestError('a study export names its Study Instance UID');
        const study = readable.find((e) => e.kind === 'imaging' && studyUidsOf(e).includes(studyInstanceUid));
        const source = study?.provenance.find((p) => p.sourceKind === 'dicomweb');
        if (!study || !source) throw new ApiRequestError('that study is not part of the open patient');
        target = { sourceId: source.sourceId };
      }
      await record({
        action: 'export',
        outcome: 'success',
        user: auditUser(user),
        patient: { refs: open.refs },
        entity: {
          type: kind === 'study' ? 'ImagingStudy' : 'Bundle',
          ...(studyInstanceUid ? { id: studyInstanceUid } : {}),
          detail: 'de-identified',
        },
      });
      return target && studyInstanceUid ? exporter.study(studyInstanceUid, target.sourceId) : exporter.timeline(readable);
    },
  };
}
