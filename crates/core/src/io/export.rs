//! Full exports: a versioned JSON document (schema in `docs/export-format.md`) and a
//! CSV of the value history in the import layout, so an export can be re-imported.
//! Both are written atomically and streamed, so memory stays flat on large vaults.

use std::io::Write;
use std::path::Path;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::durable::AtomicFile;
use crate::error::{Error, Result};
use crate::vault::audit::AuditKind;
use crate::vault::Vault;
use crate::wealth::fx::FxRate;
use crate::wealth::portfolio::{Account, Asset, Dimension, Institution};
use crate::wealth::values::CashFlow;

/// Format identifier written in every JSON export.
pub const JSON_FORMAT: &str = "patrimoine-export";
/// Version of the JSON export schema.
pub const JSON_VERSION: u32 = 1;

/// Header of the CSV export (the import layout).
pub const CSV_HEADER: [&str; 12] = [
    "date",
    "institution",
    "account",
    "account_kind",
    "asset",
    "asset_class",
    "currency",
    "value",
    "quantity",
    "unit_price",
    "share_pct",
    "ownership",
];

/// The two export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The full JSON document.
    Json,
    /// The value history as CSV, in the import layout.
    Csv,
}

#[derive(Serialize)]
struct ProfileHeader {
    base_currency: String,
}

#[derive(Serialize)]
struct JsonExport<'a> {
    format: &'static str,
    version: u32,
    app_version: &'static str,
    schema_version: i64,
    exported_at: String,
    profile: ProfileHeader,
    institutions: Vec<Institution>,
    accounts: Vec<Account>,
    dimensions: Vec<Dimension>,
    assets: Vec<Asset>,
    values: ValuesSer<'a>,
    cash_flows: Vec<CashFlow>,
    fx_rates: Vec<FxRate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    instruments: Vec<crate::wealth::instruments::Instrument>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    prices: Vec<crate::wealth::instruments::PricePoint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    activities: Vec<crate::wealth::activities::Activity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    loans: Vec<crate::wealth::loans::Loan>,
}

struct ValuesSer<'a>(&'a Vault);

