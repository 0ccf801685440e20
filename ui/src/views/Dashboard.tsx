//! Dashboard: net worth today with its change over 1 month and 1 year (split into money
//! brought in, revaluation and debts), the net-worth chart by class with a range selector,
//! allocation charts, stale values, performance over a period the user chooses.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ipc, toAppError, type Account, type AppError, type BackupSettings, type Breakdown, type BreakdownBy, type Chart, type ChartRequest, type Institution, type NetWorth, type NoReturn, type Performance, type StaleAsset } from '../lib/ipc';
import { compare, percentChange, sign, subtract, sum } from '../lib/decimal';
import { addMonths, addYears, isIsoDate, today } from '../lib/dates';
import { formatDate, formatMoney, formatMoneyChange, formatPercent, formatRatio } from '../lib/format';
import { getLocale, t, useLang } from '../lib/i18n';
import { RANGES, rangeStart, rangeStep, type RangeKey } from '../lib/charts';
import { accountLabel, sliceLabel } from '../lib/portfolio';
import { useShell } from '../lib/shell/context';
import { useLoad } from '../lib/shell/useLoad';
import { ChartView } from '../components/ChartView';
import { EmptyState, ErrorBanner, Loading } from '../components/feedback';
import { num, Table } from '../components/Table';

/** What the first render of the dashboard shows, loaded at once: every card is drawn
 *  in the same frame (under a software renderer each frame of this page is costly, and
 *  cards popping in one by one would each cost one). */
interface Initial {
  now: NetWorth;
  monthAgo: NetWorth;
  yearAgo: NetWorth;
  /** What made the change over 1 month and 1 year (null when it cannot be computed,
   *  e.g. a rate is missing: the change itself is still shown). */
  monthSplit: Performance | null;
  yearSplit: Performance | null;
  hasAssets: boolean;
  chart: ChartData;
  alloc: AllocData;
  stale: StaleAsset[];
  perf: PerfData;
  backups: BackupSettings | null;
}

