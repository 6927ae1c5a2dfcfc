import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { cliWorkstation } from '../cli-workstation.ts';
import { formatCandidate, formatEntryLine, formatSourceLine } from '../format/timeline-text.ts';
import type { CliIo } from '../io.ts';

export interface CliCredentials {
  username: string;
  password: string;
}

/**
 * `huizhen timeline`: one patient's merged record, as the signed-in user's role may see it —
 * the CLI goes through the same access layer (sign-in, roles, care rules, masking, audit) as
 * the screen. The patient must be unambiguous: showing a namesake's record is worse than none.
 */
export async function timeline(
  config: HuizhenConfig,
  io: CliIo,
  query: string,
  json: boolean,
  credentials: CliCredentials,
): Promise<number> {
  const { workstation, call } = await cliWorkstation(config, io);
  try {
    await call('signInLocal', credentials);
    const search = await call('searchPatients', { query });
    const failedSearch = search.sources.filter((s) => s.state === 'failed' || s.state === 'circuit-open');
    for (const s of failedSearch) io.err(`warning: ${s.name} could not be searched: ${s.error?.message ?? s.state}`);
    if (search.candidates.length === 0) throw new CliError(`no patient matches "${query}"`, EXIT.noSinglePatient);
    if (search.candidates.length > 1) {
      const list = search.candidates.map((c) => `  ${formatCandidate(c)}`).join('\n');
      throw new CliError(
        `"${query}" matches ${search.candidates.length} patients; be more specific (e.g. an MRN or 身份证):\n${list}`,
        EXIT.noSinglePatient,
      );
    }
    const patient = search.candidates[0]!;
    const opened = await call('openPatient', { refs: patient.refs });
    const { entries, access } = opened;
    const sources = opened.sources.filter((s) => patient.refs.some((r) => r.sourceId === s.sourceId));

    if (json) {
      // Only what the role may see leaves main: the bundle holds the (de-duplicated) entries' resources.
      const refOf = (e: { provenance: (typeof entries)[number]['provenance'] }) =>
        `${e.provenance[0]!.sourceId}/${e.provenance[0]!.nativeId}`;
      // Results come with a summary of their resource (as to the screen): the bundle asks for them whole.
      const { resources } =
        entries.length > 0
          ? await call('entryResources', { viewId: opened.viewId, entryIds: entries.map((e) => e.id) })
          : { resources: [] };
      const bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: entries.map((e, i) => ({ fullUrl: refOf(e), resource: resources[i] })),
      };
      const timelineEntries = entries.map(({ resource: _resource, resourceSummary: _summary, ...entry }) => ({
        ...entry,
        resourceRef: refOf(entry),
      }));
      io.out(JSON.stringify({ patient, access, sources, bundle, timeline: timelineEntries }, null, 2));
    } else {
      io.out(formatCandidate(patient));
      io.out(
        `Access: ${access.basis}${access.until ? ` until ${access.until}` : ''}${access.withheldTypes.length ? `; withheld for your role: ${access.withheldTypes.join(', ')}` : ''}${access.masked ? '; identity masked' : ''}`,
      );
      io.out('Sources:');
      for (const s of sources) io.out(formatSourceLine(s));
      io.out(`Timeline (${entries.length} entries, newest first):`);
      for (const e of entries) io.out(formatEntryLine(e));
    }
    await call('closePatient', { viewId: opened.viewId });
    return sources.every((s) => s.state === 'ok' || s.state === 'slow') ? EXIT.ok : EXIT.sourcesFailed;
  } finally {
    await workstation.close();
  }
}
