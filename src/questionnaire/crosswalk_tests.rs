use super::*;
use crate::questionnaire::{parse, LoadError, Parsed, Registry, BUILT_IN};

const FILE: &str = "questionnaires/crosswalk-2018-2025.toml";

fn source() -> &'static str {
    BUILT_IN
        .iter()
        .find(|(f, _)| *f == FILE)
        .map(|(_, s)| *s)
        .unwrap()
}

fn registry() -> Registry {
    Registry::built_in().unwrap()
}

/// Checks an edited copy of the built-in crosswalk against the built-in questionnaires.
fn resolve(source: &str) -> Result<Crosswalk, LoadError> {
    let Parsed::Crosswalk(draft) = parse("edited.toml", source)? else {
        panic!("a crosswalk");
    };
    registry().resolve(&draft)
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(source: &str, needle: &str) -> usize {
    let at = source.find(needle).unwrap();
    source[..at].matches('\n').count() + 1
}

fn built_in() -> Arc<Crosswalk> {
    let r = registry();
    Arc::clone(r.crosswalk_between("dcmm-2025", "dcmm-2018").unwrap())
}

use std::sync::Arc;

#[test]
fn the_built_in_crosswalk_validates_and_its_counts_add_up() {
    let r = registry();
    let c = r.crosswalk_between("dcmm-2018", "dcmm-2025").unwrap();
    let (old, new) = (r.dcmm("dcmm-2018").unwrap(), r.dcmm("dcmm-2025").unwrap());
    let n = c.counts();
    println!(
        "{} one to one, {} many to one (from {}), {} new in 2025, {} dropped",
        n.one_to_one, n.many_to_one, n.merged, n.new, n.dropped
    );
    assert_eq!(n.one_to_one + n.many_to_one + n.new, new.criterion_count());
    assert_eq!(
        n.one_to_one + n.merged + n.dropped + n.unmapped,
        old.criterion_count()
    );
    assert!(n.many_to_one > 0 && n.merged >= 2 * n.many_to_one);
    // 2025 9 数据资产 is new: nothing of 2018 maps into it.
    for l in c.links() {
        assert!(!l.to.starts_with("2025:9."), "{} takes over 2018", l.to);
    }
}

#[test]
fn every_2018_item_maps_somewhere_or_is_documented_as_dropped() {
    let r = registry();
    let c = r.crosswalk_between("dcmm-2018", "dcmm-2025").unwrap();
    let mapped: BTreeSet<&str> = c
        .links()
        .iter()
        .flat_map(|l| &l.from)
        .map(String::as_str)
        .collect();
    let dropped: BTreeSet<&str> = c.dropped().iter().map(|d| d.from.as_str()).collect();
    for item in r
        .dcmm("dcmm-2018")
        .unwrap()
        .domains
        .iter()
        .flat_map(|d| &d.items)
    {
        let ids: Vec<&str> = item.criteria.iter().map(|c| c.id.as_str()).collect();
        let maps = ids.iter().any(|id| mapped.contains(id));
        let all_dropped = ids.iter().all(|id| dropped.contains(id));
        assert!(maps || all_dropped, "{} maps nowhere", item.id);
    }
    for d in c.dropped() {
        assert!(
            d.why.zh.chars().count() > 10 && d.why.en.len() > 20,
            "{}",
            d.from
        );
    }
}

#[test]
fn level_1_criteria_of_paired_items_pair_by_position() {
    let c = built_in();
    for (from, to) in c.item_pairs() {
        for n in 1..=9 {
            let target = format!("{to}:L1:{n}");
            if let Some(sources) = c.sources(&target) {
                assert_eq!(sources, [format!("{from}:L1:{n}")], "{target}");
            }
        }
    }
}

#[test]
fn items_and_domains_pair_by_where_their_criteria_go() {
    let c = built_in();
    let items = c.item_pairs();
    let domains = c.domain_pairs();
    let pair = |v: &[(String, String)], a: &str, b: &str| v.iter().any(|(x, y)| x == a && y == b);
    assert!(pair(domains, "2018:10", "2025:12"), "security: {domains:?}");
    assert!(pair(domains, "2018:9", "2025:14"));
    assert!(pair(domains, "2018:12", "2025:10"));
    assert!(pair(domains, "2018:7", "2025:7"));
    assert!(!domains.iter().any(|(_, b)| b == "2025:9"));
    assert!(pair(items, "2018:9.1", "2025:14.1"));
    assert!(pair(items, "2018:10.1", "2025:12.1"));
    assert!(pair(items, "2018:7.3", "2025:7.3"));
    assert!(pair(items, "2018:12.4", "2025:10.5"));
    // 12.2 splits into master data and reference data: no item of either side pairs with it.
    assert!(!items.iter().any(|(a, _)| a == "2018:12.2"));
    assert!(!items
        .iter()
        .any(|(_, b)| b == "2025:10.2" || b == "2025:10.3"));
    assert_eq!(c.counts().items_paired, items.len());
}

#[test]
fn a_criterion_left_out_is_new_and_the_file_still_validates() {
    let line = "  { to = \"2025:6.1:L5:2\", from = [\"2018:6.1:L5:2\"] },\n";
    let edited = source().replacen(line, "", 1);
    assert_ne!(edited, source());
    let c = resolve(&edited).unwrap();
    assert_eq!(c.sources("2025:6.1:L5:2"), None);
    assert_eq!(c.counts().new, built_in().counts().new + 1);
    assert_eq!(c.counts().unmapped, built_in().counts().unmapped + 1);
}

#[test]
fn a_criterion_added_to_the_questionnaire_later_is_new() {
    let (file, q) = BUILT_IN
        .iter()
        .find(|(f, _)| f.ends_with("dcmm-2025.toml"))
        .unwrap();
    let anchor = "[[domain.item.criterion]]\nid = \"2025:6.1:L2:1\"";
    let added = "[[domain.item.criterion]]\nid = \"2025:6.1:L1:9\"\nlevel = 1\n\
                 dimension = \"process\"\ntext = { zh = \"新增条款\", en = \"Added\" }\n\
                 evidence = { zh = \"新增条款的证据\", en = \"Evidence\" }\n\n";
    let edited = q.replacen(anchor, &format!("{added}{anchor}"), 1);
    let mut r = registry();
    r.insert(parse(file, &edited).unwrap(), &edited);
    r.check(file).unwrap();
    let c = r.crosswalk_between("dcmm-2018", "dcmm-2025").unwrap();
    assert_eq!(c.sources("2025:6.1:L1:9"), None);
    assert_eq!(c.counts().new, built_in().counts().new + 1);
}

#[test]
fn a_broken_copy_is_refused_naming_the_line() {
    let s = source();
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "{ to = \"2025:6.1:L2:2\", from = [\"2018:6.1:L2:2\"] }",
            "{ to = \"2025:6.1:L2:2\", from = [\"2018:6.1:L2:1\"] }",
            "2018:6.1:L2:1\"] }",
            "mapped twice",
        ),
        (
            "{ to = \"2025:6.2:L3:1\"",
            "{ to = \"2025:6.2:L3:9\"",
            "2025:6.2:L3:9",
            "is not a criterion of dcmm-2025",
        ),
        (
            "from = [\"2018:6.3:L2:1\"]",
            "from = [\"2018:6.3:L2:7\"]",
            "2018:6.3:L2:7",
            "is not a criterion of dcmm-2018",
        ),
        (
            "from = [\"2018:7.1:L3:1\"]",
            "from = [\"2018:10.1:L2:2\"]",
            "2018:10.1:L2:2\"]",
            "at level 2 but",
        ),
        (
            "{ to = \"2025:8.1:L2:2\", from = [\"2018:8.1:L2:2\"] }",
            "{ to = \"2025:8.1:L2:1\", from = [\"2018:8.1:L2:2\"] }",
            "{ to = \"2025:8.1:L2:1\", from = [\"2018:8.1:L2:2\"]",
            "listed twice",
        ),
        (
            "to = \"dcmm-2025\"",
            "to = \"dcmm-2035\"",
            "dcmm-2035",
            "not a loaded DCMM",
        ),
    ];
    for (from, to, marker, message) in cases {
        let edited = s.replacen(from, to, 1);
        assert_ne!(edited, s, "{from}");
        let e = resolve(&edited).unwrap_err();
        assert_eq!(e.file, "edited.toml");
        assert!(e.message.contains(message), "{message}: {e}");
        // The last occurrence is the edited one where an id now appears twice.
        let at = edited.rfind(marker).unwrap();
        assert_eq!(e.line, edited[..at].matches('\n').count() + 1, "{e}");
    }
    let dropped_twice = s.replacen(
        "dropped = [\n",
        "dropped = [\n  { from = \"2018:6.1:L1:1\", why = { zh = \"重复\", en = \"twice\" } },\n",
        1,
    );
    let e = resolve(&dropped_twice).unwrap_err();
    assert!(e.message.contains("2018:6.1:L1:1 is mapped twice"), "{e}");
    assert_eq!(
        e.line,
        line_of(&dropped_twice, "{ from = \"2018:6.1:L1:1\"")
    );
}

