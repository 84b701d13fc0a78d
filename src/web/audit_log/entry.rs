//! One audit entry as the page shows it: when, who (name and role), the action in words and
//! its code, the entity (linked to the assessment's pages when the viewer may open them), and
//! its before and after compared.

use std::collections::HashMap;

use serde_json::Value;

use super::{diff, words};
use crate::auth::policy::{self, Action, Decision, Kind, Resource};
use crate::db::audit_log::names::{self, AssessmentName, Named, Person};
use crate::db::audit_log::AuditRow;
use crate::db::DbConnection;
use crate::domain::sharing::Detail;
use crate::domain::{Actor, Tenancy};
use crate::web::html::{escape, Lang};

/// What the ids of a page of entries stand for.
#[derive(Debug, Default)]
pub struct Names {
    pub people: HashMap<String, Person>,
    pub assessments: HashMap<String, AssessmentName>,
    /// Other entities by kind and id.
    pub named: HashMap<(String, String), Named>,
    pub clusters: HashMap<String, String>,
}

impl Names {
    /// Looks up everything `rows` name, and the people in `more` (the filter's choices).
    pub fn load(
        conn: &mut DbConnection,
        rows: &[AuditRow],
        more: &[String],
        clusters: HashMap<String, String>,
    ) -> diesel::QueryResult<Self> {
        let ids = |kinds: &[&str]| -> Vec<String> {
            let mut ids: Vec<String> = rows
                .iter()
                .filter(|r| kinds.contains(&r.subject_type.as_str()))
                .map(|r| r.subject_id.clone())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut people: Vec<String> = rows.iter().filter_map(|r| r.actor_id.clone()).collect();
        people.extend(more.iter().cloned());
        people.extend(ids(&["user"]));
        people.sort_unstable();
        people.dedup();
        let mut named = HashMap::new();
        let mut put = |kinds: &[&str], list: Vec<Named>| {
            for n in list {
                for kind in kinds {
                    named.insert(((*kind).to_owned(), n.id.clone()), n.clone());
                }
            }
        };
        let firms = ["enterprise", "enterprise_profile"];
        put(&firms, names::enterprises(conn, &ids(&firms))?);
        put(&["campaign"], names::campaigns(conn, &ids(&["campaign"]))?);
        put(&["cluster"], names::clusters(conn, &ids(&["cluster"]))?);
        put(&["evidence"], names::evidence(conn, &ids(&["evidence"]))?);
        Ok(Self {
            people: names::people(conn, &people)?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect(),
            assessments: names::assessments(conn, &ids(&["assessment"]))?
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect(),
            named,
            clusters,
        })
    }
}

/// The page's address with only the given filters.
pub type Only<'a> = &'a dyn Fn(&[(&str, &str)]) -> String;

/// What rendering an entry needs besides the entry.
pub struct View<'a> {
    pub lang: Lang,
    pub viewer: &'a Actor,
    pub names: &'a Names,
    /// The entry where the chain check found the break, when it is one the viewer may see.
    pub broken_at: Option<i64>,
    /// The page's address with only these filters.
    pub only: Only<'a>,
}

