/**
 * Phone numbers as systems print them: "138 1111 2222", "+86-138-1111-2222", "0086 13811112222",
 * "(010) 6512 3456". Normalised to one E.164-like form for China (+86…) so equal numbers compare
 * equal. A local number without its area code cannot be placed: it keeps its digits behind "?"
 * and still compares equal to the same local number.
 */
export function normalisePhone(raw: string): string | undefined {
  let digits = raw.replace(/\D/g, '');
  let hadCountryCode = false;
  if (digits.startsWith('0086')) {
    digits = digits.slice(4);
    hadCountryCode = true;
  } else if (digits.startsWith('86') && digits.length >= 11) {
    // Mobiles start with 1 and landlines with the trunk 0, so 11+ digits starting 86 carry the country code.
    digits = digits.slice(2);
    hadCountryCode = true;
  }
  if (digits.length < 7) return undefined;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^0[1-9]\d{8,10}$/.test(digits)) return `+86${digits.slice(1)}`;
  if (hadCountryCode && /^[1-9]\d{8,10}$/.test(digits)) return `+86${digits}`;
  return `?${digits}`;
}
