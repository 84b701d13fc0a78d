//! The eligibility pre-check and the chief-data-officer summary beside the profile form,
//! drawn from the scoring functions the API answers with. `profile.js` redraws the same
//! markup from the API's JSON after each save, with the words these panels carry in their
//! `data-` attributes, so the script holds no text of its own.

use crate::questionnaire::model::Profile;
use crate::questionnaire::Lang;
use crate::scoring::profile::{keys, CdoSummary, Eligibility};
use crate::web::html::escape;

/// `{n}` and the like in a template, filled in.
fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |out, (k, v)| {
        out.replace(&format!("{{{k}}}"), v)
    })
}

struct PrecheckWords {
    met: &'static str,
    unmet: &'static str,
    all_met: &'static str,
    some_unmet: &'static str,
    value: &'static str,
}

fn precheck_words(lang: Lang) -> PrecheckWords {
    PrecheckWords {
        met: lang.t("已满足", "met"),
        unmet: lang.t("未满足", "not met"),
        all_met: lang.t("各项条件均已满足", "Every condition is met"),
        some_unmet: lang.t(
            "尚有 {n} 项条件未满足（共 {total} 项）",
            "{n} of {total} conditions not met yet",
        ),
        value: lang.t(
            "现有 {value}，要求至少 {required}",
            "now {value}; at least {required} needed",
        ),
    }
}

/// The pre-check: each condition met or not, with the figure and the threshold.
pub fn precheck(lang: Lang, eligibility: &Eligibility) -> String {
    let w = precheck_words(lang);
    let unmet = eligibility.conditions.iter().filter(|c| !c.met).count();
    let verdict = if eligibility.all_met {
        w.all_met.to_owned()
    } else {
        fill(
            w.some_unmet,
            &[
                ("n", unmet.to_string()),
                ("total", eligibility.conditions.len().to_string()),
            ],
        )
    };
    let items: String = eligibility
        .conditions
        .iter()
        .map(|c| {
            let (class, state, mark) = if c.met {
                ("met", w.met, "✓")
            } else {
                ("unmet", w.unmet, "✗")
            };
            format!(
                r#"<li class="{class}" data-key="{key}"><span class="mark" aria-hidden="true">{mark}</span> <span class="state">{state}</span> <span class="label">{label}</span> <span class="value">{value}</span></li>"#,
                key = escape(c.key),
                label = escape(lang.text(&c.label)),
                value = escape(&fill(
                    w.value,
                    &[("value", c.value.to_string()), ("required", c.required.to_string())]
                )),
            )
        })
        .collect();
    format!(
        r#"<section class="card panel" id="precheck" aria-labelledby="precheck-title" data-met="{met}" data-unmet="{unmet_word}" data-all-met="{all_met}" data-some-unmet="{some_unmet}" data-value="{value}">
<h2 id="precheck-title">{title}</h2>
<p class="verdict {verdict_class}" data-figure="precheck-verdict">{verdict}</p>
<ul class="checks">{items}</ul>
<p class="note">{note}</p>
</section>"#,
        met = escape(w.met),
        unmet_word = escape(w.unmet),
        all_met = escape(w.all_met),
        some_unmet = escape(w.some_unmet),
        value = escape(w.value),
        title = lang.t("认证资格预检", "Certification eligibility pre-check"),
        verdict_class = if eligibility.all_met { "met" } else { "unmet" },
        verdict = escape(&verdict),
        note = lang.t(
            "仅供参考：依据已保存的基本情况计算，不代表评估机构的认定。",
            "Indicative only: computed from the saved profile, not the assessment body's decision.",
        ),
    )
}

/// The label of an option of a profile question, or the value itself.
fn option_label<'a>(profile: &'a Profile, question: &str, value: &'a str, lang: Lang) -> &'a str {
    profile
        .question(question)
        .and_then(|q| q.options.iter().find(|o| o.value == value))
        .map_or(value, |o| lang.text(&o.label))
}

/// The CDO summary: appointed, rank (and whether it is the decision level), written into the
/// charter, the duties carried out and those still missing.
pub fn cdo(lang: Lang, profile: &Profile, summary: &CdoSummary) -> String {
    let yes = lang.t("是", "yes");
    let no = lang.t("否", "no");
    let none = "–";
    let decision = lang.t("（决策层）", " (decision level)");
    let duties_count = lang.t("{n} / {total} 项", "{n} of {total}");
    let labels = |values: &[String], key: &str| -> String {
        if values.is_empty() {
            return none.to_owned();
        }
        values
            .iter()
            .map(|v| option_label(profile, key, v, lang))
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    let rank = match &summary.rank {
        Some(r) => format!(
            "{}{}",
            option_label(profile, keys::CDO_RANK, r, lang),
            if summary.decision_level { decision } else { "" }
        ),
        None => none.to_owned(),
    };
    let flag = |b: bool| if b { yes } else { no };
    format!(
        r#"<section class="card panel" id="cdo" aria-labelledby="cdo-title" data-yes="{yes}" data-no="{no}" data-none="{none}" data-decision="{decision}" data-duties-count="{duties_count}" data-separator="{sep}" data-rank-question="{rank_q}" data-duties-question="{duties_q}">
<h2 id="cdo-title">{title}</h2>
<dl class="figures">
<dt>{appointed_label}</dt><dd data-figure="cdo-appointed">{appointed}</dd>
<dt>{rank_label}</dt><dd data-figure="cdo-rank">{rank}</dd>
<dt>{charter_label}</dt><dd data-figure="cdo-in-charter">{charter}</dd>
<dt>{duties_label}</dt><dd data-figure="cdo-duties-count">{count}</dd>
<dt>{carried_label}</dt><dd data-figure="cdo-duties">{duties}</dd>
<dt>{missing_label}</dt><dd data-figure="cdo-missing">{missing}</dd>
</dl>
</section>"#,
        title = lang.t("首席数据官概况", "Chief data officer"),
        sep = escape(lang.t("、", ", ")),
        rank_q = keys::CDO_RANK,
        duties_q = keys::CDO_DUTIES,
        appointed_label = lang.t("已设立首席数据官", "Appointed"),
        appointed = flag(summary.appointed),
        rank_label = lang.t("职级", "Rank"),
        rank = escape(&rank),
        charter_label = lang.t("职责写入章程或制度", "In the charter or rules"),
        charter = flag(summary.in_charter),
        duties_label = lang.t("承担的职责", "Duties carried out"),
        count = escape(&fill(
            duties_count,
            &[
                ("n", summary.duties.len().to_string()),
                ("total", summary.duties_total.to_string())
            ]
        )),
        carried_label = lang.t("其中", "Which"),
        duties = escape(&labels(&summary.duties, keys::CDO_DUTIES)),
        missing_label = lang.t("尚未承担", "Not yet carried out"),
        missing = escape(&labels(&summary.missing_duties, keys::CDO_DUTIES)),
    )
}
