//! Recovery keys as the core makes and reads them (`crypto::keys::RecoveryKey`):
//! 32 random bytes in 8 groups of 4, each group followed by a CRC-8 of the group and
//! its index, written as 8 Crockford base32 characters. A mistyped character fails
//! its group's check, so the group can be named without knowing the key.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 8;

/** What parsing a typed key can say. */
export type ParsedKey = { ok: true; bytes: Uint8Array } | { ok: false; code: 'recovery_key_format' } | { ok: false; code: 'recovery_key_typo'; group: number };

function groupChecksum(index: number, data: Uint8Array): number {
  let crc = index & 0xff;
  for (const b of data) {
    crc ^= b;
    for (let i = 0; i < 8; i += 1) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function encodeBlock(block: Uint8Array): string {
  let bits = 0n;
  for (const b of block) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i -= 1) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

function decodeChar(c: string): number {
  const mapped = c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c;
  return ALPHABET.indexOf(mapped);
}

/** The key as shown to the user: 8 groups of 8 characters joined by dashes. */
export function displayKey(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i += 1) {
    const chunk = bytes.slice(i * 4, i * 4 + 4);
    groups.push(encodeBlock(Uint8Array.from([...chunk, groupChecksum(i, chunk)])));
  }
  return groups.join('-');
}

/** A new random key (or one drawn from `seed`, for reproducible demo data). */
export function newKeyBytes(seed?: number): Uint8Array {
  const bytes = new Uint8Array(32);
  if (seed === undefined) {
    globalThis.crypto.getRandomValues(bytes);
  } else {
    let x = seed;
    for (let i = 0; i < bytes.length; i += 1) {
      x = (x * 48271) % 2147483647;
      bytes[i] = x & 0xff;
    }
  }
  return bytes;
}

/** Reads a typed key as the core does: spaces, dashes and case ignored, O as 0, I and L as 1. */
export function parseKey(text: string): ParsedKey {
  const cleaned = [...text].filter((c) => !/\s/.test(c) && c !== '-').map((c) => c.toUpperCase()).join('');
  // eslint-disable-next-line no-control-regex
  if (cleaned.length !== GROUPS * 8 || !/^[\x00-\x7f]*$/.test(cleaned)) return { ok: false, code: 'recovery_key_format' };
  const bytes = new Uint8Array(32);
  for (let i = 0; i < GROUPS; i += 1) {
    let bits = 0n;
    for (const c of cleaned.slice(i * 8, i * 8 + 8)) {
      const v = decodeChar(c);
      if (v < 0) return { ok: false, code: 'recovery_key_typo', group: i + 1 };
      bits = (bits << 5n) | BigInt(v);
    }
    const block = Uint8Array.from([4, 3, 2, 1, 0].map((k) => Number((bits >> BigInt(k * 8)) & 0xffn)));
    if (groupChecksum(i, block.slice(0, 4)) !== block[4]) return { ok: false, code: 'recovery_key_typo', group: i + 1 };
    bytes.set(block.slice(0, 4), i * 4);
  }
  return { ok: true, bytes };
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
