use std::collections::BTreeMap;

use super::*;

fn registry() -> Registry {
    Registry::built_in().unwrap()
}

#[test]
fn every_file_in_the_questionnaires_folder_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            let source = std::fs::read_to_string(&path).unwrap();
            parse(&path.display().to_string(), &source).unwrap();
            files += 1;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".toml") {
            let built_in = BUILT_IN.iter().any(|(f, _)| f.ends_with(&name));
            assert!(built_in, "{name} is not built into the binary");
        }
    }
    assert_eq!(files, BUILT_IN.len());
}

#[test]
fn the_2025_edition_has_9_domains_and_33_items() {
    let r = registry();
    let q = r.dcmm("dcmm-2025").unwrap();
    assert_eq!(q.domains.len(), 9);
    assert_eq!(q.item_count(), 33);
    let sizes: Vec<_> = q.domains.iter().map(|d| d.items.len()).collect();
    assert_eq!(sizes, [3, 3, 4, 3, 5, 4, 3, 4, 4]);
    assert_eq!(r.default_dcmm().unwrap().id, "dcmm-2025");
}

#[test]
fn the_2018_edition_has_8_domains_and_28_items() {
    let r = registry();
    let q = r.dcmm("dcmm-2018").unwrap();
    assert_eq!(q.domains.len(), 8);
    assert_eq!(q.item_count(), 28);
    let sections: Vec<_> = q.domains.iter().map(|d| d.section.as_str()).collect();
    assert_eq!(sections, ["6", "7", "8", "9", "10", "11", "12", "13"]);
}

#[test]
fn both_editions_have_the_grain_of_the_standard() {
    let r = registry();
    for id in ["dcmm-2025", "dcmm-2018"] {
        let q = r.dcmm(id).unwrap();
        let average = q.criterion_count() as f64 / q.item_count() as f64;
        assert!(average >= 12.0, "{id}: {average:.1} criteria per item");
        for item in q.domains.iter().flat_map(|d| &d.items) {
            for level in 1..=5 {
                let n = item.criteria.iter().filter(|c| c.level == level).count();
                assert!(n >= 1, "{id} {} has nothing at level {level}", item.section);
            }
        }
        let na = q.criteria().filter(|c| c.allow_na).count();
        assert!(
            na * 50 < q.criterion_count(),
            "{id}: N/A is allowed too often"
        );
    }
}

#[test]
fn criterion_ids_index_the_answer_sheet() {
    let r = registry();
    let q = r.dcmm("dcmm-2025").unwrap();
    assert_eq!(q.index_of("2025:6.1:L1:1"), Some(0));
    let last = q.criteria().last().unwrap();
    assert_eq!(q.index_of(&last.id), Some(q.criterion_count() - 1));
    assert_eq!(q.criterion("2025:6.1:L2:1").unwrap().level, 2);
    assert!(q.index_of("2018:6.1:L1:1").is_none());
}

#[test]
fn the_hash_is_of_the_content() {
    let (file, source) = BUILT_IN[0];
    let a = match parse(file, source).unwrap() {
        Parsed::Dcmm(q) => q.hash,
        _ => unreachable!(),
    };
    let edited = source.replacen("Data strategy", "Data Strategy", 1);
    let b = match parse(file, &edited).unwrap() {
        Parsed::Dcmm(q) => q.hash,
        _ => unreachable!(),
    };
    assert_eq!(a.len(), 64);
    assert_ne!(a, b);
}

const SMALL: &str = r#"id = "tiny"
kind = "dcmm"
edition = "2025"
standard = "test"
title = { zh = "小", en = "Tiny" }

[[domain]]
section = "6"
name = { zh = "数据战略", en = "Data strategy" }

[[domain.item]]
section = "6.1"
name = { zh = "规划", en = "Planning" }
"#;

fn criterion(id: &str, level: u8, dimension: &str) -> String {
    format!(
        "\n[[domain.item.criterion]]\nid = \"{id}\"\nlevel = {level}\ndimension = \"{dimension}\"\n\
         text = {{ zh = \"文\", en = \"text\" }}\nevidence = {{ zh = \"证\", en = \"evidence\" }}\n"
    )
}

fn five_levels() -> String {
    (1..=5)
        .map(|l| criterion(&format!("2025:6.1:L{l}:1"), l, "process"))
        .collect()
}

fn load_error(source: &str) -> LoadError {
    parse("tiny.toml", source).unwrap_err()
}

