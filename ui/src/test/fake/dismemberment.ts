//! Usufruct and bare-ownership shares by article 669 CGI, as the core computes them
//! (`wealth::dismemberment`), from the same dated barèmes: the core's own
//! `crates/core/data/law/cgi-669.json`, imported here, not copied.
import type { Asset, DismemberedShare } from '../../lib/ipc/generated/types';
import law from '../../../../crates/core/data/law/cgi-669.json';
import { addDays } from '../../lib/dates';
import { Dec } from './decimal';
import { fail } from './model';

export type UsufructBasis =
  | { kind: 'life'; birth_date: string }
  | { kind: 'fixed_term'; end_date: string; birth_date: string | null };

interface Edition {
  valid_from: string;
  source: string;
  life: { under_age: number | null; usufruct_pct: Dec }[];
  fixed_term: { per_started_years: number; usufruct_pct: Dec; capped_by_life: boolean };
}

const EDITIONS: Edition[] = law.editions.map((e) => ({
  valid_from: e.valid_from,
  source: e.source,
  life: e.life.map((b) => ({ under_age: b.under_age, usufruct_pct: Dec.parse(b.usufruct_pct)! })),
  fixed_term: {
    per_started_years: e.fixed_term.per_started_years,
    usufruct_pct: Dec.parse(e.fixed_term.usufruct_pct)!,
    capped_by_life: e.fixed_term.capped_by_life,
  },
}));

