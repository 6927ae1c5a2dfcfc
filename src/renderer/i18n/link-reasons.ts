import type {
  DeterministicLink,
  EvidenceReason,
  LinkReason,
  MatcherVerdictReason,
  NameLevel,
  OutcomeNote,
} from '../../shared/domain/link-reasons.ts';
import type { SourcePatientRef } from '../../shared/domain/source.ts';
import type { MessageKey } from './catalogs.ts';
import type { I18n } from './i18n-context.tsx';

type Words = Pick<I18n, 't' | 'fmt'>;
type PairReason = Extract<LinkReason, { code: 'pair' }>;

const sameRef = (x: SourcePatientRef, y: SourcePatientRef) => x.sourceId === y.sourceId && x.sourcePatientId === y.sourcePatientId;

const oneDecimal = ({ fmt }: Words, n: number) => fmt.number(n, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signed = (w: Words, n: number) => (n >= 0 ? `+${oneDecimal(w, n)}` : oneDecimal(w, n));
const sexWord = ({ t }: Words, sex: string) => t(`gender.${sex === 'male' || sex === 'female' ? sex : 'other'}`);

function linkText(w: Words, link: DeterministicLink): string {
  if (link.kind === 'resident-id') return w.t('linkWhy.link.resident-id', { value: link.value });
  if (link.kind === 'cross-reference') return w.t('linkWhy.link.cross-reference', { value: link.value, system: link.system });
  return w.t('linkWhy.link.identifier', { label: link.label, value: link.value });
}

function verdictText(w: Words, v: MatcherVerdictReason): string {
  const outcome = w.t(`linkWhy.outcome.${v.outcome}`);
  return v.code === 'verdict-identifier'
    ? w.t('linkWhy.verdictIdentifier', { outcome, link: linkText(w, v.link) })
    : w.t('linkWhy.verdictScore', { outcome, score: oneDecimal(w, v.score), linkedFrom: v.linkedFrom, possibleFrom: v.possibleFrom });
}

function noteText(w: Words, note: OutcomeNote): string {
  return note.code === 'homophone-names'
    ? w.t('linkWhy.note.homophone-names')
    : w.t('linkWhy.note.demographics-disagree', { link: linkText(w, note.link), score: oneDecimal(w, note.score) });
}

function nameText(w: Words, r: Extract<EvidenceReason, { code: 'name' }>): string {
  const { t } = w;
  const parts: string[] = [];
  if (r.family === 'exact' && r.given === 'exact') parts.push(t(r.a === r.b ? 'linkWhy.name.identical' : 'linkWhy.name.sameReading'));
  else {
    const level = (part: 'family' | 'given', l: NameLevel) =>
      l === 'missing' ? [] : [t(`linkWhy.level.${l}`, { part: t(`linkWhy.part.${part}`) })];
    parts.push(...level('family', r.family), ...level('given', r.given));
  }
  if (r.transposed) parts.push(t('linkWhy.name.transposed'));
  const names = r.a === r.b ? t('linkWhy.name.same', { name: r.a }) : `${r.a} / ${r.b}`;
  return t('linkWhy.name', { names, parts: parts.join(t('linkWhy.listSeparator')) });
}

/** One compared field in words; a field that carried weight says how much. */
export function evidenceText(w: Words, r: EvidenceReason): string {
  const { t } = w;
  const weighed = (text: string) => t('linkWhy.weighed', { text, weight: signed(w, r.weight) });
  switch (r.code) {
    case 'name':
      return weighed(nameText(w, r));
    case 'birth-date-exact':
      return weighed(t('linkWhy.birth-date-exact', { date: r.date }));
    case 'birth-date-typo':
      return weighed(t('linkWhy.birth-date-typo', { a: r.a, b: r.b, how: t(`linkWhy.how.${r.how}`) }));
    case 'birth-date-partial':
    case 'birth-date-differs':
      return weighed(t(`linkWhy.${r.code}`, { a: r.a, b: r.b }));
    case 'sex-same':
      return weighed(t('linkWhy.sex-same', { sex: sexWord(w, r.sex) }));
    case 'sex-differs':
      return weighed(t('linkWhy.sex-differs', { a: sexWord(w, r.a), b: sexWord(w, r.b) }));
    case 'phone-same':
    case 'phone-differs':
    case 'address-same':
    case 'address-differs':
      return weighed(t(`linkWhy.${r.code}`));
    case 'address-partly':
      return weighed(t('linkWhy.address-partly', { percent: r.percent }));
    case 'resident-id-doubtful': {
      const doubts = r.doubts.map((d) =>
        t(`linkWhy.doubt.${d.field}`, {
          record: t(`linkWhy.record.${d.record}`),
          encoded: d.field === 'sex' ? sexWord(w, d.encoded) : d.encoded,
          recorded: d.field === 'sex' ? sexWord(w, d.recorded) : d.recorded,
        }),
      );
      return weighed(t('linkWhy.resident-id-doubtful', { value: r.value, doubts: doubts.join(t('linkWhy.listSeparator')) }));
    }
    case 'resident-id-invalid':
      return weighed(t('linkWhy.resident-id-invalid', { value: r.value, problem: t(`linkWhy.problem.${r.problem}`) }));
    case 'resident-id-conflict':
      return weighed(t('linkWhy.resident-id-conflict', { a: r.a, b: r.b }));
    case 'identifier-conflict':
      return weighed(t('linkWhy.identifier-conflict', { label: r.label, a: r.a, b: r.b }));
    // Missing values and household sharing carry no weight; their words say so.
    case 'name-missing':
    case 'birth-date-missing':
    case 'sex-missing':
    case 'phone-missing':
    case 'phone-household':
    case 'address-missing':
    case 'address-household':
      return t(`linkWhy.${r.code}` as MessageKey);
  }
}

/** A compared pair: the user's decision (with what the matcher had said), or the matcher's verdict with its notes and evidence. */
function pairLines(w: Words, r: PairReason): string[] {
  const { t, fmt } = w;
  if (r.decision) {
    const by = { by: r.decision.decidedBy, at: fmt.dateTime(r.decision.decidedAt) };
    const said = t(r.decision.verdict === 'confirmed' ? 'linkWhy.confirmedBy' : 'linkWhy.unlinkedBy', by);
    return [
      r.decision.note ? t('linkWhy.withNote', { text: said, note: r.decision.note }) : said,
      t('linkWhy.matcherSaid', { verdict: verdictText(w, r.verdict) }),
    ];
  }
  return [
    verdictText(w, r.verdict),
    ...r.notes.map((n) => noteText(w, n)),
    ...r.evidence.map((e) => evidenceText(w, e)),
    ...(r.verdict.code === 'verdict-identifier' ? [t('linkWhy.demographicScore', { score: oneDecimal(w, r.verdict.score) })] : []),
  ];
}

export interface LinkReasonLine {
  text: string;
  /** Under a pair's heading, when several pairs are listed. */
  indented: boolean;
}

/**
 * The reasons in words, in their order. Several compared pairs are each headed
 * "<system> <id> ↔ <system> <id>" so a reader can tell which lines belong to which records.
 */
export function linkReasonLines(w: Words, reasons: readonly LinkReason[], sourceName: (sourceId: string) => string): LinkReasonLine[] {
  const record = (ref: SourcePatientRef) => w.t('linkWhy.record', { system: sourceName(ref.sourceId), id: ref.sourcePatientId });
  const headed = reasons.filter((r) => r.code === 'pair').length > 1;
  return reasons.flatMap((r): LinkReasonLine[] => {
    switch (r.code) {
      case 'indirect':
        return [{ text: w.t('linkWhy.indirect', { a: record(r.a), b: record(r.b) }), indented: false }];
      case 'cross-reference':
        return [{ text: w.t('linkWhy.crossReference', { system: sourceName(r.ref.sourceId), via: sourceName(r.via) }), indented: false }];
      case 'pair': {
        const lines = pairLines(w, r).map((text) => ({ text, indented: headed }));
        return headed ? [{ text: w.t('linkWhy.pairHeading', { a: record(r.a), b: record(r.b) }), indented: false }, ...lines] : lines;
      }
    }
  });
}

/** The reasons that concern one record of the patient. */
export function reasonsConcerning(reasons: readonly LinkReason[], ref: SourcePatientRef): LinkReason[] {
  return reasons.filter((r) => (r.code === 'cross-reference' ? sameRef(r.ref, ref) : sameRef(r.a, ref) || sameRef(r.b, ref)));
}

/** Lines for a tooltip: headings flush, the lines under them indented. */
export function linkReasonsTooltip(lines: readonly LinkReasonLine[]): string {
  return lines.map((l) => (l.indented ? `  ${l.text}` : l.text)).join('\n');
}
