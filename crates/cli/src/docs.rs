//! The man page and shell completions, generated from the clap definitions so they
//! never drift from `--help` (`patrimoine-cli generate-docs DIR`, run by the packaging).

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Writes the man pages (`patrimoine-cli.1`, and `patrimoine-cli-<command>.1` for each
/// command, with its arguments), `patrimoine-cli.bash`, `_patrimoine-cli` (zsh) and
/// `patrimoine-cli.fish` into `dir`.
pub fn generate(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let cmd = Cli::command();
    clap_mangen::generate_to(cmd.clone(), dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut cmd.clone(), "patrimoine-cli", dir)?;
    }
    Ok(())
}
