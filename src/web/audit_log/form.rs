//! The filter form: a GET form, so a filtered view is a link to share. It offers the people,
//! actions and kinds of entity that occur in the viewer's part of the log, and names a wrong
//! value next to its field.

use std::collections::HashMap;

use super::words;
use crate::db::audit_log::names::Person;
use crate::db::audit_log::Choices;
use crate::error::FieldErrors;
use crate::web::html::{escape, Lang};

/// The filters as the query gave them, to show again.
#[derive(Debug, Clone, Default)]
pub struct Given<'a> {
    pub actor_id: &'a str,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub cluster_id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

pub struct Form<'a> {
    pub lang: Lang,
    pub given: Given<'a>,
    pub errors: &'a FieldErrors,
    pub choices: &'a Choices,
    pub people: &'a HashMap<String, Person>,
    /// The clusters in the viewer's scope, by id and name; offered when there are several.
    pub clusters: &'a [(String, String)],
}

fn option(value: &str, label: &str, selected: bool) -> String {
    format!(
        r#"<option value="{}"{}>{}</option>"#,
        escape(value),
        if selected { " selected" } else { "" },
        escape(label)
    )
}

/// The message for a wrong field, in the page's language.
fn message(lang: Lang, field: &str, english: &[String]) -> String {
    let zh = match field {
        "actor_id" => "不是有效的用户。",
        "action" => "不是有效的操作代码（例如 assessment.submit）。",
        "subject_type" => "不是有效的对象类型（例如 assessment）。",
        "subject_id" => "对象 ID 最多 100 个字符。",
        "cluster_id" => "不是有效的集群。",
        "from" | "to" if english.iter().any(|m| m.contains("before")) => {
            "结束日期不能早于开始日期。"
        }
        "from" | "to" => "请填写日期（YYYY-MM-DD）。",
        "after" => "翻页位置无效，请从最新的记录开始。",
        _ => "无效。",
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => english.join(" "),
    }
}

impl Form<'_> {
    /// The error note of a field and the attributes that tie its control to it.
    fn error(&self, field: &str) -> (String, String) {
        match self.errors.get(field) {
            Some(list) => (
                format!(
                    r#"<span class="field-error" id="err-{field}">{}</span>"#,
                    escape(&message(self.lang, field, list))
                ),
                format!(r#" aria-invalid="true" aria-describedby="err-{field}""#),
            ),
            None => (String::new(), String::new()),
        }
    }

    fn select(&self, field: &str, label: &str, options: String) -> String {
        let (note, attrs) = self.error(field);
        format!(
            r#"<label>{label}<select name="{field}" id="f-{field}"{attrs}>{options}</select>{note}</label>"#,
        )
    }

    fn input(&self, field: &str, label: &str, kind: &str, value: &str) -> String {
        let (note, attrs) = self.error(field);
        format!(
            r#"<label>{label}<input type="{kind}" name="{field}" id="f-{field}" value="{}"{attrs}>{note}</label>"#,
            escape(value)
        )
    }

    fn actors(&self) -> String {
        let lang = self.lang;
        let current = self.given.actor_id;
        let mut people: Vec<(String, &str)> = self
            .choices
            .actors
            .iter()
            .map(|id| {
                let label = self.people.get(id).map_or_else(
                    || id.clone(),
                    |p| {
                        format!(
                            "{} ({}) · {}",
                            p.display_name,
                            p.username,
                            words::role(lang, &p.role)
                        )
                    },
                );
                (label, id.as_str())
            })
            .collect();
        if !current.is_empty() && !self.choices.actors.iter().any(|a| a == current) {
            let label = self.people.get(current).map_or_else(
                || current.to_owned(),
                |p| format!("{} ({})", p.display_name, p.username),
            );
            people.push((label, current));
        }
        people.sort_unstable();
        let mut out = option("", lang.t("所有人", "Anyone"), current.is_empty());
        for (label, id) in people {
            out.push_str(&option(id, &label, id == current));
        }
        out
    }

    fn codes(
        &self,
        list: &[String],
        current: &str,
        all: &str,
        label: &dyn Fn(&str) -> String,
    ) -> String {
        let mut out = option("", all, current.is_empty());
        let mut listed: Vec<&str> = list.iter().map(String::as_str).collect();
        if !current.is_empty() && !listed.contains(&current) {
            listed.push(current);
        }
        for code in listed {
            out.push_str(&option(code, &label(code), code == current));
        }
        out
    }

    pub fn render(&self, clear: &str) -> String {
        let lang = self.lang;
        let g = &self.given;
        let action = self.codes(
            &self.choices.actions,
            g.action,
            lang.t("全部操作", "Every action"),
            &|c| {
                if words::knows_action(c) {
                    format!("{} ({c})", words::action(lang, c))
                } else {
                    c.to_owned()
                }
            },
        );
        let kind = self.codes(
            &self.choices.subject_types,
            g.subject_type,
            lang.t("全部类型", "Every kind"),
            &|c| words::subject(lang, c),
        );
        let cluster = if self.clusters.len() > 1 || !g.cluster_id.is_empty() {
            let mut options = option(
                "",
                lang.t("全部集群", "Every cluster"),
                g.cluster_id.is_empty(),
            );
            for (id, name) in self.clusters {
                options.push_str(&option(id, name, id == g.cluster_id));
            }
            self.select("cluster_id", lang.t("集群", "Cluster"), options)
        } else {
            String::new()
        };
        // A date field shows only a date; an instant from a shared link stays as text.
        let day = |v: &str| {
            if v.is_empty() || chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
                "date"
            } else {
                "text"
            }
        };
        let lang_field = match lang {
            Lang::En => r#"<input type="hidden" name="lang" value="en">"#,
            Lang::Zh => "",
        };
        format!(
            r#"<form method="get" action="/audit-log" class="filters card log-filters" id="filters" aria-label="{aria}">{who}{action}{kind}{id}{cluster}{from}{to}{lang_field}<span class="actions"><button type="submit" id="apply">{apply}</button> <a href="{clear}">{clear_label}</a></span><p class="note">{tz}</p></form>"#,
            aria = lang.t("筛选审计记录", "Filter the entries"),
            who = self.select("actor_id", lang.t("操作人", "Who"), self.actors()),
            action = self.select("action", lang.t("操作", "Action"), action),
            kind = self.select("subject_type", lang.t("对象类型", "Entity type"), kind),
            id = self.input(
                "subject_id",
                lang.t("对象 ID", "Entity id"),
                "text",
                g.subject_id
            ),
            from = self.input("from", lang.t("从", "From"), day(g.from), g.from),
            to = self.input("to", lang.t("至", "To"), day(g.to), g.to),
            apply = lang.t("筛选", "Filter"),
            clear = escape(clear),
            clear_label = lang.t("清除筛选", "Clear filters"),
            tz = lang.t(
                "时间均为协调世界时（UTC）；结束日期当天的记录包括在内。",
                "Times are in UTC; the To day is included."
            ),
        )
    }
}
