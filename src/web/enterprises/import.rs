//! The CSV import: the upload form (`/enterprises/import`) and its template, the preview
//! (`POST /enterprises/import/preview`: every row checked by the import's dry run, nothing
//! written, the file carried on in the page) and the import itself (`POST /enterprises/import`).

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use futures_util::StreamExt as _;
use serde::Deserialize;

use super::{asked_cluster, field_name, message, picker, Scope};
use crate::domain::enterprise::{Size, COLUMNS};
use crate::enterprise::{import_csv, industries, Mode, RowOutcome};
use crate::error::{AppError, ErrorCode};
use crate::questionnaire::model::Choice;
use crate::state::{db_call, State};
use crate::web::html::{escape, page, respond, Lang};
use crate::web::session::{PageError, PageUser};

/// The largest file the page takes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The form that carries the file on: its base64 text and the CSRF field.
pub const MAX_FORM_BYTES: usize = MAX_FILE_BYTES * 4 / 3 + 64 * 1024;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The template's bytes: a byte-order mark (so spreadsheet programs read it as UTF-8) and the
/// Chinese header row.
pub fn template_csv() -> Vec<u8> {
    let header: Vec<&str> = COLUMNS.iter().map(|(_, zh)| *zh).collect();
    format!("\u{FEFF}{}\r\n", header.join(",")).into_bytes()
}

pub async fn template() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            r#"attachment; filename="enterprises-template.csv""#,
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(template_csv())
}

async fn scope_of(
    state: &State,
    req: &HttpRequest,
    page_user: &PageUser,
) -> Result<Scope, AppError> {
    let user = page_user.user.clone();
    let asked = asked_cluster(req);
    db_call(state, move |_, conn| {
        Scope::load(conn, &user, asked.as_deref())
    })
    .await
}

fn columns(lang: Lang, industries: &[Choice]) -> String {
    let industry_values: Vec<String> = industries
        .iter()
        .map(|c| format!("{} ({})", c.label.get(lang), c.value))
        .collect();
    let sizes: Vec<String> = Size::ALL
        .iter()
        .map(|s| format!("{} ({})", s.label(Lang::Zh), s.as_str()))
        .collect();
    let describe = |en: &str| -> String {
        match en {
            "name" => lang
                .t("必填，至多 200 字", "required, up to 200 characters")
                .to_owned(),
            "credit_code" => lang
                .t(
                    "必填，18 位，校验位须正确",
                    "required, 18 characters with a correct check character",
                )
                .to_owned(),
            "industry" => format!(
                "{}{}",
                lang.t("必填，填值或名称：", "required, a value or its name: "),
                industry_values.join(lang.t("、", ", "))
            ),
            "size" => format!(
                "{}{}",
                lang.t("必填：", "required: "),
                sizes.join(lang.t("、", ", "))
            ),
            "region" => lang
                .t("选填，至多 100 字", "optional, up to 100 characters")
                .to_owned(),
            "contact_name" => lang
                .t("选填，至多 100 字", "optional, up to 100 characters")
                .to_owned(),
            "contact_phone" => lang
                .t(
                    "选填，5 至 30 个数字、空格、+、- 或括号",
                    "optional, 5 to 30 digits, spaces, +, - or parentheses",
                )
                .to_owned(),
            _ => lang
                .t("选填，有效的电子邮箱", "optional, a valid email address")
                .to_owned(),
        }
    };
    let items: String = COLUMNS
        .iter()
        .map(|(en, zh)| {
            format!(
                "<li><code>{zh}</code> / <code>{en}</code>: {}</li>",
                escape(&describe(en))
            )
        })
        .collect();
    format!(
        r#"<p>{intro}</p><ul id="columns">{items}</ul>"#,
        intro = lang.t(
            "CSV 文件（UTF-8，可带 BOM），第一行为表头，中文或英文列名均可，列的顺序不限：",
            "A CSV file (UTF-8, with or without BOM) whose first row names the columns, in Chinese or English, in any order:"
        ),
    )
}

