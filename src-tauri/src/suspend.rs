//! Locks the vault when the computer goes to sleep. On Linux, logind announces it with
//! the `PrepareForSleep(true)` signal of `org.freedesktop.login1.Manager` on the system
//! bus; the session is locked (with the usual backup when data changed) and the window
//! is told through the `locked` event, so it returns to the unlock screen. A logind
//! "delay" inhibitor is held meanwhile, so the machine waits (a few seconds at most)
//! until the key has left memory, and is taken again on resume.
//!
//! `PATRIMOINE_SUSPEND_BUS=session` listens on the session bus instead: the end-to-end
//! test sends the same signal there with `dbus-send` (a test cannot suspend the machine).
//! Elsewhere (no logind, macOS, Windows) the inactivity lock still applies.

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The event the window receives when the backend locked the session by itself.
pub const LOCKED_EVENT: &str = "locked";

/// Starts the watcher thread; without a bus it ends quietly.
pub fn watch(app: AppHandle) {
    std::thread::spawn(move || {
        if let Err(e) = listen(&app) {
            crate::state::trace_point(&format!("suspend watcher stopped: {e}"));
        }
    });
}

#[cfg(target_os = "linux")]
fn listen(app: &AppHandle) -> zbus::Result<()> {
    use zbus::blocking::{Connection, MessageIterator};
    use zbus::MatchRule;

    let conn = match std::env::var("PATRIMOINE_SUSPEND_BUS").as_deref() {
        Ok("session") => Connection::session()?,
        _ => Connection::system()?,
    };
    let rule = MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.freedesktop.login1.Manager")?
        .member("PrepareForSleep")?
        .path("/org/freedesktop/login1")?
        .build();
    let iter = MessageIterator::for_match_rule(rule, &conn, Some(8))?;
    let mut inhibitor = inhibit(&conn);
    crate::state::trace_point("suspend watcher listening");
    for msg in iter {
        let Ok(going_to_sleep) = msg?.body().deserialize::<bool>() else { continue };
        if going_to_sleep {
            suspend(app);
            drop(inhibitor.take()); // now the machine may sleep
        } else {
            inhibitor = inhibit(&conn);
        }
    }
    Ok(())
}

/// Takes a "delay" sleep inhibitor: logind waits until the returned descriptor is closed
/// (or its InhibitDelayMaxSec passed). None without logind (e.g. on a session bus).
#[cfg(target_os = "linux")]
fn inhibit(conn: &zbus::blocking::Connection) -> Option<zbus::zvariant::OwnedFd> {
    let reply = conn
        .call_method(
            Some("org.freedesktop.login1"),
            "/org/freedesktop/login1",
            Some("org.freedesktop.login1.Manager"),
            "Inhibit",
            &("sleep", "Patrimoine", "Lock the vault before sleeping", "delay"),
        )
        .ok()?;
    reply.body().deserialize::<zbus::zvariant::OwnedFd>().ok()
}

#[cfg(not(target_os = "linux"))]
fn listen(_app: &AppHandle) -> Result<(), &'static str> {
    Err("not available on this system")
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn suspend(app: &AppHandle) {
    let Some(state) = app.try_state::<AppState>() else { return };
    if crate::commands::lock_now(&state) {
        crate::state::trace_point("locked on suspend");
        let _ = app.emit(LOCKED_EVENT, "suspend");
    }
}
