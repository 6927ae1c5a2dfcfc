import { createWorkstation } from '../../main/services/workstation/create-workstation.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { formatCandidate, formatEntryLine, formatSourceLine } from '../format/timeline-text.ts';
import type { CliIo } from '../io.ts';

/**
 * `huizhen timeline`: one patient's merged record. The patient must be unambiguous: showing a
 * namesake's record is worse than showing none, so several matches stop with the list.
 */
export async function timeline(config: HuizhenConfig, io: CliIo, query: string, json: boolean): Promise<number> {
  const workstation = await createWorkstation(config);
  try {
    const search = await workstation.handlers.searchPatients({ query });
    const failedSearch = search.sources.filter((s) => s.state === 'failed' || s.state === 'circuit-open');
    for (const s of failedSearch) io.err(`warning: ${s.name} could not be searched: ${s.error?.message ?? s.state}`);
    if (search.candidates.length === 0) throw new CliError(`no patient matches "${query}"`, EXIT.noSinglePatient);
    if (search.candidates.length > 1) {
      const list = search.candidates.map((c) => `  ${formatCandidate(c)}`).join('\n');
      throw new CliError(`"${query}" matches ${search.candidates.length} patients; be more specific (e.g. an MRN or 身份证):\n${list}`, EXIT.noSinglePatient);
    }
    const patient = search.candidates[0]!;
    const { entries, resources } = await workstation.loadTimeline(patient.refs);
    const sources = (await workstation.handlers.listSources({})).sources.filter((s) => patient.refs.some((r) => r.sourceId === s.sourceId));

    if (json) {
      const bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: resources.map(({ resource, provenance }) => ({ fullUrl: `${provenance.sourceId}/${provenance.nativeId}`, resource })),
      };
      // resourceRef points at the bundle entry (fullUrl) of the resource the entry shows first.
      const timelineEntries = entries.map(({ resource: _resource, ...entry }) => ({ ...entry, resourceRef: `${entry.provenance[0]!.sourceId}/${entry.provenance[0]!.nativeId}` }));
      io.out(JSON.stringify({ patient, sources, bundle, timeline: timelineEntries }, null, 2));
    } else {
      io.out(formatCandidate(patient));
      io.out('Sources:');
      for (const s of sources) io.out(formatSourceLine(s));
      io.out(`Timeline (${entries.length} entries, newest first):`);
      for (const e of entries) io.out(formatEntryLine(e));
    }
    return sources.every((s) => s.state === 'ok' || s.state === 'slow') ? EXIT.ok : EXIT.sourcesFailed;
  } finally {
    await workstation.close();
  }
}
