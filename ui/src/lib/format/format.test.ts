import { describe, expect, it } from 'vitest';
import {
  ambiguousReadings, decimalForInput, formatDate, formatDateTime, formatDecimal, formatInteger, formatMoney, formatMoneyChange,
  formatPercent, formatRatio, MINUS_SIGN, parseDecimalInput,
} from './index';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats euros the French way, as Intl does', () => {
    const expected = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(1234.56);
    expect(formatMoney('1234.56', 'EUR', 'fr-FR')).toBe(expected);
    expect(nbsp(formatMoney('1234.56', 'EUR', 'fr-FR'))).toBe('1 234,56 €');
    // The separators are the narrow no-break spaces Intl produces, not plain spaces.
    expect(formatMoney('1234.56', 'EUR', 'fr-FR')).not.toBe('1 234,56 €');
  });
  it('formats in English', () => {
    expect(formatMoney('1234.56', 'EUR', 'en-GB')).toBe('€1,234.56');
    expect(formatMoney('-0.5', 'USD', 'en-GB')).toBe('\u2212US$0.50');
  });
  it('keeps full precision for large amounts', () => {
    expect(nbsp(formatMoney('12345678901234567.89', 'EUR', 'fr-FR'))).toBe('12 345 678 901 234 567,89 €');
  });
  it('leaves non-decimal text alone', () => {
    expect(formatMoney('n/a', 'EUR', 'fr-FR')).toBe('n/a');
  });
});

describe('percent and dates', () => {
  it('formats percent units and ratios', () => {
    expect(nbsp(formatPercent('12.5', 'fr-FR'))).toBe('12,5 %');
    expect(formatPercent('12.5', 'en-GB')).toBe('12.5%');
    expect(nbsp(formatRatio('0.0512', 'fr-FR'))).toBe('5,12 %');
    expect(formatRatio('-0.1', 'en-GB', true)).toBe('\u221210.00%');
    expect(formatPercent('1.5', 'en-GB', { fixed: true })).toBe('1.50%');
    expect(nbsp(formatPercent('72.01', 'fr-FR', { fixed: true }))).toBe('72,01 %');
  });
  it('formats calendar dates without time-zone shifts', () => {
    expect(formatDate('2024-01-31', 'fr-FR')).toBe(new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 31)));
    expect(formatDate('2024-01-31', 'en-GB', 'long')).toBe('31 January 2024');
  });
});

describe('negative numbers', () => {
  // Intl itself writes a hyphen-minus here (V8, CLDR's French and English): the helpers
  // must replace it, whatever the engine.
  it('are written by Intl with a hyphen-minus in this engine (what the helpers correct)', () => {
    expect(new Intl.NumberFormat('fr-FR').format(-1)).toBe('-1');
  });
  const cases: [string, (locale: string) => string, string, string][] = [
    ['money', (l) => formatMoney('-1234.5', 'EUR', l), '−1 234,50 €', '−€1,234.50'],
    ['money in a code Intl refuses', (l) => formatMoney('-3', 'EU1', l), '−3,00 EU1', '−3.00 EU1'],
    ['a change', (l) => formatMoneyChange('-12', 'EUR', l), '−12,00 €', '−€12.00'],
    ['a percentage', (l) => formatPercent('-2.5', l, { signed: true }), '−2,5 %', '−2.5%'],
    ['a ratio', (l) => formatRatio('-0.1234', l), '−12,34 %', '−12.34%'],
    ['a decimal', (l) => formatDecimal('-1234.5678', 6, l), '−1 234,5678', '−1,234.5678'],
    ['an integer', (l) => formatInteger(-1200, l), '−1 200', '−1,200'],
  ];
  it.each(cases)('use U+2212 in %s', (_, f, french, english) => {
    for (const [locale, expected] of [['fr-FR', french], ['en-GB', english]] as const) {
      const text = f(locale);
      expect(text, locale).not.toContain('-');
      expect(text.startsWith(MINUS_SIGN), locale).toBe(true);
      expect(nbsp(text), locale).toBe(expected);
    }
  });
  it('leave positive numbers and their plus sign alone', () => {
    expect(nbsp(formatMoneyChange('12', 'EUR', 'fr-FR'))).toBe('+12,00 €');
    expect(formatPercent('2.5', 'en-GB', { signed: true })).toBe('+2.5%');
    expect(formatPercent('0', 'en-GB', { signed: true })).toBe('0%');
  });
  it('still parse back when typed as shown', () => {
    expect(parseDecimalInput(formatDecimal('-1234.5', 6, 'fr-FR'), 'fr-FR')).toBe('-1234.5');
  });
});

