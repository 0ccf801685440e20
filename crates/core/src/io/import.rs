//! Generic CSV import in three layouts (README.md), recognised by the header row: value
//! history, account activities, instrument prices. Validates every line, creates the
//! missing institutions, accounts, assets and instruments, and writes everything in one
//! transaction, re-deriving what depends on it once. A dry run, or an import with errors
//! (unless bad lines are skipped), rolls back and writes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use rusqlite::{params, Transaction};

use crate::error::{Error, InputError, Result};
pub use crate::error::{ImportLayout, ImportReport, LineError};
use crate::limits::ITEM_NAME_MAX;
use crate::money::{self, Decimal};
use crate::vault::audit::AuditKind;
use crate::vault::Vault;
use crate::wealth::activities::{self, Activity, ActivityKind};
use crate::wealth::instruments::check_isin;
use crate::wealth::portfolio::{fold_token, AccountKind, AssetClass, InstitutionKind, Ownership};

/// Import switches.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Validate and count, but write nothing.
    pub dry_run: bool,
    /// Import the good lines and report the bad ones.
    pub skip_invalid: bool,
}

/// A column of a CSV import layout: its header, the French header accepted for it
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

/// The values layout (one value of one asset on one date per line), in the order the
/// export writes it.
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

/// The activities layout: one activity of an account per line.
pub const ACTIVITY_COLUMNS: [CsvColumn; 14] = [
    CsvColumn { name: "date", french: "date", required: true },
    CsvColumn { name: "institution", french: "etablissement", required: true },
    CsvColumn { name: "account", french: "compte", required: true },
    CsvColumn { name: "account_kind", french: "type_compte", required: true },
    CsvColumn { name: "type", french: "type_operation", required: true },
    CsvColumn { name: "isin", french: "isin", required: false },
    CsvColumn { name: "instrument", french: "titre", required: false },
    CsvColumn { name: "quantity", french: "quantite", required: false },
    CsvColumn { name: "unit_price", french: "prix_unitaire", required: false },
    CsvColumn { name: "amount", french: "montant", required: false },
    CsvColumn { name: "fees", french: "frais", required: false },
    CsvColumn { name: "currency", french: "devise", required: true },
    CsvColumn { name: "asset_class", french: "classe", required: false },
    CsvColumn { name: "note", french: "note", required: false },
];

/// The prices layout: one price of one instrument on one date per line (the header
/// needs `isin` or `instrument`, or both).
pub const PRICE_COLUMNS: [CsvColumn; 6] = [
    CsvColumn { name: "date", french: "date", required: true },
    CsvColumn { name: "isin", french: "isin", required: false },
    CsvColumn { name: "instrument", french: "titre", required: false },
    CsvColumn { name: "price", french: "prix", required: true },
    CsvColumn { name: "currency", french: "devise", required: false },
    CsvColumn { name: "asset_class", french: "classe", required: false },
];

/// The layout a header is: a `type` column without `value` or `asset` is activities, a
/// `price` column without `account` is prices (French headers too); anything else is
/// read as values, whose missing columns are then reported.
fn detect_layout(folded: &[String]) -> ImportLayout {
    let has = |names: &[&str]| folded.iter().any(|h| names.contains(&h.as_str()));
    if has(&["type", "type_operation", "type_d_operation", "operation"]) && !has(&["value", "valeur", "asset", "actif"])
    {
        ImportLayout::Activities
    } else if has(&["price", "prix", "cours"]) && !has(&["account", "compte"]) {
        ImportLayout::Prices
    } else {
        ImportLayout::Values
    }
}

fn activity_alias(header: &str) -> String {
    let h = fold_token(header);
    match h.as_str() {
        "etablissement" | "banque" => "institution",
        "compte" => "account",
        "type_compte" | "type_de_compte" => "account_kind",
        "type_operation" | "type_d_operation" | "operation" => "type",
        "titre" => "instrument",
        "quantite" => "quantity",
        "prix_unitaire" | "prix" | "cours" => "unit_price",
        "montant" => "amount",
        "frais" => "fees",
        "devise" => "currency",
        "classe" | "classe_actif" | "classe_d_actif" => "asset_class",
        "libelle" | "commentaire" => "note",
        _ => return h,
    }
    .to_owned()
}

