//! The wealth model: institutions, accounts, assets (with ownership, composites and
//! allocation weights) and allocation dimensions. Every write validates its input
//! and runs in one transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;

/// Folds a user token: lower case, accents removed, spaces and dashes as `_`.
pub(crate) fn fold_token(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '-' | '\'' => '_',
            c => c,
        })
        .collect()
}

/// A token's name for people, in each language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Labels {
    /// French.
    pub fr: &'static str,
    /// English.
    pub en: &'static str,
}

macro_rules! token_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $token:literal $(| $alias:literal)* => $fr:literal, $en:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            /// Every variant.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable token stored in the vault and used in CSV files.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $token),+ } }
            /// What the user reads for this token, in French and in English (the UI's
            /// labels, the charts' and the reports' all come from here).
            pub fn labels(self) -> $crate::wealth::portfolio::Labels { match self { $($name::$variant => $crate::wealth::portfolio::Labels { fr: $fr, en: $en }),+ } }
            /// Parses the token, ignoring case and accents; French labels are accepted too.
            pub fn parse(s: &str) -> Option<$name> {
                match $crate::wealth::portfolio::fold_token(s).as_str() { $($token $(| $alias)* => Some($name::$variant),)+ _ => None }
            }
        }
        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                $name::parse(v.as_str()?).ok_or(rusqlite::types::FromSqlError::InvalidType)
            }
        }
    };
}
pub(crate) use token_enum;

token_enum!(
    /// What kind of institution holds accounts.
    InstitutionKind {
        /// Bank.
        Bank = "bank" | "banque" => "Banque", "Bank",
        /// Insurer (assurance-vie contracts).
        Insurer = "insurer" | "assureur" | "assurance" => "Assureur", "Insurer",
        /// Broker.
        Broker = "broker" | "courtier" => "Courtier", "Broker",
        /// Held directly (real estate, cash at home, ...).
        Direct = "direct" | "detention_directe" => "Détention directe", "Held directly",
        /// Anything else.
        Other = "other" | "autre" => "Autre", "Other",
    }
);

token_enum!(
    /// Account kinds, as French households hold them.
    AccountKind {
        /// Current account.
        Current = "current" | "courant" | "compte_courant" | "cheque" => "Compte courant", "Current account",
        /// Livret / savings account.
        Savings = "savings" | "livret" | "epargne" | "livret_a" | "ldds" => "Livret d’épargne", "Savings account",
        /// Term deposit.
        TermDeposit = "term_deposit" | "compte_a_terme" | "cat" => "Compte à terme", "Term deposit",
        /// Brokerage account (compte-titres).
        Brokerage = "brokerage" | "compte_titres" | "cto" => "Compte-titres", "Brokerage account",
        /// PEA.
        Pea = "pea" => "PEA", "PEA",
        /// PEA-PME.
        PeaPme = "pea_pme" => "PEA-PME", "PEA-PME",
        /// Assurance-vie.
        LifeInsurance = "life_insurance" | "assurance_vie" => "Assurance-vie", "Life insurance",
        /// Plan d'épargne retraite.
        Per = "per" => "PER", "PER (retirement)",
        /// Crypto wallet.
        Crypto = "crypto" | "portefeuille_crypto" => "Crypto", "Crypto",
        /// Real-estate holding.
        RealEstate = "real_estate" | "immobilier" => "Immobilier", "Real estate",
        /// Loan or credit.
        Loan = "loan" | "pret" | "credit" | "emprunt" => "Emprunt", "Loan",
        /// Anything else.
        Other = "other" | "autre" => "Autre", "Other",
    }
);

