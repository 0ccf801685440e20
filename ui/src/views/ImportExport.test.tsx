import { describe, expect, it } from 'vitest';
import { ACTIVITY_COLUMNS, CSV_COLUMNS, PRICE_COLUMNS } from '../lib/ipc/generated/constants';
import { click, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';

describe('import screen', () => {
  it('documents the layout with the French headers first in French, the share and ownership columns included', async () => {
    const { root } = await newProfileApp();
    click(root.querySelector('[data-nav="io"]'));
    const rows = await waitFor(() => {
      const r = [...root.querySelectorAll('details tbody tr')];
      return r.length > 0 ? r : null;
    });
    expect(rows).toHaveLength(CSV_COLUMNS.length);
    const headers = rows.map((r) => [...r.querySelectorAll('code')].map((c) => c.textContent));
    expect(headers).toContainEqual(['etablissement', 'institution']);
    expect(headers).toContainEqual(['part', 'share_pct']);
    expect(headers).toContainEqual(['propriete', 'ownership']);
    expect(root.querySelector('.code-sample')?.textContent?.split('\n')[0]).toContain('etablissement;compte');
  });

  it('documents the activities and prices layouts in their tabs, from the core', async () => {
    const { root } = await newProfileApp();
    click(root.querySelector('[data-nav="io"]'));
    const tab = (name: string) => waitFor(() => [...root.querySelectorAll('details [role="tab"]')].find((b) => b.textContent === name) ?? null);
    click(await tab('Opérations'));
    const rows = () => [...root.querySelectorAll('details tbody tr')];
    await waitFor(() => (rows().length === ACTIVITY_COLUMNS.length ? true : null));
    let headers = rows().map((r) => [...r.querySelectorAll('code')].map((c) => c.textContent));
    expect(headers).toContainEqual(['type_operation', 'type']);
    expect(headers).toContainEqual(['titre', 'instrument']);
    expect(root.querySelector('.code-sample')?.textContent).toContain(';achat;FR0000120271;');
    click(await tab('Cours'));
    await waitFor(() => (rows().length === PRICE_COLUMNS.length ? true : null));
    headers = rows().map((r) => [...r.querySelectorAll('code')].map((c) => c.textContent));
    expect(headers).toContainEqual(['prix', 'price']);
    expect(root.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toBe('Cours');
  });
});
