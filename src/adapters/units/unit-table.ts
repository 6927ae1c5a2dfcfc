/**
 * The unit spellings table as this workstation uses it: the built-in spellings and the
 * hospital's configured ones (which win), and how often each entry mapped a unit a source sent,
 * so an administrator can see which entries are in use.
 */
import { normalizeSpelling } from './respell.ts';
import { CHINESE_CONCENTRATIONS, SPELLINGS } from './spellings.ts';

export interface UnitTableEntry {
  spelling: string;
  ucum: string;
  origin: 'built-in' | 'configured';
}

const BUILT_IN: readonly UnitTableEntry[] = [...Object.entries(SPELLINGS), ...Object.entries(CHINESE_CONCENTRATIONS)].map(
  ([spelling, ucum]) => ({ spelling, ucum, origin: 'built-in' as const }),
);

let entries: readonly UnitTableEntry[] = BUILT_IN;
// Maps, not objects: a unit written "constructor" must not find Object.prototype's.
let byExact = new Map<string, number>();
let byLowerCase = new Map<string, number>();
let uses: number[] = [];
/** Bumped on each change, so memos of answers from the old table are dropped. */
let version = 0;

function index(): void {
  byExact = new Map();
  byLowerCase = new Map();
  entries.forEach((e, i) => {
    // Configured entries come last and overwrite the built-in entry of the same spelling.
    const key = normalizeSpelling(e.spelling);
    byExact.set(key, i);
    // Systems that print in one case ("MMHG", "SEC") find the spellings too; the composed Chinese concentrations match as written.
    if (e.origin === 'configured' || Object.hasOwn(SPELLINGS, e.spelling)) byLowerCase.set(key.toLowerCase(), i);
  });
  uses = entries.map(() => 0);
  version++;
}
index();

/** The hospital's spellings over the built-in ones; counts start again. */
export function useUnitSpellings(configured: readonly { spelling: string; ucum: string }[]): void {
  entries = [...BUILT_IN, ...configured.map((c) => ({ spelling: c.spelling, ucum: c.ucum, origin: 'configured' as const }))];
  index();
}

export function tableVersion(): number {
  return version;
}

/** The entry a normalised spelling names (exactly, else without regard to case), or -1. */
export function unitEntryIndex(spelled: string): number {
  return byExact.get(spelled) ?? byLowerCase.get(spelled.toLowerCase()) ?? -1;
}

export function unitEntryCode(i: number): string {
  return entries[i]!.ucum;
}

export function countUnitEntryUse(i: number): void {
  uses[i]!++;
}

/** Every entry with the times it mapped a unit a source sent since the table was set. */
export function unitTableUsage(): (UnitTableEntry & { uses: number })[] {
  return entries.map((e, i) => ({ ...e, uses: uses[i]! }));
}
