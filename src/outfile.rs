//! Files deskql writes on request (`report --output`, `audit run --output`,
//! the shell's `.output`): never the database itself, and never half
//! written. The content goes to a temporary file next to the target, renamed
//! over it only when complete, so a failed report leaves no empty or
//! truncated file behind (and an existing file stays as it was).
//!
//! A target that exists and is not a regular file (`/dev/null`, a FIFO,
//! `/dev/stdout`) is written directly: renaming a temporary file over it
//! would replace the device with a plain file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub struct OutputFile {
    path: PathBuf,
    /// The temporary file renamed over `path` at the end; `None`: `path`
    /// is written directly (a device or a pipe).
    temp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl OutputFile {
    /// Start writing `path`, refusing it if it is (or resolves to) the
    /// database `database` or its write-ahead log.
    pub fn create(path: &Path, database: &Path) -> Result<OutputFile> {
        refuse_database(path, database)?;
        if std::fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir()) {
            let file = std::fs::OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(OutputFile { path: path.to_path_buf(), temp: None, file: Some(BufWriter::new(file)) });
        }
        let name = path.file_name().with_context(|| format!("{} is not a file name", path.display()))?;
        let temp = path.with_file_name(format!(".{}.deskql-{}.tmp", name.to_string_lossy(), std::process::id()));
        let file = File::create(&temp).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(OutputFile { path: path.to_path_buf(), temp: Some(temp), file: Some(BufWriter::new(file)) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Everything written: put the file in place.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("an output file is committed once");
        let file = file.into_inner().map_err(|e| e.into_error()).with_context(|| format!("writing {}", self.path.display()))?;
        let Some(temp) = &self.temp else { return Ok(()) };
        file.sync_all().with_context(|| format!("writing {}", self.path.display()))?;
        std::fs::rename(temp, &self.path).with_context(|| format!("writing {}", self.path.display()))?;
        Ok(())
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for OutputFile {
    /// Not committed (an error, a panic): the target is left as it was.
    fn drop(&mut self) {
        if self.file.take().is_some()
            && let Some(temp) = &self.temp
        {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// A path as the file system resolves it, also when the file does not
/// exist yet (its folder resolved, its name kept).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

fn refuse_database(path: &Path, database: &Path) -> Result<()> {
    let wal = PathBuf::from(format!("{}.wal", database.display()));
    for protected in [database, wal.as_path()] {
        let same = same_file(path, protected) || (resolved(path).is_some() && resolved(path) == resolved(protected));
        if same {
            bail!("refusing to write {}: it is the database {} (or its write-ahead log); choose another file", path.display(), database.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_paths_to_it_are_refused() {
        let dir = std::env::temp_dir().join(format!("deskql-outfile-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let db = dir.join("desk.duckdb");
        std::fs::write(&db, b"db").unwrap();
        for path in [db.clone(), dir.join("sub/../desk.duckdb"), dir.join("desk.duckdb.wal")] {
            assert!(OutputFile::create(&path, &db).is_err(), "{}", path.display());
        }
        std::os::unix::fs::symlink(&db, dir.join("link")).unwrap();
        assert!(OutputFile::create(&dir.join("link"), &db).is_err());
        std::fs::hard_link(&db, dir.join("hard")).unwrap();
        assert!(OutputFile::create(&dir.join("hard"), &db).is_err());
        assert_eq!(std::fs::read(&db).unwrap(), b"db");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_device_is_written_not_replaced() {
        let mut out = OutputFile::create(Path::new("/dev/null"), Path::new("/nonexistent/x.duckdb")).unwrap();
        out.write_all(b"nothing").unwrap();
        out.commit().unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null is still a device");
    }

    #[test]
    fn a_file_appears_only_when_committed() {
        let dir = std::env::temp_dir().join(format!("deskql-outfile-c-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("report.html");
        std::fs::write(&target, b"old").unwrap();
        {
            let mut out = OutputFile::create(&target, &dir.join("x.duckdb")).unwrap();
            out.write_all(b"half").unwrap();
            // dropped without commit: an error happened
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        let mut out = OutputFile::create(&target, &dir.join("x.duckdb")).unwrap();
        out.write_all(b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
