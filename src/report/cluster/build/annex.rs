//! The invited enterprises: the roster of every one with its progress, and the annex of those
//! whose sharing lets them be named, both from the same rows.

use super::{block, header, opt};
use crate::domain::assessment::Status;
use crate::domain::sharing::Sharing;
use crate::questionnaire::Lang;
use crate::report::cluster::{Block, Lookups, Progress, Roster, RosterEntry, Table};
use crate::scoring::rollup::EnterpriseResult;

fn status_name(lang: Lang, progress: Progress, e: &EnterpriseResult) -> String {
    let status = progress.label(lang);
    if e.overdue && e.status == Status::Draft {
        format!("{status}{}", lang.t("（逾期）", " (overdue)"))
    } else {
        status.to_owned()
    }
}

fn sharing_name(lang: Lang, sharing: Sharing) -> &'static str {
    match sharing {
        Sharing::Full => lang.t("全部", "full"),
        Sharing::Scores => lang.t("仅分数", "scores"),
        Sharing::Anonymous => lang.t("仅匿名统计", "anonymous statistics only"),
    }
}

fn columns(lang: Lang) -> Vec<String> {
    header(&[
        lang.t("企业", "Enterprise"),
        lang.t("行业", "Industry"),
        lang.t("规模", "Size"),
        lang.t("共享设置", "Sharing"),
        lang.t("状态", "Status"),
        lang.t("核验总分", "Verified score"),
        lang.t("等级", "Level"),
    ])
}

/// An enterprise's cells; its verified score and level only when accepted and shared.
fn row(e: &EnterpriseResult, lookups: &Lookups, lang: Lang) -> Vec<String> {
    let accepted = e
        .verified
        .as_ref()
        .filter(|_| e.status == Status::Accepted && e.sharing != Sharing::Anonymous);
    vec![
        e.name.clone(),
        lookups.industry(&e.industry, lang),
        e.size.label(lang).to_owned(),
        sharing_name(lang, e.sharing).to_owned(),
        status_name(lang, lookups.progress(e), e),
        opt(accepted.map(|c| c.overall.score)),
        opt(accepted.map(|c| c.overall.level)),
    ]
}

pub(in crate::report::cluster) fn roster(
    enterprises: &[EnterpriseResult],
    lookups: &Lookups,
    lang: Lang,
) -> Roster {
    let mut list: Vec<&EnterpriseResult> = enterprises.iter().collect();
    let overdue = |e: &EnterpriseResult| e.overdue && e.status == Status::Draft;
    list.sort_by(|a, b| (overdue(b), &a.name, a.id).cmp(&(overdue(a), &b.name, b.id)));
    Roster {
        heading: lang.t("企业与进度", "Enterprises and status").to_owned(),
        notes: vec![lang
            .t(
                "核验总分与等级仅对已通过的评估给出；仅共享匿名统计的企业只显示评估进度，其分数不出现在任何按企业的视图中。",
                "Verified score and level for accepted assessments only; enterprises sharing \
                 anonymous statistics only show their status, never their scores by name.",
            )
            .to_owned()],
        table: Table::new(
            columns(lang),
            list.iter().map(|e| row(e, lookups, lang)).collect(),
        ),
        entries: list
            .iter()
            .map(|e| RosterEntry {
                id: e.id,
                sharing: e.sharing,
                progress: lookups.progress(e),
                overdue: overdue(e),
            })
            .collect(),
    }
}

pub(super) fn annex(enterprises: &[EnterpriseResult], lookups: &Lookups, lang: Lang) -> Block {
    let mut named: Vec<&EnterpriseResult> = enterprises
        .iter()
        .filter(|e| e.sharing != Sharing::Anonymous)
        .collect();
    named.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let left_out = enterprises.len() - named.len();
    let rows = named.iter().map(|e| row(e, lookups, lang)).collect();
    Block {
        after: vec![match lang {
            Lang::Zh => format!("另有 {left_out} 家受邀企业仅共享匿名统计，未按名称列出。"),
            Lang::En if left_out == 1 => "1 more invited enterprise shares anonymous \
                                          statistics only and is not listed by name."
                .to_owned(),
            Lang::En => format!(
                "{left_out} more invited enterprises share anonymous statistics only and are not \
                 listed by name."
            ),
        }],
        ..block(
            lang.t("附录：受邀企业", "Annex: invited enterprises"),
            vec![lang.t("按名称排列，仅列出共享全部信息或分数的企业；核验总分与等级仅对已通过的评估给出。",
                "By name; only enterprises sharing everything or their scores are listed. The \
                 verified overall score and level are given for accepted assessments only.",
            )
            .to_owned()],
            Some(Table::new(columns(lang), rows)),
        )
    }
}
