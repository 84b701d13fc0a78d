//! An entry's before and after as a readable comparison: each value by its path (`answers.size`,
//! `verified[0].rating`), the changed ones marked, the unchanged ones folded away, and the raw
//! JSON behind a disclosure for whoever needs the exact text.

use serde_json::Value;

use crate::web::html::{escape, Lang};

/// At most this many paths are shown per entry; the raw JSON has the rest.
const MAX_ROWS: usize = 80;
/// Nesting beyond this is shown as JSON text.
const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Changed,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Row {
    pub fn change(&self) -> Change {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) if a == b => Change::Same,
            (Some(_), Some(_)) => Change::Changed,
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn flatten(path: String, v: &Value, depth: usize, out: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match v {
        Value::Object(map) if !map.is_empty() && depth < MAX_DEPTH => {
            for (k, v) in map {
                flatten(join(k), v, depth + 1, out);
            }
        }
        Value::Array(list) if !list.is_empty() && list.iter().all(|x| scalar(x).is_some()) => {
            let items: Vec<String> = list.iter().filter_map(scalar).collect();
            out.push((path, items.join(", ")));
        }
        Value::Array(list) if !list.is_empty() && depth < MAX_DEPTH => {
            for (i, v) in list.iter().enumerate() {
                flatten(format!("{path}[{i}]"), v, depth + 1, out);
            }
        }
        other => out.push((path, scalar(other).unwrap_or_else(|| other.to_string()))),
    }
}

fn paths(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(v) = v {
        flatten(String::new(), v, 0, &mut out);
    }
    out
}

/// The paths of `before` and `after`, in the order `after` has them, then those only
/// `before` had.
pub fn rows(before: Option<&Value>, after: Option<&Value>) -> Vec<Row> {
    let (b, a) = (paths(before), paths(after));
    let find = |list: &[(String, String)], p: &str| {
        list.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone())
    };
    let mut out: Vec<Row> = a
        .iter()
        .map(|(p, v)| Row {
            path: p.clone(),
            before: before.and_then(|_| find(&b, p)),
            after: Some(v.clone()),
        })
        .collect();
    for (p, v) in &b {
        if find(&a, p).is_none() {
            out.push(Row {
                path: p.clone(),
                before: Some(v.clone()),
                after: None,
            });
        }
    }
    out
}

fn key(lang: Lang, path: &str) -> String {
    if path.is_empty() {
        lang.t("值", "value").to_owned()
    } else {
        path.to_owned()
    }
}

fn cell(v: Option<&String>) -> String {
    match v {
        Some(v) if v.is_empty() => r#"<td class="empty">""</td>"#.to_owned(),
        Some(v) => format!("<td>{}</td>", escape(v)),
        None => r#"<td class="absent">–</td>"#.to_owned(),
    }
}

