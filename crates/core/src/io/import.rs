//! Generic CSV import of value history (layout in README.md): validates every line,
//! creates missing institutions, accounts and assets, and upserts values, all in one
//! transaction. A dry run, or an import with errors (unless bad lines are skipped),
//! rolls back and writes nothing.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::{Error, Result};
pub use crate::error::{ImportReport, LineError};
use crate::money::{self, Decimal};
use crate::vault::audit::AuditKind;
use crate::vault::Vault;
use crate::wealth::portfolio::{fold_token, AccountKind, AssetClass, InstitutionKind, Ownership};

/// Import switches.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Validate and count, but write nothing.
    pub dry_run: bool,
    /// Import the good lines and report the bad ones.
    pub skip_invalid: bool,
}

/// A column of the CSV import layout: its header, the French header accepted for it
/// (the import screen shows it to French users), and whether a file must have it.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct CsvColumn {
    /// The header.
    pub name: &'static str,
    /// The French header for the same column.
    pub french: &'static str,
    /// Whether the header must be present.
    pub required: bool,
}

/// The CSV import layout, in the order the export writes it.
pub const CSV_COLUMNS: [CsvColumn; 12] = [
    CsvColumn { name: "date", french: "date", required: true },
    CsvColumn { name: "institution", french: "etablissement", required: true },
    CsvColumn { name: "account", french: "compte", required: true },
    CsvColumn { name: "account_kind", french: "type_compte", required: true },
    CsvColumn { name: "asset", french: "actif", required: true },
    CsvColumn { name: "asset_class", french: "classe", required: true },
    CsvColumn { name: "currency", french: "devise", required: true },
    CsvColumn { name: "value", french: "valeur", required: true },
    CsvColumn { name: "quantity", french: "quantite", required: false },
    CsvColumn { name: "unit_price", french: "prix_unitaire", required: false },
    CsvColumn { name: "share_pct", french: "part", required: false },
    CsvColumn { name: "ownership", french: "propriete", required: false },
];

fn column_alias(header: &str) -> String {
    let h = fold_token(header);
    match h.as_str() {
        "etablissement" | "banque" => "institution",
        "compte" => "account",
        "type_compte" | "type_de_compte" => "account_kind",
        "actif" => "asset",
        "classe" | "classe_actif" | "classe_d_actif" => "asset_class",
        "devise" => "currency",
        "valeur" | "montant" => "value",
        "quantite" => "quantity",
        "prix_unitaire" | "cours" => "unit_price",
        "part" | "quote_part" | "part_detenue" | "share" => "share_pct",
        "propriete" | "detention" | "type_de_propriete" => "ownership",
        _ => return h,
    }
    .to_owned()
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    [b';', b'\t', b','].into_iter().max_by_key(|&d| (count(d), d == b',')).unwrap_or(b',')
}

struct Row {
    date: NaiveDate,
    /// Institution and account; both empty for an asset held directly.
    institution: String,
    account: String,
    kind: AccountKind,
    asset: String,
    class: AssetClass,
    currency: String,
    value: Decimal,
    quantity: Option<Decimal>,
    unit_price: Option<Decimal>,
    /// Share held, for an asset the line creates (100 % when empty).
    share_pct: Option<Decimal>,
    ownership: Option<Ownership>,
}

impl Row {
    fn direct(&self) -> bool {
        self.institution.is_empty() && self.account.is_empty()
    }
}

fn institution_kind_for(kind: AccountKind) -> InstitutionKind {
    match kind {
        AccountKind::LifeInsurance | AccountKind::Per => InstitutionKind::Insurer,
        AccountKind::RealEstate => InstitutionKind::Direct,
        AccountKind::Crypto => InstitutionKind::Other,
        _ => InstitutionKind::Bank,
    }
}

fn err(line: usize, column: &str, code: &'static str, message: impl Into<String>) -> LineError {
    LineError { line, column: Some(column.to_owned()), code, message: message.into() }
}

