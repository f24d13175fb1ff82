//! The versioned metric library (`sql/library/`): every version embedded in
//! the binary, its doc comments (the metric catalogue), and installing a
//! version into the database (`deskql views install`).
//!
//! A version is a manifest `sql/library/<version>/library.toml` listing, in
//! install order, the SQL files it is made of (its own, and unchanged files
//! of earlier versions). Released versions are immutable: `released.toml`
//! pins the SHA-256 of each, and a test recomputes them.

pub mod docs;
pub mod install;

use std::fmt;
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/library_files.rs"));
}

/// The schema the current library version is installed in.
pub const SCHEMA: &str = "metrics";

/// A library version number, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    pub fn parse(text: &str) -> Result<Version> {
        let parts: Vec<&str> = text.trim().trim_start_matches('v').split('.').collect();
        let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
        match numbers.as_deref() {
            Some([major, minor, patch]) => Ok(Version(*major, *minor, *patch)),
            _ => bail!("{text:?} is not a library version: expected MAJOR.MINOR.PATCH, e.g. 1.0.0"),
        }
    }

    /// The schema a version installed side by side lives in: `metrics_1_0_0`.
    pub fn side_by_side_schema(self) -> String {
        format!("{SCHEMA}_{}_{}_{}", self.0, self.1, self.2)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Deserialize)]
struct Manifest {
    version: String,
    files: Vec<String>,
    sections: Vec<String>,
    /// The version's report queries, by name (`common`, `company`, `user`,
    /// `happiness`, `usage`): files of `-- name:` sections that the reports
    /// run (see `src/report/query.rs`). Since 1.3.0; earlier versions use
    /// `legacy-reports/`.
    #[serde(default)]
    reports: std::collections::BTreeMap<String, String>,
}

/// The report queries of the versions released before report queries were
/// versioned with the library (1.0.0 to 1.2.0): frozen, see
/// `sql/library/legacy-reports/README.md`.
const LEGACY_REPORTS: &str = "legacy-reports";

/// One SQL file of a version.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `sql/library/`, e.g. `1.0.0/20_facts.sql`.
    pub path: &'static str,
    pub text: &'static str,
}

/// One library version, as embedded.
#[derive(Debug)]
pub struct Library {
    pub version: Version,
    /// SHA-256 (hex) over the manifest and every file, in order (report
    /// query files included, for versions that list them).
    pub sha256: String,
    pub docs: docs::Docs,
    /// The report queries listed in the manifest (none before 1.3.0).
    reports: std::collections::BTreeMap<String, SourceFile>,
}

impl Library {
    fn load(manifest_path: &'static str, manifest_text: &'static str) -> Result<Library> {
        let manifest: Manifest = toml::from_str(manifest_text).with_context(|| format!("parsing sql/library/{manifest_path}"))?;
        let version = Version::parse(&manifest.version)?;
        let directory = manifest_path.trim_end_matches("/library.toml");
        if Version::parse(directory).ok() != Some(version) {
            bail!("sql/library/{manifest_path}: version {version} does not match its folder {directory}");
        }
        let mut hasher = Sha256::new();
        hash_part(&mut hasher, manifest_path, manifest_text);
        let mut files = Vec::new();
        for path in &manifest.files {
            let text = embedded_file(path).with_context(|| format!("library {version} lists {path}, which is not in sql/library"))?;
            hash_part(&mut hasher, path, text);
            files.push(SourceFile { path: embedded_path(path).expect("found above"), text });
        }
        let mut reports = std::collections::BTreeMap::new();
        for (name, path) in &manifest.reports {
            let text = embedded_file(path).with_context(|| format!("library {version} lists report queries {path}, which are not in sql/library"))?;
            hash_part(&mut hasher, path, text);
            reports.insert(name.clone(), SourceFile { path: embedded_path(path).expect("found above"), text });
        }
        let docs = docs::Docs::parse(&files, &manifest.sections).with_context(|| format!("reading the doc comments of library {version}"))?;
        Ok(Library { version, sha256: hex(&hasher.finalize()), docs, reports })
    }

    /// The report queries `name` of this version: its own, or (versions
    /// released before report queries were versioned) the frozen legacy ones.
    pub fn report_queries(&self, name: &str) -> Result<SourceFile> {
        if let Some(file) = self.reports.get(name) {
            return Ok(file.clone());
        }
        if !self.reports.is_empty() {
            bail!("library {} has no report queries named {name:?}", self.version);
        }
        let path = format!("{LEGACY_REPORTS}/{name}.sql");
        let text = embedded_file(&path).with_context(|| format!("no report queries named {name:?} (sql/library/{path})"))?;
        Ok(SourceFile { path: embedded_path(&path).expect("found above"), text })
    }
}

fn hash_part(hasher: &mut Sha256, path: &str, text: &str) {
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(text.as_bytes());
    hasher.update([0]);
}

