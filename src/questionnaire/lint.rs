//! The content rules a loaded questionnaire can still break, checked mechanically by
//! `dcmm questionnaire lint`: cells big enough that no single answer decides a level, cell sizes
//! that follow the item rather than one template, evidence hints an assessor can act on, and
//! level-1 criteria that describe a capability rather than its absence.

use std::collections::BTreeMap;

use super::model::{Criterion, Questionnaire};

/// Fewest criteria at each of levels 1 and 2 of every item.
pub const MIN_LOW_CELL: usize = 3;
/// Shortest evidence hint, in characters, in each language.
pub const MIN_HINT_CHARS: usize = 10;
/// Most criteria one evidence hint may be shared by.
pub const MAX_HINT_REUSE: usize = 3;

/// Below this many items, one cell shape for all is no template.
pub const MIN_ITEMS_FOR_SHAPES: usize = 4;

/// Phrases that make a level-1 criterion describe a deficiency (Chinese, as written).
pub const NEGATED_ZH: &[&str] = &[
    "尚未",
    "未建立",
    "未形成",
    "未制定",
    "未开展",
    "未统一",
    "临时",
    "被动",
    "直接在",
    "缺乏",
    "缺少",
    "没有",
    "无统一",
    "不统一",
    "零散",
    "随意",
    "凭经验",
    "为主",
];
/// The same in English, matched case-insensitively.
pub const NEGATED_EN: &[&str] = &[
    "ad hoc", "ad-hoc", "not yet", "reactive", "lack", "without", "informal", "mainly", "mostly",
];

/// One broken rule, naming the criterion or item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub at: String,
    pub message: String,
}

/// What the lint found and the counts it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub findings: Vec<Finding>,
    /// Criteria per level 1–5.
    pub per_level: [usize; 5],
    /// Items per count vector (criteria at levels 1–5), most common first.
    pub shapes: Vec<([usize; 5], usize)>,
    /// Level-4 criteria that mention intelligent (AI) tools.
    pub intelligent_l4: usize,
    pub items: usize,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The negated phrases a level-1 criterion's text contains, in either language.
pub fn negated_phrases(c: &Criterion) -> Vec<&'static str> {
    let en = c.text.en.to_lowercase();
    NEGATED_ZH
        .iter()
        .filter(|p| c.text.zh.contains(**p))
        .chain(NEGATED_EN.iter().filter(|p| en.contains(**p)))
        .copied()
        .collect()
}

pub fn lint(q: &Questionnaire) -> Lint {
    let mut findings = Vec::new();
    let mut per_level = [0usize; 5];
    let mut shapes: BTreeMap<[usize; 5], usize> = BTreeMap::new();
    let mut hints: BTreeMap<(usize, &str), Vec<&str>> = BTreeMap::new();
    let mut intelligent_l4 = 0;
    let mut items = 0;
    if q.guidance.is_none() {
        findings.push(Finding {
            at: q.id.clone(),
            message: "no [rating] guidance: say what each rating means".into(),
        });
    }
    for item in q.domains.iter().flat_map(|d| &d.items) {
        items += 1;
        let mut shape = [0usize; 5];
        for c in &item.criteria {
            let l = usize::from(c.level.clamp(1, 5) - 1);
            shape[l] += 1;
            per_level[l] += 1;
            for (lang, hint) in [&c.evidence.zh, &c.evidence.en].into_iter().enumerate() {
                if chars(hint) < MIN_HINT_CHARS {
                    findings.push(Finding {
                        at: c.id.clone(),
                        message: format!(
                            "evidence hint {hint:?} is shorter than {MIN_HINT_CHARS} characters"
                        ),
                    });
                }
                hints.entry((lang, hint.as_str())).or_default().push(&c.id);
            }
            if c.level == 1 {
                let found = negated_phrases(c);
                if !found.is_empty() {
                    findings.push(Finding {
                        at: c.id.clone(),
                        message: format!(
                            "a level-1 criterion describes a deficiency ({}): say what is present",
                            found.join(", ")
                        ),
                    });
                }
            }
            if c.level == 4
                && (c.text.zh.contains("智能") || c.text.en.to_lowercase().contains("intelligen"))
            {
                intelligent_l4 += 1;
            }
        }
        for (level, count) in shape.iter().enumerate().take(2) {
            if *count < MIN_LOW_CELL {
                findings.push(Finding {
                    at: item.id.clone(),
                    message: format!(
                        "level {} has {count} criteria: at least {MIN_LOW_CELL}, so that no single answer decides it",
                        level + 1
                    ),
                });
            }
        }
        *shapes.entry(shape).or_default() += 1;
    }
    for ((_, hint), ids) in &hints {
        if ids.len() > MAX_HINT_REUSE {
            findings.push(Finding {
                at: ids.join(", "),
                message: format!(
                    "evidence hint {hint:?} is shared by {} criteria: at most {MAX_HINT_REUSE}",
                    ids.len()
                ),
            });
        }
    }
    let mut shapes: Vec<([usize; 5], usize)> = shapes.into_iter().collect();
    shapes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if let Some((shape, n)) = shapes.first() {
        if items >= MIN_ITEMS_FOR_SHAPES && 2 * n > items {
            findings.push(Finding {
                at: q.id.clone(),
                message: format!(
                    "{n} of {items} items have the same criteria per level {shape:?}: let cell sizes follow the item"
                ),
            });
        }
    }
    Lint {
        findings,
        per_level,
        shapes,
        intelligent_l4,
        items,
    }
}

