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

    /// Writes the value history as CSV (import layout) into `w`.
    pub fn export_csv_to(&self, w: impl Write) -> Result<()> {
        let mut out = csv::Writer::from_writer(w);
        let werr = |e: csv::Error| Error::io("export", std::io::Error::other(e.to_string()));
        out.write_record(CSV_HEADER).map_err(werr)?;
        let mut st = self.conn.prepare(
            "SELECT v.date, coalesce(i.name, ''), coalesce(ac.name, ''), coalesce(ac.kind, ''), a.name, a.class,
                    a.currency, v.value, coalesce(v.quantity, ''), coalesce(v.unit_price, ''), a.share_pct, a.ownership
             FROM value_point v JOIN asset a ON a.id = v.asset_id
             LEFT JOIN account ac ON ac.id = a.account_id LEFT JOIN institution i ON i.id = ac.institution_id
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
