//! The commands, one module per group: each takes the run's `Ctx` and a command's
//! arguments, calls the core and prints the result.

pub mod analytics;
pub mod assets;
pub mod backups;
pub mod fx;
pub mod io;
pub mod loans;
pub mod lookup;
pub mod profiles;
pub mod securities;
pub mod vault;
