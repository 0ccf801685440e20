//! Language switcher (French / English), applied at once and remembered.
import { getLang, LANGS, setLang, t, type Lang } from '../lib/i18n';
import { SelectField } from './fields';

export function LangSelect({ compact }: { compact?: boolean }) {
  return (
    <SelectField
      fieldClass={compact ? 'field--compact' : ''}
      label={t('settings.language')}
      name="language"
      value={getLang()}
      onValue={(v) => setLang(v as Lang)}
      options={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
