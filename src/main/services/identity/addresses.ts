/**
 * Addresses are compared as character bigram sets: Chinese addresses have no word boundaries,
 * and systems abbreviate differently (北京市朝阳区 / 北京朝阳区, "Rd" / "Road"), so a token
 * comparison would call most true matches different.
 */
export interface NormalisedAddress {
  text: string;
  bigrams: ReadonlySet<string>;
}

// Administrative suffixes that systems include or drop at will.
const DROPPABLE = /(省|市|自治区|特别行政区|区|县|街道|号|室|单元|栋|楼)/g;
const LATIN_ABBREVIATIONS: Readonly<Record<string, string>> = {
  road: 'rd',
  street: 'st',
  avenue: 'ave',
  district: 'dist',
  building: 'bldg',
  apartment: 'apt',
  room: 'rm',
  no: '',
};

export function normaliseAddress(raw: string): NormalisedAddress | undefined {
  const text = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[a-z]+/g, (w) => LATIN_ABBREVIATIONS[w] ?? w)
    .replace(DROPPABLE, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
  if (text.length < 2) return undefined;
  const bigrams = new Set<string>();
  for (let i = 0; i < text.length - 1; i++) bigrams.add(text.slice(i, i + 2));
  return { text, bigrams };
}

/** Dice coefficient of the bigram sets: 1 for equal texts, 0 for nothing in common. */
export function addressSimilarity(a: NormalisedAddress, b: NormalisedAddress): number {
  if (a.text === b.text) return 1;
  let common = 0;
  const [small, large] = a.bigrams.size <= b.bigrams.size ? [a.bigrams, b.bigrams] : [b.bigrams, a.bigrams];
  for (const g of small) if (large.has(g)) common++;
  return (2 * common) / (a.bigrams.size + b.bigrams.size);
}
