import { readFile } from 'node:fs/promises';
import { qualityReport, type SourceQualityReport } from '../../main/services/data-quality/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { QualityFinding } from '../../shared/domain/quality.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { cliWorkstation } from '../cli-workstation.ts';
import type { CliIo } from '../io.ts';
import type { CliCredentials } from './timeline.ts';

/** One query a line; blank lines and lines starting with "#" are skipped. */
export async function readPatientQueries(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError(`cannot read --patients ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export interface QualityRun {
  patientsChecked: number;
  /** Queries that matched no patient or several: not checked, never guessed. */
  skipped: { query: string; matches: number }[];
  sources: SourceQualityReport[];
}

function formatReport(run: QualityRun): string[] {
  const lines = [
    `Patients checked: ${run.patientsChecked}${run.skipped.length ? `; skipped ${run.skipped.length} (no single match)` : ''}`,
  ];
  for (const q of run.skipped) lines.push(`  skipped "${q.query}": ${q.matches} matches`);
  if (run.sources.length === 0) lines.push('No findings.');
  for (const s of run.sources) {
    lines.push(`Source ${s.sourceId}: ${s.findings} findings`);
    for (const [code, count] of Object.entries(s.byCode)) lines.push(`  ${code.padEnd(22)} ${count}`);
    if (s.topUnmappedCodes.length > 0) {
      lines.push('  top unmapped codes:');
      for (const u of s.topUnmappedCodes) lines.push(`    ${u.system || '(no system)'} | ${u.code} × ${u.count}`);
    }
  }
  return lines;
}

/**
 * `huizhen quality`: the data-quality findings of each listed patient's record, counted per
 * source — the report hospital IT takes to each vendor before go-live. It signs in and opens
 * records through the access layer as `huizhen timeline` does: what the role may not see is not
 * checked, and every open is audited. The report holds codes and counts only, no patient data.
 */
export async function quality(
  config: HuizhenConfig,
  io: CliIo,
  queries: readonly string[],
  json: boolean,
  credentials: CliCredentials,
): Promise<number> {
  const { workstation, call } = await cliWorkstation(config, io);
  try {
    await call('signInLocal', credentials);
    const findings: QualityFinding[] = [];
    const skipped: QualityRun['skipped'] = [];
    let patientsChecked = 0;
    let sourcesFailed = false;
    for (const query of queries) {
      const search = await call('searchPatients', { query });
      if (search.candidates.length !== 1) {
        skipped.push({ query, matches: search.candidates.length });
        continue;
      }
      const patient = search.candidates[0]!;
      const opened = await call('openPatient', { refs: patient.refs });
      for (const e of opened.entries) if (e.quality) findings.push(...e.quality);
      findings.push(...(opened.quality ?? []));
      sourcesFailed ||= opened.sources.some(
        (s) => patient.refs.some((r) => r.sourceId === s.sourceId) && s.state !== 'ok' && s.state !== 'slow',
      );
      patientsChecked++;
      await call('closePatient', { viewId: opened.viewId });
    }
    const run: QualityRun = { patientsChecked, skipped, sources: qualityReport(findings) };
    if (json) io.out(JSON.stringify(run, null, 2));
    else for (const line of formatReport(run)) io.out(line);
    if (sourcesFailed) return EXIT.sourcesFailed;
    return skipped.length > 0 ? EXIT.noSinglePatient : EXIT.ok;
  } finally {
    await workstation.close();
  }
}