#[test]
fn a_valid_small_file_loads() {
    let parsed = parse("tiny.toml", &format!("{SMALL}{}", five_levels())).unwrap();
    assert_eq!(parsed.id(), "tiny");
}

#[test]
fn a_duplicate_criterion_id_is_refused_at_its_line() {
    let source = format!(
        "{SMALL}{}{}",
        five_levels(),
        criterion("2025:6.1:L5:1", 5, "policy")
    );
    let err = load_error(&source);
    assert!(err.message.contains("appears twice"), "{err}");
    let line = source.lines().nth(err.line - 1).unwrap();
    assert_eq!(line, "id = \"2025:6.1:L5:1\"");
    assert!(err.line > 40, "{err}");
    assert!(err.to_string().starts_with("tiny.toml:"));
}

#[test]
fn a_missing_level_is_refused() {
    let source = format!(
        "{SMALL}{}{}",
        criterion("2025:6.1:L1:1", 1, "process"),
        criterion("2025:6.1:L2:1", 2, "process")
    );
    let err = load_error(&source);
    assert!(err.message.contains("no criterion at level 3"), "{err}");
    assert_eq!(
        source.lines().nth(err.line - 1).unwrap(),
        "section = \"6.1\""
    );
}

#[test]
fn an_unknown_dimension_is_refused_at_its_line() {
    let source = format!("{SMALL}{}", five_levels()).replacen("\"process\"", "\"people\"", 1);
    let err = load_error(&source);
    assert!(err.message.contains("unknown dimension"), "{err}");
    assert_eq!(
        source.lines().nth(err.line - 1).unwrap(),
        "dimension = \"people\""
    );
}

#[test]
fn a_criterion_id_must_match_its_item_and_level() {
    let source = format!("{SMALL}{}", five_levels()).replacen("2025:6.1:L2:1", "2025:6.2:L2:1", 1);
    let err = load_error(&source);
    assert!(err.message.contains("must be 2025:6.1:L2:"), "{err}");
}

#[test]
fn an_empty_translation_is_refused() {
    let source = format!("{SMALL}{}", five_levels()).replacen("en = \"text\"", "en = \" \"", 1);
    let err = load_error(&source);
    assert!(err.message.contains("text.en is empty"), "{err}");
}

#[test]
fn a_missing_language_is_refused_with_a_line() {
    let source = format!("{SMALL}{}", five_levels()).replacen(", en = \"evidence\"", "", 1);
    let err = load_error(&source);
    assert!(err.message.contains("en"), "{err}");
    assert!(err.line > 13, "{err}");
}

#[test]
fn unknown_keys_and_bad_syntax_are_refused_with_a_line() {
    let source =
        format!("{SMALL}{}", five_levels()).replacen("level = 3", "level = 3\nweight = 2", 1);
    let err = load_error(&source);
    assert!(err.message.contains("weight"), "{err}");
    assert_eq!(source.lines().nth(err.line - 1).unwrap(), "weight = 2");
    let err = load_error("id = \"x\"\nkind = \"dcmm\"\nedition = [\n");
    assert_eq!(err.file, "tiny.toml");
    assert!(err.line >= 3, "{err}");
}

#[test]
fn an_item_outside_its_domain_is_refused() {
    let source =
        format!("{SMALL}{}", five_levels()).replacen("section = \"6.1\"", "section = \"7.1\"", 1);
    let err = load_error(&source);
    assert!(err.message.contains("not under domain 6"), "{err}");
}

#[test]
fn profile_answers_are_checked_by_type() {
    let r = registry();
    let profile = r.profile(PROFILE_ID).unwrap();
    let answers: BTreeMap<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "size": "medium", "industry": "equipment", "employees": 320, "data_volume": "1tb_10tb",
        "data_staff": 3, "data_tools": ["metadata", "quality"], "cdo_appointed": true,
        "cdo_rank": null
    }))
    .unwrap();
    let clean = profile::check_answers(profile, &answers).unwrap();
    assert!(!clean.contains_key("cdo_rank"));

    let bad: BTreeMap<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "size": "gigantic", "employees": -3, "data_tools": ["metadata", "metadata"],
        "cdo_appointed": "yes", "favourite_colour": "blue"
    }))
    .unwrap();
    let errors = profile::check_answers(profile, &bad).unwrap_err();
    for field in [
        "size",
        "employees",
        "data_tools",
        "cdo_appointed",
        "favourite_colour",
        "industry",
        "data_staff",
    ] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
}
