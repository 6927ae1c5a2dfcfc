/**
 * Two-character surnames (复姓) still in use. One list for every place that splits a Chinese
 * name — identity matching, PDQ queries to an HIS, privacy masking — so 欧阳娜娜 is 欧阳 + 娜娜
 * everywhere, not 欧 + 阳娜娜 in one of them.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '百里',
  '呼延',
  '澹台',
  '万俟',
  '闻人',
  '申屠',
  '太叔',
  '太史',
  '濮阳',
  '淳于',
  '单于',
  '钟离',
  '宗政',
  '公冶',
  '赫连',
  '拓跋',
  '司空',
  '第五',
]);

/**
 * A 汉字 full name written family-first, split: a 复姓 when the name is longer than it, else the
 * first character. Counted in code points, so a name with a character outside the BMP splits
 * the same way.
 */
export function splitChineseName(fullName: string): { family: string; given: string } {
  const cs = [...fullName];
  const familyLength = cs.length > 2 && COMPOUND_SURNAMES.has(cs[0]! + cs[1]!) ? 2 : 1;
  return { family: cs.slice(0, familyLength).join(''), given: cs.slice(familyLength).join('') };
}
