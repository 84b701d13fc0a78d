//! The `/verify` page's HTML: the form, the answer and how a check works.

use super::super::html::{escape, Lang};
use crate::report::verify::{Outcome, PublicReport, Verdict};

/// What the page shows besides the form.
#[derive(Default)]
pub struct View<'a> {
    /// The id or hash the visitor typed, shown again in the field.
    pub typed: &'a str,
    pub outcome: Option<&'a Outcome>,
    /// What stopped the check, in words.
    pub problem: Option<&'a str>,
}

pub fn body(lang: Lang, token: &str, view: &View<'_>) -> String {
    let answer = match (view.outcome, view.problem) {
        (Some(outcome), _) => answer(lang, outcome),
        (None, Some(problem)) => format!(
            r#"<section class="card verdict verdict-problem" id="verdict" role="alert"><h2>{}</h2><p>{}</p></section>"#,
            lang.t("未能核验", "Not checked"),
            escape(problem)
        ),
        (None, None) => String::new(),
    };
    format!(
        r#"<div class="verify">
<section class="card">
<h1>{title}</h1>
<p>{intro}</p>
<form method="post" action="{action}" enctype="multipart/form-data" id="verify-form" class="verify-form">
<input type="hidden" name="csrf" value="{token}">
<label class="drop" id="drop" for="file"><span class="drop-title">{drop}</span><span class="drop-hint" id="file-name">{drop_hint}</span>
<input type="file" id="file" name="file" accept="application/pdf,.pdf"></label>
<p class="or">{or}</p>
<label class="typed" for="query">{typed_label}
<input id="query" name="query" value="{typed}" placeholder="DCMM-1A2B-3C4D-5E6F-7A8B" autocomplete="off" spellcheck="false" autocapitalize="characters"></label>
<button type="submit" id="check">{submit}</button>
</form>
</section>
{answer}
<section class="card how">
<h2>{how_title}</h2>
<ul>
<li>{how_file}</li>
<li>{how_hash}</li>
<li>{how_id}</li>
</ul>
<p class="note">{how_note}</p>
</section>
</div>"#,
        title = lang.t("核验报告", "Verify a report"),
        intro = lang.t(
            "持有本服务签发的报告的任何人都可在此核验，无需登录：选择或拖入报告的 PDF 文件，或输入报告上印的报告编号或文件的 SHA-256。",
            "Anyone holding a report of this service can check it here, without logging in: choose or drop the report's PDF file, or type the report id printed on it or the file's SHA-256.",
        ),
        action = lang.link("/verify"),
        token = escape(token),
        drop = lang.t("选择或拖入 PDF 文件", "Choose or drop the PDF file"),
        drop_hint = lang.t("文件只用于计算其 SHA-256，不会被保存。", "The file is only hashed, never kept."),
        or = lang.t("或", "or"),
        typed_label = lang.t("报告编号或 SHA-256", "Report id or SHA-256"),
        typed = escape(view.typed),
        submit = lang.t("核验", "Check"),
        how_title = lang.t("核验能说明什么", "What a check tells"),
        how_file = lang.t(
            "上传文件：文件与本服务签发的报告逐字节相同，才判定为真实；改动任何一个字节都会判定为不真实。",
            "The file: it is genuine only if it is byte for byte a report this service issued; a single changed byte makes it not genuine.",
        ),
        how_hash = lang.t(
            "SHA-256：与上传文件相同，适用于不便上传文件时。",
            "Its SHA-256: the same as the file, for when the file cannot be uploaded.",
        ),
        how_id = lang.t(
            "报告编号：只能说明本服务签发过这样一份报告及其内容（对象、数据日期、指示等级），不能证明手中的文件未被改动。",
            "The report id: shows only that this service issued such a report and what it says (subject, day of the data, indicated level), not that the file in hand is unaltered.",
        ),
        how_note = lang.t(
            "报告中的等级为指示性结果，不构成 DCMM 认证。",
            "Levels in reports are indicative, not a DCMM certification.",
        ),
    )
}

