import { parseArgs } from 'node:util';
import { loadConfigFile } from '../main/services/config/index.ts';
import { cacheUseOf, cliFailureOf } from './cli-failure.ts';
import { CliError, EXIT } from './cli-error.ts';
import { convert, isConverterKind } from './commands/convert.ts';
import { sourcesCheck } from './commands/sources-check.ts';
import { timeline } from './commands/timeline.ts';
import { quality, readPatientQueries } from './commands/quality.ts';
import { auditList, auditNewLog, auditVerify } from './commands/audit.ts';
import { openAuditKeys, withAuditKeyStore } from './audit-keys.ts';
import {
  credentialsList,
  credentialsRemove,
  credentialsSet,
  openCredentialVaultForCli,
  readSecretFromStdin,
  resolveCliCredentials,
} from './commands/credentials.ts';
import { processIo, type CliIo } from './io.ts';

export const USAGE = `Usage:
  huizhen sources check --config FILE [--json]
      Probe each configured hospital system: reachable, protocol version, latency, auth.
  huizhen convert hl7v2|hl7v3|cda FILE
      Print the FHIR R4 Bundle (JSON) the adapters make of an HL7 v2 message or batch, an HL7 v3
      patient message (PDQ/PIX answer PRPA_IN201306UV02/201310UV02, registration or update
      PRPA_IN201301/201302/201311/201314UV02; bare or in its SOAP envelope) or a CDA R2 document.
      Exit 4 with the offending segment/field or XML path when the input cannot be converted
      (or is a request, not an answer); exit 10 when it is an error answer (SOAP fault, HL7 v3
      acknowledgement AE/AR or queryAck AE/QE, HL7 v2 MSA AE/AR or QAK AE/AR), with its text.
  huizhen timeline --config FILE --user NAME --patient QUERY [--json]
      Print one patient's merged timeline (QUERY: name in 汉字 or pinyin, an MRN, a 身份证 number)
      as the local account NAME may see it (its password in HUIZHEN_PASSWORD): the same roles,
      care rules, masking and audit as the screen. Exit 7: sign-in failed; 8: access denied.
      --json prints {patient, access, sources, bundle (FHIR R4), timeline (entries with provenance)}.
  huizhen quality --config FILE --user NAME (--patients FILE | --patient QUERY) [--json]
      Check each listed patient's record (FILE: one QUERY a line, "#" starts a comment) for data
      quality defects and print a report per source: counts per finding kind (see README, "Data
      quality") and the top unmapped local codes; codes and counts only, no patient data. Signs
      in as --user (password in HUIZHEN_PASSWORD) and reads through the access layer like
      "timeline". Queries reaching the same person check that person once; a value conflict
      counts against every source involved. Exit, first that applies: 1 a source failed (each
      named with why; the report covers what answered); 8 a person may not be opened; 3 a query
      matched no patient or several (skipped, listed); 0 all checked (findings do not change it).
      7: sign-in failed. --json prints {complete, patientsChecked, queries, skipped,
      failedSources: [{sourceId, name, reasons}], notChecked, sources: [{sourceId, name, findings,
      byCode, topUnmappedCodes}]}.
  huizhen audit verify --config FILE [--json]
      Check the audit log's hash chain, MACs and anchor, and its end against the head kept beside
      the cache's keys and in the audit repository; exit 5 naming each edited, deleted, reordered
      or inserted line, or a wiped or rolled-back log; exit 6 when it cannot be checked.
  huizhen audit new-log --config FILE [--json]
      After a tampered or lost log was examined and its folder moved aside: begin a new log (its
      first event records the head the key store held). Exit 2 while the folder still holds a log.
  huizhen credentials set NAME --config FILE      (the secret on stdin, never on the command line)
  huizhen credentials list --config FILE [--json]
  huizhen credentials remove NAME --config FILE
      Hospital-system secrets named in the configuration by passwordRef / tokenRef / privateKeyRef,
      sealed beside the cache with its keys. Exit 9: the vault cannot be read (wrong key, tampered).
  huizhen audit list --config FILE [--json]
      Print the audit events (decrypted with the cache's keys; HUIZHEN_CACHE_PASSPHRASE or as configured).

The configuration file (JSON or YAML) is described in the README, section "Configuration".`;

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // What the command needs the cache for decides what a cache that will not open means (exit 2, 6 or 9).
  let command = '';
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        patient: { type: 'string', short: 'p' },
        patients: { type: 'string' },
        user: { type: 'string', short: 'u' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help || positionals.length === 0) {
      io.out(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    if (positionals[0] === 'convert') {
      const [, kind, file, ...extra] = positionals;
      if (!kind || !isConverterKind(kind)) throw new CliError(`convert needs a kind: hl7v2, hl7v3 or cda\n\n${USAGE}`);
      if (!file || extra.length > 0) throw new CliError(`usage: huizhen convert ${kind} FILE`);
      return await convert(kind, file, io);
    }
    command = positionals[0] === 'credentials' ? positionals.slice(0, 2).join(' ') : positionals.join(' ');
    const configFile = values.config ?? process.env.HUIZHEN_CONFIG;
    if (
      ![
        'sources check',
        'timeline',
        'quality',
        'audit verify',
        'audit list',
        'audit new-log',
        'credentials set',
        'credentials list',
        'credentials remove',
      ].includes(command)
    )
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
    if (!configFile) throw new CliError('--config FILE is required (or set HUIZHEN_CONFIG)');
    const config = await loadConfigFile(configFile);
    if (command === 'sources check') return await sourcesCheck(await resolveCliCredentials(config), io, values.json);
    const openVault = () => openCredentialVaultForCli(config);
    if (command === 'credentials set')
      return await credentialsSet(config, io, positionals[2], () => readSecretFromStdin(process.stdin, io), openVault);
    if (command === 'credentials list') return await credentialsList(config, io, values.json, openVault);
    if (command === 'credentials remove') return await credentialsRemove(config, io, positionals[2], openVault);
    if (command === 'audit verify') return await auditVerify(config, io, values.json, () => openAuditKeys(config));
    if (command === 'audit new-log') return await auditNewLog(config, io, values.json, (use) => withAuditKeyStore(config, use));
    if (command === 'audit list') return await auditList(config, io, values.json, () => openAuditKeys(config));
    if (command === 'quality' && !values.patients && !values.patient)
      throw new CliError('--patients FILE or --patient QUERY is required for "quality"');
    if (command === 'timeline' && !values.patient) throw new CliError('--patient QUERY is required for "timeline"');
    if (!values.user) throw new CliError(`--user NAME is required for "${command}": patient data is read as a signed-in user may see it`);
    const password = process.env.HUIZHEN_PASSWORD;
    if (!password) throw new CliError('set HUIZHEN_PASSWORD to the password of --user (never on the command line, where ps shows it)');
    if (command === 'quality') {
      const queries = values.patients ? await readPatientQueries(values.patients) : [values.patient!];
      return await quality(config, io, queries, values.json, { username: values.user, password });
    }
    return await timeline(config, io, values.patient!, values.json, { username: values.user, password });
  } catch (error) {
    const failure = cliFailureOf(error, cacheUseOf(command));
    if (failure) {
      io.err(`huizhen: ${failure.message}`);
      return failure.exitCode;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`huizhen: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`huizhen: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.internal;
  }
}
