//! The shared scenarios (`tests/scenarios/*.json`): commands with their arguments and
//! the results or error codes expected, run here through the real command layer and
//! core (`contract::dispatch`, as Tauri would call them) and in the UI's unit tests
//! through the fake backend, so the fake cannot drift from what the app does.
//!
//! `expect` is matched as a subset: an object's listed keys must match (others are
//! ignored), an array must have the same length and match element by element.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::contract::dispatch;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    command: String,
    #[serde(default)]
    args: Option<Value>,
    #[serde(default)]
    expect: Option<Value>,
    #[serde(default)]
    expect_error: Option<String>,
}

/// Where `actual` differs from the subset `expected`, as a JSON path; `None` if it matches.
fn mismatch(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().find_map(|(k, ev)| match a.get(k) {
            Some(av) => mismatch(ev, av, &format!("{path}.{k}")),
            None => Some(format!("{path}.{k}: missing")),
        }),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            e.iter().zip(a).enumerate().find_map(|(i, (ev, av))| mismatch(ev, av, &format!("{path}[{i}]")))
        }
        _ if expected == actual => None,
        _ => Some(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn run(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let scenario: Scenario = serde_json::from_str(&text).map_err(|e| format!("unreadable: {e}"))?;
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let data = patrimoine_core::DataDir::open(tmp.path().join("data")).map_err(|e| e.to_string())?;
    let state = AppState::new(data);
    for (i, step) in scenario.steps.into_iter().enumerate() {
        let at = format!("{} step {} ({})", scenario.name, i + 1, step.command);
        let args = step.args.unwrap_or_else(|| Value::Object(Default::default()));
        match (dispatch(&state, &step.command, args), step.expect_error) {
            (Ok(v), None) => {
                if let Some(m) = step.expect.as_ref().and_then(|e| mismatch(e, &v, "result")) {
                    return Err(format!("{at}: {m}"));
                }
            }
            (Ok(v), Some(code)) => return Err(format!("{at}: expected error {code}, got {v}")),
            (Err(e), Some(code)) if e.code == code => {}
            (Err(e), _) => return Err(format!("{at}: failed with {} ({})", e.code, e.message)),
        }
    }
    Ok(())
}

#[test]
fn scenarios_pass_against_the_real_core() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario in tests/scenarios");
    let failures: Vec<String> =
        files.iter().filter_map(|f| run(f).err().map(|e| format!("{}: {e}", f.display()))).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn subset_matching_sees_a_difference() {
    let actual = serde_json::json!({ "a": 1, "b": [{ "c": "x" }, { "c": "y" }] });
    assert_eq!(mismatch(&serde_json::json!({ "b": [{}, { "c": "y" }] }), &actual, "r"), None);
    assert!(mismatch(&serde_json::json!({ "b": [{ "c": "y" }, {}] }), &actual, "r").is_some());
    assert!(mismatch(&serde_json::json!({ "b": [{}] }), &actual, "r").is_some());
    assert!(mismatch(&serde_json::json!({ "z": 1 }), &actual, "r").is_some());
}
