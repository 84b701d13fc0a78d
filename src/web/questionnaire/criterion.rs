//! One criterion: its text (the legend of its rating group, so a screen reader names the
//! criterion with each rating), evidence hint, rating, comment, save state and evidence. In a
//! read-only mode the same markup with every control disabled and the comment as text.

use super::view::{Mode, View};
use crate::db::evidence::Evidence;
use crate::questionnaire::Criterion;
use crate::scoring::Rating;
use crate::web::html::{criterion_anchor, escape};

/// File types the upload takes, as the file picker's hint (the server decides by content).
const ACCEPT: &str =
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.txt,.csv,.md";

pub fn render(v: &View<'_>, c: &Criterion) -> String {
    let lang = v.lang;
    let anchor = criterion_anchor(&c.id);
    // The suffix that makes each control's id unique on the page.
    let key = &anchor[2..];
    let answer = v.answer(&c.id);
    let editable = v.mode.editable();
    let disabled = if editable { "" } else { " disabled" };
    let hidden = if v.keeps(c) { "" } else { " hidden" };
    let mut out = format!(
        r#"<article class="criterion{state}" id="{anchor}" data-criterion="{id}" data-level="{level}" data-version="{version}"{hidden}><fieldset class="rating"><legend><span class="ctext" id="t-{key}">{text}</span> <span class="badge todo" data-todo{todo_hidden}>{todo}</span>{carried}</legend><p class="hint"><span class="muted">{hint_label}</span>{hint}</p><div class="choices">"#,
        state = if answer.is_some() { " answered" } else { "" },
        id = escape(&c.id),
        level = c.level,
        version = answer.map_or(0, |a| a.version),
        text = escape(c.text.get(lang)),
        todo_hidden = if answer.is_some() { " hidden" } else { "" },
        todo = lang.t("未答", "unanswered"),
        carried = if v.loaded.carried.contains(&c.id) {
            format!(
                r#" <span class="badge carried" data-carried>{}</span>"#,
                lang.t(
                    "沿用上次评估，请确认",
                    "carried over from the previous assessment — please confirm"
                )
            )
        } else {
            String::new()
        },
        hint_label = lang.t("证据提示：", "Evidence: "),
        hint = escape(c.evidence.get(lang)),
    );
    for step in &v.scale {
        if step.rating == Rating::Na && !c.allow_na {
            continue;
        }
        let checked = if answer.is_some_and(|a| a.rating == step.rating) {
            " checked"
        } else {
            ""
        };
        out.push_str(&format!(
            r#"<label class="choice" title="{meaning}"><input type="radio" name="r-{key}" value="{value}"{checked}{disabled}> {name}</label>"#,
            value = step.rating.as_str(),
            name = escape(step.name.get(lang)),
            meaning = escape(step.meaning.get(lang)),
        ));
    }
    out.push_str("</div></fieldset>");
    let comment = answer.map_or("", |a| a.comment.as_str());
    if editable {
        out.push_str(&format!(
            r#"<div class="comment"><label for="m-{key}">{label}</label><textarea id="m-{key}" name="comment" rows="2" maxlength="4000" aria-describedby="t-{key}">{comment}</textarea></div><p class="save-state" id="s-{key}" role="status" aria-live="polite"></p>"#,
            label = lang.t("备注", "Comment"),
            comment = escape(comment),
        ));
    } else if !comment.is_empty() {
        out.push_str(&format!(
            r#"<p class="comment-text"><span class="muted">{}</span>{}</p>"#,
            lang.t("备注：", "Comment: "),
            escape(comment)
        ));
    }
    out.push_str(&evidence(v, c, key));
    out.push_str(&verify(v, c, key));
    out.push_str("</article>");
    out
}

