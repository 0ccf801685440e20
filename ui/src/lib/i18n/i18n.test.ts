import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { errorText, langFromLocale, setLang, t } from './index';
import { ERROR_CODES } from '../ipc/generated/constants';
import {
  ACCOUNT_KINDS, ASSET_CLASSES, INSTITUTION_KINDS, OWNERSHIPS, type BackupLocation, type HealthState, type Source,
} from '../ipc';

// Every value of the contract's unions: a value added on the Rust side fails to compile here.
const HEALTH_STATES: Record<HealthState, true> = { ok: true, vault_missing: true, vault_damaged: true, slots_damaged: true, restore_interrupted: true };
const LOCATIONS: Record<BackupLocation, true> = { profile: true, second_destination: true, removable: true, browsed: true };
const SOURCES: Record<Source, true> = { manual: true, import: true, derived: true };
import { NAV } from '../shell/routes';
import { RANGES } from '../charts';
import { STRENGTH_KEYS } from '../vault/password';
import { AUDIT_KINDS, auditDetail } from '../../views/settings/Audit';
import { ACTIVITY_COLUMNS, CSV_COLUMNS, PRICE_COLUMNS } from '../../views/ImportExport';

const SRC = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

function exists(key: string, dict: Record<string, string>): boolean {
  return key in dict || `${key}_other` in dict;
}

