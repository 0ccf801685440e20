import { describe, expect, it } from 'vitest';
import { isTyping, modifierKey, shortcutAction, shortcutList } from './shortcuts';
import { NAV } from './routes';
import { fr } from '../i18n/fr';
import { en } from '../i18n/en';

const press = (key: string, extra: Partial<Parameters<typeof shortcutAction>[0]> = {}) =>
  shortcutAction({
    key, code: '', ctrlKey: false, metaKey: false, altKey: false, repeat: false, isComposing: false, defaultPrevented: false,
    target: document.body, ...extra,
  });

describe('shortcutAction', () => {
  it('maps the frequent actions', () => {
    expect(press('n')).toEqual({ kind: 'newAsset' });
    expect(press('N')).toEqual({ kind: 'newAsset' });
    expect(press('v')).toEqual({ kind: 'go', to: 'update' });
    expect(press('?')).toEqual({ kind: 'help' });
    expect(press('l', { ctrlKey: true })).toEqual({ kind: 'lock' });
    expect(press('L', { metaKey: true })).toEqual({ kind: 'lock' });
  });

  it('maps the digits to the menu in its order, 0 for the tenth, also where "1" needs Shift (AZERTY)', () => {
    NAV.slice(0, 10).forEach((n, i) => expect(press(i === 9 ? '0' : String(i + 1))).toEqual({ kind: 'go', to: n }));
    expect(press('&', { code: 'Digit1' })).toEqual({ kind: 'go', to: 'dashboard' });
    expect(press('é', { code: 'Digit2' })).toEqual({ kind: 'go', to: 'update' });
    expect(press('à', { code: 'Digit0' })).toEqual({ kind: 'go', to: NAV[9] });
  });

  it('does nothing while typing, with other modifiers, on repeat or once handled', () => {
    for (const tag of ['input', 'textarea', 'select']) {
      expect(press('n', { target: document.createElement(tag) }), tag).toBeNull();
    }
    const date = Object.assign(document.createElement('input'), { type: 'date' });
    expect(press('1', { target: date })).toBeNull();
    expect(press('l', { ctrlKey: true, target: document.createElement('input') })).toBeNull();
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(press('n', { target: checkbox })).toEqual({ kind: 'newAsset' });
    expect(press('n', { ctrlKey: true })).toBeNull();
    expect(press('n', { altKey: true })).toBeNull();
    expect(press('l', { ctrlKey: true, altKey: true })).toBeNull();
    expect(press('n', { repeat: true })).toBeNull();
    expect(press('n', { isComposing: true })).toBeNull();
    expect(press('n', { defaultPrevented: true })).toBeNull();
    expect(press('x')).toBeNull();
  });

  it('knows a field being edited', () => {
    expect(isTyping(document.createElement('button'))).toBe(false);
    expect(isTyping(null)).toBe(false);
    expect(isTyping(document.createElement('input'))).toBe(true);
  });
});

describe('the shortcut list', () => {
  it('names every shortcut in both languages, with the Mac key on a Mac', () => {
    const { actions, screens } = shortcutList('⌘');
    expect(actions.map((a) => a.keys.join('+'))).toEqual(['N', 'V', '⌘+L', '?']);
    expect(screens.map((s) => s.keys[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].slice(0, NAV.length));
    for (const s of [...actions, ...screens]) {
      expect(fr, s.label).toHaveProperty([s.label]);
      expect(en, s.label).toHaveProperty([s.label]);
    }
    expect(modifierKey('MacIntel')).toBe('⌘');
    expect(modifierKey('Linux x86_64')).toBe('Ctrl');
    expect(modifierKey('Win32')).toBe('Ctrl');
  });
});
