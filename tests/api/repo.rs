//! Checks on the repository itself: files that must agree with each other.

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn migration_folders_hold_the_same_names_with_up_and_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let sqlite = names(&root.join("sqlite"));
    let postgres = names(&root.join("postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres differ"
    );
    for backend in ["sqlite", "postgres"] {
        for name in &sqlite {
            let files = names(&root.join(backend).join(name));
            assert!(
                files.contains("up.sql") && files.contains("down.sql"),
                "{backend}/{name}"
            );
        }
    }
}

#[test]
fn every_file_the_dockerfile_copies_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).expect("Dockerfile");
    let mut checked = 0;
    for line in dockerfile.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first().map(|w| w.to_ascii_uppercase()) != Some("COPY".to_owned()) {
            continue;
        }
        // Copies out of another build stage name no file of the repository.
        if words.iter().any(|w| w.starts_with("--from=")) {
            continue;
        }
        let args: Vec<&str> = words[1..]
            .iter()
            .copied()
            .filter(|w| !w.starts_with("--"))
            .collect();
        assert!(
            args.len() >= 2,
            "COPY needs a source and a destination: {line}"
        );
        for source in &args[..args.len() - 1] {
            assert!(
                root.join(source).exists(),
                "Dockerfile copies {source}, which does not exist"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "the Dockerfile copies nothing from the repository"
    );
}

/// The `.rs` files under `dir`, with their text.
fn sources(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

/// The names `crate::NAME` in `text`, outside comments.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
        if let Some(list) = code.trim().strip_prefix("use crate::{") {
            for name in list.split([',', '}', ' ']).filter(|n| !n.is_empty()) {
                found.insert(name.split("::").next().unwrap_or(name).to_owned());
            }
        }
    }
    found
}

#[test]
fn pages_command_line_and_identity_import_nothing_from_the_api() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for dir in ["web", "cli", "auth", "report", "campaign"] {
        for (path, text) in sources(&src.join(dir)) {
            assert!(
                !crate_paths(&text).contains("api"),
                "{} imports from crate::api",
                path.display()
            );
        }
    }
    for file in ["cli.rs", "access.rs", "state.rs", "audit.rs"] {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        assert!(
            !crate_paths(&text).contains("api"),
            "{file} imports from crate::api"
        );
    }
}

#[test]
fn api_handler_modules_do_not_import_one_another() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    // Shared by the handlers: extractors, response types, the multipart reader.
    let shared = ["extract", "types", "upload"];
    let handlers: Vec<String> = names(&api)
        .into_iter()
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_owned))
        .filter(|n| n != "mod" && !shared.contains(&n.as_str()))
        .collect();
    for (path, text) in sources(&api) {
        for other in &handlers {
            for form in [
                format!("super::{other}::"),
                format!("crate::api::{other}::"),
            ] {
                assert!(!text.contains(&form), "{} uses {form}", path.display());
            }
        }
    }
}

#[test]
fn top_level_modules_import_one_another_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (path, text) in sources(&src) {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let file = rel.file_name().unwrap().to_string_lossy();
        if top == "main" || top == "lib" || file.contains("tests") {
            continue;
        }
        // Unit tests may reach anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        let targets = edges.entry(top.clone()).or_default();
        for name in crate_paths(text) {
            let module = src.join(&name).exists() || src.join(format!("{name}.rs")).exists();
            if module && name != top {
                targets.insert(name);
            }
        }
    }
    // A depth-first walk from every module; reaching the start again is a cycle.
    for start in edges.keys() {
        let mut stack: Vec<Vec<String>> = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(trail) = stack.pop() {
            let last = trail.last().unwrap();
            for next in edges.get(last).into_iter().flatten() {
                assert!(
                    next != start,
                    "import cycle: {} -> {next}",
                    trail.join(" -> ")
                );
                if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
}
