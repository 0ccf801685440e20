//! Files in and out of the wealth model: CSV import, JSON and CSV exports, the demo
//! data generator.

pub mod export;
pub mod generate;
pub mod import;
