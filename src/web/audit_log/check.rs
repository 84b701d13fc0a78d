//! The chain check (`dcmm audit verify`) as a section of the page, run only when asked: it
//! reads the whole log. The chain is global, so an auditor's check covers other clusters'
//! entries too, and tells the auditor nothing about them but that the break is outside its
//! clusters.

use crate::audit::Verification;
use crate::db::audit_log::Scope;
use crate::web::html::{escape, Lang};

/// What the viewer may be told of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every entry verified; how many is said to those who see the whole log.
    Intact { entries: Option<i64> },
    /// The first entry that fails, one the viewer may see (or one that is missing, for the
    /// whole log's reader).
    Broken { seq: i64, reason: String },
    /// The first entry that fails is not one of the viewer's clusters' entries.
    BrokenElsewhere,
}

impl Outcome {
    /// `cluster` is the cluster of the entry at the break (`None`: no such entry).
    pub fn of(v: &Verification, scope: &Scope, cluster: Option<Option<String>>) -> Self {
        let whole = *scope == Scope::Everything;
        match v.first_broken {
            None => Self::Intact {
                entries: whole.then_some(v.entries),
            },
            Some(seq) => {
                let visible = match &cluster {
                    Some(c) => scope.covers(c.as_deref()),
                    None => whole,
                };
                if visible {
                    Self::Broken {
                        seq,
                        reason: v.reason.clone().unwrap_or_default(),
                    }
                } else {
                    Self::BrokenElsewhere
                }
            }
        }
    }

    /// The sequence number of the entry to mark on the page, if any.
    pub fn broken_at(&self) -> Option<i64> {
        match self {
            Self::Broken { seq, .. } => Some(*seq),
            _ => None,
        }
    }
}

/// The reasons `audit::verify` gives, in the reader's language.
fn reason(lang: Lang, reason: &str) -> String {
    let known = [
        (
            "an entry is missing",
            "这条记录缺失（被删除）",
            "this entry is missing (deleted)",
        ),
        (
            "the link to the previous entry does not match",
            "它与前一条记录的链接不符（记录被删除、插入或调换了顺序）",
            "its link to the previous entry does not match (an entry was removed, inserted or reordered)",
        ),
        (
            "the entry was changed after it was written",
            "这条记录在写入后被改动过",
            "this entry was changed after it was written",
        ),
        (
            "entries at the end of the log are missing",
            "日志末尾的记录缺失（被删除）",
            "entries at the end of the log are missing (deleted)",
        ),
    ];
    known
        .iter()
        .find(|(code, _, _)| *code == reason)
        .map_or_else(
            || reason.to_owned(),
            |(_, zh, en)| lang.t(zh, en).to_owned(),
        )
}

