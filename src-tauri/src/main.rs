//! Entry point of the Patrimoine desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // `patrimoine --version` and `--help` answer without opening a window or the data
    // folder (packagers and support ask for them).
    match std::env::args().nth(1).as_deref() {
        Some("--version" | "-V") => println!("patrimoine {}", env!("CARGO_PKG_VERSION")),
        Some("--help" | "-h") => println!(
            "patrimoine {}: your wealth, in an encrypted vault on this computer.\n\n\
             Usage: patrimoine [--version | --help]\n\n\
             Starts the desktop app. The data folder is PATRIMOINE_DATA_DIR when set, else the\n\
             platform's (~/.local/share/patrimoine on Linux); Settings > About shows it.\n\
             The command-line app is patrimoine-cli (man patrimoine-cli).",
            env!("CARGO_PKG_VERSION")
        ),
        _ => patrimoine_app::run(),
    }
}