export function Dashboard() {
  const { session, navigate } = useShell();
  const lang = useLang();
  const day = today();
  const currency = session.base_currency;

  const first = useLoad(async (): Promise<Initial> => {
    const [now, monthAgo, yearAgo, assets] = await Promise.all([
      ipc.netWorth(day), ipc.netWorth(addMonths(day, -1)), ipc.netWorth(addYears(day, -1)), ipc.listAssets(),
    ]);
    if (assets.length === 0) {
      return {
        now, monthAgo, yearAgo, monthSplit: null, yearSplit: null, hasAssets: false,
        chart: null!, alloc: null!, stale: [], perf: null!, backups: null,
      };
    }
    const [chart, alloc, stale, perf, backups, monthSplit] = await Promise.all([
      loadChart(DEFAULT_RANGE, day), loadAlloc(DEFAULT_ALLOC, day), ipc.staleAssets(day, STALE_DAYS),
      loadPerf(DEFAULT_PERIOD, day).catch((e: unknown) => ({ error: toAppError(e) }) as PerfData),
      // The reminder is a nicety: the dashboard does not fail without it.
      ipc.getBackupSettings().catch(() => null),
      ipc.performance(addMonths(day, -1), day).catch(() => null),
    ]);
    // The performance card opens on the last year: its total is the 1-year split.
    const yearSplit = perf.error ? null : perf.total;
    return { now, monthAgo, yearAgo, monthSplit, yearSplit, hasAssets: true, chart, alloc, stale, perf, backups };
  }, [day, currency, lang]);

  if (first.loading && !first.data) return <Page><Loading /></Page>;
  if (first.error) return <Page><ErrorBanner error={first.error} onRetry={first.reload} /></Page>;
  const { now, monthAgo, yearAgo, hasAssets } = first.data!;

  if (!hasAssets) {
    return (
      <Page>
        <EmptyState title={t('dashboard.emptyTitle')} text={t('dashboard.emptyText')}>
          <button type="button" class="btn btn--primary" onClick={() => navigate({ name: 'accounts' })}>{t('dashboard.addAccount')}</button>
          <button type="button" class="btn" onClick={() => navigate({ name: 'io' })}>{t('dashboard.importCsv')}</button>
        </EmptyState>
      </Page>
    );
  }

  const backups = first.data!.backups;
  return (
    <Page>
      {backups?.second_destination_reminder && backups.second_destination && (
        <div class="banner banner--warn" role="status" data-testid="second-destination-reminder">
          <p>
            {backups.second_destination_last_seen
              ? t('backup.reminder', { path: backups.second_destination, date: formatDate(backups.second_destination_last_seen.slice(0, 10)) })
              : t('backup.reminderNever', { path: backups.second_destination })}
          </p>
          <button type="button" class="btn btn--small" onClick={() => navigate({ name: 'settings', tab: 'backups' })}>{t('backup.reminderSettings')}</button>
        </div>
      )}
      <section class="card hero" aria-labelledby="nw-title">
        <h2 id="nw-title" class="card__title">{t('dashboard.netWorthToday', { date: formatDate(now.date) })}</h2>
        <p class="hero__amount" data-testid="net-worth">{formatMoney(now.net_worth, now.currency)}</p>
        <p class="hero__split">
          {t('dashboard.assetsTotal', { amount: formatMoney(now.assets, now.currency) })}
          {' · '}
          {t('dashboard.liabilitiesTotal', { amount: formatMoney(now.liabilities, now.currency) })}
        </p>
        <div class="hero__changes">
          <Change label={t('dashboard.change1m')} now={now} then={monthAgo} split={first.data!.monthSplit} testId="change-1m" />
          <Change label={t('dashboard.change1y')} now={now} then={yearAgo} split={first.data!.yearSplit} testId="change-1y" />
        </div>
        {now.missing_rates.length > 0 && (
          <p class="banner banner--warn">{t('dashboard.missingRates', { currencies: now.missing_rates.join(', ') })}</p>
        )}
      </section>

      <NetWorthChart currency={currency} lang={lang} day={day} initial={first.data!.chart} />

      <div class="grid-2">
        <AllocationCard currency={currency} lang={lang} day={day} initial={first.data!.alloc} />
        <StaleCard stale={first.data!.stale} />
      </div>

      <PerformanceCard day={day} currency={currency} perf={first.data!.perf} />
    </Page>
  );
}

const DEFAULT_RANGE: RangeKey = '1Y';
const STALE_DAYS = 90;

interface ChartData {
  req: ChartRequest;
  chart: Chart;
}

function loadChart(r: RangeKey, day: string): Promise<ChartData> {
  const req: ChartRequest = {
    kind: 'networth_by_class', from: rangeStart(r, day), to: day, step: rangeStep(r), locale: getLocale(), width: 800, height: 320,
  };
  return ipc.chart(req).then((chart) => ({ req, chart }));
}

function Page({ children }: { children: preact.ComponentChildren }) {
  return (
    <div class="page">
      <header class="page__header"><h1>{t('nav.dashboard')}</h1></header>
      {children}
    </div>
  );
}

/** The three parts of a change of net worth: money and items brought in (cash flows,
 *  new items, less items taken out), revaluation of the assets, and the debts (capital
 *  repaid less new borrowing). They add up to the change. */
export function changeParts(p: Performance): { brought: string; revaluation: string; debts: string } {
  return {
    brought: subtract(sum([p.net_flows, p.new_items]), p.removed_items),
    revaluation: p.gain,
    debts: subtract(p.capital_repaid, p.new_debt),
  };
}