fn parse_row(line: usize, get: impl Fn(&str) -> Option<String>, errors: &mut Vec<LineError>) -> Option<Row> {
    let before = errors.len();
    let mut required = |col: &'static str| -> String {
        let v = get(col).unwrap_or_default();
        if v.trim().is_empty() {
            errors.push(err(line, col, "required", format!("{col} is empty")));
        }
        v.trim().to_owned()
    };
    let date_s = required("date");
    // An asset held directly has no institution, account or account kind (all three
    // empty, as the export writes it).
    let direct =
        ["institution", "account", "account_kind"].iter().all(|c| get(c).unwrap_or_default().trim().is_empty());
    let (institution, account, kind_s) = if direct {
        (String::new(), String::new(), AccountKind::Other.as_str().to_owned())
    } else {
        (required("institution"), required("account"), required("account_kind"))
    };
    let asset = required("asset");
    let class_s = required("asset_class");
    let currency_s = required("currency");
    let value_s = required("value");
    let date = parse_date(&date_s);
    if date.is_none() && !date_s.is_empty() {
        errors.push(err(line, "date", "bad_date", "expected YYYY-MM-DD or DD/MM/YYYY"));
    }
    let kind = AccountKind::parse(&kind_s);
    if kind.is_none() && !kind_s.is_empty() {
        errors.push(err(line, "account_kind", "bad_account_kind", "unknown account kind"));
    }
    let class = AssetClass::parse(&class_s);
    if class.is_none() && !class_s.is_empty() {
        errors.push(err(line, "asset_class", "bad_asset_class", "unknown asset class"));
    }
    let currency = money::currency(&currency_s).ok();
    if currency.is_none() && !currency_s.is_empty() {
        errors.push(err(line, "currency", "bad_currency", "expected a three-letter code such as EUR"));
    }
    let value = money::parse_decimal(&value_s);
    if value.is_none() && !value_s.is_empty() {
        errors.push(err(line, "value", "bad_number", "not a number"));
    }
    let mut optional = |col: &'static str| -> Option<Decimal> {
        let s = get(col).unwrap_or_default();
        if s.trim().is_empty() {
            return None;
        }
        let d = money::parse_decimal(&s);
        if d.is_none() {
            errors.push(err(line, col, "bad_number", "not a number"));
        }
        d
    };
    let quantity = optional("quantity");
    let unit_price = optional("unit_price");
    let share_pct = optional("share_pct");
    if share_pct.is_some_and(|p| p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED) {
        errors.push(err(line, "share_pct", "bad_share", "a share is above 0 and at most 100 %"));
    }
    let ownership_s = get("ownership").unwrap_or_default();
    let ownership = if ownership_s.trim().is_empty() { None } else { Ownership::parse(&ownership_s) };
    if ownership.is_none() && !ownership_s.trim().is_empty() {
        errors.push(err(line, "ownership", "bad_ownership", "expected full, usufruct or bare"));
    }
    for (col, name) in [("institution", &institution), ("account", &account), ("asset", &asset)] {
        if name.chars().count() > 120 {
            errors.push(err(line, col, "too_long", "names have at most 120 characters"));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Row {
        date: date?,
        institution,
        account,
        kind: kind?,
        asset,
        class: class?,
        currency: currency?,
        value: value?,
        quantity,
        unit_price,
        share_pct,
        ownership,
    })
}

