//! The audit log's codes in plain words: actions, kinds of entity and roles. A code this list
//! does not know yet is shown as it is, so a new kind of entry never breaks the page.

use crate::domain::Role;
use crate::web::html::Lang;

/// Every action the service writes, with what it means.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("answer.write", "保存答案", "Answer saved"),
    ("auth.login", "登录", "Logged in"),
    ("auth.login_failed", "登录失败", "Login failed"),
    ("auth.logout", "退出登录", "Logged out"),
    (
        "auth.refresh_reuse",
        "刷新令牌被重复使用，会话已结束",
        "Refresh token reused; session ended",
    ),
    (
        "auth.throttled",
        "登录被限流拒绝",
        "Login refused by the throttle",
    ),
    ("answers.import", "导入答案", "Answers imported"),
    ("assessment.submit", "提交评估", "Assessment submitted"),
    ("assessment.accept", "审核通过", "Assessment accepted"),
    ("assessment.return", "退回修改", "Assessment returned"),
    ("campaign.create", "创建评估活动", "Campaign opened"),
    ("cluster.create", "创建集群", "Cluster created"),
    ("cluster.update", "修改集群", "Cluster changed"),
    ("enterprise.create", "登记企业", "Enterprise registered"),
    ("enterprise.update", "修改企业信息", "Enterprise changed"),
    ("evidence.create", "上传证据", "Evidence uploaded"),
    (
        "evidence.link",
        "关联证据与条款",
        "Evidence linked to criteria",
    ),
    ("profile.update", "更新企业基本情况", "Profile updated"),
    ("report.issue", "出具报告", "Report issued"),
    ("review.rate", "保存核验评分", "Verified rating saved"),
    ("review.unrate", "撤回核验评分", "Verified rating withdrawn"),
    ("review.sample", "抽取核验样本", "Review sample drawn"),
    ("user.create", "创建账户", "Account created"),
    ("user.update", "修改账户", "Account changed"),
    ("user.password_reset", "重置密码", "Password reset"),
];

/// Every kind of entity entries are about.
const SUBJECTS: &[(&str, &str, &str)] = &[
    ("assessment", "评估", "Assessment"),
    ("campaign", "评估活动", "Campaign"),
    ("cluster", "集群", "Cluster"),
    ("enterprise", "企业", "Enterprise"),
    ("enterprise_profile", "企业基本情况", "Enterprise profile"),
    ("evidence", "证据文件", "Evidence file"),
    ("report", "报告", "Report"),
    ("user", "账户", "Account"),
    ("username", "尝试的用户名", "Username tried"),
];

fn lookup<'a>(table: &'a [(&str, &'a str, &'a str)], lang: Lang, code: &'a str) -> &'a str {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(code, |(_, zh, en)| lang.t(zh, en))
}

/// What an action did, in words; an unknown code as it is.
pub fn action(lang: Lang, code: &str) -> String {
    lookup(ACTIONS, lang, code).to_owned()
}

/// What kind of entity this is, in words; an unknown code as it is.
pub fn subject(lang: Lang, code: &str) -> String {
    lookup(SUBJECTS, lang, code).to_owned()
}

/// Whether the list has words for the action.
pub fn knows_action(code: &str) -> bool {
    ACTIONS.iter().any(|(c, _, _)| *c == code)
}

pub fn role(lang: Lang, role: &str) -> String {
    match role.parse::<Role>() {
        Ok(Role::Admin) => lang.t("系统管理员", "Administrator"),
        Ok(Role::ClusterManager) => lang.t("集群管理员", "Cluster manager"),
        Ok(Role::Enterprise) => lang.t("企业用户", "Enterprise user"),
        Ok(Role::Auditor) => lang.t("审核员", "Auditor"),
        Err(_) => role,
    }
    .to_owned()
}
