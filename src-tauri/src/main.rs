//! Entry point of the Patrimoine desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    patrimoine_app::run();
}