fn price_alias(header: &str) -> String {
    let h = fold_token(header);
    match h.as_str() {
        "titre" => "instrument",
        "prix" | "cours" => "price",
        "devise" => "currency",
        "classe" | "classe_actif" | "classe_d_actif" => "asset_class",
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
        if name.chars().count() > ITEM_NAME_MAX {
            errors.push(err(line, col, "too_long", format!("names have at most {ITEM_NAME_MAX} characters")));
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

/// The cells of one line, by canonical column name (empty when the column is absent).
struct Cells<'a> {
    cols: &'a HashMap<&'static str, usize>,
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    fn get(&self, col: &str) -> &str {
        self.cols.get(col).and_then(|&i| self.record.get(i)).unwrap_or_default().trim()
    }
}

/// The data lines with their numbers (where each record starts); blank lines are left
/// out, unreadable ones reported as `malformed`.
fn data_lines(rdr: &mut csv::Reader<&[u8]>, report: &mut ImportReport) -> Vec<(usize, csv::StringRecord)> {
    let mut out = Vec::new();
    loop {
        let line = rdr.position().line() as usize;
        let mut record = csv::StringRecord::new();
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
        out.push((line, record));
    }
    out
}

/// A required cell: its trimmed text, or a `required` error when empty.
fn required<'a>(line: usize, cells: &'a Cells<'_>, col: &'static str, errors: &mut Vec<LineError>) -> &'a str {
    let v = cells.get(col);
    if v.is_empty() {
        errors.push(err(line, col, "required", format!("{col} is empty")));
    }
    v
}

/// An optional number: `None` when empty, or (with a `bad_number` error) unreadable.
fn number(line: usize, cells: &Cells<'_>, col: &'static str, errors: &mut Vec<LineError>) -> Option<Decimal> {
    let s = cells.get(col);
    if s.is_empty() {
        return None;
    }
    let d = money::parse_decimal(s);
    if d.is_none() {
        errors.push(err(line, col, "bad_number", "not a number"));
    }
    d
}

fn date_cell(line: usize, cells: &Cells<'_>, errors: &mut Vec<LineError>) -> Option<NaiveDate> {
    let s = required(line, cells, "date", errors);
    let date = parse_date(s);
    if date.is_none() && !s.is_empty() {
        errors.push(err(line, "date", "bad_date", "expected YYYY-MM-DD or DD/MM/YYYY"));
    }
    date
}

/// Checks a name the import may create: at most [`ITEM_NAME_MAX`] characters, no
/// control character.
fn check_name(line: usize, col: &'static str, name: &str, errors: &mut Vec<LineError>) {
    if name.chars().count() > ITEM_NAME_MAX {
        errors.push(err(line, col, "too_long", format!("names have at most {ITEM_NAME_MAX} characters")));
    } else if name.chars().any(char::is_control) {
        errors.push(err(line, col, "bad_name", "a name cannot hold control characters"));
    }
}

/// An instrument as a line names it.
struct InstrumentRef {
    isin: Option<String>,
    name: String,
    /// The class for an instrument the line creates.
    class: AssetClass,
}

/// Reads the `isin`, `instrument` and `asset_class` cells; `None` when none names an
/// instrument or a cell is wrong (then with its error).
fn instrument_cells(line: usize, cells: &Cells<'_>, errors: &mut Vec<LineError>) -> Option<InstrumentRef> {
    let before = errors.len();
    let isin = match check_isin(Some(cells.get("isin"))) {
        Ok(isin) => isin,
        Err(Error::Input(InputError::IsinCheckDigit)) => {
            errors.push(err(line, "isin", "isin_check_digit", InputError::IsinCheckDigit.to_string()));
            None
        }
        Err(_) => {
            errors.push(err(line, "isin", "bad_isin", "not an ISIN (2 letters, 9 letters or digits, a digit)"));
            None
        }
    };
    let name = cells.get("instrument").to_owned();
    check_name(line, "instrument", &name, errors);
    let class_s = cells.get("asset_class");
    let class = if class_s.is_empty() { Some(AssetClass::Fund) } else { AssetClass::parse(class_s) };
    match class {
        None => errors.push(err(line, "asset_class", "bad_asset_class", "unknown asset class")),
        Some(AssetClass::Loan) => {
            errors.push(err(line, "asset_class", "bad_asset_class", "an instrument cannot be a loan"))
        }
        Some(_) => {}
    }
    if errors.len() > before || (isin.is_none() && name.is_empty()) {
        return None;
    }
    Some(InstrumentRef { isin, name, class: class? })
}

/// The instruments of the vault, as the import finds them and creates new ones.
struct Instruments {
    by_isin: HashMap<String, i64>,
    by_name: HashMap<String, i64>,
    /// id → (ISIN, currency).
    known: HashMap<i64, (Option<String>, String)>,
    created: Vec<i64>,
}