fn upload_page(
    lang: Lang,
    page_user: &PageUser,
    scope: &Scope,
    industries: &[Choice],
    error: Option<&str>,
) -> String {
    let (err, attrs) = match error {
        Some(e) => (
            format!(
                r#"<p class="field-error" id="error-file">{}</p>"#,
                escape(e)
            ),
            r#" aria-invalid="true" aria-describedby="file-help error-file""#.to_owned(),
        ),
        None => (String::new(), r#" aria-describedby="file-help""#.to_owned()),
    };
    format!(
        r#"<p><a href="{back}">{back_label}</a></p><h1>{title}</h1><p class="note">{cluster}</p>{picker}
<section class="card" aria-labelledby="cols-h"><h2 id="cols-h">{cols_title}</h2>{columns}<p><a href="/enterprises/import/template.csv" id="template" download>{template}</a></p><p class="note">{template_note}</p></section>
<section class="card"><form method="post" action="{action}" enctype="multipart/form-data" class="stacked" id="upload-form">{csrf}<label for="file">{file_label}</label><input type="file" id="file" name="file" accept=".csv,text/csv" required{attrs}><p class="help" id="file-help">{help}</p>{err}<button type="submit" id="preview">{preview}</button></form></section>"#,
        back = escape(&scope.link(lang, "/enterprises")),
        back_label = lang.t("← 企业名单", "← Enterprises"),
        title = lang.t("从 CSV 导入企业", "Import enterprises from CSV"),
        cluster = escape(&scope.cluster.name),
        picker = picker(lang, scope, "/enterprises/import"),
        cols_title = lang.t("文件格式", "The file"),
        columns = columns(lang, industries),
        template = lang.t("下载模板（enterprises-template.csv）", "Download the template (enterprises-template.csv)"),
        template_note = lang.t(
            "模板只有表头：每家企业填一行。用电子表格编辑后请另存为 CSV UTF-8。",
            "The template is the header row only: add one row per enterprise. From a spreadsheet, save as CSV UTF-8."
        ),
        action = escape(&scope.link(lang, "/enterprises/import/preview")),
        csrf = page_user.csrf_field(),
        file_label = lang.t("CSV 文件", "CSV file"),
        help = lang.t("最大 1 MiB。先预览检查，确认后才导入。", "At most 1 MiB. You see a preview first; nothing is imported until you confirm."),
        preview = lang.t("预览", "Preview"),
    )
}

pub async fn upload(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let scope = scope_of(&state, &req, &page_user).await.map_err(fail)?;
    let lang = page_user.lang;
    let html = upload_page(lang, &page_user, &scope, &industries(&state), None);
    Ok(respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("导入企业", "Import enterprises"),
            Some(&page_user),
            &html,
        ),
    ))
}

#[derive(Default)]
struct Sent {
    csrf: String,
    file: Option<Vec<u8>>,
}

fn bad_form(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest {
        code: ErrorCode::BadBody,
        message: format!("the form could not be read: {e}"),
    }
}

/// Reads the form; the CSRF field comes first in the page's form, and a file part before it
/// is refused unread.
async fn read(mut form: Multipart, state: &State, page_user: &PageUser) -> Result<Sent, AppError> {
    let mut sent = Sent::default();
    let mut checked = false;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(bad_form)?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" && !checked {
            page_user.check_csrf(state, &sent.csrf)?;
            checked = true;
        }
        let limit = if name == "file" { MAX_FILE_BYTES } else { 4096 };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(bad_form)?;
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    AppError::field("file", "must be at most 1 MiB")
                } else {
                    AppError::field(name.as_str(), "is too long")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => sent.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => sent.file = Some(bytes),
            _ => {}
        }
    }
    page_user.check_csrf(state, &sent.csrf)?;
    Ok(sent)
}

