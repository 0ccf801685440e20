import { describe, expect, it } from 'vitest';
import { compare, multiply, negate, normalize, percentChange, shift, subtract, sum } from './index';

describe('exact decimal sum', () => {
  const check = (values: string[], expected: string) => expect(sum(values)).toBe(expected);
  it('adds without floating-point error', () => {
    check(['0.1', '0.2'], '0.3');
    check(['33.33', '33.33', '33.34'], '100');
    check(['12.5', '37.5', '50'], '100');
    check(['99999999999999999.99', '0.01'], '100000000000000000');
    check(['-10.5', '10.5'], '0');
    check([], '0');
    check(['1.000', '2.50'], '3.5');
  });
  it('compares exactly', () => {
    expect(compare(sum(['33.33', '33.33', '33.33']), '100')).toBe(-1);
    expect(compare('100.00', '100')).toBe(0);
    expect(compare('-1', '0')).toBe(-1);
  });
  it('subtracts, negates, normalises, shifts', () => {
    expect(subtract('10250.25', '10000.30')).toBe('249.95');
    expect(negate('5')).toBe('-5');
    expect(negate('0')).toBe('0');
    expect(normalize('007.500')).toBe('7.5');
    expect(shift('0.0512', 2)).toBe('5.12');
    expect(shift('12.5', -2)).toBe('0.125');
    expect(shift('3', 2)).toBe('300');
  });
  it('computes relative changes', () => {
    expect(percentChange('110', '100')).toBe('10');
    expect(percentChange('90', '100')).toBe('-10');
    expect(percentChange('1', '3')).toBe('-66.67');
    expect(percentChange('-50', '-100')).toBe('50');
    expect(percentChange('5', '0')).toBeNull();
  });
  it('rejects non-decimals', () => {
    expect(() => sum(['1,5'])).toThrow();
  });
});

describe('multiply', () => {
  it('multiplies exactly, as a trade’s units by its price', () => {
    expect(multiply('100', '25.10')).toBe('2510');
    expect(multiply('0.1', '0.2')).toBe('0.02');
    expect(multiply('-3', '1.5')).toBe('-4.5');
    expect(multiply('123456789.123', '1000')).toBe('123456789123');
  });
});
