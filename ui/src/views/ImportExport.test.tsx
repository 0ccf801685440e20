import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../lib/ipc/generated/constants';
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
});