impl Instruments {
    fn load(tx: &Transaction<'_>) -> Result<Self> {
        let mut me =
            Instruments { by_isin: HashMap::new(), by_name: HashMap::new(), known: HashMap::new(), created: vec![] };
        let mut st = tx.prepare("SELECT id, name, isin, currency FROM instrument")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (id, name, isin, currency): (i64, String, Option<String>, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            me.remember(id, &name, isin, currency);
        }
        Ok(me)
    }

    fn remember(&mut self, id: i64, name: &str, isin: Option<String>, currency: String) {
        if let Some(isin) = &isin {
            self.by_isin.insert(isin.clone(), id);
        }
        self.by_name.insert(name.to_lowercase(), id);
        self.known.insert(id, (isin, currency));
    }

    /// By ISIN, else by name (ignoring case; the ISIN as the name when the line gives
    /// none, as [`Self::create`] names it), as `Vault::find_instrument`: its id and
    /// currency. One found by name that has another ISIN is an `isin_conflict`; one found
    /// by name without an ISIN is found by the line's ISIN too for the rest of the file.
    fn find(&mut self, line: usize, r: &InstrumentRef) -> std::result::Result<Option<(i64, String)>, LineError> {
        if let Some(id) = r.isin.as_ref().and_then(|i| self.by_isin.get(i)).copied() {
            let currency = self.known.get(&id).map(|k| k.1.clone()).unwrap_or_default();
            return Ok(Some((id, currency)));
        }
        let name = if r.name.is_empty() { r.isin.clone().unwrap_or_default() } else { r.name.clone() };
        let Some(id) = self.by_name.get(&name.to_lowercase()).copied() else { return Ok(None) };
        let (isin, currency) = self.known.get(&id).cloned().unwrap_or_default();
        match (isin, &r.isin) {
            (Some(_), Some(_)) => {
                Err(err(line, "isin", "isin_conflict", "an instrument of this name exists with another ISIN"))
            }
            (None, Some(ours)) => {
                self.by_isin.insert(ours.clone(), id);
                Ok(Some((id, currency)))
            }
            (_, None) => Ok(Some((id, currency))),
        }
    }

    /// Creates the instrument a line names (its name, else its ISIN, as its name).
    fn create(&mut self, tx: &Transaction<'_>, r: &InstrumentRef, currency: &str) -> Result<i64> {
        let name = if r.name.is_empty() { r.isin.clone().unwrap_or_default() } else { r.name.clone() };
        tx.prepare_cached("INSERT INTO instrument (name, isin, currency, class) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![name, r.isin, currency, r.class.as_str()])?;
        let id = tx.last_insert_rowid();
        self.remember(id, &name, r.isin.clone(), currency.to_owned());
        self.created.push(id);
        Ok(id)
    }
}

/// An account as the import knows it.
#[derive(Clone)]
struct KnownAccount {
    id: i64,
    kind: AccountKind,
    currency: String,
    opened: Option<NaiveDate>,
}

/// The institutions and accounts of the vault, and those the import creates.
struct Accounts {
    institutions: HashMap<String, i64>,
    accounts: HashMap<(i64, String), KnownAccount>,
    created_institutions: Vec<i64>,
    created_accounts: Vec<i64>,
}

impl Accounts {
    fn load(tx: &Transaction<'_>) -> Result<Self> {
        let mut me = Accounts {
            institutions: HashMap::new(),
            accounts: HashMap::new(),
            created_institutions: vec![],
            created_accounts: vec![],
        };
        let mut st = tx.prepare("SELECT id, name FROM institution")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            me.institutions.insert(r.get::<_, String>(1)?.to_lowercase(), r.get(0)?);
        }
        let mut st = tx.prepare("SELECT id, institution_id, name, kind, currency, opened_on FROM account")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let account = KnownAccount { id: r.get(0)?, kind: r.get(3)?, currency: r.get(4)?, opened: r.get(5)? };
            me.accounts.insert((r.get(1)?, r.get::<_, String>(2)?.to_lowercase()), account);
        }
        Ok(me)
    }

    fn find(&self, institution: &str, account: &str) -> (Option<i64>, Option<KnownAccount>) {
        let inst = self.institutions.get(&institution.to_lowercase()).copied();
        let acc = inst.and_then(|i| self.accounts.get(&(i, account.to_lowercase())).cloned());
        (inst, acc)
    }

    /// The account's id, creating it (and its institution) when missing.
    fn get_or_create(
        &mut self,
        tx: &Transaction<'_>,
        institution: &str,
        account: &str,
        kind: AccountKind,
        currency: &str,
    ) -> Result<i64> {
        let (inst, acc) = self.find(institution, account);
        if let Some(acc) = acc {
            return Ok(acc.id);
        }
        let inst = match inst {
            Some(i) => i,
            None => {
                tx.prepare_cached("INSERT INTO institution (name, kind) VALUES (?1, ?2)")?
                    .execute(params![institution, institution_kind_for(kind).as_str()])?;
                let id = tx.last_insert_rowid();
                self.institutions.insert(institution.to_lowercase(), id);
                self.created_institutions.push(id);
                id
            }
        };
        tx.prepare_cached("INSERT INTO account (institution_id, name, kind, currency) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![inst, account, kind.as_str(), currency])?;
        let id = tx.last_insert_rowid();
        let known = KnownAccount { id, kind, currency: currency.to_owned(), opened: None };
        self.accounts.insert((inst, account.to_lowercase()), known);
        self.created_accounts.push(id);
        Ok(id)
    }
}

