//! Integration tests of the core, in one binary so the linker runs once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod analytics;
mod backup;
mod backup_corpus;
mod backup_faults;
mod import_export;
mod import_v2;
mod loans;
mod migrations;
mod profiles;
mod rotation;
mod securities;
mod support;
mod tidy;
mod wealth;
