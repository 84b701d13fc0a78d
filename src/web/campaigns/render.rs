//! The campaign pages' markup: the form that opens a campaign, the campaign page and the
//! confirmation before closing, each error next to its field.

use chrono::NaiveDate;

use super::Errors;
use crate::campaign::chase::Chase;
use crate::db::campaigns::{CampaignRow, Participation};
use crate::db::clusters::ClusterRow;
use crate::domain::assessment::Stage;
use crate::domain::campaign::CampaignStatus;
use crate::questionnaire::Registry;
use crate::web::html::{escape, field_error, Lang};
use crate::web::session::PageUser;

/// The form that opens a campaign, as typed.
#[derive(Debug, Default)]
pub struct NewCampaignForm {
    pub cluster: Option<String>,
    pub name: String,
    pub questionnaire: String,
    pub due_date: String,
    pub target_level: String,
    pub copy_previous: bool,
    pub errors: Errors,
}

fn error(errors: &Errors, field: &str) -> (String, String) {
    field_error(field, errors.get(field).map(String::as_str))
}

fn selected(on: bool) -> &'static str {
    if on {
        " selected"
    } else {
        ""
    }
}

/// What starting from the previous answers does, given the edition the cluster used last.
fn carry_over_help(
    lang: Lang,
    registry: &Registry,
    previous: Option<&str>,
    chosen: &str,
) -> String {
    let Some(previous) = previous else {
        return lang
            .t(
                "该集群还没有评估活动，没有可沿用的答案。",
                "The cluster has no campaign yet: there are no answers to carry over.",
            )
            .to_owned();
    };
    let name = |id: &str| {
        registry
            .dcmm(id)
            .map_or_else(|| id.to_owned(), |q| q.title.get(lang).to_owned())
    };
    let mut text = match lang {
        Lang::Zh => format!(
            "该集群上一期评估活动使用《{}》。勾选后，每家企业的草稿从其最近一次评估的答案开始，标记为“沿用”，企业确认后生效。",
            name(previous)
        ),
        Lang::En => format!(
            "The cluster's latest campaign used “{}”. When ticked, each enterprise's draft starts \
             from the answers of its latest assessment, marked as carried over until the \
             enterprise confirms them.",
            name(previous)
        ),
    };
    if previous != chosen {
        if let Some(c) = registry.crosswalk_between(previous, chosen) {
            let n = c.counts();
            text.push(' ');
            text.push_str(&match lang {
                Lang::Zh => format!(
                    "两个版本不同：答案经版本对照表转换（{} 条一对一，{} 条由 {} 条合并而来，取其中最低的评价；{} 条为新增准则，需重新作答；{} 条已删除）。",
                    n.one_to_one, n.many_to_one, n.merged, n.new, n.dropped
                ),
                Lang::En => format!(
                    "The editions differ: answers go through the crosswalk ({} one to one, {} \
                     merged from {} taking the lowest rating, {} new criteria to answer afresh, \
                     {} dropped).",
                    n.one_to_one, n.many_to_one, n.merged, n.new, n.dropped
                ),
            });
        } else {
            text.push(' ');
            text.push_str(lang.t(
                "两个版本之间没有对照表，答案无法沿用。",
                "No crosswalk joins the two editions: no answers can be carried over.",
            ));
        }
    }
    text
}

