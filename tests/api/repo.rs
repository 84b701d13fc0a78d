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
