//! Schema migrations: fixtures made by each schema version open and migrate; a vault
//! from a newer version is refused and left untouched.

use std::path::Path;

use patrimoine_core::migrations;
use patrimoine_core::DataDir;

use crate::support::*;

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Each `tests/fixtures/schema-vN` folder is a data directory written by schema N,
/// with a profile "Fixture" (password "fixture password") holding known data.
#[test]
fn every_schema_fixture_opens_with_its_data() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = 0;
    let mut first_series = None;
    for version in 1..=migrations::latest() {
        let src = fixtures.join(format!("schema-v{version}"));
        assert!(src.is_dir(), "missing fixture for schema {version}: {}", src.display());
        let t = tempfile::tempdir().unwrap();
        copy_dir(&src, t.path());
        let dd = DataDir::open(t.path()).unwrap();
        let s = dd.unlock_with_password("Fixture", "fixture password").unwrap();
        assert_eq!(s.vault().schema_version().unwrap(), migrations::latest());
        // The fixture's vault was checked out 0644, as older versions left vaults:
        // opening the profile makes it private.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(s.vault().path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "schema {version}");
        }
        assert!(s.vault().health().unwrap().is_ok());
        assert_eq!(s.vault().net_worth(d("2024-03-01")).unwrap().net_worth, dec("-188249.25"));
        // Every date, not just one: each fixture's monthly history is the same as the
        // oldest one's, migrated through every schema since.
        let series = s
            .vault()
            .net_worth_series(d("2023-01-01"), d("2025-12-31"), patrimoine_core::analytics::Step::Monthly, true)
            .unwrap();
        assert!(series.totals.iter().any(|t| !t.is_zero()));
        match &first_series {
            None => first_series = Some(series),
            Some(first) => assert_eq!(&series, first, "schema {version}"),
        }
        seen += 1;
    }
    assert_eq!(seen, migrations::latest());
}

#[test]
fn a_vault_from_a_newer_version_is_refused_and_untouched() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let path = s.vault().path().to_owned();
    s.vault().connection().pragma_update(None, "user_version", 99).unwrap();
    s.vault().connection().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    drop(s);
    let before = std::fs::read(&path).unwrap();
    let err = dd.unlock_with_password("Alice", PASSWORD).err().unwrap();
    assert_eq!(err.code(), "vault_too_new");
    assert!(err.to_string().contains("99"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn status_lists_applied_migrations_with_checksums() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let st = s.vault().migration_status().unwrap();
    assert_eq!(st.len() as i64, migrations::latest());
    assert!(st.iter().all(|m| m.applied_at.is_some() && m.checksum_ok));
    // Tampering with the record of an applied migration is detected on open.
    s.vault().connection().execute("UPDATE schema_migration SET checksum = 'x' WHERE version = 1", []).unwrap();
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "migration_mismatch");
}

/// The tokens a `CHECK (column IN ('a', 'b', …))` of `table` allows, in the schema the
/// shipped migrations build.
fn check_list(table: &str, column: &str) -> Vec<String> {
    let schema = patrimoine_core::migrations::expected_schema(patrimoine_core::migrations::latest()).unwrap();
    let sql = schema
        .iter()
        .find(|(kind, name, _, _)| kind == "table" && name == table)
        .and_then(|o| o.3.clone())
        .unwrap_or_else(|| panic!("no table {table}"));
    let needle = format!("CHECK ({column} IN (");
    let start = sql.find(&needle).unwrap_or_else(|| panic!("no CHECK list on {table}.{column}")) + needle.len();
    let end = start + sql[start..].find(')').unwrap();
    sql[start..end].split(',').map(|t| t.trim().trim_matches('\'').to_owned()).collect()
}

#[test]
fn the_schema_checks_allow_exactly_the_domain_tokens() {
    use patrimoine_core::activities::ActivityKind;
    use patrimoine_core::loan::{Amortization, Deferral, Keep};
    use patrimoine_core::portfolio::{AccountKind, AssetClass, Derived, InstitutionKind, Ownership};
    fn tokens<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<String> {
        all.iter().map(|t| f(*t).to_owned()).collect()
    }
    assert_eq!(check_list("institution", "kind"), tokens(InstitutionKind::ALL, InstitutionKind::as_str));
    assert_eq!(check_list("account", "kind"), tokens(AccountKind::ALL, AccountKind::as_str));
    assert_eq!(check_list("asset", "class"), tokens(AssetClass::ALL, AssetClass::as_str));
    assert_eq!(check_list("asset", "ownership"), tokens(Ownership::ALL, Ownership::as_str));
    assert_eq!(check_list("asset", "derived"), tokens(Derived::ALL, Derived::as_str));
    assert_eq!(check_list("instrument", "class"), tokens(AssetClass::ALL, AssetClass::as_str));
    assert_eq!(check_list("activity", "kind"), tokens(ActivityKind::ALL, ActivityKind::as_str));
    assert_eq!(
        check_list("loan", "amortization"),
        tokens(&[Amortization::Constant, Amortization::InFine], Amortization::as_str)
    );
    assert_eq!(
        check_list("loan", "deferral"),
        tokens(&[Deferral::None, Deferral::Partial, Deferral::Total], Deferral::as_str)
    );
    assert_eq!(check_list("loan_repayment", "keep"), tokens(&[Keep::Payment, Keep::Term], Keep::as_str));
}

#[test]
fn every_domain_token_has_a_label_in_both_languages_and_parses_back() {
    use patrimoine_core::portfolio::{AccountKind, AssetClass, InstitutionKind, Ownership};
    let mut all: Vec<(&str, &str, &str, bool)> = Vec::new();
    for t in InstitutionKind::ALL {
        all.push((t.as_str(), t.labels().fr, t.labels().en, InstitutionKind::parse(t.as_str()) == Some(*t)));
    }
    for t in AccountKind::ALL {
        all.push((t.as_str(), t.labels().fr, t.labels().en, AccountKind::parse(t.as_str()) == Some(*t)));
    }
    for t in AssetClass::ALL {
        all.push((t.as_str(), t.labels().fr, t.labels().en, AssetClass::parse(t.as_str()) == Some(*t)));
    }
    for t in Ownership::ALL {
        all.push((t.as_str(), t.labels().fr, t.labels().en, Ownership::parse(t.as_str()) == Some(*t)));
    }
    for (token, fr, en, parses) in all {
        assert!(!fr.trim().is_empty() && !en.trim().is_empty(), "{token} lacks a label");
        assert!(parses, "{token} does not parse back");
    }
}
