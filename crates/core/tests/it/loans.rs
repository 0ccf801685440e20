//! Loans from their terms and dismembered ownership by article 669, on a real vault.

use patrimoine_core::analytics::Step;
use patrimoine_core::loan::{Amortization, Deferral, Keep, LoanTerms, Repayment};
use patrimoine_core::loans::Loan;
use patrimoine_core::portfolio::{Asset, AssetClass, Ownership};
use patrimoine_core::Vault;

use crate::support::*;
use crate::wealth::value;

fn terms() -> LoanTerms {
    LoanTerms {
        principal: dec("300000"),
        annual_rate: dec("1.35"),
        months: 300,
        first_payment: d("2019-07-15"),
        insurance: dec("25.50"),
        amortization: Amortization::Constant,
        deferral: Deferral::None,
        deferral_months: 0,
    }
}

fn flat(v: &Vault) -> i64 {
    let id = v.create_asset(&Asset::new(None, "Appartement", AssetClass::RealEstate, "EUR")).unwrap();
    value(v, id, "2019-06-01", "400000");
    id
}

/// The outstanding capital by the closed form with rounded interest, computed here
/// month by month in a different way from the engine (f64, then rounded to cents).
fn reference_remaining(months_paid: u32) -> f64 {
    let r: f64 = 0.0135 / 12.0;
    let n: f64 = 300.0;
    let payment = (300000.0 * r / (1.0 - (1.0 + r).powf(-n)) * 100.0).round() / 100.0;
    let mut remaining = 300000.0_f64;
    for _ in 0..months_paid {
        let interest = (remaining * r * 100.0).round() / 100.0;
        remaining = ((remaining - (payment - interest)) * 100.0).round() / 100.0;
    }
    remaining
}

#[test]
fn a_loan_from_its_terms_is_valued_by_its_schedule() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let home = flat(v);
    let id = v
        .create_loan(&Loan {
            asset_id: 0,
            account_id: None,
            name: "Prêt immobilier".into(),
            currency: "EUR".into(),
            share_pct: dec("100"),
            terms: terms(),
            linked_asset_id: Some(home),
            repayments: vec![],
        })
        .unwrap();
    // 2024-01-01: 54 payments made (2019-07-15 … 2023-12-15).
    let owed = v.loan_schedule(id, d("2024-01-01")).unwrap().outstanding;
    let expected = reference_remaining(54);
    assert!((owed.to_string().parse::<f64>().unwrap() - expected).abs() < 0.01, "{owed} vs {expected}");
    let nw = v.net_worth(d("2024-01-01")).unwrap();
    assert_eq!(nw.liabilities, owed);
    assert_eq!(nw.net_worth, dec("400000.00") - owed);
    // The schedule runs to 2044, but the loan's latest value is today's.
    let today = chrono::Utc::now().date_naive();
    let latest = v.latest_values().unwrap().into_iter().find(|l| l.asset_id == id).unwrap();
    assert!(latest.date <= today && latest.value > dec("0"), "{latest:?}");
    // Before the loan: nothing owed.
    assert_eq!(v.net_worth(d("2019-05-31")).unwrap().liabilities, dec("0.00"));
    // Net equity of the flat follows.
    let eq = v.equity(home, &[d("2024-01-01")]).unwrap();
    assert_eq!((eq[0].value, eq[0].loans, eq[0].equity), (dec("400000.00"), owed, dec("400000.00") - owed));
    // Typed values are refused.
    assert_eq!(v.set_account_balance(0, d("2024-01-01"), dec("1")).unwrap_err().code(), "not_found");
    // Interest paid in 2023 = the schedule's 2023 lines (12 of them).
    let schedule = v.loan_schedule(id, d("2024-01-01")).unwrap().schedule;
    let interest_2023: rust_decimal::Decimal =
        schedule.installments.iter().filter(|l| l.date.format("%Y").to_string() == "2023").map(|l| l.interest).sum();
    let p = v.performance(None, d("2022-12-31"), d("2023-12-31")).unwrap();
    assert_eq!(p.interest_paid, interest_2023);
    assert!(p.capital_repaid > dec("10000"));

    // A repayment larger than the capital is refused; nothing changes.
    let too_much = Repayment { date: d("2024-02-01"), amount: Some(owed + dec("1000")), keep: Keep::Payment };
    assert_eq!(v.add_repayment(id, &too_much).unwrap_err().code(), "repayment_exceeds_capital");
    assert!(v.loan(id).unwrap().repayments.is_empty());
    // A partial repayment keeping the payment shortens the loan; a total one ends it.
    let before_end = v.loan_schedule(id, d("2024-01-01")).unwrap().ends_on.unwrap();
    let r = v
        .add_repayment(id, &Repayment { date: d("2024-02-01"), amount: Some(dec("50000")), keep: Keep::Payment })
        .unwrap();
    let after = v.loan_schedule(id, d("2024-03-01")).unwrap();
    assert!(after.ends_on.unwrap() < before_end);
    assert_eq!(
        v.net_worth(d("2024-02-01")).unwrap().liabilities,
        v.loan_schedule(id, d("2024-02-01")).unwrap().outstanding
    );
    v.delete_repayment(r).unwrap();
    v.add_repayment(id, &Repayment { date: d("2025-06-20"), amount: None, keep: Keep::Payment }).unwrap();
    assert_eq!(v.net_worth(d("2025-06-20")).unwrap().liabilities, dec("0.00"));
    assert_eq!(v.net_worth(d("2030-01-01")).unwrap().net_worth, dec("400000.00"));

    // Bad terms, each with its code, nothing written.
    let bad = |t: LoanTerms| {
        v.create_loan(&Loan {
            asset_id: 0,
            account_id: None,
            name: "Autre".into(),
            currency: "EUR".into(),
            share_pct: dec("100"),
            terms: t,
            linked_asset_id: None,
            repayments: vec![],
        })
        .unwrap_err()
        .code()
    };
    assert_eq!(bad(LoanTerms { months: 0, ..terms() }), "loan_term_invalid");
    assert_eq!(bad(LoanTerms { annual_rate: dec("100.01"), ..terms() }), "rate_out_of_range");
    assert_eq!(v.loans().unwrap().len(), 1);
    assert!(v.health().unwrap().is_ok());
}

