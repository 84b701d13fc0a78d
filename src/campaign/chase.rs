//! Whom to remind: every invited enterprise of a campaign with where its assessment stands
//! (未开始, 填写中 with its progress, 已退回 with the first line of the auditor's note, 待审核,
//! 已通过) and how many days it is overdue, for the people who may read the campaign's
//! dashboard. The workflow stage is shown for every enterprise (as on the dashboard's roster);
//! the auditor's note only where the enterprise shares more than anonymous statistics.

use chrono::{NaiveDate, NaiveDateTime};

use crate::access;
use crate::auth::AuthUser;
use crate::db::campaigns::CampaignRow;
use crate::db::{rollup, DbConnection};
use crate::domain::assessment::Stage;
use crate::domain::campaign::CampaignStatus;
use crate::domain::sharing::Sharing;
use crate::error::AppError;
use crate::export::csv_cell;
use crate::ids::{AssessmentId, CampaignId, EnterpriseId};
use crate::questionnaire::Lang;
use crate::state::AppState;

/// One enterprise of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub assessment: AssessmentId,
    pub enterprise: EnterpriseId,
    pub name: String,
    pub stage: Stage,
    pub answered: i64,
    pub total: i64,
    /// The first line of the auditor's note on a returned draft, where sharing shows it.
    pub note: Option<String>,
    /// Days past the due date of a draft in an open campaign; `None` when not overdue.
    pub overdue_days: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    /// The enterprise's contact as registered (empty parts when not given).
    pub contact: Contact,
}

/// Whom to write to or call at the enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

impl Entry {
    /// Answered criteria in whole per cent.
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.answered * 100 / self.total
        }
    }
}

/// The campaign and its invited enterprises, by name.
#[derive(Debug, Clone)]
pub struct Chase {
    pub campaign: CampaignRow,
    pub entries: Vec<Entry>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The stage, earliest first (未开始 before 填写中 …), then the name.
    #[default]
    Stage,
    /// Most overdue first, then the name.
    Overdue,
    /// Least progress first, then the name.
    Progress,
    Name,
}

impl Order {
    pub const ALL: [Order; 4] = [Self::Stage, Self::Overdue, Self::Progress, Self::Name];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stage => "stage",
            Self::Overdue => "overdue",
            Self::Progress => "progress",
            Self::Name => "name",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn sort(self, entries: &mut [Entry]) {
        match self {
            Self::Stage => entries.sort_by(|a, b| {
                (stage_rank(a.stage), &a.name).cmp(&(stage_rank(b.stage), &b.name))
            }),
            Self::Overdue => entries.sort_by(|a, b| {
                (b.overdue_days.unwrap_or(-1), &a.name)
                    .cmp(&(a.overdue_days.unwrap_or(-1), &b.name))
            }),
            Self::Progress => entries
                .sort_by(|a, b| (progress_rank(a), &a.name).cmp(&(progress_rank(b), &b.name))),
            Self::Name => entries.sort_by(|a, b| a.name.cmp(&b.name)),
        }
    }
}

fn stage_rank(stage: Stage) -> u8 {
    match stage {
        Stage::NotStarted => 0,
        Stage::InProgress => 1,
        Stage::Returned => 2,
        Stage::AwaitingReview => 3,
        Stage::Accepted => 4,
    }
}

/// Least done first: drafts by progress, then everything handed in.
fn progress_rank(e: &Entry) -> (u8, i64) {
    match e.stage {
        Stage::NotStarted | Stage::InProgress | Stage::Returned => (0, e.answered),
        other => (stage_rank(other), 0),
    }
}

