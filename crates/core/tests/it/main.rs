//! Integration tests of the core, in one binary so the linker runs once.

mod analytics;
mod import_export;
mod migrations;
mod profiles;
mod support;
mod tidy;
mod wealth;