impl View<'_> {
    fn allowed(&self, kind: Kind, tenancy: Tenancy) -> bool {
        policy::decide(self.viewer, Action::Read, &Resource::new(kind, tenancy)) == Decision::Allow
    }

    /// Who wrote it: name, username and role, linked to all of that person's entries.
    fn who(&self, actor: Option<&str>) -> String {
        let lang = self.lang;
        let Some(id) = actor else {
            return format!(
                r#"<span class="who">{}</span>"#,
                lang.t(
                    "系统（命令行或演示数据）",
                    "the system (command line or demo data)"
                )
            );
        };
        let (name, role) = match self.names.people.get(id) {
            Some(p) => (
                format!("{} ({})", p.display_name, p.username),
                words::role(lang, &p.role),
            ),
            None => (
                id.to_owned(),
                lang.t("已不存在的账户", "unknown account").to_owned(),
            ),
        };
        format!(
            r#"<a class="who" href="{}">{}</a> <span class="role">{}</span>"#,
            escape(&(self.only)(&[("actor_id", id)])),
            escape(&name),
            escape(&role)
        )
    }

    /// The entity: its kind in words, its name where the viewer may know it, links to it.
    fn subject(&self, r: &AuditRow) -> String {
        let lang = self.lang;
        let (kind, id) = (r.subject_type.as_str(), r.subject_id.as_str());
        let mut name = String::new();
        let mut links = Vec::new();
        let in_scope = |t: Tenancy| policy::in_scope(self.viewer, &t);
        if kind == "assessment" {
            if let Some(a) = self
                .names
                .assessments
                .get(id)
                .filter(|a| in_scope(a.tenancy))
            {
                name = format!("{} · {}", a.enterprise, a.campaign);
                if self.allowed(Kind::EnterpriseReport, a.tenancy) {
                    links.push((
                        format!("/assessments/{id}/results"),
                        lang.t("结果", "Results"),
                    ));
                }
                let answers = Resource::new(Kind::Assessment, a.tenancy);
                if policy::require_shared(
                    self.viewer,
                    Action::Read,
                    &answers,
                    a.sharing,
                    Detail::Answers,
                )
                .is_ok()
                {
                    links.push((
                        format!("/assessments/{id}"),
                        lang.t("问卷", "Questionnaire"),
                    ));
                }
            }
        } else if kind == "user" {
            if let Some(p) = self.names.people.get(id) {
                name = format!("{} ({})", p.display_name, p.username);
            }
        } else if let Some(n) = self.names.named.get(&(kind.to_owned(), id.to_owned())) {
            let tenancy = n.cluster.map_or(Tenancy::Installation, Tenancy::Cluster);
            if in_scope(tenancy) {
                name.clone_from(&n.name);
            }
            if let (Some(cluster), "campaign") = (n.cluster, kind) {
                if self.allowed(Kind::ClusterReport, Tenancy::Cluster(cluster)) {
                    links.push((
                        format!("/campaigns/{id}/dashboard"),
                        lang.t("看板", "Dashboard"),
                    ));
                }
            }
        }
        let mut out = format!(
            r#"<span class="kind">{}</span>"#,
            escape(&words::subject(lang, kind))
        );
        if !name.is_empty() {
            out.push_str(&format!(r#" <span class="name">{}</span>"#, escape(&name)));
        }
        out.push_str(&format!(r#" <code class="id">{}</code>"#, escape(id)));
        for (href, label) in links {
            out.push_str(&format!(
                r#" <a href="{}">{label}</a>"#,
                escape(&lang.link(&href))
            ));
        }
        out.push_str(&format!(
            r#" <a class="all" href="{}">{}</a>"#,
            escape(&(self.only)(&[("subject_type", kind), ("subject_id", id)])),
            lang.t("此对象的全部记录", "every entry about it")
        ));
        out
    }

    pub fn render(&self, r: &AuditRow) -> String {
        let lang = self.lang;
        let parse = |s: &Option<String>| {
            s.as_deref()
                .map(|s| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.to_owned())))
        };
        let (before, after) = (parse(&r.before_json), parse(&r.after_json));
        let cluster = r
            .cluster_id
            .as_ref()
            .and_then(|c| self.names.clusters.get(c))
            .map(|name| format!(r#" · <span class="cluster">{}</span>"#, escape(name)))
            .unwrap_or_default();
        let broken = if self.broken_at == Some(r.seq) {
            format!(
                r#" <span class="mark broken">{}</span>"#,
                lang.t("哈希链在此断开", "the chain breaks here")
            )
        } else {
            String::new()
        };
        let known = words::knows_action(&r.action);
        let words = if known {
            escape(&words::action(lang, &r.action))
        } else {
            escape(&r.action)
        };
        format!(
            r#"<article class="entry card{broken_class}" id="e-{seq}" aria-labelledby="e-{seq}-h"><h3 id="e-{seq}-h" class="what">{words} <code>{code}</code>{broken}</h3><p class="meta"><span class="seq">#{seq}</span> <time datetime="{iso}">{when}</time> · {who}{cluster}</p><p class="subject">{subject}</p>{diff}</article>"#,
            broken_class = if broken.is_empty() { "" } else { " broken" },
            seq = r.seq,
            code = escape(&r.action),
            iso = r.at.format("%Y-%m-%dT%H:%M:%SZ"),
            when = r.at.format("%Y-%m-%d %H:%M:%S UTC"),
            who = self.who(r.actor_id.as_deref()),
            subject = self.subject(r),
            diff = diff::render(lang, before.as_ref(), after.as_ref()),
        )
    }
}
