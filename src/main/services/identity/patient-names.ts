import type { HumanName, Patient } from '@medplum/fhirtypes';

const CJK = /[\u3400-\u9fff]/;

/** Chinese names are written family-first with no space (张伟); Western ones given-first. */
export function formatHumanName(name: HumanName): string | undefined {
  if (name.text?.trim()) return name.text.trim();
  const family = name.family?.trim() ?? '';
  const given = (name.given ?? []).map((g) => g.trim()).filter(Boolean);
  if (!family && given.length === 0) return undefined;
  if (CJK.test(family) || given.some((g) => CJK.test(g))) return `${family}${given.join('')}`;
  return [...given, family].filter(Boolean).join(' ');
}

/** The name to show first: the official one, preferring Han characters when the record has them. */
export function patientDisplayNames(patient: Patient): { display: string; others: string[] } {
  const names = patient.name ?? [];
  const ordered = [...names].sort((a, b) => score(b) - score(a));
  const formatted = [...new Set(ordered.map(formatHumanName).filter((n): n is string => Boolean(n)))];
  return { display: formatted[0] ?? '(no name)', others: formatted.slice(1) };
}

function score(name: HumanName): number {
  const text = formatHumanName(name) ?? '';
  return (CJK.test(text) ? 2 : 0) + (name.use === 'official' || name.use === undefined ? 1 : 0);
}