token_enum!(
    /// Asset classes.
    AssetClass {
        /// Cash.
        Cash = "cash" | "liquidites" | "especes" => "Liquidités", "Cash",
        /// Equity.
        Equity = "equity" | "actions" | "action" => "Actions", "Equities",
        /// Bonds.
        Bond = "bond" | "obligations" | "obligation" => "Obligations", "Bonds",
        /// Funds and ETFs.
        Fund = "fund" | "fonds" | "etf" | "opcvm" => "Fonds", "Funds",
        /// Real estate.
        RealEstate = "real_estate" | "immobilier" => "Immobilier", "Real estate",
        /// SCPI.
        Scpi = "scpi" => "SCPI", "SCPI (property funds)",
        /// Crypto-assets.
        Crypto = "crypto" => "Crypto-actifs", "Crypto-assets",
        /// Precious metals.
        PreciousMetal = "precious_metal" | "metaux_precieux" | "or" => "Métaux précieux", "Precious metals",
        /// Private equity.
        PrivateEquity = "private_equity" | "capital_investissement" => "Capital-investissement", "Private equity",
        /// Vehicles.
        Vehicle = "vehicle" | "vehicule" => "Véhicules", "Vehicles",
        /// Collectibles.
        Collectible = "collectible" | "collection" => "Objets de collection", "Collectibles",
        /// A loan: a liability whose value is the outstanding amount.
        Loan = "loan" | "pret" | "emprunt" | "credit" => "Emprunts", "Loans",
        /// Anything else.
        Other = "other" | "autre" => "Autres", "Other",
    }
);

token_enum!(
    /// Kind of ownership of an asset.
    Ownership {
        /// Full ownership (pleine propriété).
        Full = "full" | "pleine_propriete" => "Pleine propriété", "Full ownership",
        /// Usufruct (usufruit).
        Usufruct = "usufruct" | "usufruit" => "Usufruit", "Usufruct",
        /// Bare ownership (nue-propriété).
        Bare = "bare" | "nue_propriete" => "Nue-propriété", "Bare ownership",
    }
);

token_enum!(
    /// Where an asset's values come from when the app computes them.
    Derived {
        /// An instrument held in an account: units × price, from the account's activities.
        Position = "position" => "Position", "Position",
        /// An account's cash, from its activities.
        Cash = "cash" | "especes" => "Espèces", "Cash",
        /// A loan's outstanding capital, from its amortization schedule.
        Loan = "loan" | "emprunt" => "Tableau d’amortissement", "Amortization schedule",
    }
);

impl AccountKind {
    /// The class of the asset that holds an account's own balance
    /// ([`Vault::set_account_balance`]): money, except where the account itself is
    /// something else (a loan's outstanding capital, a wallet, a contract's value).
    pub fn balance_class(self) -> AssetClass {
        match self {
            AccountKind::Loan => AssetClass::Loan,
            AccountKind::Crypto => AssetClass::Crypto,
            AccountKind::RealEstate => AssetClass::RealEstate,
            AccountKind::LifeInsurance => AssetClass::Fund,
            AccountKind::Current
            | AccountKind::Savings
            | AccountKind::TermDeposit
            | AccountKind::Brokerage
            | AccountKind::Pea
            | AccountKind::PeaPme
            | AccountKind::Per
            | AccountKind::Other => AssetClass::Cash,
        }
    }
}

/// A bank, insurer, broker, or "held directly".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Institution {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Name, unique ignoring case.
    pub name: String,
    /// Kind.
    pub kind: InstitutionKind,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
}

/// An account at an institution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Account {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Owning institution.
    pub institution_id: i64,
    /// Name, unique within its institution.
    pub name: String,
    /// Kind.
    pub kind: AccountKind,
    /// ISO 4217 currency.
    pub currency: String,
    /// Opening date.
    #[serde(default)]
    pub opened_on: Option<NaiveDate>,
    /// Closing date; a closed account keeps its history.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

/// A weighted part of a composite asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Component {
    /// The component asset.
    pub asset_id: i64,
    /// Percentage of the composite.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
}

/// A bucket of an allocation dimension and its weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Weight {
    /// Bucket label, e.g. "Europe".
    pub bucket: String,
    /// Percentage.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
}