const ymd = (d: string): [number, number, number] => [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const validDay = (y: number, m: number, d: number) => d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The same day `years` later; 29 February becomes 1 March in a year without one. */
function anniversary(date: string, years: number): string {
  const [y, m, d] = ymd(date);
  return validDay(y + years, m, d) ? iso(y + years, m, d) : iso(y + years, 3, 1);
}

/** Completed years on `date` of someone born on `birth`. */
function ageOn(birth: string, date: string): number {
  if (birth > date) fail('birth_date_in_future', 'the birth date is in the future');
  const [by, bm, bd] = ymd(birth);
  const [y, m, d] = ymd(date);
  let years = y - by;
  if (m < bm || (m === bm && d < bd)) years -= 1;
  return years;
}

/** The remaining duration from `date` to `end` (`date < end`) in started years. */
function startedYears(date: string, end: string): number {
  const reaches = (n: number) => anniversary(date, n) >= end;
  let n = Math.max(ymd(end)[0] - ymd(date)[0], 1);
  while (n > 1 && reaches(n - 1)) n -= 1;
  while (!reaches(n)) n += 1;
  return n;
}

/** The first day from which at most `years` started years are left until `end`. */
function firstDayWithin(end: string, years: number): string | null {
  const [y, m, d] = ymd(end);
  const year = y - years;
  if (year < 1) return null;
  const approx = validDay(year, m, d) ? iso(year, m, d) : iso(year, 2, 28);
  let day = addDays(approx, -2);
  for (let i = 0; i < 8; i += 1) {
    if (anniversary(day, years) >= end) return day;
    day = addDays(day, 1);
  }
  return null;
}

function editionOn(date: string): Edition {
  for (let i = EDITIONS.length - 1; i >= 0; i -= 1) if (EDITIONS[i]!.valid_from <= date) return EDITIONS[i]!;
  return EDITIONS[0]!;
}

function lifePct(e: Edition, age: number): Dec {
  return e.life.find((b) => b.under_age === null || age < b.under_age)!.usufruct_pct;
}

/** `dismemberment::share_on`. */
export function shareFor(basis: UsufructBasis, date: string): DismemberedShare {
  const edition = editionOn(date);
  const made = (usufruct: Dec, age: number | null, yearsLeft: number | null, periods: number | null, capped: boolean): DismemberedShare => ({
    usufruct_pct: usufruct.toString(),
    bare_pct: Dec.HUNDRED.sub(usufruct).toString(),
    age,
    years_left: yearsLeft,
    periods,
    capped_by_life: capped,
    edition_from: edition.valid_from,
    source: edition.source,
  });
  if (basis.kind === 'life') {
    const age = ageOn(basis.birth_date, date);
    return made(lifePct(edition, age), age, null, null, false);
  }
  const age = basis.birth_date === null ? null : ageOn(basis.birth_date, date);
  if (date >= basis.end_date) return made(Dec.ZERO, age, 0, 0, false);
  const rule = edition.fixed_term;
  const years = startedYears(date, basis.end_date);
  const periods = Math.ceil(years / rule.per_started_years);
  const fixed = rule.usufruct_pct.mul(Dec.of(BigInt(periods))).min(Dec.HUNDRED);
  if (age !== null && rule.capped_by_life) {
    const life = lifePct(edition, age);
    if (life.cmp(fixed) < 0) return made(life, age, years, periods, true);
  }
  return made(fixed, age, years, periods, false);
}

function usufructPct(basis: UsufructBasis, date: string): Dec | null {
  try {
    return Dec.parse(shareFor(basis, date).usufruct_pct);
  } catch {
    return null;
  }
}

/** `change_dates`: the days in `[from, to]` on which the usufruct changes from the day before. */
export function changeDates(basis: UsufructBasis, from: string, to: string): string[] {
  if (from > to) return [];
  const candidates: string[] = EDITIONS.slice(1).map((e) => e.valid_from);
  const birth = basis.birth_date;
  if (birth !== null) {
    for (const e of EDITIONS) for (const b of e.life) if (b.under_age !== null) candidates.push(anniversary(birth, b.under_age));
  }
  if (basis.kind === 'fixed_term') {
    candidates.push(basis.end_date);
    const steps = [...new Set(EDITIONS.map((e) => e.fixed_term.per_started_years))].sort((a, b) => a - b);
    for (const step of steps) {
      for (let years = step; ; years += step) {
        const boundary = firstDayWithin(basis.end_date, years);
        if (boundary === null || boundary < from) break;
        candidates.push(boundary);
      }
    }
  }
  return [...new Set(candidates.filter((d) => from <= d && d <= to))].sort().filter((d) => {
    const now = usufructPct(basis, d);
    const then = usufructPct(basis, addDays(d, -1));
    return now !== null && then !== null && now.cmp(then) !== 0;
  });
}

/** `Asset::usufruct_basis`: what its share depends on, when it follows article 669. */
export function usufructBasis(a: Pick<Asset, 'ownership' | 'usufructuary_born' | 'usufruct_ends'>): UsufructBasis | null {
  if (a.ownership === 'full') return null;
  if (a.usufruct_ends) return { kind: 'fixed_term', end_date: a.usufruct_ends, birth_date: a.usufructuary_born ?? null };
  if (a.usufructuary_born) return { kind: 'life', birth_date: a.usufructuary_born };
  return null;
}

/** `Asset::dismembered_share`: a date before the birth is valued as on the birth date. */
export function dismemberedShare(a: Pick<Asset, 'ownership' | 'usufructuary_born' | 'usufruct_ends'>, date: string): DismemberedShare | null {
  const basis = usufructBasis(a);
  if (!basis) return null;
  const born = basis.birth_date;
  return shareFor(basis, born !== null && born > date ? born : date);
}

/** `Asset::share_on`: the percentage of its value held on `date`. */
export function shareOn(a: Pick<Asset, 'ownership' | 'usufructuary_born' | 'usufruct_ends' | 'share_pct'>, date: string): Dec {
  const pct = Dec.parse(a.share_pct) ?? Dec.HUNDRED;
  const s = dismemberedShare(a, date);
  if (!s) return pct;
  return pct.mul(Dec.parse(a.ownership === 'usufruct' ? s.usufruct_pct : s.bare_pct)!).div(Dec.HUNDRED);
}

/** `Asset::share_changes`. */
export function shareChanges(a: Pick<Asset, 'ownership' | 'usufructuary_born' | 'usufruct_ends'>, from: string, to: string): string[] {
  const basis = usufructBasis(a);
  return basis ? changeDates(basis, from, to) : [];
}
