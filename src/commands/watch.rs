//! `otpic watch status|stop|run`: the change watchers of the cache directory.

use crate::cli::WatchAction;
use crate::env::Format;
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::source::Source;
use crate::watch::client::{self, Ask};
use crate::watch::{Place, server, watch_dir};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// How long `status` waits for each watcher, and `stop` for each to exit.
const STATUS_WAIT: Duration = Duration::from_millis(500);
const STOP_WAIT: Duration = Duration::from_secs(5);

pub fn run<O: Write + ?Sized>(
    action: &WatchAction,
    settings: &Settings,
    out: &mut O,
) -> Result<u8> {
    if let WatchAction::Run {
        cache_dir,
        idle_secs,
        dir,
    } = action
    {
        let config = server::Config {
            root: dir.clone(),
            cache: cache_dir.clone(),
            idle: Duration::from_secs((*idle_secs).max(1)),
        };
        return server::run(&config)
            .map(|()| crate::error::EXIT_OK)
            .map_err(|why| Error::Watch(format!("watch {}: {why}", dir.display())));
    }
    let Some(cache) = settings.cache_dir.as_deref() else {
        writeln!(out, "no cache directory, so no watchers")?;
        return Ok(crate::error::EXIT_OK);
    };
    match action {
        WatchAction::Status => status(cache, settings.format, out),
        WatchAction::Stop { all } => stop(cache, settings, *all, out),
        WatchAction::Run { .. } => Ok(crate::error::EXIT_OK),
    }
}

/// Lists the running watchers, cleaning up after dead ones.
fn status<O: Write + ?Sized>(cache: &Path, format: Format, out: &mut O) -> Result<u8> {
    let mut running = Vec::new();
    for place in client::places(&watch_dir(cache)) {
        match client::status(&place, STATUS_WAIT) {
            Ok(status) => running.push(status),
            Err(Ask::NotRunning) => {
                client::clean_dead(&place);
            }
            Err(Ask::Failed(why)) => {
                if !client::clean_dead(&place) && client::is_locked(&place) {
                    running.push(serde_json::json!({
                        "root": null,
                        "pid": pid_of(&place),
                        "error": format!("not answering: {why}"),
                    }));
                }
            }
        }
    }
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &running).map_err(std::io::Error::other)?;
        writeln!(out)?;
        return Ok(crate::error::EXIT_OK);
    }
    if running.is_empty() {
        writeln!(out, "no watcher is running")?;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for w in &running {
        let root = w["root"].as_str().unwrap_or("?");
        let pid = w["pid"].as_u64().unwrap_or(0);
        if let Some(error) = w["error"].as_str() {
            writeln!(out, "pid {pid}: {error}")?;
            continue;
        }
        let up = now.saturating_sub(w["started"].as_u64().unwrap_or(now));
        writeln!(
            out,
            "{}\tpid {pid}\tup {}\t{} events\t{} questions ({} answered unchanged)",
            crate::sanitize::line(root),
            duration(up),
            w["events"].as_u64().unwrap_or(0),
            w["questions"].as_u64().unwrap_or(0),
            w["unchanged"].as_u64().unwrap_or(0),
        )?;
    }
    Ok(crate::error::EXIT_OK)
}

/// The pid a watcher wrote in its pid file.
fn pid_of(place: &Place) -> Option<u64> {
    let text = std::fs::read_to_string(place.pid_file()).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("pid "))
        .and_then(|p| p.parse().ok())
}

fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

/// Stops the watchers of the active knowledge bases, or all of them.
fn stop<O: Write + ?Sized>(
    cache: &Path,
    settings: &Settings,
    all: bool,
    out: &mut O,
) -> Result<u8> {
    let places: Vec<(String, Place)> = if all {
        client::places(&watch_dir(cache))
            .into_iter()
            .map(|p| (format!("watcher {}", p.stem), p))
            .collect()
    } else {
        settings
            .sources
            .iter()
            .filter_map(|s| match s {
                Source::Dir(dir) => std::fs::canonicalize(dir).ok(),
                Source::Embedded => None,
            })
            .map(|root| (root.display().to_string(), Place::new(cache, &root)))
            .collect()
    };
    let mut failed = Vec::new();
    let mut stopped = 0;
    for (name, place) in &places {
        if !client::is_locked(place) {
            client::clean_dead(place);
            continue;
        }
        let root = client::status(place, STATUS_WAIT)
            .ok()
            .and_then(|s| s["root"].as_str().map(str::to_owned))
            .unwrap_or_else(|| name.clone());
        match client::stop(place, STOP_WAIT) {
            Ok(()) => {
                stopped += 1;
                writeln!(
                    out,
                    "stopped the watcher of {}",
                    crate::sanitize::line(&root)
                )?;
            }
            Err(why) => failed.push(format!("{root}: {why}")),
        }
    }
    if stopped == 0 && failed.is_empty() {
        writeln!(out, "no watcher to stop")?;
    }
    if !failed.is_empty() {
        return Err(Error::Watch(format!(
            "cannot stop a watcher: {}",
            failed.join("; ")
        )));
    }
    Ok(crate::error::EXIT_OK)
}
