import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('huizhen CLI usage', () => {
  it('prints usage for --help and exits 0', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('huizhen sources check --config FILE');
  });

  it('rejects an unknown command and a missing --config with exit 2 and one message', async () => {
    const c = capture();
    expect(await runCli(['frobnicate', '--config', 'x.json'], c.io)).toBe(2);
    expect(c.err[0]).toContain('unknown command "frobnicate"');
    const d = capture();
    expect(await runCli(['sources', 'check'], d.io)).toBe(2);
    expect(d.err[0]).toContain('--config FILE is required');
  });

  it('explains a configuration error by field, never with a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huizhen-cli-'));
    const file = join(dir, 'sources.json');
    writeFileSync(file, JSON.stringify({ sources: [{ id: 'cdr', name: 'CDR', kind: 'fhir', baseUrl: 'ftp://x', timeout: 5 }] }));
    const c = capture();
    expect(await runCli(['sources', 'check', '--config', file], c.io)).toBe(2);
    const message = c.err.join('\n');
    expect(message).toContain('invalid configuration');
    expect(message).toContain('sources[0].baseUrl');
    expect(message).toContain('unknown field "timeout"');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown option', async () => {
    const c = capture();
    expect(await runCli(['timeline', '--colour'], c.io)).toBe(2);
    expect(c.err[0]).toContain("Unknown option '--colour'");
  });
});
