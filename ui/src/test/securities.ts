//! A household holding securities, entered through the contract (for the securities
//! screens' tests): a PEA and a compte-titres at Boursorama; "Amundi MSCI World" held in
//! both, "iShares Core MSCI World" in the PEA, "Apple" never bought, "Vieux fonds" held
//! but archived.
import { invoke } from '@tauri-apps/api/core';
import type { Activity, Instrument } from '../lib/ipc/generated/types';

export const PRICE_DAY = '2024-06-28';

export interface Household {
  pea: number;
  cto: number;
  amundi: number;
  ishares: number;
  apple: number;
  old: number;
}

const instrument = (input: Omit<Instrument, 'id'>) => invoke<number>('create_instrument', { input: { ...input, id: 0 } });
const activity = (input: Partial<Activity> & Pick<Activity, 'account_id' | 'date' | 'kind'>) =>
  invoke<number>('add_activity', {
    input: { id: 0, instrument_id: null, quantity: null, unit_price: null, amount: null, fees: '0', note: '', ...input },
  });

export async function securitiesHousehold(): Promise<Household> {
  const broker = await invoke<number>('create_institution', { input: { id: 0, name: 'Boursorama', kind: 'broker', notes: '' } });
  const account = (name: string, kind: 'pea' | 'brokerage') => invoke<number>('create_account', {
    input: { id: 0, institution_id: broker, name, kind, currency: 'EUR', opened_on: '2024-01-02', closed_on: null },
  });
  const pea = await account('PEA', 'pea');
  const cto = await account('Compte-titres', 'brokerage');
  const fund = { ticker: null, currency: 'EUR', class: 'fund' as const, archived: false, allocations: {} };
  const amundi = await instrument({ ...fund, name: 'Amundi MSCI World', isin: 'FR0010315770', ticker: 'CW8' });
  const ishares = await instrument({ ...fund, name: 'iShares Core MSCI World', isin: 'IE00B4L5Y983' });
  const apple = await instrument({ ...fund, name: 'Apple', isin: 'US0378331005', currency: 'USD', class: 'equity' });
  const old = await instrument({ ...fund, name: 'Vieux fonds', isin: null });
  await activity({ account_id: pea, date: '2024-01-10', kind: 'deposit', amount: '20000' });
  await activity({ account_id: cto, date: '2024-01-10', kind: 'deposit', amount: '5000' });
  await activity({ account_id: pea, date: '2024-01-15', kind: 'buy', instrument_id: amundi, quantity: '30', unit_price: '410.5' });
  await activity({ account_id: cto, date: '2024-02-01', kind: 'buy', instrument_id: amundi, quantity: '5', unit_price: '420' });
  await activity({ account_id: pea, date: '2024-01-15', kind: 'buy', instrument_id: ishares, quantity: '40', unit_price: '85.1234' });
  await activity({ account_id: cto, date: '2024-02-01', kind: 'buy', instrument_id: old, quantity: '10', unit_price: '100' });
  await invoke('set_prices', {
    points: [
      { instrument_id: amundi, date: PRICE_DAY, price: '452.3', source: 'manual' },
      { instrument_id: apple, date: PRICE_DAY, price: '210.62', source: 'manual' },
    ],
  });
  await invoke('update_instrument', { id: old, input: { ...fund, id: old, name: 'Vieux fonds', isin: null, archived: true } });
  return { pea, cto, amundi, ishares, apple, old };
}
