//! The account page's markup: who the account is, the display name and language form, and the
//! password form, each error next to its field.

use std::collections::BTreeMap;

use crate::auth::password::{Weakness, MAX_CHARS, MIN_CHARS};
use crate::domain::Role;
use crate::web::html::{escape, Lang};
use crate::web::session::PageUser;

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Admin => lang.t("系统管理员", "Administrator"),
        Role::ClusterManager => lang.t("集群管理员", "Cluster manager"),
        Role::Enterprise => lang.t("企业用户", "Enterprise user"),
        Role::Auditor => lang.t("审核员", "Auditor"),
    }
}

/// A refused new password, in the reader's language.
pub fn weakness(lang: Lang, w: Weakness) -> String {
    match (lang, w) {
        (Lang::Zh, Weakness::TooShort) => format!("至少需要 {MIN_CHARS} 个字符。"),
        (Lang::En, Weakness::TooShort) => format!("Must be at least {MIN_CHARS} characters long."),
        (Lang::Zh, Weakness::TooLong) => format!("最多 {MAX_CHARS} 个字符。"),
        (Lang::En, Weakness::TooLong) => format!("Must be at most {MAX_CHARS} characters long."),
        (Lang::Zh, Weakness::Common) => "这是常见（泄露过的）密码，请换一个。".into(),
        (Lang::En, Weakness::Common) => {
            "A commonly used (breached) password: choose another.".into()
        }
        (Lang::Zh, Weakness::HasUsername) => "不能包含用户名。".into(),
        (Lang::En, Weakness::HasUsername) => "Must not contain your username.".into(),
    }
}

/// Who the account is.
pub struct Facts {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The enterprise, cluster or clusters the account belongs to.
    pub scope: String,
    pub language: Lang,
}

/// The display name and language form as shown: the values and their errors.
#[derive(Default)]
pub struct Preferences {
    pub display_name: String,
    pub language: Option<Lang>,
    pub errors: BTreeMap<&'static str, String>,
    pub saved: bool,
}

/// The password form's errors by field, and whether the password was just changed.
#[derive(Default)]
pub struct PasswordForm {
    pub errors: BTreeMap<&'static str, String>,
    pub changed: bool,
    /// The password was set by someone else and must be changed before any other page opens.
    pub must_change: bool,
}

fn error(errors: &BTreeMap<&'static str, String>, field: &str) -> String {
    let text = errors.get(field);
    format!(
        r#"<p class="field-error" id="error-{field}"{hidden}>{text}</p>"#,
        hidden = if text.is_some() { "" } else { " hidden" },
        text = escape(text.map_or("", String::as_str)),
    )
}

fn invalid(errors: &BTreeMap<&'static str, String>, field: &str) -> &'static str {
    if errors.contains_key(field) {
        r#" aria-invalid="true""#
    } else {
        ""
    }
}

fn status(text: &str) -> String {
    format!(r#"<p class="saved" role="status">{}</p>"#, escape(text))
}

fn facts(lang: Lang, f: &Facts) -> String {
    format!(
        r#"<section class="card" aria-labelledby="facts-title">
<h2 id="facts-title">{title}</h2>
<dl class="figures">
<dt>{username_label}</dt><dd data-figure="username">{username}</dd>
<dt>{name_label}</dt><dd data-figure="display-name">{name}</dd>
<dt>{role_label}</dt><dd data-figure="role">{role}</dd>
<dt>{scope_label}</dt><dd data-figure="scope">{scope}</dd>
<dt>{language_label}</dt><dd data-figure="language">{language}</dd>
</dl>
</section>"#,
        title = lang.t("账户信息", "Your account"),
        username_label = lang.t("用户名", "Username"),
        username = escape(&f.username),
        name_label = lang.t("显示名称", "Display name"),
        name = escape(&f.display_name),
        role_label = lang.t("角色", "Role"),
        role = role_name(lang, f.role),
        scope_label = lang.t("所属", "Belongs to"),
        scope = escape(&f.scope),
        language_label = lang.t("语言", "Language"),
        language = language_name(f.language),
    )
}

fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "中文",
        Lang::En => "English",
    }
}

