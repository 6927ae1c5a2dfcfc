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
/** Per entry, the uses already handed to another thread's table (takeNewUnitEntryUses). */
let handedOver: number[] = [];
/** `origin\0spelling` → entry: how another thread's table names an entry to this one. */
let byOriginAndSpelling = new Map<string, number>();
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
  handedOver = entries.map(() => 0);
  byOriginAndSpelling = new Map(entries.map((e, i) => [`${e.origin}\u0000${e.spelling}`, i]));
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

/** Uses of one entry, as one thread's table hands them to another's (the inbound conversion worker's to main's). */
export interface UnitEntryUses {
  spelling: string;
  origin: 'built-in' | 'configured';
  uses: number;
}

/** The uses counted here since the last call, per entry that has any: for a worker thread to send with its answer. */
export function takeNewUnitEntryUses(): UnitEntryUses[] {
  const out: UnitEntryUses[] = [];
  for (let i = 0; i < uses.length; i++) {
    const added = uses[i]! - handedOver[i]!;
    if (added === 0) continue;
    handedOver[i] = uses[i]!;
    out.push({ spelling: entries[i]!.spelling, origin: entries[i]!.origin, uses: added });
  }
  return out;
}

/** Adds uses counted by another thread's copy of the table; an entry this table lacks (set anew since) is passed over. */
export function addUnitEntryUses(counted: readonly UnitEntryUses[]): void {
  for (const c of counted) {
    const i = byOriginAndSpelling.get(`${c.origin}\u0000${c.spelling}`);
    if (i !== undefined) uses[i]! += c.uses;
  }
}
