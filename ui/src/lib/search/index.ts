//! Searching lists the way people type: case, accents and ligatures are ignored in both
//! languages ("pret" finds "Prêt immobilier", "societe" finds "Société Générale",
//! "oeuvre" finds "Œuvre"), and each word of the query may match anywhere. Every
//! search or filter box of the UI goes through `matchesSearch`.

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };

/** The form in which texts are compared: lowercase, no diacritics, ligatures spelled
 *  out, one kind of apostrophe, dashes and runs of spaces as one space. */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[’‘`´]/g, "'")
    .replace(/[\s\u00a0\u202f\u2009\-‐‑–—]+/g, ' ')
    .trim();
}

/** True when every word of `query` is found in one of `fields` (an empty query matches). */
export function matchesSearch(query: string, ...fields: (string | null | undefined)[]): boolean {
  const words = searchKey(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const hay = fields.filter((f): f is string => typeof f === 'string').map(searchKey).join(' ');
  return words.every((w) => hay.includes(w));
}
