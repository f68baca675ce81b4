/**
 * The order of unit names a reader expects: numbers by value ("2" before "10"), letters
 * alphabetically whatever their case, digits before letters; names equal so far are told apart
 * by case (lowercase first) and, last of all, by their UTF-16 code units, so that two different
 * names never compare equal. This is ICU's collation for English with numeric ordering
 * (`new Intl.Collator('en', { numeric: true })`, as R's `stringi::stri_sort(numeric = TRUE)`),
 * followed by the code-unit tiebreak.
 *
 * Creating an ICU collator costs about 10 ms of CPU when a process first does it (ICU loads its
 * collation data), a third of what a small `seici agreement` spends after Node's own start-up.
 * Unit names are nearly always letters and digits, for which that collation reduces to the rule
 * above; those are compared here directly, and any other name (spaces, punctuation, accents,
 * other scripts, runs of more than 15 digits) through the collator.
 * test/agreement/unit_name_order.test.ts checks the direct comparison against ICU's on
 * random names of letters, digits and leading zeros.
 */
export function compareUnitNames(a: string, b: string): number {
  const direct = compareAlphanumeric(a, b);
  if (direct !== undefined) return direct;
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b) || codeUnitOrder(a, b);
}

let collator: Intl.Collator | null = null;

function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Longest run of digits compared directly: its value is then an exact double. */
const MAX_DIGITS = 15;

/** The kind of a character code: 0 digit, 1 letter, −1 anything else. */
function kind(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) return 0;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 122 ? 1 : -1;
}

/**
 * ICU's order for two names made of ASCII letters and digits only; undefined when either has
 * another character or a run of digits too long to hold exactly.
 * Level 1 (primary): element by element, a run of digits is one element valued as its number
 * (leading zeros ignored) and sorts before any letter; letters compare case-blind; a name that
 * is a prefix of the other comes first. Level 3 (tertiary): at the first letter whose case
 * differs, lowercase comes first. Then code units.
 */
function compareAlphanumeric(a: string, b: string): number | undefined {
  let i = 0;
  let j = 0;
  let caseOrder = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const ka = kind(ca);
    const kb = kind(cb);
    if (ka < 0 || kb < 0) return undefined;
    if (ka === 0 && kb === 0) {
      let ea = i;
      while (ea < a.length && kind(a.charCodeAt(ea)) === 0) ea++;
      let eb = j;
      while (eb < b.length && kind(b.charCodeAt(eb)) === 0) eb++;
      if (ea - i > MAX_DIGITS || eb - j > MAX_DIGITS) return undefined;
      const va = Number(a.slice(i, ea));
      const vb = Number(b.slice(j, eb));
      if (va !== vb) return va < vb ? -1 : 1;
      i = ea;
      j = eb;
      continue;
    }
    if (ka !== kb) return ka < kb ? -1 : 1; // digits before letters
    const la = ca | 0x20;
    const lb = cb | 0x20;
    if (la !== lb) return la < lb ? -1 : 1;
    if (caseOrder === 0 && ca !== cb) caseOrder = ca === la ? -1 : 1; // lowercase first
    i++;
    j++;
  }
  // the rest must be letters and digits too, for the answer to be ICU's
  for (let k = i; k < a.length; k++) if (kind(a.charCodeAt(k)) < 0) return undefined;
  for (let k = j; k < b.length; k++) if (kind(b.charCodeAt(k)) < 0) return undefined;
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  return caseOrder || codeUnitOrder(a, b);
}
