//! A cluster of ten invited enterprises worked by hand, the change between campaigns, the
//! benchmark of one enterprise, and properties over random clusters.

mod benchmark;
mod change;
mod hand;
mod properties;

use serde_json::json;

use super::*;
use crate::questionnaire::{parse, Parsed};
use crate::scoring::profile::{cdo_summary, eligibility, EligibilityRules};
use crate::scoring::score::{DomainScore, ItemScore, Overall};

/// A questionnaire with one criterion per level for every item of `domains`
/// (section, English name, item sections).
fn questionnaire(id: &str, edition: &str, domains: &[(&str, &str, &[&str])]) -> Questionnaire {
    let mut s = format!(
        "id = \"{id}\"\nkind = \"dcmm\"\nedition = \"{edition}\"\nstandard = \"t\"\n\
         title = {{ zh = \"题\", en = \"t\" }}\n"
    );
    for (section, name, items) in domains {
        s.push_str(&format!(
            "[[domain]]\nsection = \"{section}\"\nname = {{ zh = \"域\", en = \"{name}\" }}\n"
        ));
        for item in *items {
            s.push_str(&format!(
                "[[domain.item]]\nsection = \"{item}\"\nname = {{ zh = \"项{item}\", en = \"item {item}\" }}\n"
            ));
            for level in 1..=5 {
                s.push_str(&format!(
                    "[[domain.item.criterion]]\nid = \"{edition}:{item}:L{level}:1\"\nlevel = {level}\n\
                     dimension = \"process\"\ntext = {{ zh = \"文\", en = \"t\" }}\n\
                     evidence = {{ zh = \"证\", en = \"e\" }}\n"
                ));
            }
        }
    }
    match parse("test.toml", &s).unwrap() {
        Parsed::Dcmm(q) => q,
        _ => unreachable!(),
    }
}

/// Domains 6 (items 6.1, 6.2) and 9 (item 9.1) of the 2025 edition.
fn q2025() -> Questionnaire {
    questionnaire(
        "small-2025",
        "2025",
        &[
            ("6", "Data strategy", &["6.1", "6.2"]),
            ("9", "Data assets", &["9.1"]),
        ],
    )
}

/// A scorecard from item scores in questionnaire order; domain and overall means half up.
fn card(q: &Questionnaire, items: &[u32]) -> Scorecard {
    let mut scores = items.iter();
    let domains: Vec<DomainScore> = q
        .domains
        .iter()
        .map(|d| {
            let items: Vec<ItemScore> = d
                .items
                .iter()
                .map(|i| {
                    let score = Hundredths(*scores.next().unwrap());
                    ItemScore {
                        id: i.id.clone(),
                        score,
                        level: score.whole(),
                        level_scores: [Hundredths(0); 5],
                    }
                })
                .collect();
            let sum: u64 = items.iter().map(|i| u64::from(i.score.0)).sum();
            let score = Hundredths(mean_half_up(sum, items.len() as u64));
            DomainScore {
                id: d.id.clone(),
                score,
                level: score.whole(),
                items,
            }
        })
        .collect();
    let sum: u64 = domains.iter().map(|d| u64::from(d.score.0)).sum();
    let score = Hundredths(mean_half_up(sum, domains.len() as u64));
    Scorecard {
        overall: Overall {
            score,
            level: score.whole(),
        },
        domains,
    }
}

/// Profile answers: data staff, policy domains, tools, and the CDO (appointed with a rank,
/// in the charter, with this many duties).
fn profile(
    e: &mut EnterpriseResult,
    staff: i64,
    policies: usize,
    tools: usize,
    cdo: Option<(&str, bool, usize)>,
) {
    let domains = &[
        "governance",
        "architecture",
        "security",
        "quality",
        "standards",
    ][..policies];
    let tools = &["metadata", "quality", "security"][..tools];
    let duties = &["strategy", "infrastructure", "management", "value"][..cdo.map_or(0, |c| c.2)];
    let answers = serde_json::from_value(json!({
        "data_staff": staff,
        "policy_domains": domains,
        "data_tools": tools,
        "cdo_appointed": cdo.is_some(),
        "cdo_rank": cdo.map(|c| c.0),
        "cdo_in_charter": cdo.is_some_and(|c| c.1),
        "cdo_duties": duties,
    }))
    .unwrap();
    e.eligibility = Some(eligibility(&answers, &EligibilityRules::default()));
    e.cdo = Some(cdo_summary(&answers));
}

