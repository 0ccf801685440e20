import { afterEach, describe, expect, it } from 'vitest';
import { RecoveryKeyStep } from './recoveryKey';
import { cleanup, render } from '../test/render';
import { t } from '../lib/i18n';

afterEach(cleanup);

const KEY = 'FEHT3JSZ-5DZZ7VYT-D831GHNJ-VCZ3FGK2-JVH2X5FR-EGZZBVAT-QNQG50ST-R4P7XBJG';

describe('RecoveryKeyStep', () => {
  it('moves focus to the key when it appears, so Tab goes on to Copy and Print', () => {
    const root = render(<RecoveryKeyStep recoveryKey={KEY} profileName="Alice" dataDir="/data" onDone={() => {}} />);
    const list = root.querySelector('ol.rk-groups') as HTMLOListElement;
    expect(document.activeElement).toBe(list);
    expect(list.getAttribute('aria-label')).toBe(t('recovery.keyLabel'));
    expect(list.tabIndex).toBe(-1);
    // The next focusable elements after the key, in document order.
    const focusable = [...root.querySelectorAll('.no-print button, .no-print input')] as HTMLElement[];
    expect(focusable.slice(0, 2).map((b) => b.textContent)).toEqual([t('recovery.copy'), t('recovery.printKit')]);
    expect(list.compareDocumentPosition(focusable[0]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
