//! Reading a loan's schedule as the core computed it (`loan_schedule`): which line is
//! the first payment, the next one, the one of the current month, and the lines
//! grouped by year with their subtotals. No finance rule here: every amount is the
//! core's; the subtotals are exact decimal sums of its lines.
import { sum } from '../lib/decimal';
import type { Installment, Loan, Schedule } from '../lib/ipc';

/** The first line that pays capital and interest (after any deferral), if any. */
export function firstPayment(s: Schedule): Installment | null {
  return s.installments.find((l) => l.row === 'payment') ?? null;
}

/** The next monthly line (payment or deferred month) dated on or after `day`; null once the loan is repaid. */
export function nextPayment(s: Schedule, day: string): Installment | null {
  return s.installments.find((l) => l.row !== 'repayment' && l.date >= day) ?? null;
}

/** The monthly line of the month of `day` ("YYYY-MM-DD"), if the schedule has one. */
export function lineOfMonth(s: Schedule, day: string): Installment | null {
  const month = day.slice(0, 7);
  return s.installments.find((l) => l.row !== 'repayment' && l.date.slice(0, 7) === month) ?? null;
}

export interface YearTotals {
  payment: string;
  interest: string;
  capital: string;
  insurance: string;
  /** The capital left after the year's last line. */
  remaining: string;
}

export interface YearGroup {
  year: string;
  lines: Installment[];
  totals: YearTotals;
}

/** The lines by calendar year, each year with the sums of its lines. */
export function byYear(s: Schedule): YearGroup[] {
  const groups: YearGroup[] = [];
  for (const line of s.installments) {
    const year = line.date.slice(0, 4);
    const last = groups[groups.length - 1];
    if (last && last.year === year) last.lines.push(line);
    else groups.push({ year, lines: [line], totals: { payment: '0', interest: '0', capital: '0', insurance: '0', remaining: '0' } });
  }
  for (const g of groups) {
    g.totals = {
      payment: sum(g.lines.map((l) => l.payment)),
      interest: sum(g.lines.map((l) => l.interest)),
      capital: sum(g.lines.map((l) => l.capital)),
      insurance: sum(g.lines.map((l) => l.insurance)),
      remaining: g.lines[g.lines.length - 1]!.remaining,
    };
  }
  return groups;
}

/** A line's payment with its insurance: what leaves the account that month. */
export function withInsurance(l: Installment): string {
  return sum([l.payment, l.insurance]);
}

/** The loan's input for `create_loan` / `update_loan` (its asset and repayments are the core's). */
export type LoanInput = Omit<Loan, 'asset_id' | 'repayments'>;
