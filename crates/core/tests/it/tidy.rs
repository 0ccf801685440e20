//! Checks reviewers would otherwise repeat: file headers, the core's dependencies,
//! and the migration list.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            if !["target", "node_modules", "fixtures", "gen"].contains(&name.as_str()) && !name.starts_with('.') {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut files = vec![];
    for d in ["crates", "tests", "src-tauri"] {
        if root().join(d).is_dir() {
            rust_files(&root().join(d), &mut files);
        }
    }
    assert!(files.len() > 10);
    let bad: Vec<_> =
        files.iter().filter(|f| !std::fs::read_to_string(f).unwrap().trim_start().starts_with("//!")).collect();
    assert!(bad.is_empty(), "files without a //! header: {bad:?}");
}

#[test]
fn the_core_depends_on_no_gui_or_keychain_crate() {
    let manifest = std::fs::read_to_string(root().join("crates/core/Cargo.toml")).unwrap();
    for forbidden in ["tauri", "keyring", "wry", "webkit", "secret-service"] {
        assert!(!manifest.contains(forbidden), "core Cargo.toml mentions {forbidden}");
    }
}

#[test]
fn the_embedded_migrations_are_exactly_the_files() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    let listed: Vec<String> =
        patrimoine_core::migrations::MIGRATIONS.iter().map(|m| format!("{:04}_{}.sql", m.version, m.name)).collect();
    assert_eq!(files, listed);
    for (i, m) in patrimoine_core::migrations::MIGRATIONS.iter().enumerate() {
        assert_eq!(m.version, i as i64 + 1, "versions are consecutive");
    }
}

/// Every error code the core can return has its place in the UI's list (and so, by
/// the UI's own test, a French and an English sentence). Until the contract is
/// generated from Rust, this keeps the two from drifting: the codes are read from
/// `Error::code`'s match arms.
#[test]
fn every_core_error_code_is_known_to_the_ui() {
    let source = std::fs::read_to_string(root().join("crates/core/src/error.rs")).unwrap();
    let codes: Vec<&str> = source
        .split("=> \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    assert!(codes.len() > 30, "found the codes: {codes:?}");
    let ui = std::fs::read_to_string(root().join("ui/src/lib/ipc/error.ts")).unwrap();
    let missing: Vec<_> = codes.iter().filter(|c| !ui.contains(&format!("'{c}'"))).collect();
    assert!(missing.is_empty(), "error codes without a UI sentence: {missing:?}");
}

/// Every word an audit entry's detail can be has a French label (and so, by the UI's
/// own test, an English one): the audit log shows no raw token.
#[test]
fn every_audit_detail_has_a_label_in_the_ui() {
    let fr = std::fs::read_to_string(root().join("ui/src/lib/i18n/fr.ts")).unwrap();
    let missing: Vec<_> =
        patrimoine_core::audit::DETAIL_TOKENS.iter().filter(|t| !fr.contains(&format!("'audit.detail.{t}'"))).collect();
    assert!(missing.is_empty(), "audit details without a label: {missing:?}");
    let kinds = std::fs::read_to_string(root().join("crates/core/src/audit.rs")).unwrap();
    assert!(kinds.contains("\"recovery_key\""));
}