/// On the review page: the verified rating and note as the review stands, a choice the
/// auditor changes (saved at once by `review.js`), the sample and re-rating marks.
fn verify(v: &View<'_>, c: &Criterion, key: &str) -> String {
    let (Mode::Review { may_rate }, Some(r)) = (v.mode, &v.review) else {
        return String::new();
    };
    let lang = v.lang;
    let saved = r.saved.get(c.id.as_str());
    let earlier = r.earlier.get(c.id.as_str());
    let mut marks = String::new();
    if r.sampled.contains(c.id.as_str()) {
        marks.push_str(&format!(
            r#" <span class="badge sampled">{}</span>"#,
            lang.t("抽样", "sampled")
        ));
    }
    marks.push_str(&format!(
        r#" <span class="badge rerated" data-rerated{}>{}</span>"#,
        if v.rerated(c) { "" } else { " hidden" },
        lang.t("已改评", "re-rated")
    ));
    let earlier_line = match (saved, earlier) {
        (None, Some(e)) => format!(
            r#"<p class="muted earlier">{} {}{}</p>"#,
            lang.t("上一轮审核评定：", "Earlier review:"),
            escape(v.rating_name(e.rating)),
            if e.note.is_empty() {
                String::new()
            } else {
                format!("（{}）", escape(&e.note))
            }
        ),
        _ => String::new(),
    };
    let chosen = saved.map(|s| s.rating);
    let disabled = if may_rate { "" } else { " disabled" };
    let mut options = format!(
        r#"<option value=""{}>{}</option>"#,
        if chosen.is_none() { " selected" } else { "" },
        escape(match earlier {
            Some(_) => lang.t("沿用上一轮审核评定", "Keep the earlier review's rating"),
            None => lang.t("同意自评（不改评）", "Agree with the self-assessment"),
        })
    );
    for step in &v.scale {
        if step.rating == Rating::Na && !c.allow_na {
            continue;
        }
        options.push_str(&format!(
            r#"<option value="{}"{}>{}</option>"#,
            step.rating.as_str(),
            if chosen == Some(step.rating) {
                " selected"
            } else {
                ""
            },
            escape(step.name.get(lang))
        ));
    }
    let note = saved.map_or("", |s| s.note.as_str());
    format!(
        r#"<div class="review-rating" data-review-version="{version}"><p class="review-rating-h">{title}{marks}</p>{earlier_line}<div class="review-rating-controls"><label for="v-{key}">{rating_label}</label><select id="v-{key}" name="verified" aria-describedby="t-{key}"{disabled}>{options}</select><label for="n-{key}">{note_label}</label><textarea id="n-{key}" name="note" rows="2" maxlength="4000" aria-describedby="t-{key}"{disabled}>{note}</textarea></div><p class="save-state" id="vs-{key}" role="status" aria-live="polite"></p></div>"#,
        version = saved.map_or(0, |s| s.version),
        title = lang.t("审核评定", "Verified rating"),
        rating_label = lang.t("评定", "Rating"),
        note_label = lang.t("审核说明", "Auditor's note"),
        note = escape(note),
    )
}

/// `1.2 KB`: a file's size for people.
pub fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// One linked file: its name (a download link) with its size and date.
pub fn file_item(e: &Evidence) -> String {
    let r = &e.row;
    let date = r
        .effective_date
        .map(|d| format!(" · {d}"))
        .unwrap_or_default();
    let view = if crate::evidence::download::viewable(&r.content_type) {
        format!(
            r#" <a class="view" href="/evidence/{}/view" target="_blank" rel="noopener">{}</a>"#,
            r.id, "↗"
        )
    } else {
        String::new()
    };
    format!(
        r#"<li data-evidence="{id}"><a href="/evidence/{id}/download">{name}</a>{view} <span class="muted">{size}{date}</span></li>"#,
        id = r.id,
        name = escape(&r.file_name),
        size = size(r.size_bytes),
    )
}

fn evidence(v: &View<'_>, c: &Criterion, key: &str) -> String {
    let lang = v.lang;
    let linked = v.files.get(c.id.as_str()).map_or(&[][..], |f| f.as_slice());
    let mut out = format!(
        r#"<div class="evidence"><p class="evidence-h">{} <span class="count" data-count="files">{}</span></p><ul class="files">"#,
        lang.t("证据文件", "Evidence files"),
        linked.len()
    );
    for e in linked {
        out.push_str(&file_item(e));
    }
    out.push_str("</ul>");
    if !v.mode.editable() {
        out.push_str("</div>");
        return out;
    }

    let mut options = format!(
        r#"<option value="">{}</option>"#,
        lang.t("选择本评估已上传的文件", "A file already uploaded here")
    );
    for e in &v.loaded.evidence {
        if !e.criteria.contains(&c.id) {
            options.push_str(&format!(
                r#"<option value="{}">{}</option>"#,
                e.row.id,
                escape(&e.row.file_name)
            ));
        }
    }
    out.push_str(&format!(
        r#"<details class="add-evidence"><summary>{add}</summary><div class="attach"><label for="f-{key}">{upload}</label><input type="file" id="f-{key}" accept="{ACCEPT}" aria-describedby="t-{key}"></div><div class="link"><label for="l-{key}">{link_label}</label><select id="l-{key}" aria-describedby="t-{key}">{options}</select><button type="button" data-link>{link}</button></div></details><p class="evidence-state" role="status" aria-live="polite"></p></div>"#,
        add = lang.t("添加证据", "Add evidence"),
        upload = lang.t("上传新文件", "Upload a new file"),
        link_label = lang.t("关联已上传的文件", "Link an uploaded file"),
        link = lang.t("关联", "Link"),
    ));
    out
}
