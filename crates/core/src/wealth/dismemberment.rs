//! Usufruct (usufruit) and bare-ownership (nue-propriété) shares of a dismembered asset,
//! by article 669 of the Code général des impôts.
//!
//! A life usufruct is worth a fraction of the full ownership set by the usufructuary's age
//! in completed years on the date (since 1 January 2004: 90 % under 21, then 10 points less
//! per ten years, 10 % from 91); the bare ownership is the complement. A fixed-term usufruct
//! (art. 669 II) is worth 23 % per started period of ten years of its remaining duration,
//! whatever the age, but never more than the life usufruct of a natural-person usufructuary
//! whose birth date is known (doctrine, BOI-ENR-DMTG-10-40-10-50); once ended it is worth 0.
//! Before 2004 the former article 762 applied (70 % under 20 ... 10 % from 70, 20 % per ten
//! years). The barèmes are dated data with their sources in `data/law/cgi-669.json`
//! (Légifrance LEGIARTI000006310171 for art. 669, LEGIARTI000006305377 for art. 762).

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::Decimal;

/// Whose life or which term the usufruct depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UsufructBasis {
    /// A life usufruct (usufruit viager): valued by the usufructuary's age on the date.
    Life {
        /// The usufructuary's birth date.
        birth_date: NaiveDate,
    },
    /// A fixed-term usufruct (usufruit temporaire, art. 669 II), ending on `end_date`: from
    /// that day the bare owner holds the full ownership.
    FixedTerm {
        /// The day the usufruct ends (the usufruct is worth 0 from this day on).
        end_date: NaiveDate,
        /// The usufructuary's birth date, when a natural person's and known: the value is
        /// then capped at the life usufruct for their age.
        #[serde(default)]
        birth_date: Option<NaiveDate>,
    },
}

/// Which rule gave a share, for the asset detail ("usufruit viager, 67 ans : 40 %").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct DismemberedShare {
    /// Value of the usufruct, in % of the full ownership.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub usufruct_pct: Decimal,
    /// Value of the bare ownership, in % of the full ownership (100 − usufruct).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub bare_pct: Decimal,
    /// The usufructuary's age in completed years on the date, when a birth date is known.
    pub age: Option<u32>,
    /// Fixed term only: the remaining duration in started years (1 day → 1, exactly ten
    /// years → 10, ten years and a day → 11); 0 once ended.
    pub years_left: Option<u32>,
    /// Fixed term only: the started periods of ten years left (the multiplier of 23 %);
    /// 0 once ended.
    pub periods: Option<u32>,
    /// Fixed term only: whether the value is the (lower) life usufruct for the age.
    pub capped_by_life: bool,
    /// First day of the barème edition applied.
    pub edition_from: NaiveDate,
    /// Where that edition is published (Légifrance).
    pub source: &'static str,
}

/// The share on `date`: which fraction of the full ownership the usufruct and the bare
/// ownership are worth. Dates before the first edition use the first edition (the former
/// article 762, whose barème dates from 1901).
///
/// Errors: `birth_date_in_future` when the birth date is after `date`; `invalid_input`
/// (field `law`) if the embedded barème were unreadable (a bug a test catches), or
/// (field `date`) for dates at the edge of the calendar.
pub fn share_on(basis: &UsufructBasis, date: NaiveDate) -> Result<DismemberedShare> {
    let law = law()?;
    let edition = edition_on(law, date)?;
    let made = |usufruct_pct: Decimal, age, years_left, periods, capped_by_life| DismemberedShare {
        usufruct_pct,
        bare_pct: Decimal::ONE_HUNDRED - usufruct_pct,
        age,
        years_left,
        periods,
        capped_by_life,
        edition_from: edition.valid_from,
        source: edition.source.as_str(),
    };
    match *basis {
        UsufructBasis::Life { birth_date } => {
            let age = age_on(birth_date, date)?;
            Ok(made(life_pct(edition, age)?, Some(age), None, None, false))
        }
        UsufructBasis::FixedTerm { end_date, birth_date } => {
            let age = birth_date.map(|birth| age_on(birth, date)).transpose()?;
            if date >= end_date {
                return Ok(made(Decimal::ZERO, age, Some(0), Some(0), false));
            }
            let rule = &edition.fixed_term;
            let years = started_years(date, end_date)?;
            let periods = years.div_ceil(rule.per_started_years);
            // Without an age (a legal person, or unknown) nothing caps the product: keep the
            // bare ownership from going negative past 100 %.
            let fixed = (rule.usufruct_pct * Decimal::from(periods)).min(Decimal::ONE_HUNDRED);
            let (pct, capped) = match age {
                Some(age) if rule.capped_by_life => {
                    let life = life_pct(edition, age)?;
                    if life < fixed {
                        (life, true)
                    } else {
                        (fixed, false)
                    }
                }
                _ => (fixed, false),
            };
            Ok(made(pct, age, Some(years), Some(periods), capped))
        }
    }
}

