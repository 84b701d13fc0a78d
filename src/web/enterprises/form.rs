//! Registering an enterprise (`/enterprises/new`, `POST /enterprises`: the service of
//! `POST /api/v1/clusters/{id}/enterprises`) and its page (`/enterprises/{id}`: the service of
//! `PATCH /api/v1/enterprises/{id}`), each error next to its field, the values typed kept.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{asked_cluster, message, picker, Scope};
use crate::auth::policy::{self, Action, Kind, Resource};
use crate::db::enterprises::{self, EnterpriseRow};
use crate::db::{own_assessments, refs};
use crate::domain::assessment::Stage;
use crate::domain::enterprise::{NewEnterprise, RawEnterprise, Size};
use crate::enterprise::update::Update;
use crate::enterprise::{self as service, industries};
use crate::error::{AppError, FieldErrors};
use crate::ids::EnterpriseId;
use crate::questionnaire::model::Choice;
use crate::state::{db_call, State};
use crate::web::html::{escape, page, respond, Lang};
use crate::web::session::{PageError, PageUser};

/// The form's fields as typed.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    size: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    contact_email: String,
}

impl Fields {
    fn of(e: &EnterpriseRow) -> Self {
        Self {
            csrf: String::new(),
            name: e.name.clone(),
            credit_code: e.credit_code.clone(),
            industry: e.industry.clone(),
            size: e.size.as_str().to_owned(),
            region: e.region.clone(),
            contact_name: e.contact_name.clone(),
            contact_phone: e.contact_phone.clone(),
            contact_email: e.contact_email.clone(),
        }
    }

    fn raw(&self) -> RawEnterprise {
        RawEnterprise {
            name: self.name.clone(),
            credit_code: self.credit_code.clone(),
            industry: self.industry.clone(),
            size: self.size.clone(),
            region: self.region.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            contact_email: self.contact_email.clone(),
        }
    }
}