pub fn new_campaign(
    lang: Lang,
    page_user: &PageUser,
    f: &NewCampaignForm,
    clusters: &[ClusterRow],
    registry: &Registry,
    previous: Option<&str>,
) -> String {
    let cluster_field = if clusters.len() == 1 {
        format!(
            r#"<p class="muted">{label}：{name}</p><input type="hidden" name="cluster" value="{id}">"#,
            label = lang.t("集群", "Cluster"),
            name = escape(&clusters[0].name),
            id = clusters[0].id,
        )
    } else {
        let options: String = clusters
            .iter()
            .map(|c| {
                let id = c.id.to_string();
                format!(
                    r#"<option value="{id}"{}>{}</option>"#,
                    selected(f.cluster.as_deref() == Some(id.as_str())),
                    escape(&c.name)
                )
            })
            .collect();
        format!(
            r#"<label for="cluster">{}</label><select id="cluster" name="cluster" required>{options}</select>"#,
            lang.t("集群", "Cluster")
        )
    };
    let mut editions: Vec<_> = registry.dcmm_all().collect();
    editions.sort_by(|a, b| b.edition.cmp(&a.edition));
    let editions: String = editions
        .iter()
        .map(|q| {
            format!(
                r#"<option value="{id}"{sel}>{title}</option>"#,
                id = escape(&q.id),
                sel = selected(q.id == f.questionnaire),
                title = escape(q.title.get(lang)),
            )
        })
        .collect();
    let levels: String = (1u8..=5)
        .map(|l| {
            format!(
                r#"<option value="{l}"{}>{}</option>"#,
                selected(f.target_level == l.to_string()),
                match lang {
                    Lang::Zh => format!("{l} 级（{}）", crate::report::level_name(lang, l)),
                    Lang::En => format!("Level {l} ({})", crate::report::level_name(lang, l)),
                }
            )
        })
        .collect();
    let (name_error, name_attrs) = error(&f.errors, "name");
    let (q_error, q_attrs) = error(&f.errors, "questionnaire");
    let (due_error, due_attrs) = error(&f.errors, "due_date");
    let (target_error, target_attrs) = error(&f.errors, "target_level");
    format!(
        r#"<h1>{title}</h1>
<section class="card">
<form method="post" action="{action}" class="stacked" id="new-campaign">
{csrf}
{cluster_field}
<label for="name">{name_label}</label>
<input id="name" name="name" value="{name}" maxlength="200" required placeholder="{name_example}"{name_attrs}>
{name_error}
<label for="questionnaire">{q_label}</label>
<select id="questionnaire" name="questionnaire"{q_attrs}>{editions}</select>
{q_error}
<label for="due_date">{due_label}</label>
<input id="due_date" name="due_date" type="date" value="{due}" required{due_attrs}>
{due_error}
<label for="target_level">{target_label}</label>
<select id="target_level" name="target_level"{target_attrs}>{levels}</select>
{target_error}
<label class="option"><input type="checkbox" name="copy_previous" id="copy_previous" value="1" aria-describedby="copy-help"{copy}> {copy_label}</label>
<p class="help" id="copy-help">{copy_help}</p>
<button type="submit">{submit}</button>
</form>
<p class="help">{after}</p>
</section>"#,
        title = lang.t("开启评估活动", "Open a campaign"),
        action = lang.link("/campaigns/new"),
        csrf = page_user.csrf_field(),
        name_label = lang.t("名称", "Name"),
        name = escape(&f.name),
        name_example = lang.t(
            "例如：2027 年度数据管理能力评估",
            "e.g. 2027 data management assessment"
        ),
        q_label = lang.t("问卷版本", "Questionnaire edition"),
        due_label = lang.t("截止日期", "Due date"),
        due = escape(&f.due_date),
        target_label = lang.t("目标等级", "Target level"),
        copy = if f.copy_previous { " checked" } else { "" },
        copy_label = lang.t("从上一次评估的答案开始", "Start from previous answers"),
        copy_help = escape(&carry_over_help(lang, registry, previous, &f.questionnaire)),
        submit = lang.t("开启评估活动", "Open the campaign"),
        after = lang.t(
            "开启后，集群内每家企业（以及活动期间新登记的企业）都会得到一份评估草稿。",
            "Once open, every enterprise of the cluster (and every one registered while it is \
             open) gets a draft assessment.",
        ),
    )
}

/// Everything the campaign page shows.
pub struct CampaignView<'a> {
    pub campaign: &'a CampaignRow,
    pub cluster: &'a str,
    pub edition: &'a str,
    pub participation: Participation,
    pub may_manage: bool,
    pub today: NaiveDate,
    pub notice: Option<&'a str>,
    pub due_date: String,
    pub errors: &'a Errors,
}