/// A bare ownership of a flat worth 300 000, the usufructuary born 1950-06-15: 73 on
/// 2024-01-01, usufruct 30 %, bare ownership 70 % (210 000); 81 on 2031-06-15, usufruct
/// 20 %, bare ownership 80 %. Held at 50 %: half of that.
#[test]
fn a_bare_ownership_follows_article_669_as_the_usufructuary_ages() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let mut a = Asset::new(None, "Maison de famille", AssetClass::RealEstate, "EUR");
    a.ownership = Ownership::Bare;
    a.share_pct = dec("50");
    a.usufructuary_born = Some(d("1950-06-15"));
    let id = v.create_asset(&a).unwrap();
    value(v, id, "2020-01-01", "300000");
    assert_eq!(v.net_worth(d("2024-01-01")).unwrap().net_worth, dec("105000.00"));
    assert_eq!(v.net_worth(d("2031-06-14")).unwrap().net_worth, dec("105000.00"));
    assert_eq!(v.net_worth(d("2031-06-15")).unwrap().net_worth, dec("120000.00"));
    let series = v.net_worth_series(d("2031-01-01"), d("2031-12-31"), Step::Monthly, true).unwrap();
    let may = series.dates.iter().position(|x| *x == d("2031-05-31")).unwrap();
    let june = series.dates.iter().position(|x| *x == d("2031-06-30")).unwrap();
    assert_eq!((series.totals[may], series.totals[june]), (dec("105000.00"), dec("120000.00")));
    assert_eq!(series.stacks[0].values[june], dec("120000.00"));
    let b = v.breakdown(d("2031-06-30"), &patrimoine_core::analytics::BreakdownBy::Class).unwrap();
    assert_eq!(b.total, dec("120000.00"));
    let share = v.asset(id).unwrap().dismembered_share(d("2024-01-01")).unwrap().unwrap();
    assert_eq!((share.age, share.bare_pct), (Some(73), dec("70")));
    // A birth date in the future is refused.
    let mut later = v.asset(id).unwrap();
    later.usufructuary_born = Some(d("2999-01-01"));
    assert_eq!(v.update_asset(id, &later).unwrap_err().code(), "birth_date_in_future");
    assert_eq!(v.asset(id).unwrap().usufructuary_born, Some(d("1950-06-15")));
}