/// Checks the numbers an activity of `kind` needs, with the line codes.
fn check_activity_fields(line: usize, kind: ActivityKind, a: &Activity, errors: &mut Vec<LineError>) {
    use ActivityKind::*;
    let mut positive = |col: &'static str, v: Option<Decimal>| match v {
        None => errors.push(err(line, col, "required", format!("{col} is needed for this type"))),
        Some(v) if v <= Decimal::ZERO => errors.push(err(line, col, "not_positive", "must be greater than zero")),
        Some(_) => {}
    };
    match kind {
        Deposit | Withdrawal | Dividend | Interest | Fee => positive("amount", a.amount),
        Buy | Sell | TransferIn | TransferOut => positive("quantity", a.quantity),
        Split => {}
    }
    if matches!(kind, Buy | Sell) {
        if let Some(amount) = a.amount {
            positive("amount", Some(amount));
        }
    }
    if matches!(kind, Buy | Sell | TransferIn) {
        match a.unit_price {
            None => errors.push(err(line, "unit_price", "required", "unit_price is needed for this type")),
            Some(p) if p <= Decimal::ZERO => {
                errors.push(err(line, "unit_price", "price_not_positive", InputError::PriceNotPositive.to_string()))
            }
            Some(_) => {}
        }
    }
    if kind == Split {
        match a.quantity {
            None => errors.push(err(line, "quantity", "required", "quantity (the split ratio) is needed")),
            Some(r) if r <= Decimal::ZERO => {
                errors.push(err(line, "quantity", "split_ratio_invalid", InputError::SplitRatioInvalid.to_string()))
            }
            Some(_) => {}
        }
    }
    if a.fees < Decimal::ZERO {
        errors.push(err(line, "fees", "not_positive", "fees cannot be negative"));
    }
    if a.note.chars().count() > 500 {
        errors.push(err(line, "note", "too_long", "a note has at most 500 characters"));
    }
}

/// A refusal of `activities::normalise` as a line error (the checks above catch the
/// same first; this keeps any other rule it has).
fn normalise_error(line: usize, e: Error) -> Result<LineError> {
    let column = match &e {
        Error::Input(InputError::Invalid { field, .. }) => *field,
        Error::Input(InputError::BeforeAccountOpening) => "date",
        Error::Input(InputError::SplitRatioInvalid) => "quantity",
        Error::Input(InputError::PriceNotPositive) => "unit_price",
        Error::Input(_) => "type",
        _ => return Err(e),
    };
    Ok(err(line, column, e.code(), e.to_string()))
}