/// Byte offsets in `sql` where `metrics.` begins a qualified name (in
/// `xmetrics.c` it does not): where the library names its own objects.
pub fn schema_qualifiers(sql: &str) -> Vec<usize> {
    let prefix = format!("{SCHEMA}.");
    sql.match_indices(&prefix)
        .map(|(at, _)| at)
        .filter(|&at| sql[..at].chars().last().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_')))
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn embedded_file(path: &str) -> Option<&'static str> {
    embedded::FILES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

fn embedded_path(path: &str) -> Option<&'static str> {
    embedded::FILES.iter().find(|(p, _)| *p == path).map(|(p, _)| *p)
}

/// Every embedded version, oldest first. Parsed once; a malformed library is
/// a build bug, caught by the tests.
pub fn all() -> &'static [Library] {
    static LIBRARIES: OnceLock<Vec<Library>> = OnceLock::new();
    LIBRARIES.get_or_init(|| {
        let mut libraries: Vec<Library> = embedded::FILES
            .iter()
            .filter(|(path, _)| path.ends_with("/library.toml"))
            .map(|(path, text)| Library::load(path, text).unwrap_or_else(|e| panic!("embedded library is invalid: {e:#}")))
            .collect();
        libraries.sort_by_key(|l| l.version);
        libraries
    })
}

/// The newest embedded version: what `deskql views install` installs.
pub fn latest() -> &'static Library {
    all().last().expect("at least one library version is embedded")
}

pub fn find(version: Version) -> Result<&'static Library> {
    all().iter().find(|l| l.version == version).with_context(|| {
        let known: Vec<String> = all().iter().map(|l| l.version.to_string()).collect();
        format!("this deskql does not know library version {version}; it embeds {}", known.join(", "))
    })
}

/// The embedded library matching the version installed in `metrics`.
pub fn installed_library(conn: &duckdb::Connection) -> Result<&'static Library> {
    let installed = install::installed_in(conn, SCHEMA)?.context("no metric library is installed: run `deskql views install`")?;
    find(Version::parse(&installed.version)?)
}

/// `sql/library/released.toml`: released version -> SHA-256 of its SQL.
pub fn released() -> Result<Vec<(Version, String)>> {
    let text = embedded_file("released.toml").context("sql/library/released.toml is missing")?;
    let table: toml::Table = toml::from_str(text).context("parsing sql/library/released.toml")?;
    let mut out = Vec::new();
    for (version, hash) in table {
        let hash = hash.as_str().with_context(|| format!("released.toml: {version} must map to a SHA-256 string"))?.to_string();
        out.push((Version::parse(&version)?, hash));
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(Version::parse("1.2.3").unwrap(), Version(1, 2, 3));
        assert!(Version(1, 10, 0) > Version(1, 9, 9));
        assert!(Version::parse("1.2").is_err());
        assert_eq!(Version(1, 0, 0).side_by_side_schema(), "metrics_1_0_0");
    }

    #[test]
    fn every_embedded_version_loads() {
        assert!(!all().is_empty());
        for library in all() {
            assert!(!library.docs.objects.is_empty(), "{}", library.version);
            assert!(!library.docs.metrics.is_empty(), "{}", library.version);
        }
    }

    #[test]
    fn every_version_folder_on_disk_is_embedded() {
        // A stale build-script output would hide a new version: touch build.rs.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql/library");
        for entry in std::fs::read_dir(&root).unwrap().flatten() {
            if entry.path().join("library.toml").is_file() {
                let version = Version::parse(&entry.file_name().to_string_lossy()).unwrap();
                assert!(find(version).is_ok(), "sql/library/{version} is not embedded in this build: run `touch build.rs` and rebuild");
            }
        }
    }

    #[test]
    fn released_versions_are_unchanged() {
        let released = released().unwrap();
        for (version, pinned) in &released {
            let library = find(*version).unwrap();
            assert_eq!(
                &library.sha256, pinned,
                "library {version} was released and must not change: add a new version (sql/library/<new>/library.toml) with a CHANGELOG entry instead"
            );
        }
    }

    const LEGACY_COMMON_SHA256: &str = "16e42a0ac53c2176871becc3b2a4cf2eaad4e802c7bdfd405cd2b70a974b72cd";
    const LEGACY_COMPANY_SHA256: &str = "181da8076409a4688cf7b505c267b0b4dd52defa841037d1f92b68a18cb640fb";
    const LEGACY_USER_SHA256: &str = "0291bc34c1ffd8c8195efc09f547fac4510608e4025600d9309af278bbc4e9a6";
    const LEGACY_HAPPINESS_SHA256: &str = "83178a3f7267ed768844c94766a80be740654b0f64189f0683e32b7e7cc50704";
    const LEGACY_USAGE_SHA256: &str = "dfbceb39e9c59981e195e26380b5f1b8029440564b61c975d61f9b61d03ed401";

    #[test]
    fn the_legacy_report_queries_are_frozen() {
        // Audits made with libraries 1.0.0 to 1.2.0 recorded these SHA-256s.
        let pinned = [
            ("common", LEGACY_COMMON_SHA256),
            ("company", LEGACY_COMPANY_SHA256),
            ("user", LEGACY_USER_SHA256),
            ("happiness", LEGACY_HAPPINESS_SHA256),
            ("usage", LEGACY_USAGE_SHA256),
        ];
        let old = find(Version(1, 2, 0)).unwrap();
        for (name, sha) in pinned {
            assert_eq!(sha256_hex(old.report_queries(name).unwrap().text), sha, "sql/library/legacy-reports/{name}.sql must not change");
        }
    }

    #[test]
    fn only_the_newest_version_may_be_unreleased() {
        let released: Vec<Version> = released().unwrap().into_iter().map(|(v, _)| v).collect();
        for library in &all()[..all().len() - 1] {
            assert!(released.contains(&library.version), "library {} is not the newest, so it must be in released.toml", library.version);
        }
    }
}
