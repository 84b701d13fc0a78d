//! The annex: the invited enterprises as far as their sharing allows.

use super::{block, header, opt, tr};
use crate::domain::assessment::Status;
use crate::domain::enterprise::Size;
use crate::domain::sharing::Sharing;
use crate::questionnaire::Lang;
use crate::report::cluster::{Block, Table};
use crate::scoring::rollup::EnterpriseResult;

fn size_name(lang: Lang, size: Size) -> &'static str {
    match size {
        Size::Micro => tr(lang, "微型", "micro"),
        Size::Small => tr(lang, "小型", "small"),
        Size::Medium => tr(lang, "中型", "medium"),
        Size::Large => tr(lang, "大型", "large"),
    }
}

fn status_name(lang: Lang, e: &EnterpriseResult) -> String {
    let status = match e.status {
        Status::Draft => tr(lang, "填写中", "draft"),
        Status::Submitted => tr(lang, "待审核", "awaiting review"),
        Status::Accepted => tr(lang, "已通过", "accepted"),
    };
    if e.overdue && e.status == Status::Draft {
        format!("{status}{}", tr(lang, "（逾期）", " (overdue)"))
    } else {
        status.to_owned()
    }
}

pub(super) fn annex(enterprises: &[EnterpriseResult], lang: Lang) -> Block {
    let mut named: Vec<&EnterpriseResult> = enterprises
        .iter()
        .filter(|e| e.sharing != Sharing::Anonymous)
        .collect();
    named.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let left_out = enterprises.len() - named.len();
    let rows = named
        .iter()
        .map(|e| {
            let accepted = e.verified.as_ref().filter(|_| e.status == Status::Accepted);
            vec![
                e.name.clone(),
                e.industry.clone(),
                size_name(lang, e.size).to_owned(),
                match e.sharing {
                    Sharing::Full => tr(lang, "全部", "full"),
                    _ => tr(lang, "仅分数", "scores"),
                }
                .to_owned(),
                status_name(lang, e),
                opt(accepted.map(|c| c.overall.score)),
                opt(accepted.map(|c| c.overall.level)),
            ]
        })
        .collect();
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
            tr(lang, "附录：受邀企业", "Annex: invited enterprises"),
            vec![tr(
                lang,
                "按名称排列，仅列出共享全部信息或分数的企业；核验总分与等级仅对已通过的评估给出。",
                "By name; only enterprises sharing everything or their scores are listed. The \
                 verified overall score and level are given for accepted assessments only.",
            )
            .to_owned()],
            Some(Table {
                header: header(&[
                    tr(lang, "企业", "Enterprise"),
                    tr(lang, "行业", "Industry"),
                    tr(lang, "规模", "Size"),
                    tr(lang, "共享设置", "Sharing"),
                    tr(lang, "状态", "Status"),
                    tr(lang, "核验总分", "Verified score"),
                    tr(lang, "等级", "Level"),
                ]),
                rows,
            }),
        )
    }
}
