/**
 * A unit as written → the spelling the tables and UCUM are asked about: compatibility forms
 * folded (NFKC), whitespace dropped, the micro sign (and "mc") as "u", powers of ten as "10*n",
 * "IU" as "[IU]", "mEq" as "meq", "gm" as "g", "mg%" as "mg/dL", "/24h" as "/(24.h)". Each rewrite has one meaning wherever it
 * applies in clinical units.
 */
const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
};

/** "10⁹/L" → "10^9/L" before NFKC would make it "109/L". */
function superscriptPowers(text: string): string {
  return text.replace(/10([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})/g, (_, digits: string) => `10^${[...digits].map((d) => SUPERSCRIPTS[d]).join('')}`);
}

export function normalizeSpelling(written: string): string {
  return superscriptPowers(written).normalize('NFKC').replace(/\s+/g, '').replace(/[μµ]/g, 'u');
}

/**
 * "x10^9/L", "×10^12/L", "10E9/L", "10^9/L", "10+3/uL" (HL7's C-CDA examples) → "10*9/L"; needs
 * a power sign, since "109/L" is ambiguous.
 */
function powerOfTen(text: string): string {
  return text.replace(/^[xX×*]?10(?:\^|\*|\+|[eE])(\d{1,2})(?=\/|$)/, '10*$1');
}

/** "IU/L", "mIU/mL", "uIU/mL" → "[IU]/L", "m[IU]/mL", "u[IU]/mL": UCUM writes the international unit in brackets. */
function internationalUnit(text: string): string {
  return text.replace(/(^|[^A-Za-z[])([munkMUNK]?)[iI][uU](?![A-Za-z\]])/g, '$1$2[IU]');
}

/** "mEq/L" → "meq/L". */
function equivalents(text: string): string {
  return text.replace(/(^|[^A-Za-z])([muMU]?)[eE][qQ](?![A-Za-z])/g, '$1$2eq');
}

/** "mcg/dL" → "ug/dL", "mcmol/L" → "umol/L": "mc" for micro, as American labs write it. */
function mcForMicro(text: string): string {
  return text.replace(/(^|[^A-Za-z])mc(g|mol)(?![A-Za-z])/g, '$1u$2');
}

/** "gm/dl", "gm%", "gms" → "g/dl", "g%", "g": "gm" for gram, as American laboratories print it (UCUM has no "gm"). */
function gmForGram(text: string): string {
  return text.replace(/(^|[^A-Za-z])gms?(?![A-Za-z])/gi, '$1g');
}

/**
 * "mg%", "g%" → "mg/dL", "g/dL": a mass "per cent" is per 100 mL in clinical chemistry; read as
 * UCUM, "mg%" would be a hundredth of a milligram.
 */
function massPercent(text: string): string {
  return text.replace(/^([munp]?g)%$/, '$1/dL');
}

/** "mg/24h", "g/24hr" → "mg/(24.h)": a collection period, which UCUM writes as a product. */
function collectionPeriod(text: string): string {
  return text.replace(/\/(\d{1,2})(h|hr|hrs)$/, '/($1.h)');
}

export function rewriteToUcum(normalized: string): string {
  const rewrites = [powerOfTen, internationalUnit, equivalents, mcForMicro, gmForGram, massPercent, collectionPeriod];
  return rewrites.reduce((text, rewrite) => rewrite(text), normalized);
}