function Change({ label, now, then, split, testId }: {
  label: string; now: NetWorth; then: NetWorth; split: Performance | null; testId: string;
}) {
  const diff = subtract(now.net_worth, then.net_worth);
  const pct = percentChange(now.net_worth, then.net_worth);
  const s = sign(diff);
  const cls = s > 0 ? 'is-up' : s < 0 ? 'is-down' : '';
  const parts = split ? changeParts(split) : null;
  return (
    <div class={`change ${cls}`} data-testid={testId}>
      <span class="change__label">{label}</span>
      <span class="change__value">
        <span aria-hidden="true">{s > 0 ? '▲ ' : s < 0 ? '▼ ' : ''}</span>
        {formatMoneyChange(diff, now.currency)}
        {pct !== null && <span class="change__pct"> ({formatPercent(pct, undefined, { signed: true })})</span>}
      </span>
      {parts && (
        <span class="change__split muted">
          <span data-part="brought">{t('dashboard.splitBrought', { amount: formatMoneyChange(parts.brought, now.currency) })}</span>
          {' · '}
          <span data-part="revaluation">{t('dashboard.splitRevaluation', { amount: formatMoneyChange(parts.revaluation, now.currency) })}</span>
          {sign(parts.debts) !== 0 && (
            <>
              {' · '}
              <span data-part="debts">{t('dashboard.splitDebts', { amount: formatMoneyChange(parts.debts, now.currency) })}</span>
            </>
          )}
        </span>
      )}
    </div>
  );
}

/** Pause after the dashboard is drawn before the other ranges are drawn in the background. */
const PREFETCH_DELAY_MS = 400;