/// Deletes the rows `ids` that `used` (a query on `?1`) says nothing uses any more;
/// returns how many went.
fn drop_unused(tx: &Transaction<'_>, ids: Vec<i64>, used: &str, delete: &str) -> Result<usize> {
    let mut dropped = 0;
    for id in ids {
        if !tx.query_row(used, [id], |r| r.get::<_, bool>(0))? {
            tx.execute(delete, [id])?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// An activity the import inserted.
struct Inserted {
    line: usize,
    account: i64,
    instrument: Option<i64>,
    date: NaiveDate,
}

/// Rolls back a dry run or a refused import, else writes the audit entry and commits.
fn finish(tx: Transaction<'_>, mut report: ImportReport, opts: ImportOptions) -> Result<ImportReport> {
    report.skipped = report.lines - report.imported;
    report.errors.sort_by_key(|e| e.line);
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

fn count(tx: &Transaction<'_>, table: &str) -> Result<usize> {
    Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))? as usize)
}

impl Vault {
    /// Imports CSV bytes (`,` `;` or tab separated, UTF-8 with or without BOM, decimal
    /// point or comma) in the layout its header names: values, activities or prices.
    pub fn import_csv(&self, mut input: impl Read, opts: ImportOptions) -> Result<ImportReport> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| Error::Csv(e.to_string()))?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if std::str::from_utf8(body).is_err() {
            return Err(Error::Csv("the file is not UTF-8 text".into()));
        }
        let mut rdr = csv::ReaderBuilder::new().delimiter(sniff_delimiter(body)).flexible(true).from_reader(body);
        let raw: Vec<String> = rdr.headers().map_err(|e| Error::Csv(e.to_string()))?.iter().map(String::from).collect();
        let layout = detect_layout(&raw.iter().map(|h| fold_token(h)).collect::<Vec<_>>());
        let (columns, alias): (&[CsvColumn], fn(&str) -> String) = match layout {
            ImportLayout::Values => (&CSV_COLUMNS, column_alias),
            ImportLayout::Activities => (&ACTIVITY_COLUMNS, activity_alias),
            ImportLayout::Prices => (&PRICE_COLUMNS, price_alias),
        };
        let headers: Vec<String> = raw.iter().map(|h| alias(h)).collect();
        let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
        let mut report = ImportReport { layout, dry_run: opts.dry_run, ..Default::default() };
        let missing = |col: &str, message: String| LineError {
            line: 1,
            column: Some(col.to_owned()),
            code: "missing_column",
            message,
        };
        for col in columns.iter().filter(|c| c.required).map(|c| c.name) {
            if !index.contains_key(col) {
                report.errors.push(missing(col, format!("the header has no {col} column")));
            }
        }
        if layout == ImportLayout::Prices && !index.contains_key("isin") && !index.contains_key("instrument") {
            report.errors.push(missing("instrument", "the header has neither an isin nor an instrument column".into()));
        }
        if !report.errors.is_empty() {
            return Err(Error::Import(Box::new(report)));
        }
        let cols: HashMap<&'static str, usize> =
            columns.iter().filter_map(|c| index.get(c.name).map(|i| (c.name, *i))).collect();

        let tx = self.conn.unchecked_transaction()?;
        let lines = data_lines(&mut rdr, &mut report);
        match layout {
            ImportLayout::Values => import_values(&tx, &lines, &cols, &mut report, opts.dry_run)?,
            ImportLayout::Activities => import_activities(&tx, &lines, &cols, &mut report, opts.dry_run)?,
            ImportLayout::Prices => import_prices(&tx, &lines, &cols, &mut report, opts.dry_run)?,
        }
        finish(tx, report, opts)
    }
}