/// Something owned or owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Asset {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Holding account, or `None` when held directly.
    pub account_id: Option<i64>,
    /// Name, unique within its account.
    pub name: String,
    /// Class.
    pub class: AssetClass,
    /// Whether it is owed (counts negative).
    pub liability: bool,
    /// ISO 4217 currency of its values.
    pub currency: String,
    /// ISIN, checked.
    #[serde(default)]
    pub isin: Option<String>,
    /// Ticker.
    #[serde(default)]
    pub ticker: Option<String>,
    /// Share held, 0–100 %.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub share_pct: Decimal,
    /// Kind of ownership.
    pub ownership: Ownership,
    /// Archived assets are hidden from "update values" but keep their history.
    #[serde(default)]
    pub archived: bool,
    /// Components when the asset is a composite (weights sum to 100 %).
    #[serde(default)]
    pub components: Vec<Component>,
    /// Allocation weights per dimension name (each sums to 100 %). A position's are its
    /// instrument's (read-only here).
    #[serde(default)]
    pub allocations: BTreeMap<String, Vec<Weight>>,
    /// Whether the app computes its values, and from what (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derived>,
    /// The instrument a position holds (ignored on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument_id: Option<i64>,
    /// For a usufruct or a bare ownership valued by article 669 CGI: the
    /// usufructuary's birth date (life usufruct, or the cap of a fixed-term one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usufructuary_born: Option<NaiveDate>,
    /// For a fixed-term usufruct (or its bare ownership): the day the usufruct ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usufruct_ends: Option<NaiveDate>,
}

impl Asset {
    /// A plain asset with full ownership and no composite or allocation data.
    pub fn new(account_id: Option<i64>, name: &str, class: AssetClass, currency: &str) -> Asset {
        Asset {
            id: 0,
            account_id,
            name: name.to_owned(),
            class,
            liability: class == AssetClass::Loan,
            currency: currency.to_owned(),
            isin: None,
            ticker: None,
            share_pct: Decimal::ONE_HUNDRED,
            ownership: Ownership::Full,
            archived: false,
            components: vec![],
            allocations: BTreeMap::new(),
            derived: None,
            instrument_id: None,
            usufructuary_born: None,
            usufruct_ends: None,
        }
    }

    /// Whether its share follows article 669 CGI (a usufruct or bare ownership with a
    /// birth date or an end date) rather than `share_pct` alone.
    pub fn follows_cgi_669(&self) -> bool {
        self.ownership != Ownership::Full && (self.usufructuary_born.is_some() || self.usufruct_ends.is_some())
    }
}

/// An allocation dimension (region, sector, or user-defined).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dimension {
    /// Identifier.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Shipped with the app (cannot be deleted).
    pub builtin: bool,
}

fn name(field: &'static str, s: &str) -> Result<String> {
    let n = s.trim();
    if n.is_empty() || n.chars().count() > crate::limits::ITEM_NAME_MAX || n.chars().any(char::is_control) {
        return Err(Error::invalid(field, "a name has 1 to 120 characters"));
    }
    Ok(n.to_owned())
}