describe('French dates', () => {
  it('write the first day of a month as "1er", in every style with a day name', () => {
    expect(formatDate('2026-12-01', 'fr-FR', 'long')).toBe('1er décembre 2026');
    expect(formatDate('2026-12-01', 'fr-FR')).toBe('1er déc. 2026');
    expect(formatDateTime('2026-12-01T10:30:00', 'fr-FR')).toMatch(/^1er déc\. 2026/);
  });
  it('leave the other days, numeric dates and English alone', () => {
    expect(formatDate('2026-12-02', 'fr-FR', 'long')).toBe('2 décembre 2026');
    expect(formatDate('2026-12-11', 'fr-FR', 'long')).toBe('11 décembre 2026');
    expect(formatDate('2026-12-21', 'fr-FR', 'long')).toBe('21 décembre 2026');
    expect(formatDate('2026-12-01', 'fr-FR', 'short')).toBe('01/12/2026');
    expect(formatDate('2026-12-01', 'en-GB', 'long')).toBe('1 December 2026');
    expect(formatDate('2026-12-01', 'en-GB')).toBe('1 Dec 2026');
  });
});

describe('parseDecimalInput', () => {
  const cases: [string, string, string | null][] = [
    ['1 234,56', 'fr-FR', '1234.56'],
    ['1\u202f234,56', 'fr-FR', '1234.56'],
    ['1\u00a0234,56', 'fr-FR', '1234.56'],
    ['1234.56', 'fr-FR', '1234.56'],
    ['1234,56', 'fr-FR', '1234.56'],
    ['1.234,56', 'fr-FR', '1234.56'],
    ['1,234.56', 'en-GB', '1234.56'],
    ['1234.56', 'en-GB', '1234.56'],
    ['1,234', 'en-GB', '1234'],
    ['1,234', 'fr-FR', '1.234'],
    ['12,5', 'en-GB', '12.5'],
    ['1,234,567.8', 'en-GB', '1234567.8'],
    ['-12,50', 'fr-FR', '-12.5'],
    ['+7', 'fr-FR', '7'],
    ['\u22123,5', 'fr-FR', '-3.5'],
    [',5', 'fr-FR', '0.5'],
    ['0010', 'fr-FR', '10'],
    ['100,00', 'fr-FR', '100'],
    ['', 'fr-FR', null],
    ['   ', 'fr-FR', null],
    ['abc', 'fr-FR', null],
    ['12a', 'fr-FR', null],
    ['1,2,3', 'fr-FR', null],
    ['1.2.3', 'en-GB', null],
    ['1,23,456.7', 'en-GB', null],
    ['--5', 'fr-FR', null],
    ['5-', 'fr-FR', null],
    ['.', 'fr-FR', null],
    ['1e5', 'en-GB', null],
    // A dot then exactly three digits, no comma, in French: 22 950 or 22,95? Never guessed.
    ['22.950', 'fr-FR', null],
    ['-1.500', 'fr-FR', null],
    ['22.950', 'en-GB', '22.95'],
    ['0.500', 'fr-FR', '0.5'],
    ['1234.567', 'fr-FR', '1234.567'],
    ['1.234.567', 'fr-FR', '1234567'],
    ['22.95', 'fr-FR', '22.95'],
    ['22.950,5', 'fr-FR', '22950.5'],
  ];
  it.each(cases)('%j in %s → %j', (text, locale, expected) => {
    expect(parseDecimalInput(text, locale)).toBe(expected);
  });
  it('gives both readings of an ambiguous French input', () => {
    expect(ambiguousReadings('22.950', 'fr-FR')).toEqual({ thousands: '22950', decimal: '22.95' });
    expect(ambiguousReadings(' -1.500 ', 'fr-FR')).toEqual({ thousands: '-1500', decimal: '-1.5' });
    expect(ambiguousReadings('22.950', 'en-US')).toBeNull();
    expect(ambiguousReadings('22,950', 'fr-FR')).toBeNull();
  });
  it('round-trips values shown in inputs', () => {
    expect(decimalForInput('1234.5', 'fr-FR')).toBe('1234,5');
    expect(parseDecimalInput(decimalForInput('1234.5', 'fr-FR'), 'fr-FR')).toBe('1234.5');
  });
});
