/**
 * Orders text as `localeCompare` does in English, for printable ASCII (paths, crate and module
 * names), without `localeCompare` itself: its first call sets up ICU's collator (~15 ms, a tenth
 * of a whole `new`), and it follows the user's locale (in Danish `aa` sorts after `z`), so the
 * order of generated files and manifest entries would differ between machines.
 *
 * English collation compares whole strings by base character first (punctuation, then digits,
 * then letters, case ignored) and only then by case, lower before upper. Other text falls back
 * to the English collator. A unit test checks this against `localeCompare(b, 'en')`.
 */
const BASE_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

const WEIGHT = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE_ORDER.length; i++) {
  const code = BASE_ORDER.charCodeAt(i);
  WEIGHT[code] = i;
  if (code >= 97 && code <= 122) WEIGHT[code - 32] = i; // the capital letter: same base character
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function compareText(a: string, b: string): number {
  if (!PRINTABLE_ASCII.test(a) || !PRINTABLE_ASCII.test(b)) return a.localeCompare(b, 'en');
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (WEIGHT[a.charCodeAt(i)] as number) - (WEIGHT[b.charCodeAt(i)] as number);
    if (difference !== 0) return Math.sign(difference);
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  // Same letters; the first difference in case decides, lower case first.
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a.charCodeAt(i) > b.charCodeAt(i) ? -1 : 1;
  }
  return 0;
}