/// Allocation weights by owner (an asset or an instrument) and dimension name, read
/// from `table` whose owner column is `owner`.
pub(crate) fn load_allocations(
    conn: &rusqlite::Connection,
    table: &'static str,
    owner: &'static str,
) -> Result<HashMap<i64, BTreeMap<String, Vec<Weight>>>> {
    let mut out: HashMap<i64, BTreeMap<String, Vec<Weight>>> = HashMap::new();
    let mut st = conn.prepare_cached(&format!(
        "SELECT al.{owner}, d.name, al.bucket, al.weight FROM {table} al JOIN dimension d ON d.id = al.dimension_id
         ORDER BY al.{owner}, d.name, al.bucket"
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let w: String = r.get(3)?;
        out.entry(r.get(0)?)
            .or_default()
            .entry(r.get(1)?)
            .or_default()
            .push(Weight { bucket: r.get(2)?, weight: money::from_db(&w)? });
    }
    Ok(out)
}

/// Writes `owner`'s allocation weights into `table` (its rows for `owner` replaced).
pub(crate) fn write_allocations(
    tx: &Transaction<'_>,
    table: &'static str,
    owner_column: &'static str,
    owner: i64,
    allocations: &BTreeMap<String, Vec<Weight>>,
) -> Result<()> {
    tx.execute(&format!("DELETE FROM {table} WHERE {owner_column} = ?1"), [owner])?;
    let mut st = tx.prepare_cached(&format!(
        "INSERT INTO {table} ({owner_column}, dimension_id, bucket, weight) SELECT ?1, id, ?3, ?4 FROM dimension WHERE name = ?2"
    ))?;
    for (dim, weights) in allocations {
        for w in weights {
            st.execute(params![owner, dim, w.bucket.trim(), w.weight.normalize().to_string()])
                .map_err(|e| map_unique(e, "allocation bucket"))?;
        }
    }
    Ok(())
}

/// Checks a name: 1 to 120 characters, no control character.
pub(crate) fn item_name(field: &'static str, s: &str) -> Result<String> {
    name(field, s)
}

/// Whether an upper-case ISIN has the shape of one (the check digit aside).
pub(crate) fn valid_isin_shape(isin: &str) -> bool {
    isin_shape_ok(isin)
}

/// Checks one dimension's weights: each bucket named and positive, 100 % in all.
pub(crate) fn check_weights(dim: &str, weights: &[Weight]) -> Result<()> {
    if weights.is_empty() {
        return Ok(());
    }
    if weights.iter().any(|w| w.weight <= Decimal::ZERO || w.bucket.trim().is_empty()) {
        return Err(Error::invalid("allocations", "each bucket needs a name and a positive weight"));
    }
    sum_is_100(dim, weights.iter().map(|w| w.weight))
}

/// Checks an ISIN's shape and Luhn check digit.
pub fn valid_isin(isin: &str) -> bool {
    isin_shape_ok(isin) && isin_check_digit_ok(isin)
}

/// Two letters, nine letters or digits, a digit.
fn isin_shape_ok(isin: &str) -> bool {
    let b = isin.as_bytes();
    b.len() == 12
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..11].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[11].is_ascii_digit()
}

/// The Luhn check digit of an ISIN of the right shape.
fn isin_check_digit_ok(isin: &str) -> bool {
    let b = isin.as_bytes();
    let digits: String = b
        .iter()
        .map(|&c| {
            if c.is_ascii_digit() {
                ((c - b'0') as u32).to_string()
            } else {
                (c as u32 - 'A' as u32 + 10).to_string()
            }
        })
        .collect();
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = (d - b'0') as u32;
            if i % 2 == 1 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub(crate) fn map_unique(e: rusqlite::Error, what: &'static str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
            InputError::Duplicate(what).into()
        }
        _ => e.into(),
    }
}

fn sum_is_100(dimension: &str, weights: impl Iterator<Item = Decimal>) -> Result<()> {
    let sum: Decimal = weights.sum();
    if sum != Decimal::ONE_HUNDRED {
        return Err(InputError::WeightsSum { dimension: dimension.to_owned(), sum: sum.normalize().to_string() }.into());
    }
    Ok(())
}

impl Vault {
    // ---- institutions -------------------------------------------------------------

