//! The i18n layer: French and English dictionaries with identical keys, `t(key, params)`
//! with `{name}` interpolation and plural forms (`key_one` / `key_other`, chosen with
//! `Intl.PluralRules` from `params.count`; never a hand-written "(s)"). Numbers given as params
//! are written the locale's way ("1 200" in French). The language follows `navigator.language`
//! until the user picks one, which is then remembered in localStorage.
import { useEffect, useState } from 'preact/hooks';
import { en } from './en';
import { fr, type MessageKey } from './fr';

export type Lang = 'fr' | 'en';
export type { MessageKey };
export const LANGS: readonly Lang[] = ['fr', 'en'];

const dictionaries: Record<Lang, Record<string, string>> = { fr, en };
const STORAGE_KEY = 'patrimoine.lang';

/** fr* → fr, anything else → en. */
export function langFromLocale(locale: string | undefined | null): Lang {
  return locale && locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function storedLang(): Lang | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'fr' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

let current: Lang = storedLang() ?? langFromLocale(globalThis.navigator?.language);
const listeners = new Set<(lang: Lang) => void>();

export function getLang(): Lang {
  return current;
}

/** BCP 47 locale used with Intl for the current language. */
export function getLocale(): string {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

/** Switches the language at runtime; `remember` stores the choice for the next start. */
export function setLang(lang: Lang, remember = true): void {
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // Storage may be unavailable; the choice then lasts for this session only.
    }
  }
  if (lang === current) return;
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  for (const l of listeners) l(lang);
}

/** Re-renders the calling component when the language changes; returns it. */
export function useLang(): Lang {
  const [lang, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => {
      listeners.delete(set);
    };
  }, []);
  return lang;
}

export type Params = Record<string, string | number>;

const pluralRules = { fr: new Intl.PluralRules('fr'), en: new Intl.PluralRules('en') };
const numbers = { fr: new Intl.NumberFormat('fr-FR'), en: new Intl.NumberFormat('en-GB') };

function lookup(dict: Record<string, string>, key: string, params?: Params): string | undefined {
  const count = params?.count;
  if (typeof count === 'number') {
    const rule = pluralRules[current === 'fr' ? 'fr' : 'en'].select(count);
    const plural = dict[`${key}_${rule}`] ?? dict[`${key}_other`];
    if (plural !== undefined) return plural;
  }
  return dict[key];
}

/**
 * Translates `key` in the current language; `{name}` placeholders take `params.name`
 * (a number in the locale's digits). A sentence holding two counts is made of plural
 * fragments: `t('update.saved', { inserted: t('update.savedInserted', { count: 2 }), … })`.
 */
export function t(key: string, params?: Params): string {
  const text = lookup(dictionaries[current], key, params) ?? lookup(dictionaries.en, key, params);
  if (text === undefined) return key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === 'number' ? numbers[current].format(v) : v;
  });
}

/** True when a translation exists for `key` (plain or plural). */
export function hasKey(key: string): boolean {
  const d = dictionaries[current];
  return key in d || `${key}_other` in d;
}

/** The translated sentence for an error code, with `error.unknown` as fallback. */
export function errorText(code: string, params?: Params): string {
  return hasKey(`error.${code}`) ? t(`error.${code}`, params) : t('error.unknown', params);
}

export const dictionariesForTests = dictionaries;