/// The percentage for one side on `date`: `usufruct == true` → the usufruct's, else the
/// bare ownership's. Errors as [`share_on`].
pub fn pct_for(basis: &UsufructBasis, usufruct: bool, date: NaiveDate) -> Result<Decimal> {
    let share = share_on(basis, date)?;
    Ok(if usufruct { share.usufruct_pct } else { share.bare_pct })
}

/// Dates in `[from, to]` on which the percentages change from the day before (a birthday
/// crossing an age bracket, a ten-year period boundary, the end of a fixed term, a new
/// edition of the barème), sorted, so that a net-worth series can apply each change at
/// the right sample without evaluating every day. A date whose day before has no share
/// (before the birth date) is not a change. Empty when `from > to`.
pub fn change_dates(basis: &UsufructBasis, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let Ok(law) = law() else { return Vec::new() };
    if from > to {
        return Vec::new();
    }
    let mut candidates: Vec<NaiveDate> = law.editions.iter().skip(1).map(|e| e.valid_from).collect();
    let birth = match *basis {
        UsufructBasis::Life { birth_date } => Some(birth_date),
        UsufructBasis::FixedTerm { birth_date, .. } => birth_date,
    };
    if let Some(birth) = birth {
        for edition in &law.editions {
            candidates.extend(edition.life.iter().filter_map(|b| b.under_age).filter_map(|a| anniversary(birth, a)));
        }
    }
    if let UsufructBasis::FixedTerm { end_date, .. } = *basis {
        candidates.push(end_date);
        let mut steps: Vec<u32> = law.editions.iter().map(|e| e.fixed_term.per_started_years).collect();
        steps.sort_unstable();
        steps.dedup();
        for step in steps {
            // The first day with at most `k` periods left: boundaries go back in time as k grows.
            let mut years = step;
            while let Some(boundary) = first_day_within(end_date, years) {
                if boundary < from {
                    break;
                }
                candidates.push(boundary);
                let Some(next) = years.checked_add(step) else { break };
                years = next;
            }
        }
    }
    candidates.retain(|d| from <= *d && *d <= to);
    candidates.sort_unstable();
    candidates.dedup();
    candidates.retain(|d| changes_on(basis, *d));
    candidates
}

/// Whether the usufruct percentage on `date` differs from the day before's.
fn changes_on(basis: &UsufructBasis, date: NaiveDate) -> bool {
    let Some(before) = date.pred_opt() else { return false };
    match (pct_for(basis, true, date), pct_for(basis, true, before)) {
        (Ok(now), Ok(then)) => now != then,
        _ => false,
    }
}

