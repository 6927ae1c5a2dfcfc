import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../../../../src/main/services/config/load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'huizhen-config-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('reads YAML and fills defaults', async () => {
    const config = await loadConfigFile(
      write(
        'ok.yaml',
        'hospital: 示范医院\nsources:\n  - id: cdr\n    name: CDR\n    kind: fhir\n    baseUrl: http://127.0.0.1:8080/fhir\n',
      ),
    );
    expect(config.sources[0]).toMatchObject({
      id: 'cdr',
      enabled: true,
      auth: { type: 'none' },
      resilience: { timeoutMs: 10000, retries: 1 },
    });
  });

  it('names the field and what is allowed for a wrong kind', () => {
    const problems = problemsOf(() => parseConfig({ sources: [{ id: 'x', name: 'X', kind: 'ftp', baseUrl: 'http://a' }] }));
    expect(problems.join('\n')).toMatch(/sources\[0\]\.kind/);
  });

  it('names an unknown field and a bad URL', () => {
    const problems = problemsOf(() =>
      parseConfig({ sources: [{ id: 'cdr', name: 'C', kind: 'fhir', baseUrl: 'not a url', colour: 'red' }] }),
    );
    expect(problems.join('\n')).toContain('sources[0]: unknown field "colour"');
    expect(problems.join('\n')).toContain('sources[0].baseUrl: must be an absolute http:// or https:// URL');
  });

  it('refuses duplicate source ids and an empty source list', () => {
    const source = { id: 'cdr', name: 'C', kind: 'fhir', baseUrl: 'http://127.0.0.1/fhir' };
    expect(problemsOf(() => parseConfig({ sources: [source, source] })).join()).toContain('source ids must be unique');
    expect(problemsOf(() => parseConfig({ sources: [] })).join()).toContain('configure at least one hospital system');
  });

  it('reports a missing file and broken JSON in one line each, without a stack trace', async () => {
    await expect(loadConfigFile(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: file not found/);
    await expect(loadConfigFile(write('bad.json', '{"sources": ['))).rejects.toThrow(/not valid JSON/);
  });
});
