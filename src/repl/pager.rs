//! Long results on a terminal go through a pager (`$PAGER`, default
//! `less -FRX`). Output is held until it is longer than the screen, and only
//! then is the pager started, so short results print as usual.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// `less`: quit if one screen (-F), pass colours (-R), leave the text on the screen (-X).
const DEFAULT_PAGER: &str = "less -FRX";

/// The pager command: `$PAGER`, `less -FRX` when unset, none when set empty.
pub fn command() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(pager) if pager.trim().is_empty() => None,
        Ok(pager) => Some(pager),
        Err(_) => Some(DEFAULT_PAGER.to_string()),
    }
}

/// Standard output that switches to a pager past `height` lines.
pub struct Paged {
    command: String,
    height: usize,
    held: Vec<u8>,
    lines: usize,
    pager: Option<(Child, ChildStdin)>,
    /// The pager was quit before the end: the rest is dropped.
    closed: bool,
}

impl Paged {
    pub fn new(command: String, height: usize) -> Paged {
        Paged { command, height, held: Vec::new(), lines: 0, pager: None, closed: false }
    }

    /// Start the pager and hand it what was held. Falls back to stdout if the
    /// pager cannot be started.
    fn start(&mut self) -> io::Result<()> {
        let spawned = Command::new("sh").arg("-c").arg(&self.command).stdin(Stdio::piped()).spawn();
        let held = std::mem::take(&mut self.held);
        match spawned {
            Ok(mut child) => match child.stdin.take() {
                Some(stdin) => {
                    self.pager = Some((child, stdin));
                    self.write_pager(&held)
                }
                None => io::stdout().write_all(&held),
            },
            Err(err) => {
                eprintln!("warning: could not start the pager {:?}: {err}", self.command);
                self.height = usize::MAX;
                io::stdout().write_all(&held)
            }
        }
    }

    fn write_pager(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some((_, stdin)) = &mut self.pager
            && let Err(err) = stdin.write_all(buf)
        {
            if err.kind() != io::ErrorKind::BrokenPipe {
                return Err(err);
            }
            self.closed = true;
        }
        Ok(())
    }

    /// Show what is held (it fitted on the screen) or wait for the pager.
    pub fn finish(mut self) -> io::Result<()> {
        match self.pager.take() {
            Some((mut child, stdin)) => {
                drop(stdin);
                child.wait()?;
                Ok(())
            }
            None => {
                let mut stdout = io::stdout();
                stdout.write_all(&self.held)?;
                stdout.flush()
            }
        }
    }
}

impl Write for Paged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        if self.pager.is_some() {
            self.write_pager(buf)?;
            return Ok(buf.len());
        }
        if self.height == usize::MAX {
            io::stdout().write_all(buf)?;
            return Ok(buf.len());
        }
        self.held.extend_from_slice(buf);
        self.lines += buf.iter().filter(|&&b| b == b'\n').count();
        // Keep a line for the next prompt.
        if self.lines + 1 >= self.height {
            self.start()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.pager {
            Some((_, stdin)) => match stdin.flush() {
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            },
            None => Ok(()),
        }
    }
}