describe('dictionaries', () => {
  it('have exactly the same keys in French and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('have no empty strings', () => {
    for (const [lang, dict] of Object.entries({ fr, en })) {
      for (const [k, v] of Object.entries(dict)) {
        expect(v.trim(), `${lang}:${k}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(names(en[k]), k).toEqual(names(fr[k]));
    }
  });

  // Every label and sentence starts with a capital letter (after any opening quote), a
  // digit or a placeholder. The exceptions are the fragments that are never shown alone.
  const LOWERCASE_START: Record<string, string> = {
    'restore.withPassword': 'a radio option completing the legend "Ouvrir la sauvegarde avec"',
    'restore.withRecoveryKey': 'a radio option completing the legend "Ouvrir la sauvegarde avec"',
    'accounts.theInstitution': 'the {what} of "Supprimer {what} ?"',
    'accounts.theAccount': 'the {what} of "Supprimer {what} ?"',
    'assets.theAsset': 'the {what} of "Supprimer {what} ?"',
    'assets.shareShort': 'after " · " in the asset\'s line of details',
    'io.col.account_kind': 'the CSV tokens, as they are typed in the file',
    'io.col.asset_class': 'the CSV tokens, as they are typed in the file',
    'io.col.ownership': 'the CSV tokens, as they are typed in the file',
    'io.colA.account_kind': 'the CSV tokens, as they are typed in the file',
    'io.colA.type': 'the CSV tokens, as they are typed in the file',
    'io.orHeader': 'between two CSV headers of the import layout ("etablissement ou institution")',
  };
  it('start every label and sentence with a capital letter', () => {
    const bad: string[] = [];
    const lowercase = new Set<string>();
    for (const [lang, dict] of Object.entries({ fr, en })) {
      for (const [k, v] of Object.entries(dict)) {
        const start = v.replace(/^[\s«“"‘'(¿¡]+/u, '');
        if (/^(\{|\d|\p{Lu}|[^\p{L}])/u.test(start)) continue;
        lowercase.add(k);
        if (!(k in LOWERCASE_START)) bad.push(`${lang}:${k} ${JSON.stringify(v)}`);
      }
    }
    expect(bad).toEqual([]);
    // No stale exception: each one still starts lowercase in at least one language.
    expect(Object.keys(LOWERCASE_START).filter((k) => !lowercase.has(k))).toEqual([]);
  });

  // Plurals go through `_one` / `_other` forms, never "valeur(s)" or "remplacée(s)".
  it('write no plural by hand', () => {
    for (const [lang, dict] of Object.entries({ fr, en })) {
      for (const [k, v] of Object.entries(dict)) {
        expect(v, `${lang}:${k}`).not.toMatch(/\p{L}\((s|es|x|e|nt)\)/u);
      }
    }
    // Nor in text written in the views and components (string literals and JSX text,
    // comments left out).
    const handMade = /\p{L}\((s|es|x|e)\)/u;
    for (const file of [...sourceFiles(join(SRC, 'views')), ...sourceFiles(join(SRC, 'components'))]) {
      const code = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
      const texts = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`|>([^<>{}\n]+)</g)].map((m) => m.slice(1).find((g) => g !== undefined)!);
      expect(texts.filter((x) => / /.test(x) && handMade.test(x)), file).toEqual([]);
    }
  });

  // The core's labels name the loan class and account kind "Emprunts" / "Emprunt": the
  // French sentences use the same word for the same thing, never "prêt".
  it('call a loan "emprunt" in French, as the class and kind labels do', () => {
    expect(fr['assetClass.loan']).toBe('Emprunts');
    expect(fr['accountKind.loan']).toBe('Emprunt');
    const pret = /(^|[^\p{L}])pr[êe]ts?($|[^\p{L}])/iu;
    expect(Object.entries(fr).filter(([, v]) => pret.test(v))).toEqual([]);
    for (const file of [...sourceFiles(join(SRC, 'views')), ...sourceFiles(join(SRC, 'components'))]) {
      expect(readFileSync(file, 'utf8').split('\n').filter((l) => pret.test(l)), file).toEqual([]);
    }
  });

  it('have both plural forms wherever one exists', () => {
    for (const k of Object.keys(fr)) {
      if (k.endsWith('_one')) expect(fr, k).toHaveProperty(k.replace(/_one$/, '_other'));
    }
  });

  // The codes come from the core (generated): a code added on the Rust side without
  // its two sentences fails here.
  it.each([...ERROR_CODES, 'unknown'])('have a French and an English sentence for error code %s', (code) => {
    for (const [lang, dict] of Object.entries({ fr, en }) as [string, Record<string, string>][]) {
      const text = dict[`error.${code}`];
      expect(text, `${lang}: error.${code}`).toBeTypeOf('string');
      expect(text!.trim(), `${lang}: error.${code}`).not.toBe('');
    }
  });

  it('translate every value of the enumerations shown to the user', () => {
    const keys = [
      ...NAV.map((n) => `nav.${n}`),
      ...ASSET_CLASSES.map((c) => `assetClass.${c}`),
      ...ACCOUNT_KINDS.map((c) => `accountKind.${c}`),
      ...INSTITUTION_KINDS.map((c) => `institutionKind.${c}`),
      ...OWNERSHIPS.map((c) => `ownership.${c}`),
      ...AUDIT_KINDS.map((c) => `audit.kind.${c}`),
      ...RANGES.map((r) => `range.${r}`),
      ...STRENGTH_KEYS,
      ...CSV_COLUMNS.map((c) => `io.col.${c.name}`),
      ...ACTIVITY_COLUMNS.map((c) => `io.colA.${c.name}`),
      ...PRICE_COLUMNS.map((c) => `io.colP.${c.name}`),
      ...['values', 'activities', 'prices'].map((l) => `io.layout.${l}`),
      ...Object.keys(HEALTH_STATES).map((s) => `restore.health.${s}`),
      ...Object.keys(LOCATIONS).map((s) => `backup.loc.${s}`),
      ...['missing_column', 'required', 'bad_date', 'bad_number', 'bad_currency', 'bad_account_kind', 'bad_asset_class',
        'kind_conflict', 'currency_conflict', 'malformed', 'too_long'].map((c) => `lineError.${c}`),
      ...['class', 'region', 'institution', 'currency'].map((c) => `alloc.${c}`),
      ...['general', 'security', 'backups', 'audit', 'profiles'].map((c) => `settings.tab.${c}`),
      ...['choose', 'secret', 'preview'].map((c) => `restore.step.${c}`),
      ...Object.keys(SOURCES).map((c) => `values.source.${c}`),
      'alloc.unclassified',
      ...['region', 'sector'].map((c) => `dimension.${c}`),
      'lang.fr', 'lang.en',
    ];
    for (const k of keys) expect(exists(k, fr), k).toBe(true);
  });

  it('contain every key used in the source', () => {
    const namespaces = new Set(Object.keys(fr).map((k) => k.split('.')[0]));
    const used = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]!);
      // Keys kept in arrays or maps (e.g. 'io.count.lines') are string literals too.
      for (const m of text.matchAll(/'([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)'/g)) {
        if (namespaces.has(m[1]!.split('.')[0]!) && !/\.(ts|tsx|js|css)$/.test(m[1]!)) used.add(m[1]!);
      }
    }
    expect(used.size).toBeGreaterThan(300);
    const missing = [...used].filter((k) => !exists(k, fr));
    expect(missing).toEqual([]);
  });
});

