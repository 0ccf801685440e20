//! The rule that values a dismembered asset today (`dismembered_share`): a life
//! usufruct by the usufructuary's age, a fixed-term one by the started periods of ten
//! years left (capped by the life usufruct when the age is known), by article 669 of
//! the CGI (the former article 762 before 2004), with the barème's edition and source.
//! Nothing is shown for full ownership or a usufruct valued by hand.
import { ipc, type Asset, type DismemberedShare } from '../lib/ipc';
import { today } from '../lib/dates';
import { formatDate, formatPercent } from '../lib/format';
import { t } from '../lib/i18n';
import { useLoad } from '../lib/shell/useLoad';
import { ErrorBanner } from './feedback';
import '../views/loans.css';

/** The barème of article 669 applies from 1 January 2004; before, the former article 762. */
const ARTICLE_669_FROM = '2004-01-01';

/** The sentence of the rule, e.g. "Nue-propriété selon l’article 669 du CGI : usufruitier de
 *  76 ans, usufruit 30 %, nue-propriété 70 % (× part 50 %)". */
export function ruleText(asset: Pick<Asset, 'ownership' | 'share_pct' | 'usufruct_ends'>, s: DismemberedShare): string {
  const ownership = t(`ownership.${asset.ownership}`);
  const share = asset.share_pct === '100' ? '' : ` ${t('dismembered.share', { pct: formatPercent(asset.share_pct) })}`;
  const pcts = { usufruct: formatPercent(s.usufruct_pct), bare: formatPercent(s.bare_pct), share };
  const law = s.edition_from < ARTICLE_669_FROM ? '762' : '669';
  if (s.years_left === null) {
    return t(`dismembered.life${law}`, { ownership, age: t('dismembered.age', { count: s.age ?? 0 }), ...pcts });
  }
  if (s.years_left === 0) {
    return t('dismembered.ended', { ownership, date: asset.usufruct_ends ? formatDate(asset.usufruct_ends) : '—', ...pcts });
  }
  const fixed = t(`dismembered.fixed${law}`, {
    ownership,
    years: t('dismembered.yearsLeft', { count: s.years_left }),
    periods: t('dismembered.periods', { count: s.periods ?? 0 }),
    ...pcts,
  });
  return s.capped_by_life && s.age !== null
    ? `${fixed} ${t('dismembered.capped', { age: t('dismembered.age', { count: s.age }) })}`
    : fixed;
}

export function DismemberedRule({ asset }: { asset: Asset }) {
  const follows = asset.ownership !== 'full' && Boolean(asset.usufructuary_born || asset.usufruct_ends);
  const day = today();
  const data = useLoad(
    () => (follows ? ipc.dismemberedShare(asset.id, day) : Promise.resolve(null)),
    [asset.id, follows, asset.ownership, asset.usufructuary_born, asset.usufruct_ends, asset.share_pct, day],
  );
  if (!follows) return null;
  if (data.error) return <ErrorBanner error={data.error} onRetry={data.reload} />;
  const s = data.data;
  if (!s) return null;
  return (
    <section class="card dismembered" aria-labelledby="dismembered-title" data-testid="dismembered">
      <h2 id="dismembered-title" class="card__title">{t('dismembered.title')}</h2>
      <p data-testid="dismembered-rule">{ruleText(asset, s)}</p>
      <p class="muted small">
        {t('dismembered.edition', { date: formatDate(s.edition_from, undefined, 'long') })}{' '}
        {t('dismembered.source')} <span class="dismembered__source" data-testid="dismembered-source">{s.source}</span>
      </p>
    </section>
  );
}
