import { describe, expect, it } from 'vitest';
import { fr } from '../lib/i18n/fr';
import { en } from '../lib/i18n/en';
import { setLang } from '../lib/i18n';
import { addMonths, addYears, today } from '../lib/dates';
import { subtract } from '../lib/decimal';
import { formatMoney } from '../lib/format';
import { ipc, type Asset, type DismemberedShare } from '../lib/ipc';
import { ruleText } from '../components/DismemberedRule';
import { button, choose, click, type, waitFor } from '../test/render';
import { newProfileApp } from '../test/app';

const plain = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

// ---- An independent computation of a constant-payment loan, in exact integers ----------
// Amounts in cents; the monthly rate is rateNum / (rateDen × 1200) (rateNum / rateDen in percent a year).

/** n / d rounded half away from zero (d > 0). */
function roundDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return 2n * (r < 0n ? -r : r) >= d ? q + (n < 0n ? -1n : 1n) : q;
}

/** The closed form M = C·r / (1 − (1 + r)^−n), exactly, rounded to the cent. */
function closedFormPayment(principal: bigint, rateNum: bigint, rateDen: bigint, n: number): bigint {
  const a = rateDen * 1200n;
  const b = a + rateNum; // 1 + r = b / a
  const bn = b ** BigInt(n);
  const an = a ** BigInt(n);
  return roundDiv(principal * rateNum * bn, a * (bn - an));
}

/** The capital left after `paid` payments: each month's interest rounded to the cent, the rest of M repays capital. */
function capitalAfter(principal: bigint, rateNum: bigint, rateDen: bigint, n: number, paid: number): bigint {
  const payment = closedFormPayment(principal, rateNum, rateDen, n);
  let capital = principal;
  for (let k = 1; k <= paid; k += 1) {
    const interest = roundDiv(capital * rateNum, rateDen * 1200n);
    capital -= k === n ? capital : payment - interest;
  }
  return capital;
}

