//! Results derived from the enterprise profile: the indicative certification-eligibility
//! pre-check and the chief-data-officer summary.

use serde::Serialize;
use serde_json::Value;

use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::Text;

/// The profile question ids these results read; the built-in profile has every one.
pub mod keys {
    pub const DATA_STAFF: &str = "data_staff";
    pub const POLICY_DOMAINS: &str = "policy_domains";
    pub const DATA_TOOLS: &str = "data_tools";
    pub const CDO_APPOINTED: &str = "cdo_appointed";
    pub const CDO_RANK: &str = "cdo_rank";
    pub const CDO_IN_CHARTER: &str = "cdo_in_charter";
    pub const CDO_DUTIES: &str = "cdo_duties";
}

/// The domains besides strategy whose formally issued policies count toward eligibility, as
/// the 2018 edition has them (seven).
pub const NON_STRATEGY_DOMAINS_2018: [&str; 7] = [
    "governance",
    "architecture",
    "application",
    "security",
    "quality",
    "standards",
    "lifecycle",
];

/// The same for the 2025 edition (eight): data assets is new, and `application` is its
/// 数据应用流通.
pub const NON_STRATEGY_DOMAINS_2025: [&str; 8] = [
    "governance",
    "architecture",
    "assets",
    "standards",
    "quality",
    "security",
    "lifecycle",
    "application",
];

/// The domains besides strategy of an edition; an edition other than 2018 counts as 2025's.
pub fn non_strategy_domains(edition: &str) -> &'static [&'static str] {
    match edition {
        "2018" => &NON_STRATEGY_DOMAINS_2018,
        _ => &NON_STRATEGY_DOMAINS_2025,
    }
}

/// The six duties of a chief data officer.
pub const CDO_DUTIES: [&str; 6] = [
    "strategy",
    "infrastructure",
    "management",
    "value",
    "security",
    "culture",
];

/// Entry thresholds cited for applicants (indicative, sources differ), and the domains of the
/// assessment's edition whose policies count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EligibilityRules {
    pub min_data_staff: i64,
    pub min_policy_domains: i64,
    pub min_tools: i64,
    pub policy_domains: &'static [&'static str],
}

impl EligibilityRules {
    /// The rules for an assessment on `edition` of the standard.
    pub fn for_edition(edition: &str) -> Self {
        Self {
            policy_domains: non_strategy_domains(edition),
            ..Self::default()
        }
    }
}

impl Default for EligibilityRules {
    /// The rules of the current edition (2025).
    fn default() -> Self {
        Self {
            min_data_staff: 2,
            min_policy_domains: 4,
            min_tools: 2,
            policy_domains: &NON_STRATEGY_DOMAINS_2025,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub key: &'static str,
    pub met: bool,
    pub value: i64,
    pub required: i64,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// Always true: a pre-check, not the assessment body's decision.
    pub indicative: bool,
    pub all_met: bool,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CdoSummary {
    pub appointed: bool,
    pub rank: Option<String>,
    /// Board member or senior executive: the decision level the CDO pilots ask for.
    pub decision_level: bool,
    pub in_charter: bool,
    pub duties: Vec<String>,
    pub duties_total: usize,
    pub missing_duties: Vec<String>,
}

fn number(answers: &ProfileAnswers, key: &str) -> i64 {
    answers.get(key).and_then(Value::as_i64).unwrap_or(0)
}

fn list<'a>(answers: &'a ProfileAnswers, key: &str) -> Vec<&'a str> {
    answers
        .get(key)
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.to_owned(),
        en: en.to_owned(),
    }
}

pub fn eligibility(answers: &ProfileAnswers, rules: &EligibilityRules) -> Eligibility {
    let staff = number(answers, keys::DATA_STAFF);
    let policies = list(answers, keys::POLICY_DOMAINS)
        .into_iter()
        .filter(|d| rules.policy_domains.contains(d))
        .count() as i64;
    let tools = list(answers, keys::DATA_TOOLS).len() as i64;
    let condition = |key, value, required, label| Condition {
        key,
        met: value >= required,
        value,
        required,
        label,
    };
    let conditions = vec![
        condition(
            "data_staff",
            staff,
            rules.min_data_staff,
            text(
                "专职数据管理人员不少于 2 人",
                "At least 2 full-time data-management staff",
            ),
        ),
        condition(
            "policy_domains",
            policies,
            rules.min_policy_domains,
            Text {
                zh: format!(
                    "除数据战略外的 {} 个能力域中至少 {} 个已正式发布管理制度",
                    rules.policy_domains.len(),
                    rules.min_policy_domains
                ),
                en: format!(
                    "Formally issued policies in at least {} of the {} domains besides strategy",
                    rules.min_policy_domains,
                    rules.policy_domains.len()
                ),
            },
        ),
        condition(
            "data_tools",
            tools,
            rules.min_tools,
            text("至少 2 个数据管理工具", "At least 2 data-management tools"),
        ),
    ];
    Eligibility {
        indicative: true,
        all_met: conditions.iter().all(|c| c.met),
        conditions,
    }
}

pub fn cdo_summary(answers: &ProfileAnswers) -> CdoSummary {
    let appointed = answers
        .get(keys::CDO_APPOINTED)
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let rank = answers
        .get(keys::CDO_RANK)
        .and_then(Value::as_str)
        .filter(|_| appointed)
        .map(str::to_owned);
    let duties: Vec<String> = if appointed {
        list(answers, keys::CDO_DUTIES)
            .into_iter()
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    let missing_duties = CDO_DUTIES
        .iter()
        .filter(|d| !duties.iter().any(|have| have == *d))
        .map(|d| (*d).to_owned())
        .collect();
    CdoSummary {
        appointed,
        decision_level: matches!(rank.as_deref(), Some("board" | "executive")),
        rank,
        in_charter: appointed
            && answers
                .get(keys::CDO_IN_CHARTER)
                .and_then(Value::as_bool)
                .unwrap_or(false),
        duties,
        duties_total: CDO_DUTIES.len(),
        missing_duties,
    }
}
