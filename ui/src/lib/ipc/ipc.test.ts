import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { AppError, ipc, pickFile, toAppError } from './index';

function record(result: unknown = null) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    return result;
  });
  return calls;
}

describe('IPC wrappers send the contract’s command names and snake_case arguments', () => {
  const cases: [string, () => Promise<unknown>, string, unknown][] = [
    ['createProfile', () => ipc.createProfile('Alice', 'secret password', 'EUR'), 'create_profile', { name: 'Alice', password: 'secret password', base_currency: 'EUR' }],
    ['unlockPassword', () => ipc.unlockPassword('Alice', 'pw'), 'unlock_password', { name: 'Alice', password: 'pw' }],
    ['unlockRecovery', () => ipc.unlockRecovery('Alice', 'K'), 'unlock_recovery', { name: 'Alice', recovery_key: 'K' }],
    ['unlockKeychain', () => ipc.unlockKeychain('Alice'), 'unlock_keychain', { name: 'Alice' }],
    ['changePassword', () => ipc.changePassword('new password'), 'change_password', { new_password: 'new password' }],
    ['setKeychain', () => ipc.setKeychain(true), 'set_keychain', { enabled: true }],
    ['setPreferences', () => ipc.setPreferences({ auto_lock_minutes: 10 }), 'set_preferences', { auto_lock_minutes: 10 }],
    ['renameProfile', () => ipc.renameProfile('A', 'B'), 'rename_profile', { name: 'A', new_name: 'B' }],
    ['deleteProfile', () => ipc.deleteProfile('B', 'B'), 'delete_profile', { name: 'B', typed_name: 'B' }],
    ['auditLog', () => ipc.auditLog(50), 'audit_log', { limit: 50 }],
    ['deleteInstitution', () => ipc.deleteInstitution(3, true), 'delete_institution', { id: 3, force: true }],
    ['updateAccount', () => ipc.updateAccount(4, { institution_id: 1, name: 'PEA', kind: 'pea', currency: 'EUR', opened_on: null, closed_on: '2024-01-01' }), 'update_account',
      { id: 4, input: { id: 4, institution_id: 1, name: 'PEA', kind: 'pea', currency: 'EUR', opened_on: null, closed_on: '2024-01-01' } }],
    ['deleteAsset', () => ipc.deleteAsset(9), 'delete_asset', { id: 9, force: false }],
    ['createDimension', () => ipc.createDimension('Style'), 'create_dimension', { name: 'Style' }],
    ['assetValues', () => ipc.assetValues(9), 'asset_values', { asset_id: 9 }],
    ['upsertValues', () => ipc.upsertValues([{ asset_id: 1, date: '2024-01-31', value: '10250.25', quantity: null, unit_price: null, source: 'manual' }]), 'upsert_values',
      { points: [{ asset_id: 1, date: '2024-01-31', value: '10250.25', quantity: null, unit_price: null, source: 'manual' }] }],
    ['deleteValue', () => ipc.deleteValue(1, '2024-01-31'), 'delete_value', { asset_id: 1, date: '2024-01-31' }],
    ['listCashFlows(all)', () => ipc.listCashFlows(), 'list_cash_flows', {}],
    ['listCashFlows(one)', () => ipc.listCashFlows(2), 'list_cash_flows', { account_id: 2 }],
    ['listFxRates', () => ipc.listFxRates(100, 'USD'), 'list_fx_rates', { currency: 'USD', limit: 100 }],
    ['deleteFxRate', () => ipc.deleteFxRate('USD', '2024-01-02'), 'delete_fx_rate', { currency: 'USD', date: '2024-01-02' }],
    ['importEcb', () => ipc.importEcb('/tmp/e.csv'), 'import_ecb', { path: '/tmp/e.csv' }],
    ['netWorth', () => ipc.netWorth('2024-12-31'), 'net_worth', { date: '2024-12-31' }],
    ['series', () => ipc.series('2024-01-01', '2024-12-31', 'monthly', true), 'series', { from: '2024-01-01', to: '2024-12-31', step: 'monthly', stack_by_class: true }],
    ['breakdown', () => ipc.breakdown('2024-12-31', { by: 'dimension', name: 'region' }), 'breakdown', { date: '2024-12-31', by: { by: 'dimension', name: 'region' } }],
    ['staleAssets', () => ipc.staleAssets('2024-12-31', 90), 'stale_assets', { date: '2024-12-31', days: 90 }],
    ['performance', () => ipc.performance('2024-01-01', '2024-12-31', 5), 'performance', { account_id: 5, from: '2024-01-01', to: '2024-12-31' }],
    ['performanceByAccount', () => ipc.performanceByAccount('2024-01-01', '2024-12-31'), 'performance_by_account', { from: '2024-01-01', to: '2024-12-31' }],
    ['chart', () => ipc.chart({ kind: 'asset_history', asset_id: 2, locale: 'fr-FR', width: 800, height: 300 }), 'chart', { request: { kind: 'asset_history', asset_id: 2, locale: 'fr-FR', width: 800, height: 300 } }],
    ['chartPng', () => ipc.chartPng({ kind: 'networth', to: '2024-12-31', locale: 'en-GB', width: 800, height: 300 }), 'chart_png', { request: { kind: 'networth', to: '2024-12-31', locale: 'en-GB', width: 800, height: 300 } }],
    ['createInstitution', () => ipc.createInstitution({ name: 'Boursorama', kind: 'broker', notes: '' }), 'create_institution', { input: { id: 0, name: 'Boursorama', kind: 'broker', notes: '' } }],
    ['changePassword(current)', () => ipc.changePassword('new password', { password: 'old password' }), 'change_password', { new_password: 'new password', current_password: 'old password' }],
    ['regenerateRecoveryKey(rk)', () => ipc.regenerateRecoveryKey({ recoveryKey: 'K' }), 'regenerate_recovery_key', { current_recovery_key: 'K' }],
    ['importCsv', () => ipc.importCsv('/tmp/a.csv', true, false), 'import_csv', { path: '/tmp/a.csv', dry_run: true, skip_invalid: false }],
    ['exportFile', () => ipc.exportFile('/tmp/a.json', 'json'), 'export_file', { path: '/tmp/a.json', format: 'json' }],
    ['inspectBackup', () => ipc.inspectBackup('/b'), 'inspect_backup', { path: '/b' }],
    ['restorePreview(pw)', () => ipc.restorePreview('/b', { password: 'pw' }), 'restore_preview', { path: '/b', password: 'pw' }],
    ['restoreBackup(rk)', () => ipc.restoreBackup('/b', { recoveryKey: 'K' }, 'new password'), 'restore_backup', { path: '/b', recovery_key: 'K', new_password: 'new password' }],
    ['exportBackup', () => ipc.exportBackup('/x'), 'export_backup', { path: '/x' }],
  ];
  it.each(cases)('%s', async (_name, run, cmd, args) => {
    const calls = record();
    await run();
    expect(calls).toEqual([{ cmd, args }]);
  });

  it('restoreBackup as a new profile sends the new name', async () => {
    const calls = record();
    await ipc.restoreBackup('/b', { password: 'pw' }, 'new password', 'Camille 2');
    expect(calls).toEqual([{ cmd: 'restore_backup', args: { path: '/b', password: 'pw', new_password: 'new password', as_new_name: 'Camille 2' } }]);
  });

  it('commands without arguments send none', async () => {
    const calls = record();
    await ipc.lock();
    await ipc.latestValues();
    await ipc.startupHealth();
    expect(calls.map((c) => c.cmd)).toEqual(['lock', 'latest_values', 'startup_health']);
    expect(calls.every((c) => c.args === undefined || Object.keys(c.args as object).length === 0)).toBe(true);
  });

  it('returns results unchanged (decimals stay strings)', async () => {
    record({ date: '2024-12-31', currency: 'EUR', net_worth: '123456.78', assets: '1', liabilities: '0', missing_rates: [] });
    const nw = await ipc.netWorth('2024-12-31');
    expect(nw.net_worth).toBe('123456.78');
  });

  it('opens the native dialog through the dialog plugin', async () => {
    const calls = record('/home/me/file.csv');
    expect(await pickFile('Pick', [{ name: 'CSV', extensions: ['csv'] }])).toBe('/home/me/file.csv');
    expect(calls[0]!.cmd).toBe('plugin:dialog|open');
  });
});

describe('error normalisation', () => {
  it('keeps code, message and details of the contract’s error shape', async () => {
    mockIPC(() => {
      throw { code: 'throttled', message: 'too many failed attempts; try again in 20 s', details: { retry_after_secs: 20 } };
    });
    const err = await ipc.unlockPassword('A', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('throttled');
    expect(e.message).toContain('20 s');
    expect(e.detailNumber('retry_after_secs')).toBe(20);
  });

  it('accepts a JSON string of the error', () => {
    const e = toAppError(JSON.stringify({ code: 'recovery_key_typo', message: 'group 3', details: { group: 3 } }));
    expect(e.code).toBe('recovery_key_typo');
    expect(e.detailNumber('group')).toBe(3);
  });

  it('maps anything else to unknown', () => {
    expect(toAppError('command foo not found').code).toBe('unknown');
    expect(toAppError(new Error('boom')).code).toBe('unknown');
    expect(toAppError(undefined).code).toBe('unknown');
    expect(toAppError({ message: 'no code' }).code).toBe('unknown');
  });

  it('reads details.field of invalid_input', () => {
    const e = toAppError({ code: 'invalid_input', message: 'x', details: { field: 'share_pct' } });
    expect(e.detailString('field')).toBe('share_pct');
  });
});