const euros = (cents: bigint) => formatMoney(`${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, 'EUR');

/** A first payment on the 5th, twelve months ago, and how many payments are dated on or before today. */
function firstPaymentAYearAgo(): { first: string; paid: number } {
  const first = `${addMonths(today(), -12).slice(0, 8)}05`;
  let paid = 0;
  while (addMonths(first, paid) <= today()) paid += 1;
  return { first, paid };
}

const fieldOf = (root: ParentNode, name: string) => root.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
const errorOf = (root: ParentNode, name: string) => plain(fieldOf(root, name).closest('.field')?.querySelector('.field__error')?.textContent);

async function loansPage(fill: () => Promise<unknown> = async () => undefined) {
  const app = await newProfileApp(fill);
  click(app.root.querySelector('[data-nav="loans"]'));
  await waitFor(() => app.root.textContent?.includes(fr['loans.emptyTitle']) || app.root.querySelector('[data-loan]'));
  return app;
}

/** Opens the new-loan form and types the terms of a 200 000 € loan at 1.5 % over 20 years. */
async function typeTerms(root: HTMLElement, first: string) {
  click(button(root, fr['loans.fromOffer']));
  const dialog = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="loan-form"]'));
  type(fieldOf(dialog, 'loan-name'), 'Emprunt maison');
  type(fieldOf(dialog, 'loan-principal'), '200 000');
  type(fieldOf(dialog, 'loan-rate'), '1,5');
  type(fieldOf(dialog, 'loan-years'), '20');
  type(fieldOf(dialog, 'loan-first'), first);
  type(fieldOf(dialog, 'loan-insurance'), '30');
  return dialog;
}

describe('a loan from its offer', () => {
  it('gives the closed-form payment, the table and the outstanding capital to the cent', async () => {
    const { root } = await loansPage();
    const { first, paid } = firstPaymentAYearAgo();
    const dialog = await typeTerms(root, first);
    // Years fill in the months.
    expect(fieldOf(dialog, 'loan-months').value).toBe('240');
    click(button(dialog, fr['loans.create']));

    const payment = closedFormPayment(20_000_000n, 15n, 10n, 240);
    expect(plain(euros(payment))).toBe('965,09 €');
    const created = await waitFor(() => root.querySelector('[data-testid="created-payment"]'));
    expect(plain(created.textContent)).toBe(plain(euros(payment)));
    // With the insurance: 965,09 + 30.
    expect(plain(root.querySelector('[data-testid="loan-created"]')?.textContent)).toContain('995,09 €');

    click(button(root, fr['loans.seeSchedule']));
    const table = await waitFor(() => root.querySelector('[data-testid="schedule"]'));
    const rows = [...table.querySelectorAll('tr[data-row="payment"]')];
    expect(rows).toHaveLength(240);
    const cells = (r: Element) => [...r.querySelectorAll('td')].map((c) => plain(c.textContent));
    // No. 1: 965,09 = 250,00 of interest (200 000 × 1,5 % / 12) + 715,09 of capital.
    expect(cells(rows[0]!).slice(2)).toEqual(['965,09 €', '250,00 €', '715,09 €', '30,00 €', '199 284,91 €']);
    expect(plain(euros(capitalAfter(20_000_000n, 15n, 10n, 240, 1)))).toBe('199 284,91 €');
    // The last payment leaves nothing.
    expect(cells(rows[239]!)[6]).toBe('0,00 €');
    // Outstanding today, after the payments dated on or before today.
    expect(plain(root.querySelector('[data-testid="loan-outstanding"]')?.textContent))
      .toBe(plain(euros(capitalAfter(20_000_000n, 15n, 10n, 240, paid))));
    expect(plain(cells(rows[paid - 1]!)[6])).toBe(plain(euros(capitalAfter(20_000_000n, 15n, 10n, 240, paid))));
    // This month's line is marked; each year has its subtotal.
    const current = table.querySelector('tr[aria-current="date"]');
    expect(current?.textContent).toContain(fr['loans.thisMonth']);
    const years = new Set(Array.from({ length: 240 }, (_, k) => addMonths(first, k).slice(0, 4)));
    expect(table.querySelectorAll('tr[data-subtotal]').length).toBe(years.size);
    expect(plain(root.querySelector('[data-testid="loan-ends"]')?.textContent)).toBeTruthy();
    // The print copy holds the same table.
    expect(document.querySelectorAll('#print-root .schedule-print tr[data-row="payment"]')).toHaveLength(240);
    // The list shows it with its outstanding capital.
    click(button(root, `← ${fr['nav.loans']}`));
    const row = await waitFor(() => root.querySelector('[data-loan]'));
    expect(plain(row.querySelector('[data-col="outstanding"]')?.textContent)).toBe(plain(euros(capitalAfter(20_000_000n, 15n, 10n, 240, paid))));
  });

  it('shows each refusal of the core on its field, keeping what was typed', async () => {
    const { root } = await loansPage();
    const dialog = await typeTerms(root, '2024-02-05');
    const submit = () => click(button(dialog, fr['loans.create']));

    type(fieldOf(dialog, 'loan-months'), '0');
    expect(fieldOf(dialog, 'loan-years').value).toBe('0');
    submit();
    await waitFor(() => errorOf(dialog, 'loan-months'));
    expect(errorOf(dialog, 'loan-months')).toBe(fr['error.loan_term_invalid']);
    expect(fieldOf(dialog, 'loan-name').value).toBe('Emprunt maison');

    type(fieldOf(dialog, 'loan-months'), '240');
    type(fieldOf(dialog, 'loan-rate'), '120');
    submit();
    await waitFor(() => errorOf(dialog, 'loan-rate'));
    expect(errorOf(dialog, 'loan-rate')).toBe(fr['error.rate_out_of_range']);
    expect(errorOf(dialog, 'loan-months')).toBe('');

    type(fieldOf(dialog, 'loan-rate'), '1,5');
    type(fieldOf(dialog, 'loan-principal'), '0');
    submit();
    await waitFor(() => errorOf(dialog, 'loan-principal'));
    expect(errorOf(dialog, 'loan-principal')).toBe(plain(fr['error.invalid_input']));

    // Typed text the UI cannot read is refused before asking.
    type(fieldOf(dialog, 'loan-principal'), '22.950');
    submit();
    expect(errorOf(dialog, 'loan-principal')).toContain('22.950');
    type(fieldOf(dialog, 'loan-principal'), '200 000');
    choose(fieldOf(dialog, 'loan-deferral'), 'partial');
    type(fieldOf(dialog, 'loan-deferral-months'), '240');
    submit();
    await waitFor(() => errorOf(dialog, 'loan-deferral-months'));
    expect(errorOf(dialog, 'loan-deferral-months')).toBe(plain(fr['error.invalid_input']));
    expect(root.querySelector('[data-testid="loan-created"]')).toBeNull();
  });

  it('refuses an early repayment larger than the capital, and a valid one shortens the table', async () => {
    const { root } = await loansPage();
    const { first } = firstPaymentAYearAgo();
    const dialog = await typeTerms(root, first);
    click(button(dialog, fr['loans.create']));
    await waitFor(() => root.querySelector('[data-testid="created-payment"]'));
    click(button(root, fr['loans.seeSchedule']));
    const payments = () => root.querySelectorAll('[data-testid="schedule"] tr[data-row="payment"]').length;
    await waitFor(() => payments() === 240);

    click(button(root, fr['loans.addRepayment']));
    let form = await waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
    type(fieldOf(form, 'repayment-amount'), '1 000 000');
    click(button(form, fr['common.save']));
    await waitFor(() => errorOf(form, 'repayment-amount'));
    expect(errorOf(form, 'repayment-amount')).toBe(fr['error.repayment_exceeds_capital']);
    expect(payments()).toBe(240);

    // 20 000 € keeping the payment: the term shortens.
    type(fieldOf(form, 'repayment-amount'), '20 000');
    expect(root.querySelector<HTMLInputElement>('input[name="repayment-keep"][value="payment"]')?.checked).toBe(true);
    click(button(form, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    await waitFor(() => payments() < 240);
    expect(root.querySelectorAll('[data-testid="schedule"] tr[data-row="repayment"]')).toHaveLength(1);
    const line = root.querySelector('[data-repayment]')!;
    expect(plain(line.textContent)).toContain('20 000,00 €');
    expect(line.textContent).toContain(fr['loans.keep.payment']);

    // Deleted: the whole table again.
    click(button(line as HTMLElement, fr['common.delete']));
    form = await waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
    click(button(form, fr['common.delete']));
    await waitFor(() => payments() === 240);
    expect(root.textContent).toContain(fr['loans.noRepayments']);
  });

  it('exports its table as CSV where the user chooses, through the core', async () => {
    const { root, backend } = await loansPage();
    const dialog = await typeTerms(root, '2024-02-05');
    click(button(dialog, fr['loans.create']));
    await waitFor(() => root.querySelector('[data-testid="created-payment"]'));
    click(button(root, fr['loans.seeSchedule']));
    await waitFor(() => root.querySelector('[data-testid="schedule"]'));
    click(button(root, fr['loans.exportCsv']));
    await waitFor(() => backend.calls.some((c) => c.cmd === 'export_schedule_csv'));
    const call = backend.calls.find((c) => c.cmd === 'export_schedule_csv')!;
    expect(call.args).toEqual({ asset_id: expect.any(Number), path: `/home/user/patrimoine-Emprunt maison-${today()}.csv` });
    // A folder it cannot write to: the sentence, on the screen.
    (globalThis as { __FAKE_DIALOG_QUEUE__?: string[] }).__FAKE_DIALOG_QUEUE__ = ['/readonly/tableau.csv'];
    click(button(root, fr['loans.exportCsv']));
    const banner = await waitFor(() => root.querySelector('.banner--error'));
    expect(banner.textContent).toContain(fr['error.io']);
    delete (globalThis as { __FAKE_DIALOG_QUEUE__?: string[] }).__FAKE_DIALOG_QUEUE__;
  });

  it('is offered from the Accounts screen, in the loan account first', async () => {
    const { root } = await newProfileApp(async () => {
      const bank = await ipc.createInstitution({ name: 'Banque Populaire', kind: 'bank', notes: '' });
      await ipc.createAccount({ institution_id: bank, name: 'Courant', kind: 'current', currency: 'EUR', opened_on: null, closed_on: null });
      await ipc.createAccount({ institution_id: bank, name: 'Immo', kind: 'loan', currency: 'EUR', opened_on: null, closed_on: null });
    });
    click(root.querySelector('[data-nav="accounts"]'));
    await waitFor(() => root.querySelector('.card__title'));
    click(root.querySelector('[data-action="loan-from-offer"]'));
    const dialog = await waitFor(() => root.querySelector<HTMLElement>('[data-testid="loan-form"]'));
    const account = fieldOf(dialog, 'loan-account') as unknown as HTMLSelectElement;
    expect([...account.options].map((o) => o.text)).toEqual(['Banque Populaire · Immo', 'Banque Populaire · Courant', fr['assets.heldDirectly']]);
    expect(account.selectedOptions[0]?.text).toBe('Banque Populaire · Immo');
  });
});

describe('a property financed by a loan', () => {
  it('shows its value, the loan\u2019s capital and its net equity', async () => {
    const { first } = firstPaymentAYearAgo();
    let flat = 0;
    let loan = 0;
    const { root } = await newProfileApp(async () => {
      flat = await ipc.createAsset({
        account_id: null, name: 'Appartement Nantes', class: 'real_estate', liability: false, currency: 'EUR', isin: null,
        ticker: null, share_pct: '100', ownership: 'full', archived: false, components: [], allocations: {},
      });
      await ipc.upsertValues([
        { asset_id: flat, date: addYears(today(), -2), value: '240000', quantity: null, unit_price: null, source: 'manual' },
        { asset_id: flat, date: today(), value: '262000', quantity: null, unit_price: null, source: 'manual' },
      ]);
      loan = await ipc.createLoan({
        account_id: null, name: 'Emprunt Nantes', currency: 'EUR', share_pct: '100', linked_asset_id: flat,
        terms: { principal: '200000', annual_rate: '1.5', months: 240, first_payment: first, insurance: '0', amortization: 'constant', deferral: 'none', deferral_months: 0 },
      });
    });
    click(root.querySelector('[data-nav="assets"]'));
    click(await waitFor(() => [...root.querySelectorAll<HTMLButtonElement>('.btn--link')].find((b) => b.textContent === 'Appartement Nantes')));
    const section = await waitFor(() => root.querySelector('[data-testid="equity"]'));
    const outstanding = (await ipc.loanSchedule(loan, today())).outstanding;
    const { paid } = firstPaymentAYearAgo();
    expect(formatMoney(outstanding, 'EUR')).toBe(euros(capitalAfter(20_000_000n, 15n, 10n, 240, paid)));
    expect(plain(section.querySelector('[data-testid="equity-value"]')?.textContent)).toBe('262 000,00 €');
    expect(plain(section.querySelector('[data-testid="equity-loans"]')?.textContent)).toBe(plain(formatMoney(outstanding, 'EUR')));
    expect(plain(section.querySelector('[data-testid="equity-net"]')?.textContent)).toBe(plain(formatMoney(subtract('262000', outstanding), 'EUR')));
    // Once a year since the first value, and today.
    expect(section.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(section.textContent).toContain('Emprunt Nantes');
  });
});

describe('a dismembered ownership', () => {
  it('takes the usufructuary\u2019s birth date in the asset form, and says the article-669 rule at 76', async () => {
    const { root } = await newProfileApp();
    click(root.querySelector('[data-nav="assets"]'));
    await waitFor(() => root.textContent?.includes(fr['assets.emptyTitle']));
    click(button(root, fr['assets.add']));
    const dialog = await waitFor(() => root.querySelector<HTMLElement>('[role="dialog"]'));
    type(fieldOf(dialog, 'asset-name'), 'Maison de famille');
    choose(fieldOf(dialog, 'asset-class'), 'real_estate');
    type(fieldOf(dialog, 'asset-share'), '50');
    expect(dialog.querySelector('[name="asset-usufructuary-born"]')).toBeNull();
    choose(fieldOf(dialog, 'asset-ownership'), 'bare');
    // A birth date in the future is refused on its field.
    type(fieldOf(dialog, 'asset-usufructuary-born'), addYears(today(), 1));
    click(button(dialog, fr['common.save']));
    await waitFor(() => errorOf(dialog, 'asset-usufructuary-born'));
    expect(errorOf(dialog, 'asset-usufructuary-born')).toBe(fr['error.birth_date_in_future']);
    type(fieldOf(dialog, 'asset-usufructuary-born'), addYears(today(), -76));
    click(button(dialog, fr['common.save']));
    await waitFor(() => !root.querySelector('[role="dialog"]'));
    const [asset] = await ipc.listAssets();
    expect(asset).toMatchObject({ ownership: 'bare', usufructuary_born: addYears(today(), -76) });
    expect(asset?.usufruct_ends ?? null).toBeNull();

    click(await waitFor(() => [...root.querySelectorAll<HTMLButtonElement>('.btn--link')].find((b) => b.textContent === 'Maison de famille')));
    const rule = await waitFor(() => root.querySelector('[data-testid="dismembered-rule"]'));
    expect(plain(rule.textContent)).toBe('Nue-propriété selon l’article 669 du CGI : usufruitier de 76 ans, usufruit 30 %, nue-propriété 70 % (× part 50 %)');
    expect(root.querySelector('[data-testid="dismembered-source"]')?.textContent).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
    expect(plain(root.querySelector('[data-testid="dismembered"]')?.textContent)).toContain('Barème en vigueur depuis le 1er janvier 2004.');
  });

  it('words the fixed-term rule, its cap and the former article 762', () => {
    const asset: Pick<Asset, 'ownership' | 'share_pct' | 'usufruct_ends'> = { ownership: 'usufruct', share_pct: '100', usufruct_ends: '2040-06-30' };
    const share: DismemberedShare = {
      usufruct_pct: '23', bare_pct: '77', age: 85, years_left: 7, periods: 1, capped_by_life: false,
      edition_from: '2004-01-01', source: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006310171',
    };
    expect(plain(ruleText(asset, share))).toBe('Usufruit selon l’article 669 II du CGI (usufruit temporaire) : 7 ans restants, soit 1 période de dix ans entamée, usufruit 23 %, nue-propriété 77 %');
    expect(plain(ruleText(asset, { ...share, usufruct_pct: '20', bare_pct: '80', years_left: 15, periods: 2, capped_by_life: true, age: 82 })))
      .toBe('Usufruit selon l’article 669 II du CGI (usufruit temporaire) : 15 ans restants, soit 2 périodes de dix ans entamées, usufruit 20 %, nue-propriété 80 % Plafonné à l’usufruit viager d’un usufruitier de 82 ans.');
    expect(plain(ruleText({ ...asset, ownership: 'bare' }, { ...share, years_left: null, periods: null, age: 65, usufruct_pct: '30', bare_pct: '70', edition_from: '1979-07-01' })))
      .toBe('Nue-propriété selon l’ancien article 762 du CGI : usufruitier de 65 ans, usufruit 30 %, nue-propriété 70 %');
    setLang('en', false);
    expect(plain(ruleText({ ...asset, ownership: 'bare', share_pct: '50' }, { ...share, years_left: null, periods: null, age: 76, usufruct_pct: '30', bare_pct: '70' })))
      .toBe(`${en['ownership.bare']} under article 669 of the CGI: usufructuary aged 76, usufruct 30%, bare ownership 70% (× share 50%)`);
  });
});