    /// Every institution, by name.
    pub fn institutions(&self) -> Result<Vec<Institution>> {
        let mut st = self.conn.prepare_cached("SELECT id, name, kind, notes FROM institution ORDER BY name")?;
        let rows = st
            .query_map([], |r| Ok(Institution { id: r.get(0)?, name: r.get(1)?, kind: r.get(2)?, notes: r.get(3)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Creates an institution; returns its id.
    pub fn create_institution(&self, i: &Institution) -> Result<i64> {
        let n = name("name", &i.name)?;
        self.conn
            .execute(
                "INSERT INTO institution (name, kind, notes) VALUES (?1, ?2, ?3)",
                params![n, i.kind.as_str(), i.notes],
            )
            .map_err(|e| map_unique(e, "institution"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Updates an institution.
    pub fn update_institution(&self, id: i64, i: &Institution) -> Result<()> {
        let n = name("name", &i.name)?;
        let changed = self
            .conn
            .execute(
                "UPDATE institution SET name = ?1, kind = ?2, notes = ?3 WHERE id = ?4",
                params![n, i.kind.as_str(), i.notes, id],
            )
            .map_err(|e| map_unique(e, "institution"))?;
        if changed == 0 {
            return Err(InputError::NotFound("institution").into());
        }
        Ok(())
    }

    /// Deletes an institution. With accounts in it, `force` is required, and then its
    /// accounts, assets and values go too.
    pub fn delete_institution(&self, id: i64, force: bool) -> Result<()> {
        self.write(|tx| {
            let accounts: Vec<i64> = {
                let mut st = tx.prepare("SELECT id FROM account WHERE institution_id = ?1")?;
                let rows = st.query_map([id], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            if !accounts.is_empty() && !force {
                return Err(InputError::InUse("institution").into());
            }
            for a in accounts {
                delete_account_tx(tx, a)?;
            }
            if tx.execute("DELETE FROM institution WHERE id = ?1", [id])? == 0 {
                return Err(InputError::NotFound("institution").into());
            }
            Ok(())
        })
    }

    // ---- accounts -----------------------------------------------------------------

    /// Every account, by institution then name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, a.institution_id, a.name, a.kind, a.currency, a.opened_on, a.closed_on
             FROM account a JOIN institution i ON i.id = a.institution_id ORDER BY i.name, a.name",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Account {
                id: r.get(0)?,
                institution_id: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                currency: r.get(4)?,
                opened_on: r.get(5)?,
                closed_on: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn check_account(&self, a: &Account) -> Result<(String, String)> {
        let n = name("name", &a.name)?;
        let c = money::currency(&a.currency)?;
        if let (Some(o), Some(c)) = (a.opened_on, a.closed_on) {
            if c < o {
                return Err(Error::invalid("closed_on", "the closing date is before the opening date"));
            }
        }
        let exists: bool =
            self.conn
                .query_row("SELECT count(*) > 0 FROM institution WHERE id = ?1", [a.institution_id], |r| r.get(0))?;
        if !exists {
            return Err(InputError::NotFound("institution").into());
        }
        Ok((n, c))
    }

    /// Creates an account; returns its id.
    pub fn create_account(&self, a: &Account) -> Result<i64> {
        let (n, c) = self.check_account(a)?;
        self.conn
            .execute(
                "INSERT INTO account (institution_id, name, kind, currency, opened_on, closed_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![a.institution_id, n, a.kind.as_str(), c, a.opened_on, a.closed_on],
            )
            .map_err(|e| map_unique(e, "account"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Updates an account (including closing it by setting `closed_on`).
    pub fn update_account(&self, id: i64, a: &Account) -> Result<()> {
        let (n, c) = self.check_account(a)?;
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE account SET institution_id = ?1, name = ?2, kind = ?3, currency = ?4, opened_on = ?5, closed_on = ?6 WHERE id = ?7",
                    params![a.institution_id, n, a.kind.as_str(), c, a.opened_on, a.closed_on, id],
                )
                .map_err(|e| map_unique(e, "account"))?;
            if changed == 0 {
                return Err(InputError::NotFound("account").into());
            }
            // The asset holding the account's balance keeps its name and currency.
            tx.execute(
                "UPDATE asset SET name = ?1, currency = ?2 WHERE account_id = ?3 AND balance = 1",
                params![n, c, id],
            )
            .map_err(|e| map_unique(e, "asset"))?;
            // The cash its activities give is in its currency too.
            tx.execute("UPDATE asset SET currency = ?1 WHERE account_id = ?2 AND derived = 'cash'", params![c, id])?;
            Ok(())
        })
    }

    /// Deletes an account; with assets or cash flows, `force` is required.
    pub fn delete_account(&self, id: i64, force: bool) -> Result<()> {
        self.write(|tx| {
            let holds: bool = tx.query_row(
                "SELECT (SELECT count(*) FROM asset WHERE account_id = ?1) + (SELECT count(*) FROM cash_flow WHERE account_id = ?1) > 0",
                [id],
                |r| r.get(0),
            )?;
            if holds && !force {
                return Err(InputError::InUse("account").into());
            }
            delete_account_tx(tx, id)
        })
    }

    // ---- assets -------------------------------------------------------------------

    /// Every asset with its components and allocations, by name.
    pub fn assets(&self) -> Result<Vec<Asset>> {
        let mut components: HashMap<i64, Vec<Component>> = HashMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT composite_id, component_id, weight FROM asset_component ORDER BY composite_id, component_id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let w: String = r.get(2)?;
                components
                    .entry(r.get(0)?)
                    .or_default()
                    .push(Component { asset_id: r.get(1)?, weight: money::from_db(&w)? });
            }
        }
        let mut allocations = load_allocations(&self.conn, "allocation", "asset_id")?;
        let by_instrument = load_allocations(&self.conn, "instrument_allocation", "instrument_id")?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, account_id, name, class, liability, currency, isin, ticker, share_pct, ownership, archived,
                    derived, instrument_id, usufructuary_born, usufruct_ends
             FROM asset ORDER BY name, id",
        )?;
        let rows = st.query_map([], |r| {
            let share: String = r.get(8)?;
            let id: i64 = r.get(0)?;
            Ok(Asset {
                id,
                account_id: r.get(1)?,
                name: r.get(2)?,
                class: r.get(3)?,
                liability: r.get(4)?,
                currency: r.get(5)?,
                isin: r.get(6)?,
                ticker: r.get(7)?,
                share_pct: money::from_db(&share)?,
                ownership: r.get(9)?,
                archived: r.get(10)?,
                components: Vec::new(),
                allocations: BTreeMap::new(),
                derived: r.get(11)?,
                instrument_id: r.get(12)?,
                usufructuary_born: r.get(13)?,
                usufruct_ends: r.get(14)?,
            })
        })?;
        let mut out: Vec<Asset> = rows.collect::<rusqlite::Result<_>>()?;
        for a in &mut out {
            a.components = components.remove(&a.id).unwrap_or_default();
            a.allocations = match a.instrument_id {
                Some(i) => by_instrument.get(&i).cloned().unwrap_or_default(),
                None => allocations.remove(&a.id).unwrap_or_default(),
            };
        }
        Ok(out)
    }

    /// One asset.
    pub fn asset(&self, id: i64) -> Result<Asset> {
        self.assets()?.into_iter().find(|a| a.id == id).ok_or_else(|| InputError::NotFound("asset").into())
    }

    /// Allocation dimensions.
    pub fn dimensions(&self) -> Result<Vec<Dimension>> {
        let mut st = self.conn.prepare_cached("SELECT id, name, builtin FROM dimension ORDER BY builtin DESC, name")?;
        let rows = st.query_map([], |r| Ok(Dimension { id: r.get(0)?, name: r.get(1)?, builtin: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Creates a user-defined allocation dimension.
    pub fn create_dimension(&self, dim_name: &str) -> Result<i64> {
        let n = name("name", dim_name)?;
        if fold_token(&n) == "class" || fold_token(&n) == "asset_class" {
            return Err(InputError::Duplicate("dimension").into());
        }
        self.conn.execute("INSERT INTO dimension (name) VALUES (?1)", [n]).map_err(|e| map_unique(e, "dimension"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Deletes a user-defined dimension and its weights.
    pub fn delete_dimension(&self, id: i64) -> Result<()> {
        if self.conn.execute("DELETE FROM dimension WHERE id = ?1 AND builtin = 0", [id])? == 0 {
            return Err(InputError::NotFound("dimension").into());
        }
        Ok(())
    }

    fn check_asset(&self, id: Option<i64>, a: &Asset) -> Result<Asset> {
        let mut a = a.clone();
        // What the app computes stays as it is: whether the values are derived, and a
        // position's instrument (whose name, class and currency it takes).
        let stored: Option<(Option<Derived>, Option<i64>)> = match id {
            Some(id) => self
                .conn
                .query_row("SELECT derived, instrument_id FROM asset WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?,
            None => None,
        };
        (a.derived, a.instrument_id) = stored.unwrap_or((None, None));
        if let Some(instrument) = a.instrument_id {
            let (n, c, cur): (String, AssetClass, String) = self.conn.query_row(
                "SELECT name, class, currency FROM instrument WHERE id = ?1",
                [instrument],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            (a.name, a.class, a.currency) = (n, c, cur);
            a.allocations.clear();
            a.components.clear();
        }
        a.name = name("name", &a.name)?;
        a.currency = money::currency(&a.currency)?;
        a.share_pct = money::percent("share_pct", a.share_pct)?;
        if a.ownership == Ownership::Full {
            (a.usufructuary_born, a.usufruct_ends) = (None, None);
        }
        if let Some(born) = a.usufructuary_born {
            if born > chrono::Utc::now().date_naive() {
                return Err(InputError::BirthDateInFuture.into());
            }
            if a.usufruct_ends.is_some_and(|end| end <= born) {
                return Err(Error::invalid("usufruct_ends", "the usufruct ends before the usufructuary was born"));
            }
        }
        if a.class == AssetClass::Loan {
            a.liability = true;
        }
        a.isin = a.isin.map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty());
        if let Some(isin) = &a.isin {
            if !isin_shape_ok(isin) {
                return Err(Error::invalid("isin", "not a valid ISIN (2 letters, 9 letters or digits, a digit)"));
            }
            if !isin_check_digit_ok(isin) {
                return Err(InputError::IsinCheckDigit.into());
            }
        }
        a.ticker = a.ticker.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if let Some(acc) = a.account_id {
            let exists: bool =
                self.conn.query_row("SELECT count(*) > 0 FROM account WHERE id = ?1", [acc], |r| r.get(0))?;
            if !exists {
                return Err(InputError::NotFound("account").into());
            }
        }
        if !a.components.is_empty() {
            sum_is_100("components", a.components.iter().map(|c| c.weight))?;
            let mut seen = HashSet::new();
            for c in &a.components {
                if c.weight <= Decimal::ZERO {
                    return Err(Error::invalid("components", "each weight must be positive"));
                }
                if !seen.insert(c.asset_id) {
                    return Err(Error::invalid("components", "a component appears twice"));
                }
                if Some(c.asset_id) == id {
                    return Err(InputError::CompositeCycle.into());
                }
            }
            // Would any component (transitively) contain this asset?
            if let Some(me) = id {
                let graph = self.component_graph()?;
                let mut stack: Vec<i64> = a.components.iter().map(|c| c.asset_id).collect();
                let mut visited = HashSet::new();
                while let Some(n) = stack.pop() {
                    if n == me {
                        return Err(InputError::CompositeCycle.into());
                    }
                    if visited.insert(n) {
                        stack.extend(graph.get(&n).into_iter().flatten().copied());
                    }
                }
            }
        }
        let dims: HashMap<String, i64> =
            self.dimensions()?.into_iter().map(|d| (d.name.to_lowercase(), d.id)).collect();
        for (dim, weights) in &a.allocations {
            if !dims.contains_key(&dim.to_lowercase()) {
                return Err(InputError::NotFound("dimension").into());
            }
            check_weights(dim, weights)?;
        }
        Ok(a)
    }

    fn component_graph(&self) -> Result<HashMap<i64, Vec<i64>>> {
        let mut g: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut st = self.conn.prepare_cached("SELECT composite_id, component_id FROM asset_component")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            g.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(g)
    }

    fn write_asset_parts(&self, tx: &Transaction<'_>, id: i64, a: &Asset) -> Result<()> {
        tx.execute("DELETE FROM asset_component WHERE composite_id = ?1", [id])?;
        for c in &a.components {
            tx.execute(
                "INSERT INTO asset_component (composite_id, component_id, weight) VALUES (?1, ?2, ?3)",
                params![id, c.asset_id, c.weight.normalize().to_string()],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    InputError::NotFound("component asset").into()
                }
                e => Error::from(e),
            })?;
        }
        write_allocations(tx, "allocation", "asset_id", id, &a.allocations)
    }

    /// Creates an asset; returns its id.
    pub fn create_asset(&self, a: &Asset) -> Result<i64> {
        let a = self.check_asset(None, a)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO asset (account_id, name, class, liability, currency, isin, ticker, share_pct, ownership, archived,
                                    usufructuary_born, usufruct_ends)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    a.account_id,
                    a.name,
                    a.class.as_str(),
                    a.liability,
                    a.currency,
                    a.isin,
                    a.ticker,
                    a.share_pct.to_string(),
                    a.ownership.as_str(),
                    a.archived,
                    a.usufructuary_born,
                    a.usufruct_ends
                ],
            )
            .map_err(|e| map_unique(e, "asset"))?;
            let id = tx.last_insert_rowid();
            self.write_asset_parts(tx, id, &a)?;
            Ok(id)
        })
    }

    /// Updates an asset, its components and allocations.
    pub fn update_asset(&self, id: i64, a: &Asset) -> Result<()> {
        let a = self.check_asset(Some(id), a)?;
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE asset SET account_id = ?1, name = ?2, class = ?3, liability = ?4, currency = ?5, isin = ?6,
                     ticker = ?7, share_pct = ?8, ownership = ?9, archived = ?10, usufructuary_born = ?12,
                     usufruct_ends = ?13 WHERE id = ?11",
                    params![
                        a.account_id,
                        a.name,
                        a.class.as_str(),
                        a.liability,
                        a.currency,
                        a.isin,
                        a.ticker,
                        a.share_pct.to_string(),
                        a.ownership.as_str(),
                        a.archived,
                        id,
                        a.usufructuary_born,
                        a.usufruct_ends
                    ],
                )
                .map_err(|e| map_unique(e, "asset"))?;
            if changed == 0 {
                return Err(InputError::NotFound("asset").into());
            }
            self.write_asset_parts(tx, id, &a)?;
            if a.derived == Some(Derived::Loan) {
                // A loan's sign and class stay those of a debt.
                tx.execute("UPDATE asset SET class = 'loan', liability = 1 WHERE id = ?1", [id])?;
            }
            Ok(())
        })
    }

    /// Deletes an asset. With values, or used in a composite, `force` is required.
    pub fn delete_asset(&self, id: i64, force: bool) -> Result<()> {
        self.write(|tx| {
            let holds: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM value_point WHERE asset_id = ?1)
                     OR EXISTS (SELECT 1 FROM asset_component WHERE component_id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if holds && !force {
                return Err(InputError::InUse("asset").into());
            }
            // A position or an account's cash is what its activities say: it goes with them.
            let traded: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM asset a JOIN activity t ON t.account_id = a.account_id
                     WHERE a.id = ?1 AND (a.derived = 'cash' OR (a.derived = 'position' AND t.instrument_id = a.instrument_id)))",
                [id],
                |r| r.get(0),
            )?;
            if traded {
                return Err(InputError::InUse("asset").into());
            }
            if tx.execute("DELETE FROM asset WHERE id = ?1", [id])? == 0 {
                return Err(InputError::NotFound("asset").into());
            }
            Ok(())
        })
    }

    /// Finds an institution by name (ignoring case).
    pub fn institution_id(&self, n: &str) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT id FROM institution WHERE name = ?1", [n.trim()], |r| r.get(0)).optional()?)
    }
}

fn delete_account_tx(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM asset WHERE account_id = ?1", [id])?;
    tx.execute("DELETE FROM cash_flow WHERE account_id = ?1", [id])?;
    if tx.execute("DELETE FROM account WHERE id = ?1", [id])? == 0 {
        return Err(InputError::NotFound("account").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isin_check_digit() {
        assert!(valid_isin("FR0000120271")); // TotalEnergies
        assert!(valid_isin("US0378331005")); // Apple
        assert!(valid_isin("IE00B4L5Y983")); // iShares Core MSCI World
        assert!(!valid_isin("FR0000120272"));
        assert!(!valid_isin("FR000012027"));
        assert!(!valid_isin("120000120271"));
    }

    #[test]
    fn tokens_accept_french_labels() {
        assert_eq!(AccountKind::parse("Assurance-vie"), Some(AccountKind::LifeInsurance));
        assert_eq!(AccountKind::parse("PEA-PME"), Some(AccountKind::PeaPme));
        assert_eq!(AccountKind::parse("life_insurance"), Some(AccountKind::LifeInsurance));
        assert_eq!(AssetClass::parse("Métaux précieux"), Some(AssetClass::PreciousMetal));
        assert_eq!(AssetClass::parse("LOAN"), Some(AssetClass::Loan));
        assert_eq!(AssetClass::parse("nonsense"), None);
        for k in AccountKind::ALL {
            assert_eq!(AccountKind::parse(k.as_str()), Some(*k));
        }
        for k in AssetClass::ALL {
            assert_eq!(AssetClass::parse(k.as_str()), Some(*k));
        }
    }
}
