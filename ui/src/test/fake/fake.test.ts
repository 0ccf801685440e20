//! The fake's own arithmetic and keys, against values the core's crates give
//! (rust_decimal's scales and rounding, the recovery-key checksum).
import { describe, expect, it } from 'vitest';
import { Dec, ratioFromF64 } from './decimal';
import { displayKey, newKeyBytes, parseKey } from './recoveryKey';
import { createFakeBackend } from './backend';
import { levelPayment, schedule, type Terms } from './loan';
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

describe('fake decimals overflow and loans as rust_decimal and the core do', () => {
  it('round a product past 28 places once, half to even, and add a zero as it is', () => {
    // 149 × 10^-30: two digits dropped at once (1.49 → 1), not twice (14.9 → 15 → 2).
    expect(d('0.000000000000000000000000001').mul(d('0.149')).toString()).toBe('0.0000000000000000000000000001');
    expect(d('0.000000000000000000000000001').mul(d('1.5')).toString()).toBe('0.0000000000000000000000000015');
    expect(d('1.0012083333333333333333333333').mul(d('1.0012083333333333333333333333')).toString()).toBe('1.0024181267361111111111111110');
    expect(d('0').mul(d('1.25')).toString()).toBe('0');
    expect(Dec.ZERO.add(d('5.00')).toString()).toBe('5.00');
    expect(d('5').add(d('0.00')).toString()).toBe('5');
    expect(d('2.345').roundDpAway(2).toString()).toBe('2.35');
    expect(d('32.5').roundDpAway(2).toString()).toBe('32.5');
  });

  it('give the level payments of the core (closed form at 28 digits, rounded to the cent)', () => {
    const rate = (annual: string) => d(annual).div(Dec.of(1200n));
    expect(rate('1.45').toString()).toBe('0.0012083333333333333333333333');
    expect(levelPayment(d('250000'), rate('1.45'), 300).toString()).toBe('993.98');
    expect(levelPayment(d('100000'), rate('12'), 360).toString()).toBe('1028.61');
    expect(levelPayment(d('10000'), rate('0'), 3).toString()).toBe('3333.33');
  });

  it('schedule the hand-computed small loan and a zero rate as loan.rs does', () => {
    const terms = (principal: string, annual: string, months: number): Terms => ({
      principal: d(principal), annual_rate: d(annual), months, first_payment: '2020-01-05', insurance: Dec.ZERO,
      amortization: 'constant', deferral: 'none', deferral_months: 0,
    });
    const small = schedule(terms('1000', '12', 3), []);
    expect(small.total_interest.toString()).toBe('20.07');
    expect(small.total_paid.toString()).toBe('1020.07');
    const zero = schedule(terms('10000', '0', 3), []);
    expect(zero.lines.map((l) => [l.payment.toString(), l.interest.toString()])).toEqual([['3333.33', '0'], ['3333.33', '0'], ['3333.34', '0']]);
    expect(() => schedule(terms('1000', '12', 3), [{ date: '2020-02-10', amount: d('2000'), keep: 'payment' }])).toThrow(
      expect.objectContaining({ code: 'repayment_exceeds_capital' }),
    );
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