/// The date `years` years after `date`, on the same day of the month; for 29 February in a
/// year that has none, 1 March (so someone born on 29 February turns a year older on
/// 1 March in non-leap years: they have not completed the year on 28 February).
fn anniversary(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = date.year().checked_add(i32::try_from(years).ok()?)?;
    NaiveDate::from_ymd_opt(year, date.month(), date.day()).or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

/// Completed years on `date` of someone born on `birth`: the age increases on the
/// birthday ([`anniversary`] for 29 February).
fn age_on(birth: NaiveDate, date: NaiveDate) -> Result<u32> {
    if birth > date {
        return Err(InputError::BirthDateInFuture.into());
    }
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).map_err(|_| out_of_range())
}

/// The remaining duration from `date` to `end` (`date < end`) in started years: the least
/// `n ≥ 1` such that `n` years after `date` reaches `end`.
fn started_years(date: NaiveDate, end: NaiveDate) -> Result<u32> {
    let reaches = |n: u32| anniversary(date, n).map(|d| d >= end).ok_or_else(out_of_range);
    let mut n = u32::try_from(end.year() - date.year()).map_err(|_| out_of_range())?.max(1);
    while n > 1 && reaches(n - 1)? {
        n -= 1;
    }
    while !reaches(n)? {
        n += 1;
    }
    Ok(n)
}

/// The first day from which at most `years` started years are left until `end`: the least
/// `d` with `anniversary(d, years) >= end`. `None` at the edge of the calendar.
fn first_day_within(end: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = end.year().checked_sub(i32::try_from(years).ok()?)?;
    let approx =
        NaiveDate::from_ymd_opt(year, end.month(), end.day()).or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))?;
    // The answer is within a day or two of the same day `years` back (29 February moves it).
    let mut day = approx.checked_sub_days(chrono::Days::new(2))?;
    for _ in 0..8 {
        if anniversary(day, years)? >= end {
            return Some(day);
        }
        day = day.succ_opt()?;
    }
    None
}

fn out_of_range() -> Error {
    Error::invalid("date", "out of the supported range")
}

// ---------------------------------------------------------------------------------------
// The barème, as dated data.

const LAW_JSON: &str = include_str!("../../data/law/cgi-669.json");

