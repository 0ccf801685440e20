//! Errors as the UI receives them: `{ code, message, details? }`. The UI translates
//! `code` (and reads `details` for the few errors that carry data); it never parses
//! `message`.

use patrimoine_core::error::{Error, InputError, KeyError};
use serde::Serialize;
use serde_json::{json, Value};

/// A failed command.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CommandError {
    /// Stable code, e.g. `wrong_password`.
    pub code: &'static str,
    /// English message for logs and developers.
    pub message: String,
    /// Data some errors carry (seconds to wait, mistyped group, field, import report).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub details: Option<Value>,
}

impl CommandError {
    /// Arguments a command cannot read (only the tests' dispatcher: Tauri reports
    /// its own).
    #[cfg(test)]
    pub fn bad_arguments(command: &str, message: &str) -> Self {
        CommandError { code: "invalid_input", message: format!("{command}: {message}"), details: None }
    }

    /// No profile is unlocked.
    pub fn locked() -> Self {
        CommandError { code: "locked", message: "no profile is unlocked".into(), details: None }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let details = match &e {
            Error::Key(KeyError::Throttled { retry_after_secs }) => {
                Some(json!({ "retry_after_secs": retry_after_secs }))
            }
            Error::Key(KeyError::RecoveryKeyTypo { group }) => Some(json!({ "group": group })),
            Error::Key(KeyError::WeakPassword { min }) => Some(json!({ "min": min })),
            Error::Input(InputError::Invalid { field, .. }) => Some(json!({ "field": field })),
            Error::Input(InputError::WeightsSum { dimension, .. }) => Some(json!({ "dimension": dimension })),
            Error::Import(report) => serde_json::to_value(report.as_ref()).ok(),
            _ => None,
        };
        CommandError { code: e.code(), message: e.to_string(), details }
    }
}

/// Result of every command.
pub type CmdResult<T> = Result<T, CommandError>;