/// Values: one value of one asset on one date per line, upserted.
fn import_values(
    tx: &Transaction<'_>,
    lines: &[(usize, csv::StringRecord)],
    cols: &HashMap<&'static str, usize>,
    report: &mut ImportReport,
    dry_run: bool,
) -> Result<()> {
    let values_before = count(tx, "value_point")?;
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
    // Assets whose values the app computes (positions, activity cash, loans with terms).
    let mut derived: BTreeSet<i64> = BTreeSet::new();
    {
        let mut st = tx
            .prepare("SELECT id, coalesce(account_id, 0), name, currency, share_pct, derived IS NOT NULL FROM asset")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let share: String = r.get(4)?;
            if r.get::<_, bool>(5)? {
                derived.insert(r.get(0)?);
            }
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

    let mut touched: BTreeSet<i64> = BTreeSet::new();
    for (line, record) in lines {
        let line = *line;
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
                report.errors.push(err(line, "account_kind", "kind_conflict", "the account exists with another kind"));
                continue;
            }
        }
        let asset_key = |acc_id: i64| (acc_id, row.asset.to_lowercase());
        let existing_asset = if row.direct() {
            assets.get(&asset_key(0)).cloned()
        } else {
            acc.as_ref().and_then(|(a, _, _)| assets.get(&asset_key(*a)).cloned())
        };
        if let Some((id, cur, share)) = &existing_asset {
            if derived.contains(id) {
                report.errors.push(err(
                    line,
                    "asset",
                    "values_derived",
                    "this asset's values are computed from its activities or its schedule",
                ));
                continue;
            }
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
    if !dry_run {
        crate::wealth::values::rebuild_months(tx, touched)?;
    }
    report.values_inserted = count(tx, "value_point")? - values_before;
    report.values_updated = report.imported - report.values_inserted;
    Ok(())
}

/// Activities: one activity of an account per line; the accounts are re-derived once.
fn import_activities(
    tx: &Transaction<'_>,
    lines: &[(usize, csv::StringRecord)],
    cols: &HashMap<&'static str, usize>,
    report: &mut ImportReport,
    dry_run: bool,
) -> Result<()> {
    let activities_before = count(tx, "activity")?;
    let mut places = Accounts::load(tx)?;
    let mut instruments = Instruments::load(tx)?;
    let mut inserted: HashMap<i64, Inserted> = HashMap::new();
    for (line, record) in lines {
        let line = *line;
        let cells = Cells { cols, record };
        let errors = &mut report.errors;
        let before = errors.len();
        let date = date_cell(line, &cells, errors);
        let institution = required(line, &cells, "institution", errors);
        let account = required(line, &cells, "account", errors);
        check_name(line, "institution", institution, errors);
        check_name(line, "account", account, errors);
        let kind_s = required(line, &cells, "account_kind", errors);
        let account_kind = AccountKind::parse(kind_s);
        if account_kind.is_none() && !kind_s.is_empty() {
            errors.push(err(line, "account_kind", "bad_account_kind", "unknown account kind"));
        }
        let type_s = required(line, &cells, "type", errors);
        let kind = ActivityKind::parse(type_s);
        if kind.is_none() && !type_s.is_empty() {
            errors.push(err(line, "type", "bad_activity_type", "unknown activity type"));
        }
        let currency_s = required(line, &cells, "currency", errors);
        let currency = money::currency(currency_s).ok();
        if currency.is_none() && !currency_s.is_empty() {
            errors.push(err(line, "currency", "bad_currency", "expected a three-letter code such as EUR"));
        }
        let quantity = number(line, &cells, "quantity", errors);
        let unit_price = number(line, &cells, "unit_price", errors);
        let amount = number(line, &cells, "amount", errors);
        let fees = number(line, &cells, "fees", errors);
        // Only the types that concern an instrument read its cells.
        let uses_instrument = kind.is_some_and(|k| k.needs_instrument() || k == ActivityKind::Dividend);
        let before_instrument = errors.len();
        let instrument = if uses_instrument { instrument_cells(line, &cells, errors) } else { None };
        if kind.is_some_and(ActivityKind::needs_instrument) && instrument.is_none() && errors.len() == before_instrument
        {
            errors.push(err(line, "instrument", "required", "give an isin or an instrument name for this type"));
        }
        let (Some(date), Some(account_kind), Some(kind), Some(currency)) = (date, account_kind, kind, currency) else {
            continue;
        };
        if errors.len() > before {
            continue;
        }
        let a = Activity {
            id: 0,
            account_id: 0,
            date,
            kind,
            instrument_id: None,
            quantity,
            unit_price,
            amount,
            fees: fees.unwrap_or_default(),
            note: cells.get("note").to_owned(),
        };
        check_activity_fields(line, kind, &a, errors);
        if errors.len() > before {
            continue;
        }

        // Find the account and the instrument, checking conflicts before creating
        // anything for this line.
        let (_, known) = places.find(institution, account);
        if let Some(acc) = &known {
            if acc.kind != account_kind {
                errors.push(err(line, "account_kind", "kind_conflict", "the account exists with another kind"));
                continue;
            }
            if acc.currency != currency {
                errors.push(err(line, "currency", "currency_conflict", "the account exists with another currency"));
                continue;
            }
        }
        let found = match instrument.as_ref().map(|r| instruments.find(line, r)).transpose() {
            Ok(found) => found.flatten(),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let instrument_currency = match (&instrument, &found) {
            (_, Some((_, c))) => Some(c.clone()),
            (Some(_), None) => Some(currency.clone()),
            (None, None) => None,
        };
        if matches!(kind, ActivityKind::Buy | ActivityKind::Sell)
            && amount.is_none()
            && instrument_currency.as_ref().is_some_and(|c| *c != currency)
        {
            errors.push(err(
                line,
                "amount",
                "required",
                "the instrument's currency differs from the account's: give the amount moved in the account's currency",
            ));
            continue;
        }
        let placeholder = Activity { instrument_id: instrument.as_ref().map(|_| 0), ..a };
        let opened = known.as_ref().and_then(|k| k.opened);
        let mut a = match activities::normalise(&placeholder, (&currency, opened), instrument_currency.as_deref()) {
            Ok(a) => a,
            Err(e) => {
                errors.push(normalise_error(line, e)?);
                continue;
            }
        };

        let created = (places.created_institutions.len(), places.created_accounts.len());
        a.account_id = places.get_or_create(tx, institution, account, account_kind, &currency)?;
        report.institutions_created += places.created_institutions.len() - created.0;
        report.accounts_created += places.created_accounts.len() - created.1;
        a.instrument_id = match (&instrument, found) {
            (Some(_), Some((id, _))) => Some(id),
            (Some(r), None) => {
                report.instruments_created += 1;
                Some(instruments.create(tx, r, &currency)?)
            }
            (None, _) => None,
        };
        let id = activities::insert_activity(tx, &a)?;
        inserted.insert(id, Inserted { line, account: a.account_id, instrument: a.instrument_id, date: a.date });
        report.imported += 1;
    }

    // Sales beyond the position: each account replayed in date order; the first
    // failing activity is this file's line, or one already recorded that a line of the
    // file (the latest before it, on the same instrument) now makes fail. That line is
    // reported and taken out, and the replay runs again until every account replays.
    let accounts: HashSet<i64> = inserted.values().map(|x| x.account).collect();
    let mut removed = false;
    while let Some(bad) = activities::oversold_or_rederive(tx, &accounts, &HashSet::new(), false)? {
        let (blamed, message) = if inserted.contains_key(&bad.id) {
            (bad.id, InputError::SellExceedsPosition.to_string())
        } else {
            let earlier = inserted
                .iter()
                .filter(|(id, x)| {
                    x.account == bad.account_id
                        && x.instrument == bad.instrument_id
                        && (x.date, **id) < (bad.date, bad.id)
                })
                .max_by_key(|(id, x)| (x.date, **id))
                .map(|(id, _)| *id);
            // What was recorded replayed before the import: a line of it is the cause.
            let Some(earlier) = earlier else { return Err(InputError::SellExceedsPosition.into()) };
            let message = format!(
                "with this line, the {} of {} already recorded sells more units than the account holds",
                bad.kind.as_str(),
                bad.date
            );
            (earlier, message)
        };
        if let Some(x) = inserted.remove(&blamed) {
            report.errors.push(err(x.line, "quantity", "sell_exceeds_position", message));
        }
        tx.execute("DELETE FROM activity WHERE id = ?1", [blamed])?;
        report.imported -= 1;
        removed = true;
    }
    if removed {
        // What only the lines taken out needed goes too.
        report.instruments_created -= drop_unused(
            tx,
            std::mem::take(&mut instruments.created),
            "SELECT EXISTS (SELECT 1 FROM activity WHERE instrument_id = ?1)",
            "DELETE FROM instrument WHERE id = ?1",
        )?;
        report.accounts_created -= drop_unused(
            tx,
            std::mem::take(&mut places.created_accounts),
            "SELECT EXISTS (SELECT 1 FROM activity WHERE account_id = ?1)",
            "DELETE FROM account WHERE id = ?1",
        )?;
        report.institutions_created -= drop_unused(
            tx,
            std::mem::take(&mut places.created_institutions),
            "SELECT EXISTS (SELECT 1 FROM account WHERE institution_id = ?1)",
            "DELETE FROM institution WHERE id = ?1",
        )?;
    }
    let accounts: HashSet<i64> = inserted.values().map(|x| x.account).collect();
    let instruments: HashSet<i64> = inserted.values().filter_map(|x| x.instrument).collect();
    if !dry_run && activities::oversold_or_rederive(tx, &accounts, &instruments, true)?.is_some() {
        return Err(InputError::SellExceedsPosition.into());
    }
    report.activities_inserted = count(tx, "activity")? - activities_before;
    Ok(())
}

/// Prices: one price of one instrument on one date per line, upserted; the positions
/// holding them are re-derived once.
fn import_prices(
    tx: &Transaction<'_>,
    lines: &[(usize, csv::StringRecord)],
    cols: &HashMap<&'static str, usize>,
    report: &mut ImportReport,
    dry_run: bool,
) -> Result<()> {
    let prices_before = count(tx, "price")?;
    let mut instruments = Instruments::load(tx)?;
    let mut touched: HashSet<i64> = HashSet::new();
    for (line, record) in lines {
        let line = *line;
        let cells = Cells { cols, record };
        let errors = &mut report.errors;
        let before = errors.len();
        let date = date_cell(line, &cells, errors);
        required(line, &cells, "price", errors);
        let price = number(line, &cells, "price", errors);
        if price.is_some_and(|p| p <= Decimal::ZERO) {
            errors.push(err(line, "price", "price_not_positive", InputError::PriceNotPositive.to_string()));
        }
        let currency_s = cells.get("currency");
        let currency = if currency_s.is_empty() { None } else { money::currency(currency_s).ok() };
        if currency.is_none() && !currency_s.is_empty() {
            errors.push(err(line, "currency", "bad_currency", "expected a three-letter code such as EUR"));
        }
        let before_instrument = errors.len();
        let instrument = instrument_cells(line, &cells, errors);
        if instrument.is_none() && errors.len() == before_instrument {
            errors.push(err(line, "instrument", "required", "give an isin or an instrument name"));
        }
        let (Some(date), Some(price), Some(instrument)) = (date, price, instrument) else {
            continue;
        };
        if errors.len() > before {
            continue;
        }
        let id = match instruments.find(line, &instrument) {
            Err(e) => {
                errors.push(e);
                continue;
            }
            Ok(Some((id, theirs))) => {
                if currency.as_ref().is_some_and(|c| *c != theirs) {
                    errors.push(err(
                        line,
                        "currency",
                        "currency_conflict",
                        "the instrument exists with another currency",
                    ));
                    continue;
                }
                id
            }
            Ok(None) => {
                let Some(currency) = &currency else {
                    errors.push(err(line, "currency", "required", "the currency is needed to create the instrument"));
                    continue;
                };
                report.instruments_created += 1;
                instruments.create(tx, &instrument, currency)?
            }
        };
        tx.prepare_cached(
            "INSERT INTO price (instrument_id, date, price, source) VALUES (?1, ?2, ?3, 'import')
             ON CONFLICT (instrument_id, date) DO UPDATE SET price = excluded.price, source = excluded.source",
        )?
        .execute(params![id, date, price.normalize().to_string()])?;
        touched.insert(id);
        report.imported += 1;
    }
    if !dry_run {
        activities::rederive_instruments(tx, &touched)?;
    }
    report.prices_inserted = count(tx, "price")? - prices_before;
    report.prices_updated = report.imported - report.prices_inserted;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_french_header_reads_as_its_column() {
        for c in super::CSV_COLUMNS {
            assert_eq!(super::column_alias(c.french), c.name);
            assert_eq!(super::column_alias(&c.name.to_uppercase()), c.name);
        }
        for c in super::ACTIVITY_COLUMNS {
            assert_eq!(super::activity_alias(c.french), c.name);
            assert_eq!(super::activity_alias(&c.name.to_uppercase()), c.name);
        }
        for c in super::PRICE_COLUMNS {
            assert_eq!(super::price_alias(c.french), c.name);
            assert_eq!(super::price_alias(&c.name.to_uppercase()), c.name);
        }
    }

    /// Each layout's own header, in English or French, is recognised as that layout;
    /// a header that is neither is read as values (and its missing columns reported).
    #[test]
    fn the_header_names_the_layout() {
        use crate::error::ImportLayout::*;
        let layout = |cols: &[&str]| {
            super::detect_layout(&cols.iter().map(|c| crate::wealth::portfolio::fold_token(c)).collect::<Vec<_>>())
        };
        let names = |cols: &[super::CsvColumn]| cols.iter().map(|c| c.name).collect::<Vec<_>>();
        let french = |cols: &[super::CsvColumn]| cols.iter().map(|c| c.french).collect::<Vec<_>>();
        assert_eq!(layout(&names(&super::CSV_COLUMNS)), Values);
        assert_eq!(layout(&french(&super::CSV_COLUMNS)), Values);
        assert_eq!(layout(&names(&super::ACTIVITY_COLUMNS)), Activities);
        assert_eq!(layout(&french(&super::ACTIVITY_COLUMNS)), Activities);
        assert_eq!(layout(&["Date", "Compte", "Opération", "Montant"]), Activities);
        assert_eq!(layout(&names(&super::PRICE_COLUMNS)), Prices);
        assert_eq!(layout(&french(&super::PRICE_COLUMNS)), Prices);
        assert_eq!(layout(&["Date", "ISIN", "Cours"]), Prices);
        // A values file with a unit price column (`cours`) stays values; `type` beside
        // `valeur` is not activities.
        assert_eq!(layout(&["date", "compte", "actif", "valeur", "cours"]), Values);
        assert_eq!(layout(&["date", "type", "valeur"]), Values);
        assert_eq!(layout(&["date", "asset", "value"]), Values);
    }
}