#[test]
fn the_service_refuses_to_start_on_a_broken_crosswalk_in_its_folder() {
    let dir = std::env::temp_dir().join(format!("dcmm-crosswalk-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let edited = source().replacen("\"2018:6.1:L2:3\"]", "\"2018:6.1:L2:4\"]", 1);
    std::fs::write(dir.join("crosswalk-2018-2025.toml"), &edited).unwrap();
    let e = Registry::load(Some(&dir)).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(e.file.ends_with("crosswalk-2018-2025.toml"), "{e}");
    assert_eq!(e.line, line_of(&edited, "{ to = \"2025:6.1:L2:4\""));
    assert!(e.message.contains("2018:6.1:L2:4 is mapped twice"), "{e}");
}

#[test]
fn a_folder_questionnaire_the_built_in_crosswalk_no_longer_fits_sets_it_aside() {
    let dir = std::env::temp_dir().join(format!("dcmm-crosswalk-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, q) = BUILT_IN
        .iter()
        .find(|(f, _)| f.ends_with("dcmm-2025.toml"))
        .unwrap();
    let edited = q.replacen("id = \"2025:6.1:L5:2\"", "id = \"2025:6.1:L5:3\"", 1);
    std::fs::write(dir.join("dcmm-2025.toml"), &edited).unwrap();
    let r = Registry::load(Some(&dir)).unwrap();
    assert!(r.crosswalk_between("dcmm-2018", "dcmm-2025").is_none());
    // Brought along with the folder, the same crosswalk must fit.
    std::fs::write(dir.join("crosswalk-2018-2025.toml"), source()).unwrap();
    let e = Registry::load(Some(&dir)).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        e.message.contains("2025:6.1:L5:2 is not a criterion"),
        "{e}"
    );
}
