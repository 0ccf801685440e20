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

/// Every word an audit entry's detail can be has a French label (and so, by the UI's
/// own test, an English one): the audit log shows no raw token.
#[test]
fn every_audit_detail_has_a_label_in_the_ui() {
    let fr = std::fs::read_to_string(root().join("ui/src/lib/i18n/fr.ts")).unwrap();
    let missing: Vec<_> =
        patrimoine_core::audit::DETAIL_TOKENS.iter().filter(|t| !fr.contains(&format!("'audit.detail.{t}'"))).collect();
    assert!(missing.is_empty(), "audit details without a label: {missing:?}");
    let kinds = std::fs::read_to_string(root().join("crates/core/src/vault/audit.rs")).unwrap();
    assert!(kinds.contains("\"recovery_key\""));
}

/// The layers of the core, lowest first (ARCHITECTURE.md): a module may use modules of
/// its own layer or below, never above. `profile::open` is the one step above backup
/// and restore; the rest of `profile` is below them.
const LAYERS: &[&[&str]] = &[
    &["error", "limits", "money"],
    &["crypto"],
    &["durable"],
    &["unlock"],
    &["vault"],
    &["wealth"],
    &["analytics"],
    &["charts"],
    &["io"],
    &["profile"],
    &["backup"],
    &["restore"],
    &["profile::open"],
];

/// The module a core source file is (`vault/integrity.rs` → `vault::integrity`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The `crate::…` paths a file's code names, tests and comments left out (grouped
/// `use crate::{a, b::c}` lines are expanded).
fn crate_paths(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                out.extend(inner.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()));
            } else {
                let end =
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
                out.push(rest[..end].trim_end_matches(':').to_owned());
            }
        }
    }
    out
}

/// The deepest known module a path lies in (`vault::integrity::sidecar` → `vault::integrity`).
fn owner<'a>(path: &str, modules: &'a [String]) -> Option<&'a String> {
    modules.iter().filter(|m| path == m.as_str() || path.starts_with(&format!("{m}::"))).max_by_key(|m| m.len())
}

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (i, *n)))
        .filter(|(_, n)| module == *n || module.starts_with(&format!("{n}::")))
        .max_by_key(|(_, n)| n.len())
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("module {module} is in no layer of LAYERS"))
}

/// Every `use crate::…` of the core respects the layers, and the modules' uses form
/// no cycle (a module and its own submodules aside).
#[test]
fn the_core_modules_respect_the_layers_and_form_no_cycle() {
    let src = root().join("crates/core/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let files: Vec<PathBuf> = files.into_iter().filter(|f| !f.ends_with("lib.rs")).collect();
    let modules: Vec<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut forbidden = Vec::new();
    for (file, module) in files.iter().zip(&modules) {
        let text = std::fs::read_to_string(file).unwrap();
        for path in crate_paths(&text) {
            let Some(used) = owner(&path, &modules) else { continue };
            if used == module {
                continue;
            }
            if layer(used) > layer(module) {
                forbidden.push(format!("{module} uses {used} (crate::{path}), a higher layer"));
            }
            let related = used.starts_with(&format!("{module}::")) || module.starts_with(&format!("{used}::"));
            if !related {
                edges.push((module.clone(), used.clone()));
            }
        }
    }
    assert!(edges.len() > 50, "the uses were found: {edges:?}");
    assert!(forbidden.is_empty(), "{}", forbidden.join("\n"));
    // A depth-first search for a cycle.
    fn visit<'a>(m: &'a str, edges: &'a [(String, String)], path: &mut Vec<&'a str>, done: &mut Vec<&'a str>) {
        if done.contains(&m) {
            return;
        }
        if let Some(at) = path.iter().position(|p| *p == m) {
            panic!("import cycle: {} -> {m}", path[at..].join(" -> "));
        }
        path.push(m);
        for (_, to) in edges.iter().filter(|(from, _)| from == m) {
            visit(to, edges, path, done);
        }
        path.pop();
        done.push(m);
    }
    let mut done = Vec::new();
    for m in &modules {
        visit(m, &edges, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_layer_check_sees_a_use_upwards() {
    let paths = crate_paths(
        "use crate::restore::{Target, RestoreRequest};\nuse crate::{error::Error, vault};\n// crate::charts\n",
    );
    assert_eq!(paths, ["restore", "error::Error", "vault"]);
    assert!(layer("restore") > layer("profile") && layer("profile::open") > layer("restore"));
    assert!(layer("vault::integrity") < layer("backup::verify"));
}
