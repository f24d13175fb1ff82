//! The module structure of `src/` (see `src/lib.rs`): three layers, cli on
//! top, commands below it, services at the bottom; an import never runs
//! upward, and the modules import each other without a cycle. Read from the
//! source text, so a new import that breaks the rule fails `cargo test`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module of `src/` and its layer (0: services, 1:
/// commands, 2: cli). A new module must be added here.
const LAYERS: &[(&str, u8)] = &[
    ("cli", 2),
    ("audit", 1),
    ("bench", 1),
    ("demo", 1),
    ("generate", 1),
    ("import", 1),
    ("ingest", 1),
    ("repl", 1),
    ("report", 1),
    ("snapshots", 1),
    ("views", 1),
    ("mail", 1),
    ("catalog", 0),
    ("canonical", 0),
    ("contacts", 0),
    ("contract", 0),
    ("exit", 0),
    ("format", 0),
    ("library", 0),
    ("outfile", 0),
    ("sqltext", 0),
    ("storage", 0),
    ("timezones", 0),
    ("trace", 0),
    ("values", 0),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file of `src/` belongs to.
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
    Some(first.trim_end_matches(".rs").to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names with `crate::x` (paths and `use`
/// lines, including `use crate::{x, y}`). Comments are skipped.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                for item in group.split('}').next().unwrap_or_default().split(',') {
                    let name: String = item.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        found.insert(name);
                    }
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    found
}

/// module -> the modules it imports (itself left out).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&file) else { continue };
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(imports(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

fn layer(module: &str) -> u8 {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
        .unwrap_or_else(|| panic!("module {module} is not in tests/suite/layers.rs LAYERS: give it a layer"))
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let mut upward = Vec::new();
    for (module, imported) in graph() {
        for target in imported {
            if layer(&target) > layer(&module) {
                upward.push(format!("{module} (layer {}) imports {target} (layer {})", layer(&module), layer(&target)));
            }
        }
    }
    assert!(upward.is_empty(), "imports running upward:\n{}", upward.join("\n"));
}

#[test]
fn the_modules_import_each_other_without_a_cycle() {
    let graph = graph();
    // Kahn's algorithm: repeatedly remove modules that import nothing left.
    let mut remaining = graph.clone();
    loop {
        let free: Vec<String> = remaining.iter().filter(|(_, deps)| deps.iter().all(|d| !remaining.contains_key(d))).map(|(m, _)| m.clone()).collect();
        if free.is_empty() {
            break;
        }
        for module in free {
            remaining.remove(&module);
        }
    }
    assert!(remaining.is_empty(), "these modules import each other in a cycle: {:?}", remaining);
}

#[test]
fn the_import_scanner_reads_paths_and_groups() {
    let found = imports("use crate::{format, storage::Access};\nlet x = crate::catalog::list(c); // crate::cli\n");
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["catalog", "format", "storage"]);
}