impl Serialize for ValuesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = self
            .0
            .conn
            .prepare(
                "SELECT asset_id, date, value, quantity, unit_price, source FROM value_point ORDER BY asset_id, date",
            )
            .map_err(S::Error::custom)?;
        let mut rows = st.query([]).map_err(S::Error::custom)?;
        let mut seq = s.serialize_seq(None)?;
        while let Some(r) = rows.next().map_err(S::Error::custom)? {
            seq.serialize_element(&crate::wealth::values::read_point(r).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

impl Vault {
    /// Writes the whole profile as JSON into `w`.
    pub fn export_json_to(&self, w: impl Write) -> Result<()> {
        let doc = JsonExport {
            format: JSON_FORMAT,
            version: JSON_VERSION,
            app_version: env!("CARGO_PKG_VERSION"),
            schema_version: self.schema_version()?,
            exported_at: chrono::Utc::now().to_rfc3339(),
            profile: ProfileHeader { base_currency: self.base_currency()? },
            institutions: self.institutions()?,
            accounts: self.accounts()?,
            dimensions: self.dimensions()?,
            assets: self.assets()?,
            values: ValuesSer(self),
            cash_flows: self.cash_flows(None)?,
            fx_rates: self.fx_rates(None, usize::MAX >> 1)?,
            prices: {
                let mut all = vec![];
                for i in self.instruments()? {
                    all.extend(self.prices(i.id)?);
                }
                all
            },
            instruments: self.instruments()?,
            activities: self.activities(None)?,
            loans: self.loans()?,
        };
        serde_json::to_writer_pretty(w, &doc).map_err(|e| match e.io_error_kind() {
            Some(_) => Error::io("export", std::io::Error::other(e.to_string())),
            None => Error::Csv(e.to_string()),
        })
    }

    /// Writes the typed value history as CSV (import layout) into `w`. The values the
    /// app computes (positions, activity cash, loans with terms) are left out: their
    /// activities, prices and terms are in the JSON export, and importing the file back
    /// must not type values over them.
    pub fn export_csv_to(&self, w: impl Write) -> Result<()> {
        let mut out = csv::Writer::from_writer(w);
        let werr = |e: csv::Error| Error::io("export", std::io::Error::other(e.to_string()));
        out.write_record(CSV_HEADER).map_err(werr)?;
        let mut st = self.conn.prepare(
            "SELECT v.date, coalesce(i.name, ''), coalesce(ac.name, ''), coalesce(ac.kind, ''), a.name, a.class,
                    a.currency, v.value, coalesce(v.quantity, ''), coalesce(v.unit_price, ''), a.share_pct, a.ownership
             FROM value_point v JOIN asset a ON a.id = v.asset_id
             LEFT JOIN account ac ON ac.id = a.account_id LEFT JOIN institution i ON i.id = ac.institution_id
             WHERE a.derived IS NULL
             ORDER BY i.name, ac.name, a.name, v.date",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let fields: Vec<String> =
                (0..CSV_HEADER.len()).map(|i| r.get::<_, String>(i)).collect::<rusqlite::Result<_>>()?;
            out.write_record(&fields).map_err(werr)?;
        }
        out.flush().map_err(|e| Error::io("export", e))?;
        Ok(())
    }

    /// Exports to a file, atomically: JSON when `json` is true, else CSV.
    pub fn export_to_file(&self, path: &Path, json: bool) -> Result<()> {
        let mut f = AtomicFile::create(path)?;
        if json {
            self.export_json_to(&mut f)?;
        } else {
            self.export_csv_to(&mut f)?;
        }
        f.flush().map_err(|e| Error::io(path, e))?;
        f.commit()?;
        self.audit(AuditKind::Export, if json { "json" } else { "csv" })
    }
}

impl Vault {
    /// Writes a loan's schedule as CSV ([`schedule_csv`]) into `path`, atomically and
    /// readable by its owner only: the app's and the CLI's "export the table".
    pub fn export_schedule(&self, asset_id: i64, path: &Path) -> Result<()> {
        let ls = self.loan_schedule(asset_id, chrono::Utc::now().date_naive())?;
        write_schedule(&ls, path)?;
        self.audit(AuditKind::Export, "schedule_csv")
    }
}

/// [`schedule_csv`] into `path`, atomically, 0600.
pub fn write_schedule(ls: &crate::wealth::loans::LoanSchedule, path: &Path) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    schedule_csv(ls, &mut f)?;
    f.flush().map_err(|e| Error::io(path, e))?;
    f.commit()
}

/// Header of a loan schedule's CSV ([`schedule_csv`]).
pub const SCHEDULE_CSV_HEADER: [&str; 8] =
    ["number", "date", "kind", "payment", "interest", "capital", "insurance", "remaining"];

/// Writes a loan's schedule as CSV into `w`: [`SCHEDULE_CSV_HEADER`], then one line per
/// installment (its number, date, `payment` / `deferred` / `repayment`, and the amounts
/// with a dot and 2 decimals). Pure: the caller chooses the file and writes it
/// atomically (the CLI's `loan schedule --csv`, the app's export).
pub fn schedule_csv(s: &crate::wealth::loans::LoanSchedule, w: impl Write) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let werr = |e: csv::Error| Error::io("export", std::io::Error::other(e.to_string()));
    out.write_record(SCHEDULE_CSV_HEADER).map_err(werr)?;
    let cents = |d: crate::money::Decimal| crate::money::round_cents(d).to_string();
    for l in &s.schedule.installments {
        out.write_record([
            l.number.to_string(),
            l.date.to_string(),
            l.row.as_str().to_owned(),
            cents(l.payment),
            cents(l.interest),
            cents(l.capital),
            cents(l.insurance),
            cents(l.remaining),
        ])
        .map_err(werr)?;
    }
    out.flush().map_err(|e| Error::io("export", e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use chrono::NaiveDate;

    use super::*;
    use crate::money::Decimal;
    use crate::wealth::loan::{self, Amortization, Deferral, LoanTerms};
    use crate::wealth::loans::{Loan, LoanSchedule};

    /// 1 000 at 12 % over 3 months with 1.5 of insurance, hand-computed (r = 1 %):
    /// M = 1000 × 0.01 × 1.01³ / (1.01³ − 1) = 340.0221… → 340.02; no. 1: interest 10.00,
    /// capital 330.02, remaining 669.98; no. 2: 6.6998 → 6.70, 333.32, 336.66; no. 3:
    /// 3.3666 → 3.37, the last payment repays 336.66: 340.03.
    #[test]
    fn schedule_csv_has_one_line_per_installment_with_cents() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let terms = LoanTerms {
            principal: d("1000"),
            annual_rate: d("12"),
            months: 3,
            first_payment: NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
            insurance: d("1.5"),
            amortization: Amortization::Constant,
            deferral: Deferral::None,
            deferral_months: 0,
        };
        let schedule = loan::schedule(&terms, &[]).unwrap();
        let s = LoanSchedule {
            loan: Loan {
                asset_id: 1,
                account_id: None,
                name: "Prêt".into(),
                currency: "EUR".into(),
                share_pct: Decimal::ONE_HUNDRED,
                terms,
                linked_asset_id: None,
                repayments: vec![],
            },
            schedule,
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            outstanding: d("1000"),
            interest_paid: Decimal::ZERO,
            interest_to_pay: d("20.07"),
            insurance_paid: Decimal::ZERO,
            insurance_to_pay: d("4.5"),
            ends_on: None,
        };
        let mut out = vec![];
        schedule_csv(&s, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "number,date,kind,payment,interest,capital,insurance,remaining\n\
             1,2024-01-31,payment,340.02,10.00,330.02,1.50,669.98\n\
             2,2024-02-29,payment,340.02,6.70,333.32,1.50,336.66\n\
             3,2024-03-31,payment,340.03,3.37,336.66,1.50,0.00\n"
        );
    }
}
