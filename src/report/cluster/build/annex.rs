//! The annex: the invited enterprises as far as their sharing allows.

use super::{block, header, opt};
use crate::domain::assessment::Status;
use crate::domain::sharing::Sharing;
use crate::questionnaire::Lang;
use crate::report::cluster::{Block, Table};
use crate::scoring::rollup::EnterpriseResult;

fn status_name(lang: Lang, e: &EnterpriseResult) -> String {
    let status = e.status.label(lang);
    if e.overdue && e.status == Status::Draft {
        format!("{status}{}", lang.t("（逾期）", " (overdue)"))
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
                e.size.label(lang).to_owned(),
                match e.sharing {
                    Sharing::Full => lang.t("全部", "full"),
                    _ => lang.t("仅分数", "scores"),
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
            lang.t("附录：受邀企业", "Annex: invited enterprises"),
            vec![lang.t("按名称排列，仅列出共享全部信息或分数的企业；核验总分与等级仅对已通过的评估给出。",
                "By name; only enterprises sharing everything or their scores are listed. The \
                 verified overall score and level are given for accepted assessments only.",
            )
            .to_owned()],
            Some(Table {
                header: header(&[
                    lang.t("企业", "Enterprise"),
                    lang.t("行业", "Industry"),
                    lang.t("规模", "Size"),
                    lang.t("共享设置", "Sharing"),
                    lang.t("状态", "Status"),
                    lang.t("核验总分", "Verified score"),
                    lang.t("等级", "Level"),
                ]),
                rows,
            }),
        )
    }
}
