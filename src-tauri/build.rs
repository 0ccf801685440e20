//! Tauri build script: generates the context (config, capabilities, embedded UI).
fn main() {
    tauri_build::build()
}