function NetWorthChart({ currency, lang, day, initial }: { currency: string; lang: string; day: string; initial: ChartData }) {
  const [range, setRange] = useState<RangeKey>(DEFAULT_RANGE);
  // Charts drawn while this dashboard is shown, by range (and language, day, currency):
  // going back to a range is immediate, and once the dashboard is drawn the other
  // ranges are drawn in the background, one after the other.
  // `drawnCharts` holds those that have arrived, so that the click on their range
  // renders the button and the new chart together, in one frame (through `useLoad`
  // alone the chart would come one frame later, after its effect has run).
  const cache = useRef(new Map<string, Promise<ChartData>>());
  const drawnCharts = useRef(new Map<string, ChartData>());
  const keyOf = (r: RangeKey) => `${r}|${getLocale()}|${day}|${currency}`;
  const load = (r: RangeKey) => {
    const key = keyOf(r);
    let p = cache.current.get(key);
    if (!p) {
      p = loadChart(r, day);
      p.then((d) => drawnCharts.current.set(key, d), () => cache.current.delete(key));
      cache.current.set(key, p);
    }
    return p;
  };
  if (!cache.current.has(keyOf(DEFAULT_RANGE)) && initial.req.locale === getLocale()) {
    cache.current.set(keyOf(DEFAULT_RANGE), Promise.resolve(initial));
    drawnCharts.current.set(keyOf(DEFAULT_RANGE), initial);
  }

  const loaded = useLoad(() => load(range), [range, lang, day, currency]);
  const ready = drawnCharts.current.get(keyOf(range));
  // A range already drawn (and the first render's default range) shows at once: no
  // "Loading" flash, no extra frame.
  const chart = ready
    ? { ...loaded, data: ready, loading: false, error: null }
    : { ...loaded, data: loaded.data ?? (range === DEFAULT_RANGE ? initial : undefined) };
  const drawn = chart.data !== undefined;
  useEffect(() => {
    if (!drawn) return undefined;
    let stopped = false;
    const timer = setTimeout(() => {
      void RANGES.reduce<Promise<unknown>>(
        (prev, r) => prev.then(() => (stopped ? undefined : load(r))).catch(() => undefined),
        Promise.resolve(),
      );
    }, PREFETCH_DELAY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawn, lang, day, currency]);

  return (
    <section class="card" aria-labelledby="chart-title">
      <div class="card__head">
        <h2 id="chart-title" class="card__title">{t('dashboard.history')}</h2>
        <div class="segmented-buttons" role="group" aria-label={t('dashboard.range')}>
          {RANGES.map((r) => (
            <button key={r} type="button" class={`btn btn--small ${range === r ? 'is-active' : ''}`}
              aria-pressed={range === r} onClick={() => setRange(r)}>
              {t(`range.${r}`)}
            </button>
          ))}
        </div>
      </div>
      {chart.loading && !chart.data && <Loading />}
      <ErrorBanner error={chart.error} onRetry={chart.reload} />
      {chart.data && (
        <ChartView chart={chart.data.chart} request={chart.data.req} currency={currency}
          title={t('dashboard.history')} exportName={`patrimoine-net-worth-${day}`} />
      )}
    </section>
  );
}

type AllocKey = 'class' | 'region' | 'institution' | 'currency';
const ALLOCS: readonly AllocKey[] = ['class', 'region', 'institution', 'currency'];

function allocBy(k: AllocKey): BreakdownBy {
  if (k === 'region') return { by: 'dimension', name: 'region' };
  return { by: k };
}

const DEFAULT_ALLOC: AllocKey = 'class';

interface AllocData {
  req: ChartRequest;
  chart: Chart;
  br: Breakdown;
}

function loadAlloc(key: AllocKey, day: string): Promise<AllocData> {
  const by = allocBy(key);
  const req: ChartRequest = { kind: 'allocation', by, to: day, locale: getLocale(), width: 420, height: 260 };
  return Promise.all([ipc.chart(req), ipc.breakdown(day, by)]).then(([chart, br]) => ({ req, chart, br }));
}

function AllocationCard({ currency, lang, day, initial }: { currency: string; lang: string; day: string; initial: AllocData }) {
  const [key, setKey] = useState<AllocKey>(DEFAULT_ALLOC);
  // The dashboard's first load already holds the default tab (as for the history chart).
  const fromInitial = key === DEFAULT_ALLOC && initial.req.locale === getLocale();
  const loaded = useLoad(() => (fromInitial ? Promise.resolve(initial) : loadAlloc(key, day)), [key, lang, day, currency]);
  const data = { ...loaded, data: loaded.data ?? (fromInitial ? initial : undefined) };

  return (
    <section class="card" aria-labelledby="alloc-title">
      <div class="card__head">
        <h2 id="alloc-title" class="card__title">{t('dashboard.allocation')}</h2>
      </div>
      <div class="tabs" role="tablist" aria-label={t('dashboard.allocationBy')}>
        {ALLOCS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={key === k} class={`tab ${key === k ? 'is-active' : ''}`}
            onClick={() => setKey(k)}>
            {t(`alloc.${k}`)}
          </button>
        ))}
      </div>
      {data.loading && !data.data && <Loading />}
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.data && (
        <>
          {data.data.br.slices.length === 0 ? (
            <EmptyState title={t('dashboard.noAllocation')} />
          ) : (
            <>
              <ChartView chart={data.data.chart} request={data.data.req} currency={currency} compact
                title={t('dashboard.allocation')} exportName={`patrimoine-allocation-${key}-${day}`} />
              <Table
                variant="compact"
                columns={[t(`alloc.${key}`), num(t('common.value')), num('%')]}
              >
                {data.data.br.slices.map((s) => (
                  <tr key={s.key}>
                    <td>{sliceLabel(allocBy(key), s)}</td>
                    <td class="num">{formatMoney(s.value, data.data!.br.currency)}</td>
                    <td class="num">{formatPercent(s.percent, undefined, { fixed: true })}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </>
      )}
    </section>
  );
}

function StaleCard({ stale }: { stale: StaleAsset[] }) {
  const { navigate } = useShell();
  return (
    <section class="card" aria-labelledby="stale-title">
      <div class="card__head">
        <h2 id="stale-title" class="card__title">{t('dashboard.stale')}</h2>
      </div>
      {stale.length === 0 && <p class="muted">{t('dashboard.staleNone')}</p>}
      {stale.length > 0 && (
        <>
          <p class="muted">{t('dashboard.staleIntro', { count: stale.length })}</p>
          <ul class="stale-list">
            {stale.slice(0, 8).map((s) => (
              <li key={s.asset_id}>
                <span>{s.name}</span>
                <span class="muted">
                  {s.last_date ? t('dashboard.staleSince', { date: formatDate(s.last_date), count: s.age_days ?? 0 }) : t('dashboard.staleNever')}
                </span>
              </li>
            ))}
          </ul>
          <button type="button" class="btn btn--primary btn--small" onClick={() => navigate({ name: 'update' })}>
            {t('dashboard.goUpdate')}
          </button>
        </>
      )}
    </section>
  );
}

interface PerfData {
  from: string;
  institutions: Institution[];
  rows: { account: Account | null; p: Performance }[];
  total: Performance;
  error?: AppError;
}

/** The periods the performance card offers; `custom` starts on a date the user types. */
type PeriodKey = '1M' | '6M' | 'YTD' | '1Y' | '5Y' | 'ALL';
const PERIODS: readonly PeriodKey[] = ['1M', '6M', 'YTD', '1Y', '5Y', 'ALL'];
/** The card's first period; also the hero's 1-year change split (one call for both). */
const DEFAULT_PERIOD: PeriodKey = '1Y';
/** "Since the beginning": before any value anyone enters. */
const BEGINNING = '1900-01-01';

export function periodStart(p: PeriodKey, day: string): string {
  switch (p) {
    case '1M': return addMonths(day, -1);
    case '6M': return addMonths(day, -6);
    case 'YTD': return `${day.slice(0, 4)}-01-01` < day ? `${day.slice(0, 4)}-01-01` : addYears(day, -1);
    case '1Y': return addYears(day, -1);
    case '5Y': return addYears(day, -5);
    case 'ALL': return BEGINNING;
  }
}

/** Performance over a period: one call for every account (the backend shares the work)
 *  and one for the total. */
async function loadPerf(period: PeriodKey | string, day: string): Promise<PerfData> {
  const from = (PERIODS as readonly string[]).includes(period) ? periodStart(period as PeriodKey, day) : period;
  const [institutions, accounts, perAccount, total] = await Promise.all([
    ipc.listInstitutions(), ipc.listAccounts(), ipc.performanceByAccount(from, day), ipc.performance(from, day),
  ]);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const rows = perAccount.map((p) => ({ account: (p.account_id === null ? null : byId.get(p.account_id) ?? null), p }));
  return { from, institutions, rows, total };
}

/** Accounts shown at first in the performance table: the largest, by end value. */
const PERF_TOP = 10;

/** A return, or why there is none (short, with the full sentence as a tooltip). */
function ReturnCell({ value, missing }: { value: string | null; missing: NoReturn | null }) {
  if (value !== null) {
    const s = sign(value);
    return <td class={`num ${s > 0 ? 'is-up' : s < 0 ? 'is-down' : ''}`}>{formatRatio(value, undefined, true)}</td>;
  }
  const why = missing ?? 'no_solution';
  return (
    <td class="num muted small" data-missing={why}>
      <span title={t(`perf.missingLong.${why}`)}>{t(`perf.missing.${why}`)}</span>
    </td>
  );
}

function PerformanceCard({ day, currency, perf: initial }: { day: string; currency: string; perf: PerfData }) {
  const lang = useLang();
  const [period, setPeriod] = useState<PeriodKey | 'custom'>(DEFAULT_PERIOD);
  const [customFrom, setCustomFrom] = useState(addYears(day, -2));
  const [all, setAll] = useState(false);
  const wanted = period === 'custom' ? customFrom : period;
  const customValid = period !== 'custom' || (isIsoDate(customFrom) && customFrom < day);
  const loaded = useLoad(
    () => (period === DEFAULT_PERIOD && !initial.error ? Promise.resolve(initial) : customValid ? loadPerf(wanted, day) : Promise.resolve(null)),
    [wanted, day, currency, lang, customValid],
  );
  const perf = loaded.data ?? (period === DEFAULT_PERIOD && !initial.error ? initial : null);
  const error = loaded.error ?? (period === DEFAULT_PERIOD ? initial.error ?? null : null);
  const sorted = perf ? [...perf.rows].sort((a, b) => compare(b.p.end_value, a.p.end_value)) : [];
  const shown = all ? sorted : sorted.slice(0, PERF_TOP);
  const cls = (v: string) => (sign(v) > 0 ? 'is-up' : sign(v) < 0 ? 'is-down' : '');
  const fromLabel = perf && perf.from === BEGINNING ? t('perf.sinceBeginning') : perf ? t('dashboard.performance', { from: formatDate(perf.from) }) : t('perf.title');

  return (
    <section class="card" aria-labelledby="perf-title" data-testid="performance" data-from={perf?.from}>
      <div class="card__head">
        <h2 id="perf-title" class="card__title">{fromLabel}</h2>
        <div class="segmented-buttons" role="group" aria-label={t('perf.period')}>
          {PERIODS.map((p) => (
            <button key={p} type="button" class={`btn btn--small ${period === p ? 'is-active' : ''}`}
              aria-pressed={period === p} data-period={p} onClick={() => setPeriod(p)}>
              {t(`perf.period.${p}`)}
            </button>
          ))}
          <button type="button" class={`btn btn--small ${period === 'custom' ? 'is-active' : ''}`}
            aria-pressed={period === 'custom'} data-period="custom" onClick={() => setPeriod('custom')}>
            {t('perf.period.custom')}
          </button>
        </div>
      </div>
      {period === 'custom' && (
        <p class="perf-custom">
          <label>
            {t('perf.customFrom')}{' '}
            <input type="date" name="perf-from" value={customFrom} max={day}
              onInput={(e) => setCustomFrom((e.currentTarget as HTMLInputElement).value)} />
          </label>
          {!customValid && <span class="field__error" role="alert">{t('perf.customInvalid')}</span>}
        </p>
      )}
      {loaded.loading && !perf && <Loading />}
      <ErrorBanner error={error} onRetry={loaded.reload} />
      {perf && (
        <>
          <p class="muted perf-legend">{t('perf.legend')}</p>
          <div class="table-wrap perf-table">
            <Table
              variant="compact"
              columns={[
                t('common.account'), num(t('perf.start')), num(t('perf.end')), num(t('perf.flows')), num(t('perf.gain')),
                num(t('perf.debts')),
                num(<abbr title={t('perf.twrLong')}>{t('perf.twr')}</abbr>),
                num(<abbr title={t('perf.xirrLong')}>{t('perf.xirr')}</abbr>),
              ]}
            >
              {[...shown, { account: null, p: perf.total }].map(({ account, p }) => {
                const parts = changeParts(p);
                return (
                  <tr key={account?.id ?? 'total'} class={account ? '' : 'row--total'} data-account={account?.id ?? 'total'}>
                    <td class="perf-account" title={account ? accountLabel(account, perf.institutions) : undefined}>
                      {account ? (
                        <>
                          <span>{account.name}</span>
                          <span class="muted small">{perf.institutions.find((i) => i.id === account.institution_id)?.name ?? ''}</span>
                        </>
                      ) : t('perf.total')}
                    </td>
                    <td class="num">{formatMoney(p.start_value, currency)}</td>
                    <td class="num">{formatMoney(p.end_value, currency)}</td>
                    <td class="num" data-col="brought">{formatMoneyChange(parts.brought, currency)}</td>
                    <td class={`num ${cls(p.gain)}`} data-col="gain">{formatMoneyChange(p.gain, currency)}</td>
                    <td class="num" data-col="debts">{sign(parts.debts) === 0 && sign(p.debt_end) === 0 ? '—' : formatMoneyChange(parts.debts, currency)}</td>
                    <ReturnCell value={p.twr} missing={p.twr_missing} />
                    <ReturnCell value={p.xirr} missing={p.xirr_missing} />
                  </tr>
                );
              })}
            </Table>
          </div>
          {sorted.length > PERF_TOP && (
            <p class="table-more">
              <button type="button" class="btn btn--link" aria-expanded={all} onClick={() => setAll((v) => !v)}>
                {all ? t('perf.showTop', { count: PERF_TOP }) : t('perf.showAll', { count: sorted.length })}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
