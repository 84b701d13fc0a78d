//! Who assessed: the review that decided where the assessment stands, the criteria the auditor
//! rated with the enterprise's own rating beside each, and the summary's sentences about them.

use crate::domain::assessment::Decision;
use crate::questionnaire::{Lang, Questionnaire};
use crate::report::enterprise::{Note, RatingFact, Rerated, Verification};
use crate::report::level_name;
use crate::scoring::scale::scale;
use crate::scoring::{Policy, Rating};

fn decision_label(decision: &str, lang: Lang) -> String {
    decision
        .parse::<Decision>()
        .map_or_else(|_| decision.to_owned(), |d| d.label(lang).to_owned())
}

/// The latest review: it decided where the assessment stands.
pub(super) fn verification(notes: &[Note], lang: Lang) -> Option<Verification> {
    notes.last().map(|n| Verification {
        auditor: n.auditor.clone(),
        at: n.at,
        decision: decision_label(&n.decision, lang),
        note: n.text.clone(),
    })
}

/// The auditor's ratings, each with the enterprise's own, the criterion's item and text.
pub(super) fn rerated(
    q: &Questionnaire,
    facts: &[RatingFact],
    policy: &Policy,
    lang: Lang,
) -> Vec<Rerated> {
    let steps = scale(policy, q.guidance.as_deref());
    let name = |r: Option<Rating>| match r {
        Some(r) => steps
            .iter()
            .find(|s| s.rating == r)
            .map_or_else(|| r.as_str().to_owned(), |s| s.name.get(lang).to_owned()),
        None => lang.t("未作答", "unanswered").to_owned(),
    };
    facts
        .iter()
        .map(|f| {
            let item = q
                .domains
                .iter()
                .flat_map(|d| &d.items)
                .find(|i| i.criteria.iter().any(|c| c.id == f.criterion));
            let points = |r: Option<Rating>| policy.points_of(r);
            Rerated {
                criterion: f.criterion.clone(),
                item_id: item.map_or_else(String::new, |i| i.id.clone()),
                item: item.map_or_else(String::new, |i| i.name.get(lang).to_owned()),
                text: q
                    .criterion(&f.criterion)
                    .map_or_else(String::new, |c| c.text.get(lang).to_owned()),
                self_rating: name(f.self_rating),
                verified: name(Some(f.verified)),
                lowered: matches!(
                    (points(Some(f.verified)), points(f.self_rating)),
                    (Some(v), Some(s)) if v < s
                ),
                note: f.note.clone(),
            }
        })
        .collect()
}

fn level_with_name(level: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{level}（{}）", level_name(lang, level)),
        Lang::En => format!("{level} ({})", level_name(lang, level)),
    }
}

/// "self-assessed level X → verified level Y", when verification changed the level.
pub(super) fn level_change(self_level: u8, verified: Option<u8>, lang: Lang) -> Option<String> {
    let v = verified.filter(|v| *v != self_level)?;
    let (from, to) = (level_with_name(self_level, lang), level_with_name(v, lang));
    Some(match lang {
        Lang::Zh => format!("核验改变了指示等级：自评等级 {from} → 核验后等级 {to}。"),
        Lang::En => format!(
            "Verification changed the indicated level: self-assessed level {from} → verified \
             level {to}."
        ),
    })
}

/// The scores and levels in a sentence.
pub(super) fn scores_sentence(
    own: (crate::scoring::Hundredths, u8),
    verified: Option<(crate::scoring::Hundredths, u8)>,
    lang: Lang,
) -> String {
    let (s, l) = own;
    let own_level = level_with_name(l, lang);
    match (lang, verified) {
        (Lang::Zh, Some((v, vl))) => format!(
            "自评总分 {s}，指示等级 {own_level}；核验后总分 {v}，指示等级 {}。",
            level_with_name(vl, lang)
        ),
        (Lang::Zh, None) => {
            format!("自评总分 {s}，指示等级 {own_level}，尚未经审核员核验。")
        }
        (Lang::En, Some((v, vl))) => format!(
            "Self-assessed overall score {s}, indicated level {own_level}; verified overall \
             score {v}, indicated level {}.",
            level_with_name(vl, lang)
        ),
        (Lang::En, None) => format!(
            "Self-assessed overall score {s}, indicated level {own_level}; not yet verified by \
             an auditor."
        ),
    }
}

/// Who reviewed the assessment, when, what was decided, and how many criteria were re-rated.
pub(super) fn who_sentence(v: &Verification, rerated: usize, lang: Lang) -> String {
    let day = v.at.format("%Y-%m-%d");
    let text = v
        .note
        .trim()
        .trim_end_matches(['。', '.', '；', ';', '，', ',']);
    let note = match (lang, text.is_empty()) {
        (_, true) => String::new(),
        (Lang::Zh, false) => format!("，意见：{text}"),
        (Lang::En, false) => format!(", noting: {text}"),
    };
    let rated = match (lang, rerated) {
        (Lang::Zh, 0) => "未改动任何条款的评定".to_owned(),
        (Lang::Zh, n) => format!("审核员评定了 {n} 条条款"),
        (Lang::En, 0) => "the auditor changed no criterion's rating".to_owned(),
        (Lang::En, 1) => "the auditor rated 1 criterion".to_owned(),
        (Lang::En, n) => format!("the auditor rated {n} criteria"),
    };
    match lang {
        Lang::Zh => format!(
            "审核员 {} 于 {day} 审核，结论：{}{note}；{rated}。",
            v.auditor, v.decision
        ),
        Lang::En => format!(
            "Reviewed by auditor {} on {day}, decision: {}{note}; {rated}.",
            v.auditor, v.decision
        ),
    }
}
