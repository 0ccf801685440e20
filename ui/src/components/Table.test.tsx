import { afterEach, describe, expect, it } from 'vitest';
import { createRef } from 'preact';
import { ACTIONS, num, Table } from './Table';
import { cleanup, render } from '../test/render';
import { setLang, t } from '../lib/i18n';

afterEach(() => {
  cleanup();
  setLang('en', false);
});

describe('Table', () => {
  it('builds one column header per column, numbers right-aligned, the actions column named for screen readers', () => {
    setLang('fr', false);
    const body = createRef<HTMLTableSectionElement>();
    const root = render(
      <Table variant="compact" bodyRef={body} columns={['Nom', num('Valeur'), ACTIONS]}>
        <tr>
          <td>Livret A</td>
          <td class="num">1 000,00 €</td>
          <td />
        </tr>
      </Table>,
    );
    const table = root.querySelector('table')!;
    expect(table.className).toBe('table table--compact');
    const ths = [...table.querySelectorAll('thead th')];
    expect(ths.map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col']);
    expect(ths.map((th) => th.className)).toEqual(['', 'num', '']);
    expect(ths[0].textContent).toBe('Nom');
    const actions = ths[2].querySelector('.sr-only');
    expect(actions?.textContent).toBe(t('common.actions'));
    expect(actions?.textContent).not.toBe('common.actions');
    expect(body.current).toBe(table.querySelector('tbody'));
    expect(body.current!.querySelectorAll('tr')).toHaveLength(1);
  });

  it('is a plain table without a variant', () => {
    const root = render(<Table columns={['Name']}>{null}</Table>);
    expect(root.querySelector('table')!.className).toBe('table');
    expect(root.querySelectorAll('tbody tr')).toHaveLength(0);
  });
});