describe('t()', () => {
  it('interpolates and chooses plural forms', () => {
    setLang('fr', false);
    expect(t('update.save', { count: 1 })).toBe('Enregistrer 1 valeur');
    expect(t('update.save', { count: 3 })).toBe('Enregistrer 3 valeurs');
    expect(t('update.save', { count: 0 })).toBe('Enregistrer 0 valeur');
    setLang('en', false);
    expect(t('update.save', { count: 0 })).toBe('Save 0 values');
    expect(t('update.save', { count: 1 })).toBe('Save 1 value');
    expect(t('unlock.throttledCountdown', { seconds: 12 })).toBe('Too many attempts. Try again in 12 s.');
  });

  it('writes numbers given as params the locale\'s way', () => {
    setLang('fr', false);
    expect(t('fx.limited', { count: 1500 })).toBe('Seuls les 1\u202f500 derniers taux sont affichés ; filtrez par devise pour en voir d’autres.');
    setLang('en', false);
    expect(t('fx.limited', { count: 1500 })).toBe('Only the latest 1,500 rates are shown; filter by currency to see others.');
  });

  it('builds sentences with two counts from plural fragments', () => {
    const saved = (inserted: number, updated: number) => t('update.saved', {
      inserted: t('update.savedInserted', { count: inserted }), updated: t('update.savedUpdated', { count: updated }),
    });
    const report = (rates: number, currencies: number) => t('fx.report', {
      rates: t('fx.reportRates', { count: rates }), currencies: t('fx.reportCurrencies', { count: currencies }),
    });
    setLang('fr', false);
    expect(saved(1, 0)).toBe('Enregistré : 1 nouvelle valeur, 0 remplacée.');
    expect(saved(2, 3)).toBe('Enregistré : 2 nouvelles valeurs, 3 remplacées.');
    expect(report(1, 1)).toBe('1 taux importé pour 1 devise.');
    expect(report(1200, 2)).toBe('1\u202f200 taux importés pour 2 devises.');
    setLang('en', false);
    expect(saved(1, 0)).toBe('Saved: 1 new value, 0 replaced.');
    expect(saved(2, 1)).toBe('Saved: 2 new values, 1 replaced.');
    expect(report(1, 1)).toBe('1 rate imported for 1 currency.');
    expect(report(10, 2)).toBe('10 rates imported for 2 currencies.');
  });

  it('falls back to the key, and unknown error codes to error.unknown', () => {
    expect(t('no.such.key')).toBe('no.such.key');
    setLang('en', false);
    expect(errorText('something_new')).toBe(en['error.unknown']);
    expect(errorText('recovery_key_typo', { group: 3 })).toContain('Group 3');
  });

  it('picks French for fr* locales, English otherwise', () => {
    expect(langFromLocale('fr-FR')).toBe('fr');
    expect(langFromLocale('fr')).toBe('fr');
    expect(langFromLocale('fr-CA')).toBe('fr');
    expect(langFromLocale('en-US')).toBe('en');
    expect(langFromLocale('de-DE')).toBe('en');
    expect(langFromLocale(undefined)).toBe('en');
  });

  it('remembers the chosen language', () => {
    setLang('en');
    expect(localStorage.getItem('patrimoine.lang')).toBe('en');
    setLang('fr');
    expect(localStorage.getItem('patrimoine.lang')).toBe('fr');
  });
});

describe('audit details', () => {
  it('are words, not the core\'s tokens', () => {
    setLang('fr');
    expect(auditDetail('unlock_failed', 'restore:password')).toBe(fr['audit.detail.restore:password']);
    expect(auditDetail('backup', 'pre_migration')).toBe(fr['audit.detail.pre_migration']);
    expect(auditDetail('import', 'lines=1200 imported=1199 skipped=1')).toBe('1\u202f200 lignes lues, 1\u202f199 importées, 1 ignorée');
    expect(auditDetail('import', 'lines=1 imported=0 skipped=1')).toBe('1 ligne lue, 0 importée, 1 ignorée');
    expect(auditDetail('fx_import', 'rates=10')).toBe('10 taux');
    expect(auditDetail('profile_created', '')).toBe('');
    expect(auditDetail('restore', 'something from an older version')).toBe('something from an older version');
    setLang('en');
    expect(auditDetail('unlock_ok', 'recovery_key')).toBe(en['audit.detail.recovery_key']);
    expect(auditDetail('import', 'lines=2 imported=1 skipped=1')).toBe('2 lines read, 1 imported, 1 skipped');
    expect(auditDetail('fx_import', 'rates=1')).toBe('1 rate');
  });
});