/// The form's controls: `code_editable` for registration (the page shows the code instead).
fn controls(
    lang: Lang,
    f: &Fields,
    errors: &FieldErrors,
    industries: &[Choice],
    code_editable: bool,
) -> String {
    let note = |field: &str| match errors.get(field) {
        Some(list) => (
            format!(
                r#"<p class="field-error" id="error-{field}">{}</p>"#,
                escape(&message(lang, field, list))
            ),
            format!(r#" aria-invalid="true" aria-describedby="error-{field}""#),
        ),
        None => (String::new(), String::new()),
    };
    let input = |field: &str, label: &str, kind: &str, value: &str, extra: &str| {
        let (err, attrs) = note(field);
        format!(
            r#"<label for="{field}">{label}</label><input type="{kind}" id="{field}" name="{field}" value="{}"{extra}{attrs}>{err}"#,
            escape(value)
        )
    };
    let select = |field: &str, label: &str, options: Vec<(String, String)>, chosen: &str| {
        let (err, attrs) = note(field);
        let mut opts = format!(
            r#"<option value=""{}>{}</option>"#,
            if chosen.is_empty() { " selected" } else { "" },
            lang.t("请选择", "Choose")
        );
        for (v, t) in options {
            opts.push_str(&format!(
                r#"<option value="{}"{}>{}</option>"#,
                escape(&v),
                if v == chosen { " selected" } else { "" },
                escape(&t)
            ));
        }
        format!(
            r#"<label for="{field}">{label}</label><select id="{field}" name="{field}" required{attrs}>{opts}</select>{err}"#
        )
    };
    let chosen_size =
        Size::parse(&f.size).map_or_else(|| f.size.clone(), |s| s.as_str().to_owned());
    let chosen_industry =
        crate::domain::enterprise::parse_industry(&f.industry, industries).unwrap_or_default();
    let code = if code_editable {
        input(
            "credit_code",
            lang.t("统一社会信用代码", "Unified social credit code"),
            "text",
            &f.credit_code,
            r#" required maxlength="18" autocomplete="off" spellcheck="false""#,
        )
    } else {
        String::new()
    };
    [
        input(
            "name",
            lang.t("企业名称", "Name"),
            "text",
            &f.name,
            r#" required maxlength="200""#,
        ),
        code,
        select(
            "industry",
            lang.t("行业", "Industry"),
            industries
                .iter()
                .map(|c| (c.value.clone(), c.label.get(lang).to_owned()))
                .collect(),
            &chosen_industry,
        ),
        select(
            "size",
            lang.t("规模", "Size"),
            Size::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
                .collect(),
            &chosen_size,
        ),
        input(
            "region",
            lang.t("地区", "Region"),
            "text",
            &f.region,
            r#" maxlength="100""#,
        ),
        format!(
            r#"<fieldset><legend>{}</legend>"#,
            lang.t("联系人（选填）", "Contact (optional)")
        ),
        input(
            "contact_name",
            lang.t("联系人", "Contact name"),
            "text",
            &f.contact_name,
            r#" maxlength="100" autocomplete="off""#,
        ),
        input(
            "contact_phone",
            lang.t("联系电话", "Contact phone"),
            "tel",
            &f.contact_phone,
            r#" maxlength="30" autocomplete="off""#,
        ),
        input(
            "contact_email",
            lang.t("电子邮箱", "Contact email"),
            "email",
            &f.contact_email,
            r#" maxlength="254" autocomplete="off""#,
        ),
        "</fieldset>".to_owned(),
    ]
    .concat()
}

fn alert(lang: Lang, errors: &FieldErrors) -> String {
    if errors.is_empty() {
        return String::new();
    }
    format!(
        r#"<p class="notice" role="alert">{}</p>"#,
        lang.t(
            "有字段需要更正，见下方标出的字段。",
            "Some fields need correcting: see the marked fields below."
        )
    )
}

fn new_page(
    lang: Lang,
    page_user: &PageUser,
    scope: &Scope,
    f: &Fields,
    errors: &FieldErrors,
    industries: &[Choice],
) -> String {
    format!(
        r#"<p><a href="{back}">{back_label}</a></p><h1>{title}</h1><p class="note">{cluster}</p>{picker}{alert}
<section class="card"><form method="post" action="{action}" class="stacked" id="register-form" novalidate>{csrf}{controls}<button type="submit" id="register-save">{save}</button></form></section>"#,
        back = escape(&scope.link(lang, "/enterprises")),
        back_label = lang.t("← 企业名单", "← Enterprises"),
        title = lang.t("登记企业", "Register an enterprise"),
        cluster = escape(&scope.cluster.name),
        picker = picker(lang, scope, "/enterprises/new"),
        alert = alert(lang, errors),
        action = escape(&scope.link(lang, "/enterprises")),
        csrf = page_user.csrf_field(),
        controls = controls(lang, f, errors, industries, true),
        save = lang.t("登记", "Register"),
    )
}

pub async fn new(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let user = page_user.user.clone();
    let asked = asked_cluster(&req);
    let scope = db_call(&state, move |_, conn| {
        Scope::load(conn, &user, asked.as_deref())
    })
    .await
    .map_err(fail)?;
    let lang = page_user.lang;
    let html = new_page(
        lang,
        &page_user,
        &scope,
        &Fields::default(),
        &FieldErrors::new(),
        &industries(&state),
    );
    Ok(respond(
        StatusCode::OK,
        page(
            lang,
            lang.t("登记企业", "Register an enterprise"),
            Some(&page_user),
            &html,
        ),
    ))
}

/// Registers the enterprise; a bad field (422) or a taken credit code (409) shows the form
/// again with the error next to its field.
pub async fn register(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let lang = page_user.lang;
    let list = industries(&state);
    let f = form.into_inner();
    let user = page_user.user.clone();
    let asked = asked_cluster(&req);
    let scope = db_call(&state, move |_, conn| {
        Scope::load(conn, &user, asked.as_deref())
    })
    .await
    .map_err(fail)?;
    let (status, errors) = match NewEnterprise::parse(&f.raw(), &list) {
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Ok(parsed) => {
            let user = page_user.user.clone();
            let cluster = scope.cluster.id;
            let done = db_call(&state, move |_, conn| {
                service::register(conn, &user, cluster, parsed)
            })
            .await;
            match done {
                Ok(row) => {
                    return Ok(crate::web::see_other(
                        &lang.link(&format!("/enterprises/{}?registered=1", row.id)),
                    ))
                }
                Err(AppError::Conflict { fields, .. }) if !fields.is_empty() => {
                    (StatusCode::CONFLICT, fields)
                }
                Err(AppError::Rules { fields, .. }) => (StatusCode::UNPROCESSABLE_ENTITY, fields),
                Err(e) => return Err(fail(e)),
            }
        }
    };
    let html = new_page(lang, &page_user, &scope, &f, &errors, &list);
    Ok(respond(
        status,
        page(
            lang,
            lang.t("登记企业", "Register an enterprise"),
            Some(&page_user),
            &html,
        ),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    #[serde(default)]
    registered: String,
    #[serde(default)]
    saved: String,
}

/// The enterprise and its assessments (campaign name, stage), the newest campaign first.
struct Loaded {
    enterprise: EnterpriseRow,
    assessments: Vec<(String, Stage)>,
}

fn load(
    conn: &mut crate::db::DbConnection,
    user: &crate::auth::AuthUser,
    id: EnterpriseId,
) -> Result<Loaded, AppError> {
    let e = refs::enterprise(conn, id)?;
    policy::require(
        &user.actor,
        Action::Update,
        &Resource::new(Kind::Registration, e.tenancy()),
    )?;
    let enterprise = enterprises::find(conn, id)?;
    let rows = own_assessments::with_campaigns(conn, id, 200)?;
    let ids: Vec<_> = rows.iter().map(|(a, _)| a.id).collect();
    let started: std::collections::HashSet<_> = own_assessments::answered_in(conn, &ids)?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let assessments = rows
        .into_iter()
        .map(|(a, c)| {
            let stage = Stage::of(a.status, started.contains(&a.id), a.return_note.is_some());
            (c.name, stage)
        })
        .collect();
    Ok(Loaded {
        enterprise,
        assessments,
    })
}

fn edit_page(
    lang: Lang,
    page_user: &PageUser,
    loaded: &Loaded,
    f: &Fields,
    errors: &FieldErrors,
    industries: &[Choice],
    notice: Option<&str>,
) -> String {
    let e = &loaded.enterprise;
    let notice = notice
        .map(|n| format!(r#"<p class="saved" role="status">{}</p>"#, escape(n)))
        .unwrap_or_default();
    let assessments = if loaded.assessments.is_empty() {
        format!(
            "<p>{}</p>",
            lang.t(
                "尚未受邀参加任何评估活动。",
                "Not invited to any campaign yet."
            )
        )
    } else {
        let items: String = loaded
            .assessments
            .iter()
            .map(|(name, stage)| {
                format!(
                    r#"<li>{} · <span class="stage {}">{}</span></li>"#,
                    escape(name),
                    stage.as_str(),
                    stage.label(lang)
                )
            })
            .collect();
        format!(r#"<ul id="assessments">{items}</ul>"#)
    };
    format!(
        r#"<p><a href="{back}">{back_label}</a></p><h1>{name}</h1>{notice}{alert}
<section class="card" aria-labelledby="reg-h"><h2 id="reg-h">{reg}</h2>
<dl class="figures"><dt>{code_label}</dt><dd data-figure="credit-code"><code>{code}</code></dd></dl>
<form method="post" action="{action}" class="stacked" id="enterprise-form" novalidate>{csrf}{controls}<button type="submit" id="enterprise-save">{save}</button></form></section>
<section class="card" aria-labelledby="as-h"><h2 id="as-h">{as_title}</h2>{assessments}</section>
<section class="card" aria-labelledby="acc-h"><h2 id="acc-h">{acc_title}</h2><p><a href="{account}" id="create-account">{account_label}</a></p></section>"#,
        back = escape(&lang.link("/enterprises")),
        back_label = lang.t("← 企业名单", "← Enterprises"),
        name = escape(&e.name),
        alert = alert(lang, errors),
        reg = lang.t("登记信息与联系人", "Registration and contact"),
        code_label = lang.t(
            "统一社会信用代码（不可修改）",
            "Unified social credit code (fixed)"
        ),
        code = escape(&e.credit_code),
        action = escape(&lang.link(&format!("/enterprises/{}", e.id))),
        csrf = page_user.csrf_field(),
        controls = controls(lang, f, errors, industries, false),
        save = lang.t("保存", "Save"),
        as_title = lang.t("各评估活动中的评估", "Assessments by campaign"),
        acc_title = lang.t("账户", "Accounts"),
        account = escape(&lang.link(&format!("/users/new?enterprise={}", e.id))),
        account_label = lang.t("创建账户", "Create an account"),
    )
}

pub async fn edit(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<EnterpriseId>,
    query: web::Query<EditQuery>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    let id = path.into_inner();
    let user = page_user.user.clone();
    let loaded = db_call(&state, move |_, conn| load(conn, &user, id))
        .await
        .map_err(fail)?;
    let lang = page_user.lang;
    let notice = if !query.registered.is_empty() {
        Some(lang.t("已登记。", "Registered."))
    } else if !query.saved.is_empty() {
        Some(lang.t("已保存。", "Saved."))
    } else {
        None
    };
    let f = Fields::of(&loaded.enterprise);
    let html = edit_page(
        lang,
        &page_user,
        &loaded,
        &f,
        &FieldErrors::new(),
        &industries(&state),
        notice,
    );
    Ok(respond(
        StatusCode::OK,
        page(lang, &loaded.enterprise.name, Some(&page_user), &html),
    ))
}

/// Saves the registration fields and the contact through the update service.
pub async fn save(
    state: State,
    req: HttpRequest,
    page_user: PageUser,
    path: web::Path<EnterpriseId>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fail = |e| PageError::new(&req, e);
    page_user.check_csrf(&state, &form.csrf).map_err(fail)?;
    let id = path.into_inner();
    let lang = page_user.lang;
    let list = industries(&state);
    let f = form.into_inner();
    let update = Update {
        name: Some(f.name.clone()),
        industry: Some(f.industry.clone()),
        size: Some(f.size.clone()),
        region: Some(f.region.clone()),
        sharing: None,
        contact_name: Some(f.contact_name.clone()),
        contact_phone: Some(f.contact_phone.clone()),
        contact_email: Some(f.contact_email.clone()),
    };
    let user = page_user.user.clone();
    let industries_for = list.clone();
    let done = db_call(&state, move |_, conn| {
        service::update::update(conn, &user, id, update, &industries_for)
    })
    .await;
    match done {
        Ok(_) => Ok(crate::web::see_other(
            &lang.link(&format!("/enterprises/{id}?saved=1")),
        )),
        Err(AppError::Validation { fields, .. }) => {
            let user = page_user.user.clone();
            let loaded = db_call(&state, move |_, conn| load(conn, &user, id))
                .await
                .map_err(fail)?;
            let html = edit_page(lang, &page_user, &loaded, &f, &fields, &list, None);
            Ok(respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(lang, &loaded.enterprise.name, Some(&page_user), &html),
            ))
        }
        Err(e) => Err(fail(e)),
    }
}
