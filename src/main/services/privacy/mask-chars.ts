/** Small string helpers every masker shares. */

/** Han ideographs (CJK Unified + Extension A + compatibility): a Chinese-name signal. */
export const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

export function stars(count: number, maskChar: string): string {
  return count > 0 ? maskChar.repeat(count) : '';
}

/** Splits into user-perceived characters (so an astral Han character counts once). */
export function chars(text: string): string[] {
  return Array.from(text);
}