/// The verdict in plain words, and what it means.
fn verdict(lang: Lang, outcome: &Outcome, entry_link: &dyn Fn(i64) -> String) -> String {
    match (outcome, lang) {
        (Outcome::Intact { entries: Some(n) }, Lang::Zh) => format!(
            r#"<p class="verdict intact" data-figure="chain">完好：第 1 至第 {n} 条记录均未被改动、删除或调换。</p>"#
        ),
        (Outcome::Intact { entries: Some(n) }, Lang::En) => format!(
            r#"<p class="verdict intact" data-figure="chain">Intact through entry {n}: no entry was changed, removed or reordered.</p>"#
        ),
        (Outcome::Intact { entries: None }, _) => format!(
            r#"<p class="verdict intact" data-figure="chain">{}</p>"#,
            lang.t(
                "完好：整个日志未被改动、删除或调换。",
                "Intact: no entry of the whole log was changed, removed or reordered."
            )
        ),
        (Outcome::Broken { seq, reason: why }, _) => {
            let why = escape(&reason(lang, why));
            let link = entry_link(*seq);
            let (head, means) = match lang {
                Lang::Zh => (
                    format!(r#"断开于第 {seq} 条记录：{why}。"#),
                    format!(
                        "第 1 至第 {} 条记录完好，仍可信任；从第 {seq} 条起的记录无法证明未被篡改。请系统管理员在服务器上运行 <code>dcmm audit verify</code>，并与备份核对。",
                        seq - 1
                    ),
                ),
                Lang::En => (
                    format!("Broken at entry {seq}: {why}."),
                    format!(
                        "Entries 1 to {} are intact and can be trusted; from entry {seq} on, nothing shows that the log was not tampered with. An administrator should run <code>dcmm audit verify</code> on the server and compare with a backup.",
                        seq - 1
                    ),
                ),
            };
            format!(
                r#"<p class="verdict broken" data-figure="chain" role="alert">{head}</p><p>{means}</p><p><a href="{link}">{}</a></p>"#,
                match lang {
                    Lang::Zh => format!("查看第 {seq} 条记录"),
                    Lang::En => format!("Show entry {seq}"),
                }
            )
        }
        (Outcome::BrokenElsewhere, _) => format!(
            r#"<p class="verdict broken" data-figure="chain" role="alert">{}</p><p>{}</p>"#,
            lang.t(
                "已断开：断点在您负责的集群以外的一条记录上。",
                "Broken at an entry outside your clusters."
            ),
            lang.t(
                "从断点起的记录（包括其后您的集群的记录）无法证明未被篡改。请联系系统管理员核查。",
                "From the break on, nothing shows that entries (yours after it included) were not tampered with. Ask an administrator to look into it."
            )
        ),
    }
}

/// The section: what the check does, then its result or the button that runs it.
pub fn section(
    lang: Lang,
    scope: &Scope,
    outcome: Option<&Outcome>,
    run: &str,
    entry_link: &dyn Fn(i64) -> String,
) -> String {
    let what = lang.t(
        "每条记录的哈希值覆盖它的内容和前一条记录的哈希值：改动、删除或调换任何一条，链条就从那里断开。检查会读取整个日志，与命令 dcmm audit verify 相同。",
        "Each entry's hash covers its content and the previous entry's hash: changing, removing or reordering any entry breaks the chain from there. The check reads the whole log, as the command dcmm audit verify does.",
    );
    let global = match scope {
        Scope::Everything => String::new(),
        Scope::Clusters(_) => format!(
            r#"<p class="note">{}</p>"#,
            lang.t(
                "哈希链是全局的：检查覆盖整个日志，包括其他集群的记录，但不会显示它们的任何内容。",
                "The chain is global: the check covers the whole log, other clusters' entries included, but shows nothing of them."
            )
        ),
    };
    let result = match outcome {
        Some(o) => verdict(lang, o, entry_link),
        None => format!(
            r#"<p><a class="button" href="{}" id="run-check">{}</a></p>"#,
            escape(run),
            lang.t("检查哈希链", "Check the chain")
        ),
    };
    format!(
        r#"<section class="card chain" id="chain" aria-labelledby="chain-h"><h2 id="chain-h">{}</h2><p class="note">{}</p>{global}{result}</section>"#,
        lang.t("哈希链检查", "Chain check"),
        escape(what),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClusterId;

    fn broken(seq: i64) -> Verification {
        Verification {
            entries: seq - 1,
            first_broken: Some(seq),
            reason: Some("the entry was changed after it was written".into()),
            ..Verification::default()
        }
    }

    #[test]
    fn an_admin_learns_where_and_why() {
        let o = Outcome::of(&broken(7), &Scope::Everything, Some(None));
        assert_eq!(o.broken_at(), Some(7));
        let html = section(Lang::Zh, &Scope::Everything, Some(&o), "", &|n| {
            format!("#e-{n}")
        });
        assert!(
            html.contains("断开于第 7 条记录：这条记录在写入后被改动过。"),
            "{html}"
        );
        assert!(html.contains("第 1 至第 6 条记录完好"));
        let intact = Verification {
            entries: 12,
            first_broken: None,
            reason: None,
            ..Verification::default()
        };
        let o = Outcome::of(&intact, &Scope::Everything, None);
        let html = section(Lang::En, &Scope::Everything, Some(&o), "", &|_| {
            String::new()
        });
        assert!(html.contains("Intact through entry 12"));
    }

    #[test]
    fn an_auditor_learns_nothing_of_other_clusters() {
        let mine = ClusterId::new();
        let scope = Scope::Clusters(vec![mine]);
        let other = Some(Some(ClusterId::new().to_string()));
        assert_eq!(
            Outcome::of(&broken(7), &scope, other),
            Outcome::BrokenElsewhere
        );
        assert_eq!(
            Outcome::of(&broken(7), &scope, Some(None)),
            Outcome::BrokenElsewhere
        );
        assert_eq!(
            Outcome::of(&broken(7), &scope, None),
            Outcome::BrokenElsewhere
        );
        let own = Outcome::of(&broken(7), &scope, Some(Some(mine.to_string())));
        assert_eq!(own.broken_at(), Some(7));
        let intact = Verification {
            entries: 12,
            first_broken: None,
            reason: None,
            ..Verification::default()
        };
        let o = Outcome::of(&intact, &scope, None);
        let html = section(Lang::Zh, &scope, Some(&o), "", &|_| String::new());
        assert!(!html.contains("12"), "no count of the whole log: {html}");
        assert!(html.contains("哈希链是全局的"));
        let html = section(
            Lang::En,
            &scope,
            Some(&Outcome::BrokenElsewhere),
            "",
            &|_| String::new(),
        );
        assert!(html.contains("outside your clusters") && !html.contains('7'));
    }
}
