//! Embeds every file of the metric library (`sql/library/`, all versions) in
//! the binary, so that `deskql` can install any released version, side by
//! side, without the source tree. Generates `$OUT_DIR/library_files.rs`:
//! a sorted table of (path relative to sql/library, contents).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    // Read at run time, not baked in with env!(): a build script compiled for
    // one checkout may be run again for another that shares the target dir.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("sql").join("library");
    assert!(root.is_dir(), "{} is missing: the metric library cannot be embedded", root.display());
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("/// Every file of sql/library: (relative path, contents), sorted by path.\npub static FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(&root).expect("collected under root").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("library_files.rs");
    std::fs::write(out, code).expect("writing library_files.rs");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Directories are watched too, so that a new file triggers a rebuild.
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql" || e == "toml" || e == "md") {
            out.push(path);
        }
    }
}
