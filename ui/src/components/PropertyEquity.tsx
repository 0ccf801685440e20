//! A property financed by loans (the loans whose `linked_asset_id` is it): its value,
//! the loans' outstanding capital and its net equity today, then once a year since
//! its first value (`equity`, each amount after its share, as the core computes it).
//! Nothing is shown for an asset no loan is linked to.
import { ipc, type Asset, type ValuePoint } from '../lib/ipc';
import { addYears, today } from '../lib/dates';
import { percentChange, sum } from '../lib/decimal';
import { formatDate, formatMoney, formatPercent } from '../lib/format';
import { t } from '../lib/i18n';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { ErrorBanner } from './feedback';
import { num, Table } from './Table';
import '../views/loans.css';

/** `from`, then every year after it while before `to`, then `to` (at most 100 dates). */
export function yearlyDates(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to && out.length < 99; d = addYears(from, out.length)) out.push(d);
  out.push(to);
  return out;
}

/** Net equity as a percentage of the value, for the bar; null without a value. */
function equityShare(equity: string, value: string): string | null {
  const change = percentChange(equity, value, 1);
  return change === null ? null : sum([change, '100']);
}

export function PropertyEquity({ asset, values }: { asset: Asset; values: ValuePoint[] }) {
  const { navigate } = useShell();
  const day = today();
  const first = values.reduce<string | null>((m, v) => (m === null || v.date < m ? v.date : m), null);
  const data = useLoad(async () => {
    if (asset.liability) return null;
    const loans = (await ipc.listLoans()).filter((l) => l.linked_asset_id === asset.id);
    if (loans.length === 0) return null;
    const [rows, schedules] = await Promise.all([
      ipc.equity(asset.id, yearlyDates(first !== null && first < day ? first : day, day)),
      Promise.all(loans.map((l) => ipc.loanSchedule(l.asset_id, day))),
    ]);
    return { rows, schedules };
  }, [asset.id, asset.liability, first, day, values]);

  if (data.error) return <ErrorBanner error={data.error} onRetry={data.reload} />;
  if (!data.data) return null;
  const { rows, schedules } = data.data;
  const now = rows[rows.length - 1]!;
  const cur = asset.currency;
  return (
    <section class="card equity" aria-labelledby="equity-title" data-testid="equity">
      <h2 id="equity-title" class="card__title">{t('equity.title')}</h2>
      <p class="muted">{t('equity.intro')}</p>
      <dl class="summary summary--inline equity__figures">
        <div><dt>{t('equity.value')}</dt><dd data-testid="equity-value">{formatMoney(now.value, cur)}</dd></div>
        <div><dt>{t('equity.loans')}</dt><dd data-testid="equity-loans">{formatMoney(now.loans, cur)}</dd></div>
        <div><dt>{t('equity.net')}</dt><dd data-testid="equity-net"><strong>{formatMoney(now.equity, cur)}</strong></dd></div>
      </dl>
      <ul class="equity__loans">
        {schedules.map((s) => (
          <li key={s.loan.asset_id}>
            <button type="button" class="btn btn--link" onClick={() => navigate({ name: 'loan', id: s.loan.asset_id })}>{s.loan.name}</button>
            {' '}{t('equity.loanLine', { amount: formatMoney(s.outstanding, s.loan.currency) })}
            {s.loan.share_pct !== '100' && <> · {t('assets.shareShort', { pct: formatPercent(s.loan.share_pct) })}</>}
          </li>
        ))}
      </ul>
      <div class="table-wrap">
        <Table variant="compact" columns={[t('common.date'), num(t('equity.value')), num(t('equity.loans')), num(t('equity.net')), t('equity.share')]}>
          {rows.map((r) => {
            const share = equityShare(r.equity, r.value);
            const width = share === null ? 0 : Math.max(0, Math.min(100, Number(share)));
            return (
              <tr key={r.date} data-date={r.date}>
                <td class="nowrap">{formatDate(r.date)}</td>
                <td class="num">{formatMoney(r.value, cur)}</td>
                <td class="num">{formatMoney(r.loans, cur)}</td>
                <td class="num">{formatMoney(r.equity, cur)}</td>
                <td>
                  {share === null ? '—' : (
                    <span class="nowrap">
                      <span class="equity__bar" aria-hidden="true"><span style={{ width: `${width}%` }} /></span>
                      <span class="small">{formatPercent(share, undefined, { digits: 0 })}</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      </div>
    </section>
  );
}
