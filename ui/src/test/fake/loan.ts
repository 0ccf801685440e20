//! Amortization schedules as the core computes them (`wealth::loan`), ported step by
//! step: the same monthly rate (annual / 1200 as a rust_decimal quotient), the level
//! payment `C·r·f / (f − 1)` with `f = (1 + r)^n` multiplied out month by month at
//! rust_decimal's 28 digits, every amount rounded to the cent half away from zero
//! (`cents` keeps a shorter scale as it is), deferrals, in-fine loans, early
//! repayments keeping the payment or the term, and the same errors.
import type { Amortization, Deferral, Keep, Row } from '../../lib/ipc/generated/types';
import { addMonths } from '../../lib/dates';
import { Dec } from './decimal';
import { fail, invalid } from './model';

/** The longest loan accepted, in monthly payments (50 years). */
const MAX_MONTHS = 600;

export interface Terms {
  principal: Dec;
  annual_rate: Dec;
  months: number;
  first_payment: string;
  insurance: Dec;
  amortization: Amortization;
  deferral: Deferral;
  deferral_months: number;
}

export interface EarlyRepayment {
  date: string;
  amount: Dec | null;
  keep: Keep;
}

export interface Line {
  number: number;
  date: string;
  row: Row;
  payment: Dec;
  interest: Dec;
  capital: Dec;
  insurance: Dec;
  remaining: Dec;
}

export interface LoanPlan {
  lines: Line[];
  total_interest: Dec;
  total_insurance: Dec;
  total_paid: Dec;
}

/** Rounds to the cent, half away from zero (a shorter scale is kept). */
const cents = (d: Dec) => d.roundDpAway(2);

const tooLarge = (): never => invalid('principal', 'the amounts are too large to compute');

/** `loan::validate`. */
export function validateTerms(t: Terms): void {
  if (t.months === 0 || t.months > MAX_MONTHS) fail('loan_term_invalid', 'a loan has 1 to 600 monthly payments');
  if (t.annual_rate.sign() < 0 || t.annual_rate.cmp(Dec.HUNDRED) > 0) fail('rate_out_of_range', 'a rate must be between 0 and 100 %');
  if (t.principal.sign() <= 0) invalid('principal', 'the capital borrowed must be greater than zero');
  if (t.insurance.sign() < 0) invalid('insurance', 'the insurance cannot be negative');
  if (t.deferral === 'none' && t.deferral_months > 0) invalid('deferral_months', 'there are deferred months but no deferral');
  if (t.deferral_months >= t.months) invalid('deferral_months', 'the deferral must be shorter than the loan');
}

/** `loans::start_date`: the day the capital is lent, one month before the first payment. */
export function startDate(t: Terms): string {
  return addMonths(t.first_payment, -1);
}

/** The interest a line actually pays (none on repayments and totally deferred lines). */
function paidInterest(l: Line): Dec {
  if (l.row === 'payment') return l.interest;
  if (l.row === 'deferred' && l.capital.sign() >= 0) return l.interest;
  return Dec.ZERO;
}

/** `level_payment`: `C·r·f / (f − 1)`, `f = (1 + r)^n` multiplied n times; `C / n` at 0 %. */
export function levelPayment(capital: Dec, rate: Dec, months: number): Dec {
  const n = Math.max(months, 1);
  if (rate.isZero()) return cents(capital.div(Dec.of(BigInt(n))));
  const growth = Dec.ONE.add(rate);
  let f = Dec.ONE;
  for (let i = 0; i < n; i += 1) f = f.mul(growth);
  const factor = rate.mul(f).div(f.sub(Dec.ONE));
  return cents(capital.mul(factor));
}

/** The schedule being built (`Run`). */
class Run {
  capital: Dec;
  payment: Dec | null = null;
  last = 0;
  lines: Line[] = [];

  constructor(readonly terms: Terms, readonly rate: Dec) {
    this.capital = cents(terms.principal);
  }

  push(number: number, date: string, row: Row, payment: Dec, interest: Dec, capital: Dec, insurance: Dec): void {
    if (row !== 'repayment') this.last = number;
    this.lines.push({ number, date, row, payment, interest, capital, insurance, remaining: this.capital });
  }

  /** Applies an early repayment; true when it repays everything. */
  repay(r: EarlyRepayment): boolean {
    const amount = r.amount ?? this.capital;
    if (amount.cmp(this.capital) > 0) fail('repayment_exceeds_capital', 'the repayment is larger than the capital remaining on that date');
    const total = amount.cmp(this.capital) === 0;
    const left = this.payment !== null && r.keep === 'term' && this.terms.amortization === 'constant' && !total
      ? this.paymentsLeft(this.payment)
      : null;
    this.capital = this.capital.sub(amount);
    if (left !== null) this.payment = levelPayment(this.capital, this.rate, left);
    this.push(this.last, r.date, 'repayment', amount, Dec.ZERO, amount, Dec.ZERO);
    return total;
  }

