//! Keyboard shortcuts of the unlocked app: the same keys in both languages, chosen to
//! be mnemonic in both (N: nouvel actif / new asset, V: valeurs / values), the digits
//! for the screens of the menu in their order (1 to 9, then 0 for the tenth), Ctrl+L (⌘L on a Mac) to lock and "?"
//! for the list. None fires while the user types in a field, nor over a dialog.
import { NAV, type NavName } from './routes';

export type ShortcutAction =
  | { kind: 'go'; to: NavName }
  | { kind: 'newAsset' }
  | { kind: 'lock' }
  | { kind: 'help' };

/** What the help panel lists: the keys to press, and what they do (a dictionary key). */
export interface ShortcutHelp {
  keys: string[];
  label: string;
}

type KeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat' | 'isComposing' | 'defaultPrevented'> & {
  target: EventTarget | null;
};

const TEXT_INPUTS = new Set(['text', 'search', 'password', 'email', 'number', 'tel', 'url', 'date', 'month', 'week', 'time', 'datetime-local']);

/** True when keys typed on `target` are text for it (an input field, a list box). */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  switch (el.tagName) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return TEXT_INPUTS.has(((el as HTMLInputElement).type || 'text').toLowerCase());
    default:
      return false;
  }
}

/** The action of a key press, or null. Digits are read from the key's place too, so
 *  that "1" works on a French keyboard without Shift (where that key types "&"). */
export function shortcutAction(e: KeyInput): ShortcutAction | null {
  if (e.defaultPrevented || e.repeat || e.isComposing || isTyping(e.target)) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if ((e.ctrlKey || e.metaKey) && !e.altKey) return key === 'l' ? { kind: 'lock' } : null;
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (key === '?') return { kind: 'help' };
  if (key === 'n') return { kind: 'newAsset' };
  if (key === 'v') return { kind: 'go', to: 'update' };
  const digit = /^[0-9]$/.test(key) ? key : /^(Digit|Numpad)([0-9])$/.exec(e.code)?.[2];
  const to = digit === undefined ? undefined : NAV[digit === '0' ? 9 : Number(digit) - 1];
  return to ? { kind: 'go', to } : null;
}

/** The digit that opens the menu's screen number `index` (from 0): 1 to 9, then 0; null after the tenth. */
export function screenKey(index: number): string | null {
  return index < 9 ? String(index + 1) : index === 9 ? '0' : null;
}

/** "⌘" on a Mac, "Ctrl" elsewhere. */
export function modifierKey(platform: string = globalThis.navigator?.platform ?? ''): string {
  return /Mac|iPhone|iPad/i.test(platform) ? '⌘' : 'Ctrl';
}

/** The shortcuts as the help panel lists them: actions first, then the screens. */
export function shortcutList(mod = modifierKey()): { actions: ShortcutHelp[]; screens: ShortcutHelp[] } {
  return {
    actions: [
      { keys: ['N'], label: 'assets.add' },
      { keys: ['V'], label: 'dashboard.goUpdate' },
      { keys: [mod, 'L'], label: 'shell.lock' },
      { keys: ['?'], label: 'shortcuts.help' },
    ],
    screens: NAV.flatMap((n, i) => {
      const k = screenKey(i);
      return k === null ? [] : [{ keys: [k], label: `nav.${n}` }];
    }),
  };
}