fn enterprise(
    name: &str,
    industry: &str,
    size: Size,
    sharing: Sharing,
    status: Status,
) -> EnterpriseResult {
    EnterpriseResult {
        id: EnterpriseId::new(),
        name: name.to_owned(),
        industry: industry.to_owned(),
        size,
        sharing,
        status,
        started: status != Status::Draft,
        overdue: false,
        own: None,
        verified: None,
        eligibility: None,
        cdo: None,
    }
}

/// Name, industry, size, sharing, status, verified item scores, own item scores.
type Row = (
    &'static str,
    &'static str,
    Size,
    Sharing,
    Status,
    [u32; 3],
    [u32; 3],
);

/// Ten invited; six accepted, verified items (6.1, 6.2, 9.1) → domains 6, 9 → overall:
///
/// | | sharing | industry, size | verified | d6 | d9 | overall | own | profile |
/// | --- | --- | --- | --- | --- | --- | --- | --- | --- |
/// | Alpha | full | mfg, small | 150 250 300 | 200 | 300 | 250 L2 | 200 250 300 | all met; CDO executive, charter, 4 duties |
/// | Beta | scores | mfg, medium | 200 300 100 | 250 | 100 | 175 L1 | = | staff; CDO manager, 1 duty |
/// | Gamma | anonymous | mfg, small | 320 340 280 | 330 | 280 | 305 L3 | = | policies, tools; no CDO |
/// | Delta | full | mfg, small | 100 101 50 | 100.5→101 | 50 | 75.5→76 L0 | 150 151 50 | none |
/// | Epsilon | anonymous | mfg, medium | 250 270 310 | 260 | 310 | 285 L2 | = | all met; CDO board, 3 duties |
/// | Zeta | scores | software, large | 400 420 380 | 410 | 380 | 395 L3 | 400 420 340 | tools; no CDO |
///
/// Eta is submitted (300 300 300: L3, provisional), Theta a started overdue draft, Iota an
/// unstarted overdue draft, Kappa an unstarted draft.
fn cluster(q: &Questionnaire) -> Vec<EnterpriseResult> {
    use Sharing::{Anonymous, Full, Scores};
    use Size::{Large, Medium, Small};
    use Status::{Accepted, Draft, Submitted};
    #[rustfmt::skip]
    let rows: [Row; 7] = [
        ("Alpha", "mfg", Small, Full, Accepted, [150, 250, 300], [200, 250, 300]),
        ("Beta", "mfg", Medium, Scores, Accepted, [200, 300, 100], [200, 300, 100]),
        ("Gamma", "mfg", Small, Anonymous, Accepted, [320, 340, 280], [320, 340, 280]),
        ("Delta", "mfg", Small, Full, Accepted, [100, 101, 50], [150, 151, 50]),
        ("Epsilon", "mfg", Medium, Anonymous, Accepted, [250, 270, 310], [250, 270, 310]),
        ("Zeta", "software", Large, Scores, Accepted, [400, 420, 380], [400, 420, 340]),
        ("Eta", "mfg", Small, Full, Submitted, [300, 300, 300], [400, 400, 400]),
    ];
    let mut out: Vec<EnterpriseResult> = rows
        .iter()
        .map(
            |(name, industry, size, sharing, status, verified, own)| EnterpriseResult {
                verified: Some(card(q, verified)),
                own: Some(card(q, own)),
                ..enterprise(name, industry, *size, *sharing, *status)
            },
        )
        .collect();
    profile(&mut out[0], 2, 4, 2, Some(("executive", true, 4)));
    profile(&mut out[1], 3, 1, 0, Some(("manager", false, 1)));
    profile(&mut out[2], 1, 5, 3, None);
    profile(&mut out[4], 2, 4, 2, Some(("board", false, 3)));
    profile(&mut out[5], 0, 0, 2, None);
    profile(&mut out[6], 9, 5, 3, Some(("board", true, 4)));
    let mut theta = enterprise("Theta", "mfg", Small, Full, Draft);
    (theta.started, theta.overdue) = (true, true);
    let mut iota = enterprise("Iota", "mfg", Small, Full, Draft);
    iota.overdue = true;
    out.extend([theta, iota, enterprise("Kappa", "mfg", Small, Full, Draft)]);
    out
}

fn input(q: &Questionnaire) -> CampaignInput<'_> {
    CampaignInput {
        questionnaire: q,
        target_level: 3,
        enterprises: cluster(q),
        previous: None,
    }
}
