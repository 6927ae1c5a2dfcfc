import { describe, expect, it } from 'vitest';
import { translate, type Locale } from '../../../../src/renderer/i18n/catalogs.ts';
import { createFormatter } from '../../../../src/renderer/i18n/format.ts';
import { evidenceText, linkReasonLines, linkReasonsTooltip, reasonsConcerning } from '../../../../src/renderer/i18n/link-reasons.ts';
import type { LinkReason } from '../../../../src/shared/domain/link-reasons.ts';

const words = (locale: Locale) => ({
  t: (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params),
  fmt: createFormatter(locale),
});
const names: Record<string, string> = { cdr: 'CDR', his: 'HIS', lis: 'LIS' };
const nameOf = (id: string) => names[id] ?? id;
const texts = (locale: Locale, reasons: readonly LinkReason[]) => linkReasonLines(words(locale), reasons, nameOf).map((l) => l.text);

const cdr = { sourceId: 'cdr', sourcePatientId: 'a' };
const his = { sourceId: 'his', sourcePatientId: 'b' };
// As the identity matcher returns 张伟 in the CDR and Zhang Wei (birth date typed day-first) in the HIS.
const scored: Extract<LinkReason, { code: 'pair' }> = {
  code: 'pair',
  a: cdr,
  b: his,
  verdict: { code: 'verdict-score', outcome: 'possible', score: 19.31, linkedFrom: 22, possibleFrom: 16 },
  notes: [],
  evidence: [
    { code: 'name', weight: 13.3, a: '张伟', b: 'Zhang Wei', family: 'exact', given: 'similar', transposed: true },
    { code: 'birth-date-typo', weight: 5.02, a: '1968-03-12', b: '1968-12-03', how: 'day-month-swapped' },
    { code: 'sex-same', weight: 0.98, sex: 'male' },
    { code: 'phone-missing', weight: 0 },
  ],
};
const byResidentId: Extract<LinkReason, { code: 'pair' }> = {
  ...scored,
  verdict: { code: 'verdict-identifier', outcome: 'linked', link: { kind: 'resident-id', value: '110101199001010023' }, score: 3 },
  evidence: [],
};
const zhang = { link: { reasons: [scored] as LinkReason[] } };

describe('link reasons: the core sends data, the renderer words it', () => {
  it('words a scored pair in English: the verdict, then each field with its weight', () => {
    const lines = texts('en', zhang.link.reasons);
    expect(lines[0]).toBe('Possible match, needs confirmation: score 19.3 (linked from 22, possible from 16)');
    expect(lines).toContain('Birth date 1968-03-12 / 1968-12-03: day and month swapped, probably a typing error (+5.0)');
    expect(lines).toContain('Sex Male on both (+1.0)');
    expect(lines.some((l) => l.startsWith('Name 张伟 / Zhang Wei:') && l.includes('swapped order'))).toBe(true);
  });

  it('words the same pair in Chinese, with no English left in it', () => {
    const lines = texts('zh-CN', zhang.link.reasons);
    expect(lines[0]).toBe('可能为同一人，需核实：匹配分 19.3（≥22 关联，≥16 需核实）');
    expect(lines).toContain('出生日期 1968-03-12 / 1968-12-03：日与月颠倒，可能是录入错误（+5.0）');
    expect(lines).toContain('性别均为男（+1.0）');
    for (const line of lines) expect(line.replace('Zhang Wei', '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('words a deterministic link, a user decision and a cross-reference', () => {
    const byId = { link: { reasons: [byResidentId] } };
    expect(texts('zh-CN', byId.link.reasons)[0]).toBe('已关联：身份证号相同 110101199001010023');
    expect(texts('en', byId.link.reasons)[0]).toBe('Linked: same Resident ID card number 110101199001010023');
    expect(texts('en', byId.link.reasons).at(-1)).toBe('Demographic score 3.0');

    const decided: LinkReason = {
      ...byResidentId,
      decision: { verdict: 'unlinked', decidedBy: 'dr.li', decidedAt: '2026-02-03T04:05:06Z', note: '不是同一人' },
      evidence: [],
    };
    const [said, matcher] = texts('zh-CN', [decided]);
    expect(said).toMatch(/^dr\.li 于 .+ 解除关联：不是同一人$/);
    expect(matcher).toBe('自动匹配结果：已关联：身份证号相同 110101199001010023');
    expect(texts('en', [{ code: 'cross-reference', ref: { sourceId: 'lis', sourcePatientId: 'L7' }, via: 'his' }])).toEqual([
      'LIS: cross-reference from HIS',
    ]);
  });

  it('heads each pair when several are listed, and picks the reasons that concern one record', () => {
    const a = { sourceId: 'cdr', sourcePatientId: 'a' };
    const b = { sourceId: 'his', sourcePatientId: 'b' };
    const c = { sourceId: 'lis', sourcePatientId: 'c' };
    const reasons: LinkReason[] = [
      { ...scored, a, b },
      { ...scored, a: b, b: c },
      { code: 'indirect', a, b: c },
    ];
    const lines = linkReasonLines(words('en'), reasons, nameOf);
    expect(lines[0]).toEqual({ text: 'CDR a ↔ HIS b', indented: false });
    expect(lines[1]!.indented).toBe(true);
    expect(linkReasonsTooltip(lines).split('\n')[1]).toMatch(/^ {2}Possible match/);
    expect(reasonsConcerning(reasons, a).map((r) => r.code)).toEqual(['pair', 'indirect']);
    expect(reasonsConcerning(reasons, c)).toHaveLength(2);
  });

  it('says when a field carried no weight instead of showing a zero', () => {
    expect(evidenceText(words('en'), { code: 'phone-household', weight: 0 })).toBe(
      'Same phone, but the names differ: a shared household phone, not counted',
    );
    expect(evidenceText(words('zh-CN'), { code: 'address-missing', weight: 0 })).toBe('一条记录缺少地址（不计分）');
  });
});
