//! HTML for the report model's parts: its tables, facts and notes, escaped, with the figures a
//! reader (or the browser test) compares marked `data-figure`.

use crate::report::cluster::{Fact, Table};
use crate::web::html::escape;

/// A figure: `<span data-figure="name">value</span>`.
pub fn fig(name: &str, value: &str) -> String {
    format!(
        r#"<span data-figure="{}">{}</span>"#,
        escape(name),
        escape(value)
    )
}

/// `text` escaped, with the first standalone occurrence of `value` in it marked as figure
/// `name` (a number is not found inside a longer one).
pub fn fig_in(text: &str, name: &str, value: &str) -> String {
    let standalone = |at: usize| {
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.');
        !value.is_empty() && !digit(before) && !digit(after)
    };
    match text
        .match_indices(value)
        .map(|(i, _)| i)
        .find(|i| standalone(*i))
    {
        Some(at) => format!(
            "{}{}{}",
            escape(&text[..at]),
            fig(name, value),
            escape(&text[at + value.len()..])
        ),
        None => escape(text),
    }
}

/// A figure's cell reads as a number ("2.35", "+0.10", "3 (37.50%)", "–"): aligned right.
fn numeric(cell: &str) -> bool {
    !cell.is_empty()
        && cell.chars().any(|c| c.is_ascii_digit() || c == '–')
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || " .+-–%()/".contains(c))
}

/// One cell, its text escaped and, when `figure` names it, marked.
fn cell(text: &str, figure: Option<String>, extra: &str) -> String {
    let class = match (numeric(text), extra.is_empty()) {
        (true, true) => r#" class="num""#.to_owned(),
        (true, false) => format!(r#" class="num {extra}""#),
        (false, true) => String::new(),
        (false, false) => format!(r#" class="{extra}""#),
    };
    let content = figure.map_or_else(|| escape(text), |name| fig(&name, text));
    format!("<td{class}>{content}</td>")
}

/// How a model table is drawn: its class, the id of the heading naming it, and the figure
/// name of a cell by row and column.
pub struct TableView<'a> {
    pub class: &'a str,
    pub labelled_by: &'a str,
    pub figure: &'a dyn Fn(usize, usize) -> Option<String>,
}

impl TableView<'_> {
    pub fn plain(labelled_by: &str) -> TableView<'_> {
        TableView {
            class: "figures",
            labelled_by,
            figure: &|_, _| None,
        }
    }
}

/// `table` with its header and rows as the model has them, in a box that scrolls sideways
/// when the table is wider than its card (focusable, so the keyboard can scroll it too). `extra` adds cells after each row's own (the page's
/// links), `class_of` a class to a row's cells (flags).
pub fn table_with(
    view: &TableView<'_>,
    table: &Table,
    extra: &[(&str, Vec<String>)],
    class_of: &dyn Fn(usize, usize) -> &'static str,
) -> String {
    let mut out = format!(
        r#"<div class="tableview" tabindex="0" role="region" aria-labelledby="{1}"><table class="{0}" aria-labelledby="{1}"><thead><tr>"#,
        view.class, view.labelled_by
    );
    for (j, h) in table.header.iter().enumerate() {
        let numbers = !table.rows.is_empty()
            && table
                .rows
                .iter()
                .all(|r| r.get(j).is_some_and(|c| numeric(c)));
        let class = if numbers { r#" class="num""# } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", escape(h)));
    }
    for (head, _) in extra {
        out.push_str(&format!("<th>{}</th>", escape(head)));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, row) in table.rows.iter().enumerate() {
        out.push_str("<tr>");
        for (j, text) in row.iter().enumerate() {
            out.push_str(&cell(text, (view.figure)(i, j), class_of(i, j)));
        }
        for (_, cells) in extra {
            out.push_str(&format!(
                "<td>{}</td>",
                cells.get(i).map_or("", String::as_str)
            ));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

pub fn table(view: &TableView<'_>, table: &Table) -> String {
    table_with(view, table, &[], &|_, _| "")
}

/// A table of one row drawn down the page: each header cell beside its value, `names[j]`
/// marking column j's figure.
pub fn transposed(labelled_by: &str, table: &Table, names: &[&str]) -> String {
    let mut out = format!(
        r#"<div class="tableview" tabindex="0" role="region" aria-labelledby="{labelled_by}"><table class="figures" aria-labelledby="{labelled_by}"><tbody>"#
    );
    let values = table.rows.first().map_or(&[][..], Vec::as_slice);
    for (j, head) in table.header.iter().enumerate() {
        let value = values.get(j).map_or("", String::as_str);
        let figure = names.get(j).map(|n| (*n).to_owned());
        out.push_str(&format!(
            r#"<tr><th scope="row">{}</th>{}</tr>"#,
            escape(head),
            cell(value, figure, "")
        ));
    }
    out.push_str("</tbody></table></div>");
    out
}

/// Facts as a definition list, each value marked with the fact's key.
pub fn facts(facts: &[Fact]) -> String {
    let mut out = r#"<dl class="figures">"#.to_owned();
    for f in facts {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape(&f.label),
            fig(&f.key, &f.value)
        ));
    }
    out.push_str("</dl>");
    out
}

pub fn note(html: &str) -> String {
    format!(r#"<p class="note">{html}</p>"#)
}

pub fn notes(texts: &[String]) -> String {
    texts.iter().map(|t| note(&escape(t))).collect()
}

/// A card: heading `heading` (its id `{id}-h` names the card's tables), then `body`.
pub fn card(id: &str, heading: &str, body: &str) -> String {
    format!(
        r#"<section class="card" id="{id}"><h2 id="{id}-h">{}</h2>{body}</section>"#,
        escape(heading)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_in_a_sentence_is_the_standalone_number() {
        assert_eq!(
            fig_in("另有 1 家，共 12 家", "n", "1"),
            r#"另有 <span data-figure="n">1</span> 家，共 12 家"#
        );
        assert_eq!(
            fig_in("of 12, 1 more", "n", "1"),
            r#"of 12, <span data-figure="n">1</span> more"#
        );
        assert_eq!(fig_in("a < b", "n", "7"), "a &lt; b");
    }

    #[test]
    fn number_cells_align_right_and_words_do_not() {
        for n in ["2.35", "+0.10", "3 (37.50%)", "–", "2 / 6", "85.00%"] {
            assert!(numeric(n), "{n}");
        }
        for w in ["L2", "已通过", "S ≥ 2.50 · P3 ≥ 25.00%", "", "2025:6"] {
            assert!(!numeric(w), "{w}");
        }
    }

    #[test]
    fn cells_are_escaped_and_figures_marked() {
        let t = Table::new(
            vec!["<a>".into(), "n".into()],
            vec![vec!["R&D".into(), "3".into()]],
        );
        let figure = |i: usize, j: usize| (i == 0 && j == 1).then(|| "count".to_owned());
        let html = table(
            &TableView {
                class: "figures",
                labelled_by: "x-h",
                figure: &figure,
            },
            &t,
        );
        assert!(html.contains("<th>&lt;a&gt;</th>"), "{html}");
        assert!(html.contains("<td>R&amp;D</td>"), "{html}");
        assert!(html.contains(r#"<td class="num"><span data-figure="count">3</span></td>"#));
        let down = transposed("x-h", &t, &["a", "b"]);
        assert!(
            down.contains(
                r#"<th scope="row">n</th><td class="num"><span data-figure="b">3</span></td>"#
            ),
            "{down}"
        );
    }
}
