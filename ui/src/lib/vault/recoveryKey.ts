//! Recovery keys: 8 groups of 8 characters. Display splits them into groups; input
//! accepts dashes, spaces and lower case, and is normalised before being sent.

export const GROUPS = 8;
export const GROUP_LEN = 8;

/** The groups of a key as the backend returns it ("ABCD…-…" or one block). */
export function keyGroups(key: string): string[] {
  const clean = key.replace(/[\s-]/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += GROUP_LEN) groups.push(clean.slice(i, i + GROUP_LEN));
  return groups;
}

/** Normalises typed input: strips spaces and dashes, upper-cases, re-inserts dashes. */
export function normalizeRecoveryKey(input: string): string {
  return keyGroups(input).join('-');
}

/** True when the input has the right number of characters (checksums are the backend's job). */
export function looksComplete(input: string): boolean {
  return input.replace(/[\s-]/g, '').length === GROUPS * GROUP_LEN;
}
