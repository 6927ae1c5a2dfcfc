import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { HuizhenConfigSchema, type HuizhenConfig } from '../../../shared/config/schema.ts';
import { riskRuleProblems } from '../clinical-alerts/index.ts';
import { mappingProblems } from './mapping-problems.ts';

/** A configuration problem phrased for the hospital IT engineer who wrote the file. */
export class ConfigError extends Error {
  readonly file: string;
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = pathOf(issue.path) || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) return `${where}.${issue.discriminator}: ${issue.message}`;
      return `${where}: ${issue.message}`;
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** Validates an already-parsed configuration object; `file` only labels the messages. */
export function parseConfig(raw: unknown, file = 'configuration'): HuizhenConfig {
  const result = HuizhenConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, result.error.issues.map(describeIssue));
  // A risk rule's FHIRPath must compile: a broken rule stops the start with its id.
  const ruleProblems = riskRuleProblems(result.data.clinicalAlerts);
  if (ruleProblems.length > 0) throw new ConfigError(file, ruleProblems);
  // A mapping table entry must be a real LOINC and UCUM code: a typo would mislabel every result it maps.
  const tableProblems = mappingProblems(result.data.mappings);
  if (tableProblems.length > 0) throw new ConfigError(file, tableProblems);
  return result.data;
}

/** Reads a JSON or YAML configuration file (chosen by extension; YAML is a superset of JSON). */
export async function loadConfigFile(file: string): Promise<HuizhenConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`]);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, [
      `not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    ]);
  }
  return parseConfig(raw, file);
}
