import { describe, expect, it } from 'vitest';
import { sliceLabel, weightsStatus, weightsValues } from './index';
import { UNCLASSIFIED } from '../ipc';
import { fr } from '../i18n/fr';
import { pointIndexAt, rangeStart, rangeStep } from '../charts';
import { addMonths, isIsoDate } from '../dates';
import { passwordStrength } from '../vault/password';
import { keyGroups, normalizeRecoveryKey } from '../vault/recoveryKey';

describe('weights editor status', () => {
  const rows = (...pairs: [string, string][]) => pairs.map(([key, text]) => ({ key, text }));
  it('is ok at exactly 100, with decimal commas', () => {
    expect(weightsStatus(rows(['Europe', '33,33'], ['Asie', '33,33'], ['US', '33,34']), 'fr-FR')).toEqual({ kind: 'ok', total: '100' });
  });
  it('reports the exact total otherwise', () => {
    expect(weightsStatus(rows(['Europe', '33,33'], ['Asie', '33,33'], ['US', '33,33']), 'fr-FR')).toEqual({ kind: 'off', total: '99.99' });
    expect(weightsStatus(rows(['a', '0.1'], ['b', '0.2']), 'en-GB')).toEqual({ kind: 'off', total: '0.3' });
  });
  it('flags bad rows and ignores blank ones', () => {
    expect(weightsStatus(rows(['a', 'x'], ['', '50'], ['c', '150']), 'fr-FR')).toEqual({ kind: 'invalid', rows: [0, 1, 2] });
    expect(weightsStatus(rows(['', '']), 'fr-FR')).toEqual({ kind: 'empty' });
    expect(weightsValues(rows(['a', '60'], ['', ''], ['b', '40']), 'fr-FR')).toEqual([{ key: 'a', weight: '60' }, { key: 'b', weight: '40' }]);
  });
});

describe('charts', () => {
  const plot = { left: 100, top: 0, width: 400, height: 100 };
  it('maps x linearly across the plot to the nearest point', () => {
    expect(pointIndexAt(100, plot, 5)).toBe(0);
    expect(pointIndexAt(500, plot, 5)).toBe(4);
    expect(pointIndexAt(290, plot, 5)).toBe(2);
    expect(pointIndexAt(50, plot, 5)).toBeNull();
    expect(pointIndexAt(300, plot, 0)).toBeNull();
  });
  it('computes ranges and steps', () => {
    expect(rangeStart('1M', '2024-03-31')).toBe('2024-02-29');
    expect(rangeStart('5Y', '2024-03-31')).toBe('2019-03-31');
    expect(rangeStart('ALL', '2024-03-31')).toBeUndefined();
    expect(rangeStep('6M')).toBe('daily');
    expect(rangeStep('1Y')).toBe('weekly');
    expect(rangeStep('ALL')).toBe('monthly');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(isIsoDate('2024-02-30')).toBe(false);
  });
});

describe('vault helpers', () => {
  it('rates passwords by length and variety', () => {
    expect(passwordStrength('short')).toBe(0);
    expect(passwordStrength('aaaaaaaaaa')).toBe(1);
    expect(passwordStrength('abcdefghij')).toBeLessThanOrEqual(2);
    expect(passwordStrength('Correct-Horse-7-Battery')).toBe(4);
  });
  it('normalises recovery keys', () => {
    expect(normalizeRecoveryKey('abcd efgh-ijkl mnop')).toBe('ABCDEFGH-IJKLMNOP');
    expect(keyGroups('AAAAAAAABBBBBBBB')).toEqual(['AAAAAAAA', 'BBBBBBBB']);
  });
});

describe('breakdown slice labels', () => {
  const slice = (key: string, label = key) => ({ key, label, value: '1.00', percent: '100' });
  it('translate the core\'s tokens and buckets, keep names', () => {
    expect(sliceLabel({ by: 'class' }, slice('real_estate'))).toBe(fr['assetClass.real_estate']);
    expect(sliceLabel({ by: 'dimension', name: 'region' }, slice(UNCLASSIFIED))).toBe(fr['alloc.unclassified']);
    expect(sliceLabel({ by: 'dimension', name: 'region' }, slice('Europe'))).toBe('Europe');
    expect(sliceLabel({ by: 'institution' }, slice('direct'))).toBe(fr['assets.heldDirectly']);
    expect(sliceLabel({ by: 'institution' }, slice('institution:3', 'Boursorama'))).toBe('Boursorama');
    expect(sliceLabel({ by: 'account_kind' }, slice('pea'))).toBe(fr['accountKind.pea']);
    expect(sliceLabel({ by: 'currency' }, slice('USD'))).toBe('USD');
  });
});