impl Vault {
    /// Imports value history from CSV bytes (`,` `;` or tab separated, UTF-8 with or
    /// without BOM, decimal point or comma).
    pub fn import_csv(&self, mut input: impl Read, opts: ImportOptions) -> Result<ImportReport> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| Error::Csv(e.to_string()))?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if std::str::from_utf8(body).is_err() {
            return Err(Error::Csv("the file is not UTF-8 text".into()));
        }
        let mut rdr = csv::ReaderBuilder::new().delimiter(sniff_delimiter(body)).flexible(true).from_reader(body);
        let headers: Vec<String> =
            rdr.headers().map_err(|e| Error::Csv(e.to_string()))?.iter().map(column_alias).collect();
        let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
        let mut report = ImportReport { dry_run: opts.dry_run, ..Default::default() };
        for col in CSV_COLUMNS.iter().filter(|c| c.required).map(|c| c.name) {
            if !index.contains_key(col) {
                report.errors.push(LineError {
                    line: 1,
                    column: Some(col.to_owned()),
                    code: "missing_column",
                    message: format!("the header has no {col} column"),
                });
            }
        }
        if !report.errors.is_empty() {
            return Err(Error::Import(Box::new(report)));
        }
        let cols: HashMap<&str, usize> =
            CSV_COLUMNS.iter().filter_map(|c| index.get(c.name).map(|i| (c.name, *i))).collect();

        let tx = self.conn.unchecked_transaction()?;
        let values_before = self.count_values()?;
        let mut institutions: HashMap<String, i64> = HashMap::new();
        {
            let mut st = tx.prepare("SELECT id, name FROM institution")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                institutions.insert(r.get::<_, String>(1)?.to_lowercase(), r.get(0)?);
            }
        }
        let mut accounts: HashMap<(i64, String), (i64, AccountKind, String)> = HashMap::new();
        {
            let mut st = tx.prepare("SELECT id, institution_id, name, kind, currency FROM account")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                accounts.insert((r.get(1)?, r.get::<_, String>(2)?.to_lowercase()), (r.get(0)?, r.get(3)?, r.get(4)?));
            }
        }
        // Assets by (account id, or 0 when held directly; lower-case name): id,
        // currency, share.
        let mut assets: HashMap<(i64, String), (i64, String, Decimal)> = HashMap::new();
        {
            let mut st = tx.prepare("SELECT id, coalesce(account_id, 0), name, currency, share_pct FROM asset")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let share: String = r.get(4)?;
                assets.insert(
                    (r.get(1)?, r.get::<_, String>(2)?.to_lowercase()),
                    (r.get(0)?, r.get(3)?, money::from_db(&share)?),
                );
            }
        }
        let mut ins_inst = tx.prepare("INSERT INTO institution (name, kind) VALUES (?1, ?2)")?;
        let mut ins_acc =
            tx.prepare("INSERT INTO account (institution_id, name, kind, currency) VALUES (?1, ?2, ?3, ?4)")?;
        let mut ins_asset = tx.prepare(
            "INSERT INTO asset (account_id, name, class, liability, currency, share_pct, ownership)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut ins_value = tx.prepare(
            "INSERT INTO value_point (asset_id, date, value, quantity, unit_price, source) VALUES (?1, ?2, ?3, ?4, ?5, 'import')
             ON CONFLICT (asset_id, date) DO UPDATE SET value = excluded.value, quantity = excluded.quantity,
             unit_price = excluded.unit_price, source = 'import'",
        )?;

        let mut touched: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = rdr.position().line() as usize;
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    report.lines += 1;
                    report.errors.push(LineError { line, column: None, code: "malformed", message: e.to_string() });
                    continue;
                }
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            report.lines += 1;
            let get = |c: &str| cols.get(c).and_then(|&i| record.get(i)).map(str::to_owned);
            let Some(row) = parse_row(line, get, &mut report.errors) else {
                continue;
            };

            // Resolve (or plan to create) the institution, account and asset, checking
            // conflicts before creating anything for this line.
            let inst_key = row.institution.to_lowercase();
            let inst_id = if row.direct() { None } else { institutions.get(&inst_key).copied() };
            let acc = inst_id.and_then(|i| accounts.get(&(i, row.account.to_lowercase())).cloned());
            if let Some((_, kind, _)) = &acc {
                if *kind != row.kind {
                    report.errors.push(err(
                        line,
                        "account_kind",
                        "kind_conflict",
                        "the account exists with another kind",
                    ));
                    continue;
                }
            }
            let asset_key = |acc_id: i64| (acc_id, row.asset.to_lowercase());
            let existing_asset = if row.direct() {
                assets.get(&asset_key(0)).cloned()
            } else {
                acc.as_ref().and_then(|(a, _, _)| assets.get(&asset_key(*a)).cloned())
            };
            if let Some((_, cur, share)) = &existing_asset {
                if *cur != row.currency {
                    report.errors.push(err(
                        line,
                        "currency",
                        "currency_conflict",
                        "the asset exists with another currency",
                    ));
                    continue;
                }
                if row.share_pct.is_some_and(|p| p != *share) {
                    report.errors.push(err(line, "share_pct", "share_conflict", "the asset exists with another share"));
                    continue;
                }
            }
            let acc_id = if row.direct() {
                None
            } else {
                let inst_id = match inst_id {
                    Some(i) => i,
                    None => {
                        ins_inst.execute(params![row.institution, institution_kind_for(row.kind).as_str()])?;
                        let id = tx.last_insert_rowid();
                        institutions.insert(inst_key, id);
                        report.institutions_created += 1;
                        id
                    }
                };
                Some(match acc {
                    Some((a, _, _)) => a,
                    None => {
                        ins_acc.execute(params![inst_id, row.account, row.kind.as_str(), row.currency])?;
                        let id = tx.last_insert_rowid();
                        accounts.insert((inst_id, row.account.to_lowercase()), (id, row.kind, row.currency.clone()));
                        report.accounts_created += 1;
                        id
                    }
                })
            };
            let asset_id = match existing_asset {
                Some((a, _, _)) => a,
                None => {
                    let liability = row.class == AssetClass::Loan || row.kind == AccountKind::Loan;
                    let share = row.share_pct.unwrap_or(Decimal::ONE_HUNDRED).normalize();
                    let ownership = row.ownership.unwrap_or(Ownership::Full);
                    ins_asset.execute(params![
                        acc_id,
                        row.asset,
                        row.class.as_str(),
                        liability,
                        row.currency,
                        share.to_string(),
                        ownership.as_str()
                    ])?;
                    let id = tx.last_insert_rowid();
                    assets.insert(asset_key(acc_id.unwrap_or(0)), (id, row.currency.clone(), share));
                    report.assets_created += 1;
                    id
                }
            };
            ins_value.execute(params![
                asset_id,
                row.date,
                row.value.to_string(),
                row.quantity.map(|d| d.to_string()),
                row.unit_price.map(|d| d.to_string())
            ])?;
            touched.insert(asset_id);
            report.imported += 1;
        }
        drop((ins_inst, ins_acc, ins_asset, ins_value));
        if !opts.dry_run {
            crate::wealth::values::rebuild_months(&tx, touched)?;
        }
        let values_after: i64 = tx.query_row("SELECT count(*) FROM value_point", [], |r| r.get(0))?;
        report.values_inserted = values_after as usize - values_before;
        report.values_updated = report.imported - report.values_inserted;
        report.skipped = report.lines - report.imported;
        if opts.dry_run {
            tx.rollback()?;
            return Ok(report);
        }
        if !report.errors.is_empty() && !opts.skip_invalid {
            tx.rollback()?;
            return Err(Error::Import(Box::new(report)));
        }
        tx.execute(
            "INSERT INTO audit_event (at, kind, detail) VALUES (?1, ?2, ?3)",
            params![
                chrono::Utc::now().to_rfc3339(),
                AuditKind::Import.as_str(),
                format!("lines={} imported={} skipped={}", report.lines, report.imported, report.skipped)
            ],
        )?;
        tx.commit()?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_french_header_reads_as_its_column() {
        for c in super::CSV_COLUMNS {
            assert_eq!(super::column_alias(c.french), c.name);
            assert_eq!(super::column_alias(&c.name.to_uppercase()), c.name);
        }
    }
}
