//! The allocator's arenas. glibc gives each thread that allocates while another holds an arena
//! an arena of its own, up to eight per core, and keeps what each has grown to: a server whose
//! blocking threads take turns rendering reports, rolling up dashboards and saving answers
//! grows one arena per thread (measured in `docs/benchmarks.md`: a mixed load peaked at 196 MB
//! with glibc's default and at 105 MB with two arenas, at the same throughput). glibc reads the
//! bound only from its environment at start, so `dcmm serve` starts itself again with
//! `MALLOC_ARENA_MAX=2` unless that is set already (any value set by the operator is kept).

use std::ffi::OsString;

/// The variable glibc reads the bound from.
pub const VAR: &str = "MALLOC_ARENA_MAX";

/// The bound `dcmm serve` runs with unless the operator set one.
pub const ARENAS: &str = "2";

/// Starts this process again, with the same arguments, under [`ARENAS`] arenas, when the
/// environment sets no bound. Answers only when it did not (the bound set already, or the
/// restart refused: then the server goes on as it is, and says so).
pub fn bound_arenas() {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || std::env::var_os(VAR).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let error = restart(&exe, &args);
    eprintln!("dcmm: could not start again with {VAR}={ARENAS} ({error}); going on without");
}

#[cfg(unix)]
fn restart(exe: &std::path::Path, args: &[OsString]) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    std::process::Command::new(exe)
        .args(args)
        .env(VAR, ARENAS)
        .exec()
}

#[cfg(not(unix))]
fn restart(_: &std::path::Path, _: &[OsString]) -> std::io::Error {
    std::io::Error::other("not supported here")
}