  /** How many payments the plan at the constant payment `m` still makes. */
  paymentsLeft(m: Dec): number {
    let capital = this.capital;
    let count = 0;
    for (let k = this.last + 1; k <= this.terms.months; k += 1) {
      count += 1;
      const interest = cents(capital.mul(this.rate));
      if (k === this.terms.months || capital.add(interest).cmp(m) <= 0) break;
      capital = capital.sub(m.sub(interest));
    }
    return Math.max(count, 1);
  }
}

/** `loan::schedule`: the lines and totals of a loan with its early repayments. */
export function schedule(terms: Terms, repayments: EarlyRepayment[]): LoanPlan {
  validateTerms(terms);
  try {
    return build(terms, repayments);
  } catch (e) {
    if (e instanceof RangeError) return tooLarge();
    throw e;
  }
}

function build(terms: Terms, repayments: EarlyRepayment[]): LoanPlan {
  const rate = terms.annual_rate.div(Dec.of(1200n));
  const insurance = cents(terms.insurance);
  const deferred = terms.deferral === 'none' ? 0 : terms.deferral_months;
  const pending: EarlyRepayment[] = repayments.map((r) => {
    const amount = r.amount === null ? null : cents(r.amount);
    if (amount !== null && amount.sign() <= 0) invalid('amount', 'an early repayment must be greater than zero');
    return { date: r.date, amount, keep: r.keep };
  });
  // Stable: the order given is kept on the same date.
  pending.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let next = 0;
  const loan = new Run(terms, rate);
  months: for (let k = 1; k <= terms.months; k += 1) {
    const date = addMonths(terms.first_payment, k - 1);
    while (next < pending.length && pending[next]!.date < date) {
      const r = pending[next]!;
      next += 1;
      if (loan.repay(r)) break months;
    }
    const interest = cents(loan.capital.mul(rate));
    if (k <= deferred) {
      const [payment, capital] = terms.deferral === 'total' ? [Dec.ZERO, Dec.ZERO.sub(interest)] : [interest, Dec.ZERO];
      loan.capital = loan.capital.sub(capital);
      loan.push(k, date, 'deferred', payment, interest, capital, insurance);
      continue;
    }
    const whole = loan.capital.add(interest);
    let payment: Dec;
    let capital: Dec;
    if (terms.amortization === 'in_fine') {
      [payment, capital] = k === terms.months ? [whole, loan.capital] : [interest, Dec.ZERO];
    } else {
      if (loan.payment === null) loan.payment = levelPayment(loan.capital, rate, terms.months - k + 1);
      const level = loan.payment;
      [payment, capital] = k === terms.months || whole.cmp(level) <= 0 ? [whole, loan.capital] : [level, level.sub(interest)];
    }
    loan.capital = loan.capital.sub(capital);
    loan.push(k, date, 'payment', payment, interest, capital, insurance);
    if (loan.capital.sign() <= 0) break;
  }
  if (next < pending.length) invalid('date', 'the loan is already repaid on that date');
  let totalInterest = Dec.ZERO;
  let totalInsurance = Dec.ZERO;
  let payments = Dec.ZERO;
  for (const l of loan.lines) {
    totalInterest = totalInterest.add(paidInterest(l));
    totalInsurance = totalInsurance.add(l.insurance);
    payments = payments.add(l.payment);
  }
  return { lines: loan.lines, total_interest: totalInterest, total_insurance: totalInsurance, total_paid: payments.add(totalInsurance) };
}

/** `Schedule::outstanding_on`: the capital after the last line on or before `date`. */
export function outstandingOn(plan: LoanPlan, date: string, principal: Dec): Dec {
  for (let i = plan.lines.length - 1; i >= 0; i -= 1) if (plan.lines[i]!.date <= date) return plan.lines[i]!.remaining;
  return principal;
}

/** `Schedule::paid_between`: interest and insurance on the lines in `(after, until]`. */
export function paidBetween(plan: LoanPlan, after: string | null, until: string): [Dec, Dec] {
  let interest = Dec.ZERO;
  let insurance = Dec.ZERO;
  for (const l of plan.lines) {
    if ((after === null || after < l.date) && l.date <= until) {
      interest = interest.add(paidInterest(l));
      insurance = insurance.add(l.insurance);
    }
  }
  return [interest, insurance];
}