/// The list for campaign `id`, as of `today`; 404 outside the caller's scope, 403 for a role
/// that does not read the campaign's dashboard.
pub fn chase(
    state: &AppState,
    conn: &mut DbConnection,
    user: &AuthUser,
    id: CampaignId,
    today: NaiveDate,
) -> Result<Chase, AppError> {
    let campaign = access::campaign_report(conn, user, id)?;
    let q = state.questionnaire(
        conn,
        &campaign.questionnaire_id,
        &campaign.questionnaire_hash,
    )?;
    let total = i64::try_from(q.criterion_count()).unwrap_or(i64::MAX);
    let late = (campaign.status == CampaignStatus::Open && campaign.due_date < today)
        .then(|| (today - campaign.due_date).num_days());
    let entries = rollup::chase(conn, id)?
        .into_iter()
        .map(|(r, answered)| {
            let stage = Stage::of(r.status, r.version > 0, r.return_note.is_some());
            let draft = matches!(
                stage,
                Stage::NotStarted | Stage::InProgress | Stage::Returned
            );
            let note = r
                .return_note
                .filter(|_| stage == Stage::Returned && r.sharing != Sharing::Anonymous)
                .and_then(|n| {
                    n.lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty())
                        .map(str::to_owned)
                });
            Entry {
                assessment: r.assessment_id,
                enterprise: r.enterprise_id,
                name: r.name,
                stage,
                answered,
                total,
                note,
                overdue_days: late.filter(|_| draft),
                submitted_at: r.submitted_at,
                contact: Contact {
                    name: r.contact_name,
                    phone: r.contact_phone,
                    email: r.contact_email,
                },
            }
        })
        .collect();
    Ok(Chase { campaign, entries })
}

/// The list as CSV for a spreadsheet or a mail merge: UTF-8 with a byte-order mark, headers
/// in `lang`, text cells kept from being read as formulas.
pub fn to_csv(entries: &[Entry], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record([
            lang.t("企业名称", "Enterprise"),
            lang.t("状态", "Status"),
            lang.t("已答准则", "Criteria answered"),
            lang.t("准则总数", "Criteria"),
            lang.t("进度（%）", "Progress (%)"),
            lang.t("退回说明", "Returned because"),
            lang.t("逾期天数", "Days overdue"),
            lang.t("联系人", "Contact"),
            lang.t("联系电话", "Phone"),
            lang.t("电子邮箱", "Email"),
        ])?;
        for e in entries {
            w.write_record([
                csv_cell(&e.name),
                e.stage.label(lang).to_owned(),
                e.answered.to_string(),
                e.total.to_string(),
                e.percent().to_string(),
                csv_cell(e.note.as_deref().unwrap_or("")),
                e.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
                csv_cell(&e.contact.name),
                csv_cell(&e.contact.phone),
                csv_cell(&e.contact.email),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, stage: Stage, answered: i64, overdue: Option<i64>) -> Entry {
        Entry {
            assessment: AssessmentId::new(),
            enterprise: EnterpriseId::new(),
            name: name.to_owned(),
            stage,
            answered,
            total: 200,
            note: None,
            overdue_days: overdue,
            submitted_at: None,
            contact: Contact::default(),
        }
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn each_order_puts_the_ones_to_chase_first() {
        let mut list = vec![
            entry("丙", Stage::Accepted, 200, None),
            entry("乙", Stage::InProgress, 150, Some(3)),
            entry("甲", Stage::NotStarted, 0, Some(3)),
            entry("丁", Stage::InProgress, 20, Some(3)),
            entry("戊", Stage::AwaitingReview, 200, None),
        ];
        Order::Stage.sort(&mut list);
        assert_eq!(names(&list), ["甲", "丁", "乙", "戊", "丙"]);
        Order::Progress.sort(&mut list);
        assert_eq!(names(&list), ["甲", "丁", "乙", "戊", "丙"]);
        Order::Overdue.sort(&mut list);
        assert_eq!(&names(&list)[..3], ["丁", "乙", "甲"]);
        Order::Name.sort(&mut list);
        assert_eq!(names(&list), ["丁", "丙", "乙", "戊", "甲"]);
        assert_eq!(list[0].percent(), 10);
        for o in Order::ALL {
            assert_eq!(Order::parse(o.as_str()), Some(o));
        }
        assert_eq!(Order::parse("stage; drop"), None);
    }

    #[test]
    fn the_csv_opens_as_chinese_text_and_keeps_formulas_out() {
        let mut e = entry("=HYPERLINK(\"x\")", Stage::Returned, 30, Some(4));
        e.note = Some("请补充证据".to_owned());
        e.contact = Contact {
            name: "李伟".to_owned(),
            phone: "+86 591 8888 0000".to_owned(),
            email: "li.wei@example.cn".to_owned(),
        };
        let bytes = to_csv(&[e], Lang::Zh).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("企业名称,状态,已答准则,准则总数,进度（%）,退回说明,逾期天数,联系人,联系电话,电子邮箱")
        );
        assert_eq!(
            lines.next(),
            Some("\"'=HYPERLINK(\"\"x\"\")\",已退回,30,200,15,请补充证据,4,李伟,'+86 591 8888 0000,li.wei@example.cn")
        );
    }
}