fn preferences(lang: Lang, page_user: &PageUser, p: &Preferences, current: Lang) -> String {
    let chosen = p.language.unwrap_or(current);
    let radios: String = [Lang::Zh, Lang::En]
        .into_iter()
        .map(|l| {
            format!(
                r#"<label class="option" lang="{code}"><input type="radio" name="language" id="language-{value}" value="{value}"{checked}> {name}</label>"#,
                code = l.t("zh-CN", "en"),
                value = l.as_str(),
                checked = if l == chosen { " checked" } else { "" },
                name = language_name(l),
            )
        })
        .collect();
    format!(
        r#"<section class="card" aria-labelledby="preferences-title">
<h2 id="preferences-title">{title}</h2>
{saved}
<form method="post" action="{action}" id="preferences-form" class="stacked">
{csrf}
<label for="display_name">{name_label}</label>
<input id="display_name" name="display_name" value="{name}" maxlength="100" required autocomplete="name" aria-describedby="error-display_name"{name_invalid}>
{name_error}
<fieldset aria-describedby="language-help error-language">
<legend>{language_label}</legend>
<div class="options">{radios}</div>
<p class="help" id="language-help">{language_help}</p>
{language_error}
</fieldset>
<button type="submit" id="preferences-save">{save}</button>
</form>
</section>"#,
        title = lang.t("显示名称与语言", "Display name and language"),
        saved = if p.saved {
            status(lang.t("已保存。", "Saved."))
        } else {
            String::new()
        },
        action = lang.link("/account"),
        csrf = page_user.csrf_field(),
        name_label = lang.t("显示名称", "Display name"),
        name = escape(&p.display_name),
        name_invalid = invalid(&p.errors, "display_name"),
        name_error = error(&p.errors, "display_name"),
        language_label = lang.t("页面和报告的语言", "Language of pages and reports"),
        language_help = lang.t(
            "之后打开的每个页面和下载的报告都使用此语言（页面顶部的语言链接只改变当前页面）。",
            "Every page you open and every report you download uses it (the switch at the top changes only the page you are on).",
        ),
        language_error = error(&p.errors, "language"),
        save = lang.t("保存", "Save"),
    )
}

fn password(lang: Lang, page_user: &PageUser, p: &PasswordForm) -> String {
    let field = |name: &'static str, label: &str, autocomplete: &str, help: Option<&str>| {
        let described = match help {
            Some(_) => format!("help-{name} error-{name}"),
            None => format!("error-{name}"),
        };
        format!(
            r#"<label for="{name}">{label}</label>
<input type="password" id="{name}" name="{name}" autocomplete="{autocomplete}" required maxlength="{MAX_CHARS}" aria-describedby="{described}"{invalid}>
{help}{error}"#,
            label = escape(label),
            invalid = invalid(&p.errors, name),
            help = help
                .map(|h| format!(r#"<p class="help" id="help-{name}">{}</p>"#, escape(h)))
                .unwrap_or_default(),
            error = error(&p.errors, name),
        )
    };
    let rules = match lang {
        Lang::Zh => format!(
            "{MIN_CHARS} 到 {MAX_CHARS} 个任意字符（可用空格、中文，长一些的短语更好）；不能是常见或泄露过的密码，不能包含用户名。"
        ),
        Lang::En => format!(
            "{MIN_CHARS} to {MAX_CHARS} characters of any kind (spaces and Chinese are fine; a longer phrase is better); not a common or breached password; not containing your username."
        ),
    };
    format!(
        r#"<section class="card" aria-labelledby="password-title">
<h2 id="password-title">{title}</h2>
{changed}
<form method="post" action="{action}" id="password-form" class="stacked">
{csrf}
{current}
{new}
{repeat}
<p class="note">{note}</p>
<button type="submit" id="password-save">{save}</button>
</form>
</section>"#,
        title = lang.t("修改密码", "Change your password"),
        changed = if p.changed {
            status(lang.t(
                "密码已修改。其他设备上的登录已全部退出，本页面保持登录。",
                "Password changed. Every other session has ended; this one stays logged in.",
            ))
        } else {
            String::new()
        },
        action = lang.link("/account/password"),
        csrf = page_user.csrf_field(),
        current = field(
            "current_password",
            lang.t("当前密码", "Current password"),
            "current-password",
            None
        ),
        new = field(
            "new_password",
            lang.t("新密码", "New password"),
            "new-password",
            Some(&rules)
        ),
        repeat = field(
            "repeat_password",
            lang.t("再次输入新密码", "New password again"),
            "new-password",
            None
        ),
        note = lang.t(
            "修改后，您在其他设备和浏览器上的登录会全部退出。",
            "Changing it ends your sessions on every other device and browser.",
        ),
        save = lang.t("修改密码", "Change password"),
    )
}

/// The page's body.
pub fn body(
    lang: Lang,
    page_user: &PageUser,
    f: &Facts,
    prefs: &Preferences,
    pw: &PasswordForm,
) -> String {
    let notice = if pw.must_change {
        format!(
            r#"<p class="notice must-change" role="alert" id="must-change">{}</p>"#,
            lang.t(
                "请先修改初始密码：您的密码由他人设置，修改之前无法打开其他页面。",
                "Change your initial password first: someone else set it, and no other page opens until you change it.",
            )
        )
    } else {
        String::new()
    };
    format!(
        r#"<h1>{title}</h1>
{notice}
<div class="account">
{facts}
{preferences}
{password}
</div>"#,
        title = lang.t("账户", "Account"),
        facts = facts(lang, f),
        preferences = preferences(lang, page_user, prefs, f.language),
        password = password(lang, page_user, pw),
    )
}
