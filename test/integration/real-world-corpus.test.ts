/**
 * The regression corpus written by others (test/fixtures/real-world/, issue 14): every sample is
 * converted through the same entry `huizhen convert` uses and compared with its expectation file.
 *
 * Prints "N of M samples converted with all expected content" and, per failing sample, what is
 * missing, grouped by class of defect; any miss fails the suite. HUIZHEN_CORPUS_STATUS=FILE also
 * writes the report as Markdown to FILE (for the converter engineers).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONVERTERS } from '../../src/cli/commands/convert.ts';
import { checkConversion, loadCorpus, type Miss } from '../support/real-world-corpus.ts';

describe('real-world corpus (samples written by others)', () => {
  const samples = loadCorpus();

  it('has samples of every format, each with its expectation', () => {
    expect(samples.length).toBeGreaterThanOrEqual(15);
    for (const folder of ['cda-wst500', 'hl7v3', 'hl7v2', 'ccda']) expect(samples.some((s) => s.folder === folder)).toBe(true);
  });

  it('converts every sample with all expected content', () => {
    const failures: { name: string; about: string; misses: Miss[] }[] = [];
    for (const s of samples) {
      let result: { bundle?: unknown; error?: unknown };
      try {
        result = { bundle: CONVERTERS[s.expectation.converter](s.bytes) };
      } catch (error) {
        result = { error };
      }
      const misses = checkConversion(s.folder, s.expectation, result);
      if (misses.length > 0) failures.push({ name: `${s.folder}/${s.expectation.sample}`, about: s.expectation.about, misses });
    }

    const passed = samples.length - failures.length;
    const lines = [`${passed} of ${samples.length} samples converted with all expected content`];
    for (const f of failures) {
      lines.push(`✗ ${f.name} (${f.about})`);
      for (const m of f.misses) lines.push(`    [${m.defect}] ${m.detail}`);
    }
    const byClass = new Map<string, Set<string>>();
    for (const f of failures) for (const m of f.misses) byClass.set(m.defect, (byClass.get(m.defect) ?? new Set()).add(f.name));
    if (byClass.size > 0) {
      lines.push('classes of defect (samples affected):');
      for (const [defect, names] of [...byClass].sort((a, b) => b[1].size - a[1].size)) lines.push(`  ${names.size}× ${defect}`);
    }
    console.log(lines.join('\n'));

    const statusFile = process.env.HUIZHEN_CORPUS_STATUS;
    if (statusFile)
      writeFileSync(
        statusFile,
        statusMarkdown(
          samples.map((s) => `${s.folder}/${s.expectation.sample}`),
          failures,
          byClass,
        ),
      );

    expect(failures.map((f) => `${f.name}: ${f.misses.map((m) => m.detail).join('; ')}`)).toEqual([]);
  });
});

function statusMarkdown(
  all: string[],
  failures: { name: string; about: string; misses: Miss[] }[],
  byClass: Map<string, Set<string>>,
): string {
  const failed = new Map(failures.map((f) => [f.name, f]));
  const out = [
    '# Real-world corpus status',
    '',
    `${all.length - failures.length} of ${all.length} samples converted with all expected content (generated ${new Date().toISOString()}).`,
    '',
    '## Classes of defect',
    '',
    '| samples | class | which |',
    '| --- | --- | --- |',
  ];
  for (const [defect, names] of [...byClass].sort((a, b) => b[1].size - a[1].size))
    out.push(`| ${names.size} | ${defect} | ${[...names].join(', ')} |`);
  out.push('', '## Per sample', '');
  for (const name of all) {
    const f = failed.get(name);
    if (!f) {
      out.push(`- PASS ${name}`);
      continue;
    }
    out.push(`- FAIL ${name} — ${f.about}`);
    const grouped = new Map<string, string[]>();
    for (const m of f.misses) grouped.set(m.defect, [...(grouped.get(m.defect) ?? []), m.detail]);
    for (const [defect, details] of grouped) out.push(`  - ${defect}: ${details.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
