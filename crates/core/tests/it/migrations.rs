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
