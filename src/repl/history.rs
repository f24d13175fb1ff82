//! Where the shell keeps its history: one fixed file per user, so every
//! session (whatever the current directory) sees the lines of the ones before.

use std::path::PathBuf;

/// Overrides the location (tests point it at a temporary file).
pub const HISTORY_VARIABLE: &str = "DESKQL_HISTORY";

/// `$DESKQL_HISTORY`, else `$XDG_STATE_HOME/deskql/history`, else
/// `$HOME/.local/state/deskql/history`; `None` when none of them is set.
pub fn path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    if let Some(path) = var(HISTORY_VARIABLE) {
        return Some(path);
    }
    // The XDG spec ignores relative values.
    if let Some(state) = var("XDG_STATE_HOME").filter(|p| p.is_absolute()) {
        return Some(state.join("deskql").join("history"));
    }
    var("HOME").map(|home| home.join(".local").join("state").join("deskql").join("history"))
}