fn due_text(lang: Lang, c: &CampaignRow, today: NaiveDate) -> String {
    let days = (c.due_date - today).num_days();
    let tail = match (c.status, lang) {
        (CampaignStatus::Closed, _) => String::new(),
        (_, Lang::Zh) if days >= 0 => format!("（还有 {days} 天）"),
        (_, Lang::Zh) => format!("（已逾期 {} 天）", -days),
        (_, Lang::En) if days >= 0 => format!(" ({days} days left)"),
        (_, Lang::En) => format!(" ({} days overdue)", -days),
    };
    format!("{}{tail}", c.due_date)
}

pub fn campaign(lang: Lang, page_user: &PageUser, v: &CampaignView<'_>) -> String {
    let c = v.campaign;
    let id = c.id;
    let p = v.participation;
    let notice = v.notice.map_or_else(String::new, |n| {
        format!(r#"<p class="saved" role="status">{}</p>"#, escape(n))
    });
    let link =
        |path: &str, text: &str| format!(r#"<a href="{}">{}</a>"#, lang.link(path), escape(text));
    let links = [
        link(
            &format!("/campaigns/{id}/dashboard"),
            lang.t("集群看板", "Cluster dashboard"),
        ),
        link(
            &format!("/campaigns/{id}/chase"),
            lang.t("催办名单", "Whom to remind"),
        ),
        link(
            &format!("/campaigns/{id}/export.csv"),
            lang.t("导出 CSV", "Export CSV"),
        ),
        link(
            &format!("/campaigns/{id}/export.xlsx"),
            lang.t("导出 Excel", "Export Excel"),
        ),
        link(
            &format!("/campaigns/{id}/report.pdf"),
            lang.t("集群报告（PDF）", "Cluster report (PDF)"),
        ),
    ]
    .map(|a| format!("<li>{a}</li>"))
    .concat();
    let manage = match (c.status, v.may_manage) {
        (CampaignStatus::Open, true) => {
            let (due_error, due_attrs) = error(v.errors, "due_date");
            format!(
                r#"<section class="card" aria-labelledby="manage-title">
<h2 id="manage-title">{title}</h2>
<form method="post" action="{move_action}" class="stacked" id="due-date-form">
{csrf}
<label for="due_date">{due_label}</label>
<input id="due_date" name="due_date" type="date" value="{due}" required{due_attrs}>
{due_error}
<button type="submit">{move_label}</button>
</form>
<p>{close_text} <a href="{close}" class="button-link">{close_label}</a></p>
</section>"#,
                title = lang.t("管理评估活动", "Manage the campaign"),
                move_action = lang.link(&format!("/campaigns/{id}/due-date")),
                csrf = page_user.csrf_field(),
                due_label = lang.t("新的截止日期", "New due date"),
                due = escape(&v.due_date),
                move_label = lang.t("修改截止日期", "Change the due date"),
                close_text = lang.t(
                    "结束后，各评估的答案、证据、提交和审核都不再变更，集群报告成为最终版。",
                    "Once closed, no answer, evidence, submission or review of its assessments \
                     changes, and the cluster report is final.",
                ),
                close = lang.link(&format!("/campaigns/{id}/close")),
                close_label = lang.t("结束评估活动…", "Close the campaign…"),
            )
        }
        (CampaignStatus::Closed, _) => format!(
            r#"<p class="notice">{}</p>"#,
            lang.t(
                "本评估活动已结束：答案、证据、提交和审核不再变更，集群报告为最终版。",
                "This campaign is closed: its answers, evidence, submissions and reviews no longer \
                 change, and its cluster report is final.",
            )
        ),
        _ => String::new(),
    };
    format!(
        r#"<h1>{name}</h1>
{notice}
<section class="card" aria-labelledby="facts-title">
<h2 id="facts-title">{facts_title}</h2>
<dl class="figures">
<dt>{cluster_label}</dt><dd>{cluster}</dd>
<dt>{edition_label}</dt><dd>{edition}</dd>
<dt>{status_label}</dt><dd data-figure="status">{status}</dd>
<dt>{due_label}</dt><dd data-figure="due-date">{due}</dd>
<dt>{target_label}</dt><dd>{target}</dd>
<dt>{invited_label}</dt><dd data-figure="invited">{invited}</dd>
<dt>{started_label}</dt><dd data-figure="started">{started}</dd>
<dt>{submitted_label}</dt><dd data-figure="submitted">{submitted}</dd>
<dt>{accepted_label}</dt><dd data-figure="accepted">{accepted}</dd>
</dl>
<ul class="links">{links}</ul>
</section>
{manage}"#,
        name = escape(&c.name),
        facts_title = lang.t("概况", "Overview"),
        cluster_label = lang.t("集群", "Cluster"),
        cluster = escape(v.cluster),
        edition_label = lang.t("问卷版本", "Questionnaire"),
        edition = escape(v.edition),
        status_label = lang.t("状态", "Status"),
        status = c.status.label(lang),
        due_label = lang.t("截止日期", "Due date"),
        due = due_text(lang, c, v.today),
        target_label = lang.t("目标等级", "Target level"),
        target = c.target_level,
        invited_label = lang.t("受邀企业", "Invited"),
        invited = p.invited,
        started_label = lang.t("已开始", "Started"),
        started = p.started,
        submitted_label = lang.t("待审核", "Awaiting review"),
        submitted = p.submitted,
        accepted_label = lang.t("已通过", "Accepted"),
        accepted = p.accepted,
    )
}

pub fn confirm_close(lang: Lang, page_user: &PageUser, list: &Chase) -> String {
    let c = &list.campaign;
    let count = |stage: Stage| list.entries.iter().filter(|e| e.stage == stage).count();
    let rows: String = [
        Stage::NotStarted,
        Stage::InProgress,
        Stage::Returned,
        Stage::AwaitingReview,
        Stage::Accepted,
    ]
    .into_iter()
    .map(|s| {
        format!(
            r#"<tr><th scope="row">{}</th><td data-figure="{}">{}</td></tr>"#,
            s.label(lang),
            s.as_str(),
            count(s)
        )
    })
    .collect();
    let unfinished = list.entries.len() - count(Stage::Accepted);
    let warning = if unfinished > 0 {
        match lang {
            Lang::Zh => format!(
                "还有 {unfinished} 家企业的评估未通过审核：结束后它们保持现状，不能再填写、提交或审核。"
            ),
            Lang::En => format!(
                "{unfinished} enterprises have no accepted assessment yet: once closed they stay as \
                 they are, and can no longer be filled in, submitted or reviewed."
            ),
        }
    } else {
        lang.t("所有评估均已通过审核。", "Every assessment is accepted.")
            .to_owned()
    };
    format!(
        r#"<h1>{title}</h1>
<section class="card confirm">
<p><strong>{name}</strong></p>
<table class="stages"><caption>{caption}</caption><tbody>{rows}</tbody></table>
<p class="notice">{warning}</p>
<p>{what}</p>
<form method="post" action="{action}" class="actions">
{csrf}
<button type="submit">{submit}</button>
<a href="{back}">{back_label}</a>
</form>
</section>"#,
        title = lang.t("结束评估活动", "Close the campaign"),
        name = escape(&c.name),
        caption = lang.t("各状态的企业数", "Enterprises by status"),
        what = lang.t(
            "结束后，集群报告成为最终版。此操作不能撤销。",
            "Once closed, the cluster report is final. This cannot be undone.",
        ),
        action = lang.link(&format!("/campaigns/{}/close", c.id)),
        csrf = page_user.csrf_field(),
        submit = lang.t("确认结束", "Close it"),
        back = lang.link(&format!("/campaigns/{}", c.id)),
        back_label = lang.t("返回", "Back"),
    )
}