fn mark(lang: Lang, change: Change) -> String {
    let (class, zh, en) = match change {
        Change::Same => return String::new(),
        Change::Changed => ("changed", "已改", "changed"),
        Change::Added => ("added", "新增", "added"),
        Change::Removed => ("removed", "移除", "removed"),
    };
    format!(r#" <span class="mark {class}">{}</span>"#, lang.t(zh, en))
}

/// A table of values: the field column, then `head`.
fn table(lang: Lang, caption: &str, head: &[&str], body: &str) -> String {
    let head: String = std::iter::once(lang.t("字段", "Field"))
        .chain(head.iter().copied())
        .map(|h| format!(r#"<th scope="col">{h}</th>"#))
        .collect();
    format!(
        r#"<table class="diff"><caption>{}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"#,
        escape(caption)
    )
}

/// The values of an entry that has only one side (a creation, or a record of what was done).
fn values(lang: Lang, caption: &str, rows: &[(String, String)]) -> String {
    let body: String = rows
        .iter()
        .take(MAX_ROWS)
        .map(|(p, v)| {
            format!(
                r#"<tr><th scope="row">{}</th>{}</tr>"#,
                escape(&key(lang, p)),
                cell(Some(v))
            )
        })
        .collect();
    table(lang, caption, &[lang.t("值", "Value")], &body)
}

/// The comparison of `before` and `after`, then their raw JSON. A side recorded as JSON
/// `null` (nothing there yet, as before a first answer) is no side.
pub fn render(lang: Lang, before: Option<&Value>, after: Option<&Value>) -> String {
    let before = before.filter(|v| !v.is_null());
    let after = after.filter(|v| !v.is_null());
    let mut out = match (before, after) {
        (None, None) => format!(
            r#"<p class="muted">{}</p>"#,
            lang.t("此记录没有前后的值。", "This entry records no values.")
        ),
        (None, Some(a)) => values(lang, lang.t("记录的值", "Values recorded"), &paths(Some(a))),
        (Some(b), None) => values(lang, lang.t("之前的值", "Values before"), &paths(Some(b))),
        (Some(_), Some(_)) => compare(lang, &rows(before, after)),
    };
    let total = paths(before).len().max(paths(after).len());
    if total > MAX_ROWS {
        out.push_str(&format!(
            r#"<p class="note">{}</p>"#,
            match lang {
                Lang::Zh => format!("只列出前 {MAX_ROWS} 项，其余见原始 JSON。"),
                Lang::En => format!("The first {MAX_ROWS} values only; the raw JSON has the rest."),
            }
        ));
    }
    if before.is_some() || after.is_some() {
        let pretty = |v: Option<&Value>| v.map_or_else(|| "–".to_owned(), pretty_json);
        out.push_str(&format!(
            r#"<details class="raw"><summary>{}</summary><p class="muted">{}</p><pre>{}</pre><p class="muted">{}</p><pre>{}</pre></details>"#,
            lang.t("原始 JSON", "Raw JSON"),
            lang.t("之前", "Before"),
            escape(&pretty(before)),
            lang.t("之后", "After"),
            escape(&pretty(after)),
        ));
    }
    out
}

fn pretty_json(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// Changed, added and removed values first, the unchanged ones folded below them.
fn compare(lang: Lang, rows: &[Row]) -> String {
    let line = |r: &Row| {
        let change = r.change();
        let class = match change {
            Change::Same => "same",
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        };
        format!(
            r#"<tr class="{class}"><th scope="row">{}{}</th>{}{}</tr>"#,
            escape(&key(lang, &r.path)),
            mark(lang, change),
            cell(r.before.as_ref()),
            cell(r.after.as_ref()),
        )
    };
    let (same, moved): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .take(MAX_ROWS)
        .partition(|r| r.change() == Change::Same);
    let head = [lang.t("之前", "Before"), lang.t("之后", "After")];
    let caption = match lang {
        Lang::Zh => format!("改动 {} 项", moved.len()),
        Lang::En if moved.len() == 1 => "1 value changed".to_owned(),
        Lang::En => format!("{} values changed", moved.len()),
    };
    let mut out = if moved.is_empty() {
        format!(
            r#"<p class="muted">{}</p>"#,
            lang.t("前后的值相同。", "Before and after are the same.")
        )
    } else {
        let body: String = moved.iter().map(|r| line(r)).collect();
        table(lang, &caption, &head, &body)
    };
    if !same.is_empty() {
        let body: String = same.iter().map(|r| line(r)).collect();
        let summary = match lang {
            Lang::Zh => format!("未改动的 {} 项", same.len()),
            Lang::En => format!("{} unchanged", same.len()),
        };
        out.push_str(&format!(
            r#"<details class="same"><summary>{}</summary>{}</details>"#,
            escape(&summary),
            table(lang, &summary, &head, &body)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_are_compared_by_path() {
        let before = json!({"status": "draft", "answers": {"size": "small", "staff": 2}, "tools": ["a", "b"]});
        let after = json!({"status": "submitted", "answers": {"size": "small", "cdo": true}, "tools": ["a", "b"]});
        let rows = rows(Some(&before), Some(&after));
        let change = |p: &str| rows.iter().find(|r| r.path == p).map(Row::change);
        assert_eq!(change("status"), Some(Change::Changed));
        assert_eq!(change("answers.size"), Some(Change::Same));
        assert_eq!(change("answers.cdo"), Some(Change::Added));
        assert_eq!(change("answers.staff"), Some(Change::Removed));
        assert_eq!(change("tools"), Some(Change::Same));
        let tools = rows.iter().find(|r| r.path == "tools").unwrap();
        assert_eq!(tools.after.as_deref(), Some("a, b"));
    }

    #[test]
    fn lists_of_records_are_compared_item_by_item() {
        let after = json!({"verified": [{"criterion": "2025:6.1:L1:1", "rating": "not"}]});
        let rows = rows(None, Some(&after));
        assert_eq!(rows[0].path, "verified[0].criterion");
        assert_eq!(rows[1].after.as_deref(), Some("not"));
        assert_eq!(rows[1].change(), Change::Added);
    }

    #[test]
    fn changed_values_are_marked_and_unchanged_ones_folded() {
        let html = render(
            Lang::En,
            Some(&json!({"rating": "not", "comment": "x"})),
            Some(&json!({"rating": "fully", "comment": "x"})),
        );
        assert!(html.contains(r#"<tr class="changed"><th scope="row">rating <span class="mark changed">changed</span></th><td>not</td><td>fully</td></tr>"#), "{html}");
        assert!(html.contains("1 value changed"));
        assert!(html.contains(r#"<details class="same"><summary>1 unchanged</summary>"#));
        assert!(html.contains(r#"<details class="raw">"#));
    }

    #[test]
    fn one_sided_entries_list_their_values_escaped() {
        let html = render(Lang::Zh, None, Some(&json!({"name": "<b>甲</b>"})));
        assert!(html.contains("记录的值"));
        assert!(html.contains("<td>&lt;b&gt;甲&lt;/b&gt;</td>"), "{html}");
        assert!(render(Lang::Zh, None, None).contains("没有前后的值"));
        let first = render(
            Lang::En,
            Some(&Value::Null),
            Some(&json!({"rating": "fully"})),
        );
        assert!(
            first.contains("Values recorded") && !first.contains("removed"),
            "{first}"
        );
        let scalar = render(Lang::En, Some(&json!(1)), Some(&json!(2)));
        assert!(
            scalar.contains(r#"<th scope="row">value <span class="mark changed">"#),
            "{scalar}"
        );
    }
}
