//! Black-box tests of the built `patrimoine-cli`: the contract scripts and other
//! tests rely on (arguments, exit codes, stderr lines, JSON shapes), plus proof that
//! the vault is unreadable by stock SQLite and readable by an independent SQLCipher 4
//! given the raw key.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod backup;
mod cli;
mod crash;
mod exfat;
mod hostile;
mod interop;
mod support;
mod wealth_cli;
