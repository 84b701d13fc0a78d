//! The shared action of each weakest item: the criteria it quotes and how they are shortened.

use super::*;
use crate::report::cluster::build::weakest::{action_level, shorten};

#[test]
fn shared_actions_quote_the_criteria_of_the_level_above_the_cluster_mean() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let input = CampaignInput {
        questionnaire: q,
        target_level: 3,
        enterprises: small(q),
        previous: None,
    };
    let r = rollup(&input, &RollupPolicy::default());
    let report = cluster_report(facts(), q, &r, &input.enterprises, Lang::Zh);
    let actions = &report.weakest.after[1..];
    assert_eq!(actions.len(), r.weakest_items.len());
    for (w, action) in r.weakest_items.iter().zip(actions) {
        let level = action_level(w.mean.whole(), 3);
        let item = q
            .domains
            .iter()
            .flat_map(|d| &d.items)
            .find(|i| i.id == w.id)
            .unwrap();
        let first = item.criteria.iter().find(|c| c.level == level).unwrap();
        let quoted = shorten(&first.text.zh, 36);
        assert!(action.starts_with(&w.section), "{action}");
        assert!(action.contains(&format!("第 {level} 级")), "{action}");
        assert!(
            action.contains(quoted.trim_end_matches(['…', '.'])),
            "{action} should quote {quoted}"
        );
    }
}

#[test]
fn the_action_level_is_one_above_the_mean_and_at_most_the_target() {
    assert_eq!(action_level(0, 3), 1);
    assert_eq!(action_level(1, 3), 2);
    assert_eq!(action_level(2, 3), 3);
    assert_eq!(action_level(3, 3), 3);
    assert_eq!(action_level(4, 5), 5);
    assert_eq!(action_level(5, 5), 5);
    assert_eq!(action_level(0, 0), 1, "a target of 0 still names level 1");
}

#[test]
fn criteria_are_shortened_at_a_boundary_with_an_ellipsis() {
    assert_eq!(shorten("数据有人管理。", 36), "数据有人管理");
    let zh = "制定并正式发布了组织级数据战略，明确了数据管理的愿景、目标和原则，并与企业发展战略保持一致。";
    assert_eq!(
        shorten(zh, 36),
        "制定并正式发布了组织级数据战略，明确了数据管理的愿景、目标和原则…"
    );
    let en =
        "An organisation-wide data strategy is formally issued, stating the vision, goals and \
              principles of data management, and aligned with the business strategy.";
    let short = shorten(en, 90);
    let kept = short
        .strip_suffix("...")
        .expect("three full stops in English");
    assert!(kept.chars().count() <= 90, "{short}");
    assert!(
        en.starts_with(kept) && !kept.ends_with([' ', ',']),
        "{short}"
    );
}