/// The reasons of a rejected row, by field, in the page's language.
fn reasons(lang: Lang, o: &RowOutcome) -> String {
    match &o.result {
        Ok(_) => String::new(),
        Err(errors) => {
            let items: String = errors
                .iter()
                .map(|(field, list)| {
                    format!(
                        r#"<li data-field="{f}"><strong>{name}</strong>{sep}{m}</li>"#,
                        sep = lang.t("：", ": "),
                        f = escape(field),
                        name = field_name(lang, field),
                        m = escape(&message(lang, field, list))
                    )
                })
                .collect();
            format!(r#"<ul class="reasons">{items}</ul>"#)
        }
    }
}

/// The rows as a table: line, name, credit code, outcome.
fn rows_table(lang: Lang, rows: &[RowOutcome], done: bool) -> String {
    let heads = [
        lang.t("行号", "Line"),
        lang.t("企业名称", "Name"),
        lang.t("统一社会信用代码", "Credit code"),
        lang.t("结果", "Outcome"),
    ];
    let mut out = format!(
        r#"<div class="tableview"><table class="import-rows cards" id="rows"><caption>{}</caption><thead><tr>"#,
        lang.t("每一行的结果", "Each row")
    );
    for h in heads {
        out.push_str(&format!(r#"<th scope="col">{h}</th>"#));
    }
    out.push_str("</tr></thead><tbody>");
    for o in rows {
        let outcome = match &o.result {
            Ok(Some(id)) => format!(
                r#"<span class="outcome created">{}</span> <a href="{}">{}</a>"#,
                lang.t("已创建", "Created"),
                escape(&lang.link(&format!("/enterprises/{id}"))),
                lang.t("查看", "Open")
            ),
            Ok(None) => format!(
                r#"<span class="outcome valid">{}</span>"#,
                lang.t("将创建", "Will be created")
            ),
            Err(_) => format!(
                r#"<span class="outcome rejected">{}</span>{}"#,
                lang.t("拒绝", "Rejected"),
                reasons(lang, o)
            ),
        };
        let class = match (&o.result, done) {
            (Err(_), _) => "rejected",
            (Ok(_), true) => "created",
            (Ok(_), false) => "valid",
        };
        let cells = [
            o.line.to_string(),
            escape(&o.name),
            format!("<code>{}</code>", escape(&o.credit_code)),
            outcome,
        ];
        out.push_str(&format!(r#"<tr id="line-{}" class="{class}">"#, o.line));
        for (h, c) in heads.iter().zip(cells) {
            out.push_str(&format!(r#"<td data-label="{h}">{c}</td>"#));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// Checks the file by the import's dry run and shows what the import would do; nothing is
/// written. The file goes on in the page, so the server keeps nothing.
pub async fn preview(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: crate::multipart::Form,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let sent = form
        .read(|parts| read(parts, &state, &page_user))
        .await
        .map_err(fail)?;
    let scope = scope_of(&state, &req, &page_user).await.map_err(fail)?;
    let lang = page_user.lang;
    let list = industries(&state);
    let title = lang.t("导入预览", "Import preview");
    let refuse = |message: String| {
        let html = upload_page(lang, &page_user, &scope, &list, Some(&message));
        respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(lang, title, Some(&page_user), &html),
        )
    };
    let Some(file) = sent.file else {
        return Ok(refuse(
            lang.t("请选择一个 CSV 文件。", "Choose a CSV file.")
                .to_owned(),
        ));
    };
    let user = page_user.user.clone();
    let cluster = scope.cluster.id;
    let (bytes, industries_for) = (file.clone(), list.clone());
    let checked = db_call(&state, move |_, conn| {
        import_csv(conn, &user, cluster, &bytes, &industries_for, Mode::DryRun)
    })
    .await;
    let rows = match checked {
        Ok(rows) => rows,
        Err(AppError::Validation { fields, .. }) => {
            let detail = fields
                .values()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            let text = match lang {
                Lang::Zh => format!("无法读取该文件：{detail}"),
                Lang::En => format!("The file cannot be read: {detail}"),
            };
            return Ok(refuse(text));
        }
        Err(e) => return Err(fail(e)),
    };
    let valid = rows.iter().filter(|r| r.result.is_ok()).count();
    let rejected = rows.len() - valid;
    let summary = match lang {
        Lang::Zh => format!("共 {} 行：{valid} 行可导入，{rejected} 行将被拒绝。尚未写入任何数据。", rows.len()),
        Lang::En => format!("{} rows: {valid} can be imported, {rejected} will be rejected. Nothing is written yet.", rows.len()),
    };
    let button = if valid > 0 {
        let label = match lang {
            Lang::Zh => format!("导入 {valid} 家企业"),
            Lang::En => format!("Import {valid} enterprises"),
        };
        format!(
            r#"<form method="post" action="{action}" id="import-form">{csrf}<input type="hidden" name="content" value="{content}"><button type="submit" id="do-import">{label}</button></form>"#,
            action = escape(&scope.link(lang, "/enterprises/import")),
            csrf = page_user.csrf_field(),
            content = B64.encode(&file),
        )
    } else {
        format!(
            r#"<p class="notice">{}</p>"#,
            lang.t("没有可导入的行。", "No row can be imported.")
        )
    };
    let html = format!(
        r#"<p><a href="{back}">{back_label}</a></p><h1>{title}</h1><p class="note">{cluster}</p>
<p role="status" data-figure="summary">{summary}</p>{table}<div class="actions">{button}<a href="{again}" id="another">{again_label}</a></div>"#,
        back = escape(&scope.link(lang, "/enterprises")),
        back_label = lang.t("← 企业名单", "← Enterprises"),
        cluster = escape(&scope.cluster.name),
        summary = escape(&summary),
        table = rows_table(lang, &rows, false),
        again = escape(&scope.link(lang, "/enterprises/import")),
        again_label = lang.t("选择其他文件", "Choose another file"),
    );
    Ok(respond(
        StatusCode::OK,
        page(lang, title, Some(&page_user), &html),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    content: String,
}

/// Imports the file the preview carried on: each row on its own, then the outcome of each.
pub async fn import(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let bytes = B64.decode(form.content.trim()).map_err(|_| {
        fail(AppError::field(
            "content",
            "is not the file the preview carried",
        ))
    })?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(AppError::field("file", "must be at most 1 MiB")));
    }
    let scope = scope_of(&state, &req, &page_user).await.map_err(fail)?;
    let lang = page_user.lang;
    let user = page_user.user.clone();
    let cluster = scope.cluster.id;
    let list = industries(&state);
    let rows = db_call(&state, move |_, conn| {
        import_csv(conn, &user, cluster, &bytes, &list, Mode::Write)
    })
    .await
    .map_err(fail)?;
    let created = rows.iter().filter(|r| r.result.is_ok()).count();
    let rejected = rows.len() - created;
    let summary = match lang {
        Lang::Zh => format!("已创建 {created} 家，拒绝 {rejected} 行。"),
        Lang::En => format!("{created} created, {rejected} rejected."),
    };
    let title = lang.t("导入结果", "Import result");
    let html = format!(
        r#"<h1>{title}</h1><p class="note">{cluster}</p><p class="saved" role="status" data-figure="summary">{summary}</p>{table}<div class="actions"><a href="{list}" id="to-list">{list_label}</a><a href="{again}">{again_label}</a></div>"#,
        cluster = escape(&scope.cluster.name),
        summary = escape(&summary),
        table = rows_table(lang, &rows, true),
        list = escape(&scope.link(lang, "/enterprises")),
        list_label = lang.t("返回企业名单", "Back to the enterprises"),
        again = escape(&scope.link(lang, "/enterprises/import")),
        again_label = lang.t("再导入一个文件", "Import another file"),
    );
    Ok(respond(
        StatusCode::OK,
        page(lang, title, Some(&page_user), &html),
    ))
}
