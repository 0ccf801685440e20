//! The commands, one module per group: each takes the run's `Ctx` and a command's
//! arguments, calls the core and prints the result.

pub mod analytics;
pub mod backups;
pub mod fx;
pub mod io;
pub mod profiles;
pub mod vault;
