//! The fake's own arithmetic and keys, against values the core's crates give
//! (rust_decimal's scales and rounding, the recovery-key checksum).
import { describe, expect, it } from 'vitest';
import { Dec, ratioFromF64 } from './decimal';
import { displayKey, newKeyBytes, parseKey } from './recoveryKey';
import { createFakeBackend } from './backend';
import { COMMAND_NAMES } from '../../lib/ipc/generated/commands';

const d = (s: string) => Dec.parse(s)!;
const pct = (part: string, whole: string) => d(part).div(d(whole)).mul(Dec.HUNDRED).roundDp(2).toString();

describe('fake decimals follow rust_decimal', () => {
  it('keep the scale of exact quotients and strip inexact ones', () => {
    expect(pct('3000', '3000')).toBe('100');
    expect(pct('3000', '4000')).toBe('75.00');
    expect(pct('1000', '2000')).toBe('50.0');
    expect(pct('1000', '3000')).toBe('33.33');
    expect(d('50').div(Dec.HUNDRED).toString()).toBe('0.5');
    expect(d('10').div(d('0.5')).toString()).toBe('20');
    expect(d('1').div(d('3')).toString()).toBe('0.3333333333333333333333333333');
  });

  it('add with the larger scale, multiply adding scales, round money half away from zero', () => {
    expect(d('1.5').add(d('2.25')).toString()).toBe('3.75');
    expect(d('1000').mul(d('0.5')).toString()).toBe('500.0');
    expect(Dec.ZERO.money().toString()).toBe('0.00');
    expect(d('2.345').money().toString()).toBe('2.35');
    expect(d('-2.345').money().toString()).toBe('-2.35');
    expect(d('12.345').roundDp(2).toString()).toBe('12.34');
  });

  it('write returns as from_f64_retain(x).round_dp(6)', () => {
    expect(ratioFromF64(0.1)!.toString()).toBe('0.100000');
    expect(ratioFromF64(1.1 - 1)!.toString()).toBe('0.100000');
    expect(ratioFromF64(0.5)!.toString()).toBe('0.5');
    expect(ratioFromF64(-0.25)!.toString()).toBe('-0.25');
    expect(ratioFromF64(Number.NaN)).toBeNull();
  });
});

describe('fake recovery keys', () => {
  it('read back what they show, name a mistyped group, refuse a short key', () => {
    const bytes = newKeyBytes();
    const shown = displayKey(bytes);
    expect(shown).toMatch(/^([0-9A-Z]{8}-){7}[0-9A-Z]{8}$/);
    const back = parseKey(shown.toLowerCase().replace(/-/g, ' '));
    expect(back.ok && [...back.bytes]).toEqual([...bytes]);
    const groups = shown.split('-');
    groups[4] = (groups[4]![0] === '0' ? '1' : '0') + groups[4]!.slice(1);
    expect(parseKey(groups.join('-'))).toEqual({ ok: false, code: 'recovery_key_typo', group: 5 });
    expect(parseKey('ABCD')).toEqual({ ok: false, code: 'recovery_key_format' });
  });
});

describe('fake backend', () => {
  it('answers every command of the contract, and refuses others as the dispatcher does', async () => {
    const fake = createFakeBackend();
    for (const cmd of COMMAND_NAMES) {
      // Locked or with missing arguments, every command answers with a contract error.
      const out = await fake.handle(cmd, {}).then(() => 'ok', (e: { code?: string }) => e.code);
      expect(typeof out, cmd).toBe('string');
    }
    await expect(fake.handle('no_such_command', {})).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