fn answer(lang: Lang, outcome: &Outcome) -> String {
    let (class, headline) = match outcome.verdict() {
        Verdict::Genuine => ("verdict-genuine", lang.t("✔ 真实", "✔ Genuine")),
        Verdict::Issued => (
            "verdict-issued",
            lang.t("已签发（仅凭编号）", "Issued (by its id only)"),
        ),
        Verdict::Altered => ("verdict-altered", lang.t("✘ 不是真实文件", "✘ Not genuine")),
        Verdict::NotIssued => (
            "verdict-not-issued",
            lang.t("✘ 不是本服务签发的报告", "✘ Not issued by this service"),
        ),
    };
    let facts = outcome
        .public()
        .map(|r| facts(lang, &r))
        .unwrap_or_default();
    let sha = outcome
        .sha256
        .as_deref()
        .map(|s| {
            format!(
                r#"<p class="note sha">SHA-256 <code>{}</code></p>"#,
                escape(s)
            )
        })
        .unwrap_or_default();
    let again = match outcome.verdict() {
        Verdict::Altered => format!(
            r#"<p><a href="{}">{}</a></p>"#,
            escape(&lang.link(&format!(
                "/verify?id={}",
                outcome.altered_copy_of.map(|i| i.to_string()).unwrap_or_default()
            ))),
            lang.t(
                "查看本服务签发的该报告写有什么",
                "See what the report this service issued says"
            )
        ),
        _ => String::new(),
    };
    format!(
        r#"<section class="card verdict {class}" id="verdict" role="status" data-verdict="{code}"><h2>{headline}</h2><p class="statement">{statement}</p>{facts}{sha}{again}</section>"#,
        code = match outcome.verdict() {
            Verdict::Genuine => "genuine",
            Verdict::Issued => "issued",
            Verdict::Altered => "altered",
            Verdict::NotIssued => "not_issued",
        },
        statement = escape(&outcome.statement(lang)),
    )
}

fn facts(lang: Lang, r: &PublicReport) -> String {
    let unknown = lang.t("（未记录）", "(not recorded)");
    let kind = match (r.kind.as_str(), lang) {
        ("assessment", Lang::Zh) => "企业评估报告",
        ("assessment", Lang::En) => "Enterprise assessment report",
        (_, Lang::Zh) => "集群就绪度报告",
        (_, Lang::En) => "Cluster readiness report",
    };
    let level_label = if r.kind == "assessment" {
        lang.t("指示等级", "Indicated level")
    } else {
        lang.t("就绪度", "Readiness tier")
    };
    let final_value = match r.not_final {
        Some(true) => lang.t(
            "否：报告每页注明尚未定稿",
            "No: every page says it is not final",
        ),
        Some(false) => lang.t("是", "Yes"),
        None => unknown,
    };
    let rows = [
        (
            lang.t("报告编号", "Report id"),
            r.id.to_string(),
            "report-id",
        ),
        (lang.t("类型", "Kind"), kind.to_owned(), "kind"),
        (
            lang.t("对象", "Subject"),
            r.subject.clone().unwrap_or_else(|| unknown.to_owned()),
            "subject",
        ),
        (
            lang.t("签发日期", "Issued on"),
            r.issued_on.to_string(),
            "issued-on",
        ),
        (
            lang.t("数据截至", "Data as of"),
            r.data_as_of
                .map_or_else(|| unknown.to_owned(), |d| d.to_string()),
            "data-as-of",
        ),
        (
            level_label,
            r.indicated_level.clone().unwrap_or_else(|| "—".to_owned()),
            "level",
        ),
        (lang.t("已定稿", "Final"), final_value.to_owned(), "final"),
    ];
    let items: String = rows
        .iter()
        .map(|(label, value, key)| {
            format!(
                r#"<div><dt>{}</dt><dd data-fact="{key}">{}</dd></div>"#,
                escape(label),
                escape(value)
            )
        })
        .collect();
    format!(r#"<dl class="facts">{items}</dl>"#)
}