impl Lint {
    /// The counts, one line each.
    pub fn summary(&self) -> Vec<String> {
        let p = &self.per_level;
        vec![
            format!(
                "criteria per level: L1 {} · L2 {} · L3 {} · L4 {} · L5 {}",
                p[0], p[1], p[2], p[3], p[4]
            ),
            format!(
                "cell shapes: {} distinct over {} items; most common {}",
                self.shapes.len(),
                self.items,
                self.shapes
                    .iter()
                    .take(3)
                    .map(|(s, n)| format!("{}/{}/{}/{}/{} ×{n}", s[0], s[1], s[2], s[3], s[4]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "level-4 criteria naming intelligent tools: {}",
                self.intelligent_l4
            ),
            format!("findings: {}", self.findings.len()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{parse, Parsed};

    const HEAD: &str = r#"
id = "t"
kind = "dcmm"
edition = "9"
standard = "T"
title = { zh = "测试", en = "Test" }
default = true
[rating]
fully = { zh = "全部", en = "All" }
largely = { zh = "大部分", en = "Most" }
partially = { zh = "部分", en = "Some" }
not = { zh = "无", en = "None" }
na = { zh = "不适用", en = "Does not apply" }
[[domain]]
section = "6"
name = { zh = "域", en = "Domain" }
[[domain.item]]
section = "6.1"
name = { zh = "项", en = "Item" }
"#;

    fn criterion(id: &str, level: u8, zh: &str, en: &str, hint: &str) -> String {
        format!(
            "[[domain.item.criterion]]\nid = \"9:6.1:L{level}:{id}\"\nlevel = {level}\ndimension = \"process\"\ntext = {{ zh = \"{zh}\", en = \"{en}\" }}\nevidence = {{ zh = \"{hint}\", en = \"{hint}\" }}\n"
        )
    }

    fn questionnaire(criteria: &[String]) -> Questionnaire {
        let source = format!("{HEAD}{}", criteria.concat());
        match parse("t.toml", &source).unwrap() {
            Parsed::Dcmm(q) => q,
            _ => panic!("a dcmm questionnaire"),
        }
    }

    fn hint(n: usize) -> String {
        format!("项目记录与评审纪要第{n}号文件")
    }

    fn good() -> Vec<String> {
        let mut out = Vec::new();
        let mut n = 0;
        for level in 1..=5u8 {
            let count = if level <= 2 { 3 } else { 1 };
            for k in 1..=count {
                n += 1;
                out.push(criterion(
                    &k.to_string(),
                    level,
                    "在项目中识别并记录了数据需求。",
                    "Data needs are identified and recorded in projects.",
                    &hint(n),
                ));
            }
        }
        out
    }

    #[test]
    fn a_questionnaire_that_keeps_the_rules_has_no_findings_and_is_counted() {
        let lint = lint(&questionnaire(&good()));
        assert_eq!(lint.findings, vec![]);
        assert_eq!(lint.per_level, [3, 3, 1, 1, 1]);
        assert_eq!(lint.shapes, vec![([3, 3, 1, 1, 1], 1)]);
    }

    #[test]
    fn a_deficiency_at_level_1_is_found_in_either_language() {
        let mut criteria = good();
        criteria[0] = criterion(
            "1",
            1,
            "数据问题由IT人员临时处理。",
            "Data problems are handled.",
            &hint(0),
        );
        criteria[1] = criterion(
            "2",
            1,
            "记录了数据问题。",
            "Data problems are handled ad hoc.",
            &hint(100),
        );
        let found = lint(&questionnaire(&criteria)).findings;
        let at: Vec<&str> = found.iter().map(|f| f.at.as_str()).collect();
        assert_eq!(at, ["9:6.1:L1:1", "9:6.1:L1:2"]);
        assert!(found[0].message.contains("临时"), "{}", found[0].message);
        assert!(found[1].message.contains("ad hoc"), "{}", found[1].message);
    }

    #[test]
    fn small_cells_short_and_shared_hints_are_found() {
        let mut criteria = good();
        criteria.remove(4); // one of level 2
        criteria[0] = criterion("1", 1, "记录了需求。", "Needs are recorded.", "清单");
        for c in criteria.iter_mut().skip(1).take(4) {
            *c = c.replace(
                &c[c.find("evidence").unwrap()..],
                &format!(
                    "evidence = {{ zh = \"{}\", en = \"{}\" }}\n",
                    hint(7),
                    hint(7)
                ),
            );
        }
        let found = lint(&questionnaire(&criteria)).findings;
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("level 2 has 2 criteria")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("shorter than 10")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("shared by 5 criteria")),
            "{messages:?}"
        );
    }
}

#[cfg(test)]
mod built_in {
    #[test]
    fn the_built_in_questionnaires_keep_every_content_rule() {
        let registry = crate::questionnaire::Registry::built_in().unwrap();
        for q in registry.dcmm_all() {
            let lint = super::lint(q);
            assert_eq!(lint.findings, vec![], "{}", q.id);
            assert!(lint.per_level.iter().all(|n| *n > 0), "{}", q.id);
        }
    }
}