static LAW: OnceLock<std::result::Result<Law, String>> = OnceLock::new();

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Law {
    rule: String,
    title: String,
    editions: Vec<Edition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edition {
    valid_from: NaiveDate,
    article: String,
    source: String,
    note: String,
    references: Vec<Reference>,
    life: Vec<LifeBracket>,
    fixed_term: FixedTermRule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reference {
    title: String,
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LifeBracket {
    /// The bracket applies below this age in completed years; `None` for the last one.
    under_age: Option<u32>,
    #[serde(with = "rust_decimal::serde::str")]
    usufruct_pct: Decimal,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedTermRule {
    per_started_years: u32,
    #[serde(with = "rust_decimal::serde::str")]
    usufruct_pct: Decimal,
    /// Whether a natural person's fixed-term usufruct is capped at their life usufruct.
    capped_by_life: bool,
}

/// The embedded barème, parsed and checked once.
fn law() -> Result<&'static Law> {
    LAW.get_or_init(|| parse_law(LAW_JSON)).as_ref().map_err(|e| Error::invalid("law", e.clone()))
}

fn parse_law(json: &str) -> std::result::Result<Law, String> {
    let law: Law = serde_json::from_str(json).map_err(|e| format!("cgi-669.json: {e}"))?;
    check_law(&law)?;
    Ok(law)
}

/// The invariants the computations rely on.
fn check_law(law: &Law) -> std::result::Result<(), String> {
    if law.rule != "cgi-669" || law.title.trim().is_empty() {
        return Err("cgi-669.json: not the cgi-669 rule".into());
    }
    if law.editions.is_empty() {
        return Err("cgi-669.json: no edition".into());
    }
    if law.editions.windows(2).any(|w| w[0].valid_from >= w[1].valid_from) {
        return Err("cgi-669.json: editions are not sorted by valid_from".into());
    }
    let pct_ok = |p: Decimal| p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED;
    for e in &law.editions {
        let at = e.valid_from;
        if !e.source.starts_with("https://") || e.article.trim().is_empty() || e.note.trim().is_empty() {
            return Err(format!("cgi-669.json {at}: a source URL, the article and a note are required"));
        }
        if e.references
            .iter()
            .any(|r| r.title.trim().is_empty() || r.url.as_ref().is_some_and(|u| !u.starts_with("http")))
        {
            return Err(format!("cgi-669.json {at}: a reference needs a title and an http(s) URL or none"));
        }
        let Some((last, brackets)) = e.life.split_last() else {
            return Err(format!("cgi-669.json {at}: empty life table"));
        };
        if last.under_age.is_some() || brackets.iter().any(|b| b.under_age.is_none()) {
            return Err(format!("cgi-669.json {at}: only the last life bracket is open-ended"));
        }
        if e.life.iter().any(|b| !pct_ok(b.usufruct_pct)) {
            return Err(format!("cgi-669.json {at}: a life percentage is outside (0, 100]"));
        }
        let decreasing = e.life.windows(2).all(|w| {
            w[0].usufruct_pct > w[1].usufruct_pct && (w[1].under_age.is_none() || w[0].under_age < w[1].under_age)
        });
        if !decreasing {
            return Err(format!("cgi-669.json {at}: the life table must go up in age and down in value"));
        }
        if e.fixed_term.per_started_years == 0 || !pct_ok(e.fixed_term.usufruct_pct) {
            return Err(format!("cgi-669.json {at}: invalid fixed-term rule"));
        }
    }
    Ok(())
}

/// The edition in force on `date`: the last one starting on or before it, else the first.
fn edition_on(law: &'static Law, date: NaiveDate) -> Result<&'static Edition> {
    law.editions
        .iter()
        .rev()
        .find(|e| e.valid_from <= date)
        .or_else(|| law.editions.first())
        .ok_or_else(|| Error::invalid("law", "cgi-669.json: no edition"))
}

/// The life usufruct percentage for `age` completed years.
fn life_pct(edition: &Edition, age: u32) -> Result<Decimal> {
    edition
        .life
        .iter()
        .find(|b| b.under_age.is_none_or(|limit| age < limit))
        .map(|b| b.usufruct_pct)
        .ok_or_else(|| Error::invalid("law", "cgi-669.json: no open-ended life bracket"))
}

impl crate::wealth::portfolio::Asset {
    /// What its usufruct or bare ownership depends on, when it follows article 669
    /// (a birth date, an end date, or both); `None` for full ownership or a manual share.
    pub fn usufruct_basis(&self) -> Option<UsufructBasis> {
        if self.ownership == crate::wealth::portfolio::Ownership::Full {
            return None;
        }
        match (self.usufruct_ends, self.usufructuary_born) {
            (Some(end_date), birth_date) => Some(UsufructBasis::FixedTerm { end_date, birth_date }),
            (None, Some(birth_date)) => Some(UsufructBasis::Life { birth_date }),
            (None, None) => None,
        }
    }

    /// The rule that gives its share on `date`, when it follows article 669. A date
    /// before the usufructuary's birth is valued as on the birth date.
    pub fn dismembered_share(&self, date: NaiveDate) -> Result<Option<DismemberedShare>> {
        let Some(basis) = self.usufruct_basis() else { return Ok(None) };
        let born = match basis {
            UsufructBasis::Life { birth_date } => Some(birth_date),
            UsufructBasis::FixedTerm { birth_date, .. } => birth_date,
        };
        let date = born.map_or(date, |b| date.max(b));
        share_on(&basis, date).map(Some)
    }

    /// The part of its value held on `date`, in percent: `share_pct`, times the
    /// usufruct's or the bare ownership's article-669 value when it follows the barème
    /// (a 50 % share of a bare ownership worth 60 % is 30 %).
    pub fn share_on(&self, date: NaiveDate) -> Result<Decimal> {
        Ok(match self.dismembered_share(date)? {
            None => self.share_pct,
            Some(s) => {
                let pct = if self.ownership == crate::wealth::portfolio::Ownership::Usufruct {
                    s.usufruct_pct
                } else {
                    s.bare_pct
                };
                self.share_pct * pct / Decimal::ONE_HUNDRED
            }
        })
    }

    /// The dates within `[from, to]` on which [`Self::share_on`] changes.
    pub fn share_changes(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        self.usufruct_basis().map(|b| change_dates(&b, from, to)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pct(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn life(birth: NaiveDate) -> UsufructBasis {
        UsufructBasis::Life { birth_date: birth }
    }

    fn fixed(end: NaiveDate, birth: Option<NaiveDate>) -> UsufructBasis {
        UsufructBasis::FixedTerm { end_date: end, birth_date: birth }
    }

    fn usufruct(basis: &UsufructBasis, date: NaiveDate) -> Decimal {
        share_on(basis, date).unwrap().usufruct_pct
    }

    /// The 2004 barème as printed in article 669 I, typed here independently of the JSON.
    const BAREME_2004: [(u32, &str, &str); 9] = [
        (21, "90", "80"),
        (31, "80", "70"),
        (41, "70", "60"),
        (51, "60", "50"),
        (61, "50", "40"),
        (71, "40", "30"),
        (81, "30", "20"),
        (91, "20", "10"),
        (105, "10", "10"),
    ];

    #[test]
    fn every_2004_age_boundary() {
        let birth = d(1990, 3, 10);
        for (age, before, on) in BAREME_2004 {
            let birthday = d(1990 + age as i32, 3, 10);
            let eve = share_on(&life(birth), birthday.pred_opt().unwrap()).unwrap();
            let day = share_on(&life(birth), birthday).unwrap();
            assert_eq!((eve.usufruct_pct, eve.age), (pct(before), Some(age - 1)), "day before {age}");
            assert_eq!((day.usufruct_pct, day.age), (pct(on), Some(age)), "birthday {age}");
            assert_eq!(day.bare_pct, Decimal::ONE_HUNDRED - pct(on));
            assert_eq!((day.edition_from, day.years_left, day.periods), (d(2004, 1, 1), None, None));
            assert!(day.source.contains("LEGIARTI000006310171"));
        }
        let old = share_on(&life(birth), d(2095, 3, 10)).unwrap();
        assert_eq!((old.usufruct_pct, old.bare_pct, old.age), (pct("10"), pct("90"), Some(105)));
    }

    #[test]
    fn pre_2004_bareme_of_article_762() {
        // Former article 762: 70 % under 20, 60 % under 30, … 20 % under 70, 10 % from 70.
        let birth = d(1925, 8, 20);
        for (age, before, on) in
            [(20, "70", "60"), (30, "60", "50"), (40, "50", "40"), (50, "40", "30"), (60, "30", "20"), (70, "20", "10")]
        {
            let birthday = d(1925 + age, 8, 20);
            assert_eq!(usufruct(&life(birth), birthday.pred_opt().unwrap()), pct(before), "day before {age}");
            assert_eq!(usufruct(&life(birth), birthday), pct(on), "birthday {age}");
        }
        // The same person on the last day of the old barème and the first of the new one (78).
        assert_eq!(usufruct(&life(birth), d(2003, 12, 31)), pct("10"));
        assert_eq!(usufruct(&life(birth), d(2004, 1, 1)), pct("30"));
        let share = share_on(&life(birth), d(1960, 1, 1)).unwrap();
        assert_eq!(share.edition_from, d(1979, 7, 1), "before the first edition: the first edition");
        assert!(share.source.contains("LEGIARTI000006305377"));
    }

    #[test]
    fn born_on_29_february_turns_older_on_1_march() {
        let birth = d(1960, 2, 29);
        let basis = life(birth);
        assert_eq!(share_on(&basis, d(2021, 2, 28)).unwrap().age, Some(60));
        assert_eq!(share_on(&basis, d(2021, 3, 1)).unwrap().age, Some(61));
        assert_eq!(usufruct(&basis, d(2021, 2, 28)), pct("50"));
        assert_eq!(usufruct(&basis, d(2021, 3, 1)), pct("40"));
        // In a leap year the birthday is the day itself.
        assert_eq!(share_on(&basis, d(2020, 2, 28)).unwrap().age, Some(59));
        assert_eq!(share_on(&basis, d(2020, 2, 29)).unwrap().age, Some(60));
        assert_eq!(change_dates(&basis, d(2021, 1, 1), d(2021, 12, 31)), vec![d(2021, 3, 1)]);
    }

    #[test]
    fn fixed_term_by_started_ten_year_periods() {
        let on = d(2025, 1, 15);
        let cases = [
            (d(2025, 1, 16), "23", 1, 1),  // one day
            (d(2035, 1, 15), "23", 10, 1), // exactly ten years
            (d(2035, 1, 16), "46", 11, 2), // ten years and a day
            (d(2040, 1, 15), "46", 15, 2), // fifteen years
            (d(2045, 1, 15), "46", 20, 2),
            (d(2045, 1, 16), "69", 21, 3),
            (d(2055, 1, 15), "69", 30, 3),
        ];
        for (end, expected, years, periods) in cases {
            let share = share_on(&fixed(end, None), on).unwrap();
            assert_eq!(share.usufruct_pct, pct(expected), "end {end}");
            assert_eq!(share.bare_pct, Decimal::ONE_HUNDRED - pct(expected));
            assert_eq!((share.years_left, share.periods, share.age), (Some(years), Some(periods), None), "end {end}");
            assert!(!share.capped_by_life);
        }
        // No age to cap 5 × 23 %: the usufruct stops at the full ownership.
        assert_eq!(usufruct(&fixed(d(2070, 1, 15), None), on), pct("100"));
    }

    #[test]
    fn fixed_term_capped_by_the_life_usufruct() {
        let on = d(2025, 1, 15);
        let birth = d(1949, 6, 1); // 75 on the date: life usufruct 30 %
        let share = share_on(&fixed(d(2055, 1, 15), Some(birth)), on).unwrap();
        assert_eq!((share.usufruct_pct, share.bare_pct), (pct("30"), pct("70")));
        assert_eq!((share.age, share.periods, share.capped_by_life), (Some(75), Some(3), true));
        // Not capped when the term is worth less than the life usufruct (69 % > 23 %).
        let young = share_on(&fixed(d(2030, 1, 15), Some(d(2000, 1, 1))), on).unwrap();
        assert_eq!((young.usufruct_pct, young.capped_by_life), (pct("23"), false));
        // The doctrine's example: twelve years at 62 → 40 %, not 46 %.
        let at_62 = share_on(&fixed(d(2037, 1, 15), Some(d(1962, 6, 1))), on).unwrap();
        assert_eq!((at_62.usufruct_pct, at_62.age, at_62.capped_by_life), (pct("40"), Some(62), true));
    }

    #[test]
    fn ended_fixed_term_is_worth_nothing() {
        let end = d(2030, 6, 30);
        for on in [end, d(2031, 1, 1)] {
            let share = share_on(&fixed(end, Some(d(1950, 1, 1))), on).unwrap();
            assert_eq!((share.usufruct_pct, share.bare_pct), (Decimal::ZERO, Decimal::ONE_HUNDRED));
            assert_eq!((share.years_left, share.periods, share.capped_by_life), (Some(0), Some(0), false));
        }
        assert_eq!(usufruct(&fixed(end, None), d(2030, 6, 29)), pct("23"));
    }

    #[test]
    fn pre_2004_fixed_term_is_20_per_cent_a_period() {
        assert_eq!(usufruct(&fixed(d(2017, 6, 1), None), d(2002, 6, 1)), pct("40"));
        assert_eq!(usufruct(&fixed(d(2017, 6, 1), None), d(2004, 6, 1)), pct("46"));
    }

    #[test]
    fn pct_for_picks_the_side() {
        let basis = life(d(1958, 4, 2)); // 66 on the date: 40 / 60
        assert_eq!(pct_for(&basis, true, d(2025, 1, 1)).unwrap(), pct("40"));
        assert_eq!(pct_for(&basis, false, d(2025, 1, 1)).unwrap(), pct("60"));
    }

    #[test]
    fn birth_date_in_the_future() {
        let later = d(2030, 1, 1);
        let on = d(2025, 1, 1);
        for basis in [life(later), fixed(d(2040, 1, 1), Some(later))] {
            assert_eq!(share_on(&basis, on).unwrap_err().code(), "birth_date_in_future");
            assert_eq!(pct_for(&basis, false, on).unwrap_err().code(), "birth_date_in_future");
        }
        // Born on the date itself: 0 completed years, fine.
        assert_eq!(share_on(&life(on), on).unwrap().age, Some(0));
    }

    /// Brute force: `change_dates` lists exactly the days whose percentage differs from the
    /// day before's.
    fn assert_change_dates_exact(basis: &UsufructBasis, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let listed = change_dates(basis, from, to);
        let mut day = from;
        let mut found = Vec::new();
        while day <= to {
            let before = day.pred_opt().unwrap();
            if usufruct(basis, day) != usufruct(basis, before) {
                found.push(day);
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(listed, found);
        listed
    }

    #[test]
    fn change_dates_of_a_life_usufruct() {
        let birth = d(1950, 6, 15);
        let (from, to) = (d(2000, 1, 1), d(2030, 12, 31));
        // Expected from the boundary lists: old brackets' birthdays before 2004, new brackets'
        // from 2004, and 1 January 2004 itself (at 53: 30 % under the old barème, 50 % under the new).
        let old_ages = [20, 30, 40, 50, 60, 70];
        let new_ages = [21, 31, 41, 51, 61, 71, 81, 91];
        let switch = d(2004, 1, 1);
        let mut expected: Vec<NaiveDate> = old_ages
            .iter()
            .map(|a| d(1950 + a, 6, 15))
            .filter(|b| *b >= from && *b < switch)
            .chain(std::iter::once(switch))
            .chain(new_ages.iter().map(|a| d(1950 + a, 6, 15)).filter(|b| *b >= switch && *b <= to))
            .collect();
        expected.sort();
        assert_eq!(expected, vec![d(2000, 6, 15), switch, d(2011, 6, 15), d(2021, 6, 15)]);
        assert_eq!(usufruct(&life(birth), d(2003, 12, 31)), pct("30"));
        assert_eq!(usufruct(&life(birth), switch), pct("50"));
        assert_eq!(assert_change_dates_exact(&life(birth), from, to), expected);
    }

    #[test]
    fn change_dates_of_a_fixed_term() {
        let end = d(2031, 3, 10);
        let (from, to) = (d(2000, 1, 1), d(2032, 12, 31));
        // 4 → 3 periods on 2001-03-10 (30 years left), the new barème on 2004-01-01 (60 → 69 %),
        // then 3 → 2 and 2 → 1 periods, and the end.
        let expected = vec![d(2001, 3, 10), d(2004, 1, 1), d(2011, 3, 10), d(2021, 3, 10), end];
        assert_eq!(assert_change_dates_exact(&fixed(end, None), from, to), expected);
        // With a usufructuary born 1960-07-01 the cap adds a birthday and hides a period change:
        // 2000-07-01 (40th, old barème) the cap goes 50 → 40 %; on 2001-03-10 the term's 60 % stays
        // capped at 40 %; from 2004 the 69 % is capped at 60 % (under 51) until 2011-03-10 (46 %).
        let capped = assert_change_dates_exact(&fixed(end, Some(d(1960, 7, 1))), from, to);
        assert_eq!(capped, vec![d(2000, 7, 1), d(2004, 1, 1), d(2011, 3, 10), d(2021, 3, 10), end]);
        assert_eq!(usufruct(&fixed(end, Some(d(1960, 7, 1))), d(2001, 3, 10)), pct("40"));
        assert_eq!(usufruct(&fixed(end, Some(d(1960, 7, 1))), d(2004, 1, 1)), pct("60"));
        // Boundaries around 29 February: end on a 29 February, and a leap-day start.
        assert_change_dates_exact(&fixed(d(2024, 2, 29), None), d(2003, 1, 1), d(2025, 1, 1));
        assert_change_dates_exact(&fixed(d(2026, 3, 1), Some(d(1944, 2, 29))), d(2005, 1, 1), d(2027, 1, 1));
        assert_eq!(change_dates(&fixed(end, None), to, from), Vec::<NaiveDate>::new());
    }

    #[test]
    fn change_dates_skip_the_birth_itself() {
        let birth = d(2010, 5, 5);
        assert_eq!(change_dates(&life(birth), d(2010, 1, 1), d(2031, 12, 31)), vec![d(2031, 5, 5)]);
    }

    #[test]
    fn the_law_file_parses_and_holds_its_invariants() {
        let law = law().unwrap();
        assert_eq!(law.rule, "cgi-669");
        assert!(law.editions.windows(2).all(|w| w[0].valid_from < w[1].valid_from), "sorted by valid_from");
        assert_eq!(law.editions.last().unwrap().valid_from, d(2004, 1, 1));
        for e in &law.editions {
            assert!(e.source.starts_with("https://www.legifrance.gouv.fr/"), "{}", e.source);
            let (last, rest) = e.life.split_last().unwrap();
            assert_eq!(last.under_age, None, "ends with the open-ended bracket");
            assert!(rest.iter().all(|b| b.under_age.is_some()));
            assert!(e.life.windows(2).all(|w| w[0].usufruct_pct > w[1].usufruct_pct), "decreasing");
            assert_eq!(e.fixed_term.per_started_years, 10);
        }
        let now = law.editions.last().unwrap();
        let table: Vec<(Option<u32>, Decimal)> = now.life.iter().map(|b| (b.under_age, b.usufruct_pct)).collect();
        let mut expected: Vec<(Option<u32>, Decimal)> =
            BAREME_2004[..8].iter().map(|(a, before, _)| (Some(*a), pct(before))).collect();
        expected.push((None, pct("10")));
        assert_eq!(table, expected);
        assert_eq!(now.fixed_term.usufruct_pct, pct("23"));
    }

    #[test]
    fn a_broken_law_file_is_an_error_not_a_panic() {
        let text = LAW_JSON.replacen("\"usufruct_pct\": \"80\"", "\"usufruct_pct\": \"95\"", 1);
        assert!(parse_law(&text).unwrap_err().contains("life table"));
        let unsorted = LAW_JSON.replacen("2004-01-01", "1970-01-01", 1);
        assert!(parse_law(&unsorted).unwrap_err().contains("sorted"));
        assert!(parse_law("{").is_err());
    }

    #[test]
    fn serde_shapes() {
        let basis: UsufructBasis = serde_json::from_str(r#"{"kind":"fixed_term","end_date":"2040-01-01"}"#).unwrap();
        assert_eq!(basis, fixed(d(2040, 1, 1), None));
        let json = serde_json::to_value(life(d(1950, 6, 15))).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "life", "birth_date": "1950-06-15"}));
        let share = serde_json::to_value(share_on(&life(d(1950, 6, 15)), d(2025, 1, 1)).unwrap()).unwrap();
        assert_eq!(share["usufruct_pct"], "30");
        assert_eq!(share["bare_pct"], "70");
        assert_eq!(share["edition_from"], "2004-01-01");
    }
}
