//! The demo's stored data as text, to pin what a seed writes.

use diesel::prelude::*;

use dcmm::db::schema::{
    answers, assessments, audit_log, campaigns, clusters, enterprise_profiles, enterprises,
    evidence, evidence_criteria, reviews, users, verified_ratings,
};

use super::seeded;
use crate::helpers::{Backend, TestDb};

/// Every stored value of the demo for `seed` that does not depend on the clock, one line per
/// row in a fixed order, with generated ids replaced by stable names (an enterprise by its
/// credit code, an account by its username, a campaign by its name …).
pub fn dump(backend: Backend, seed: u64) -> String {
    let test_db = TestDb::create(backend);
    let pool = seeded(&test_db, seed);
    let c = &mut pool.get().unwrap();
    let mut names: Vec<(String, String)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut section = |title: &str, mut rows: Vec<String>, sort: bool| {
        if sort {
            rows.sort();
        }
        lines.push(format!("## {title}"));
        lines.extend(rows);
    };

    let cluster: Vec<(String, String, String, String)> = clusters::table
        .select((
            clusters::id,
            clusters::name,
            clusters::region,
            clusters::description,
        ))
        .load(c)
        .unwrap();
    for (id, name, _, _) in &cluster {
        names.push((id.clone(), format!("cluster:{name}")));
    }
    section(
        "clusters",
        cluster
            .into_iter()
            .map(|(_, n, r, d)| format!("{n}|{r}|{d}"))
            .collect(),
        true,
    );

    let firms: Vec<(String, String, String, String, String, String, String)> = enterprises::table
        .select((
            enterprises::id,
            enterprises::credit_code,
            enterprises::name,
            enterprises::industry,
            enterprises::size,
            enterprises::region,
            enterprises::sharing,
        ))
        .load(c)
        .unwrap();
    for (id, code, ..) in &firms {
        names.push((id.clone(), format!("enterprise:{code}")));
    }
    section(
        "enterprises",
        firms
            .into_iter()
            .map(|(_, a, b, d, e, f, g)| format!("{a}|{b}|{d}|{e}|{f}|{g}"))
            .collect(),
        true,
    );

    type UserLine = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        bool,
    );
    let accounts: Vec<UserLine> = users::table
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::language,
            users::cluster_id,
            users::enterprise_id,
            users::disabled,
        ))
        .load(c)
        .unwrap();
    for (id, username, ..) in &accounts {
        names.push((id.clone(), format!("user:{username}")));
    }
    section(
        "users",
        accounts
            .into_iter()
            .map(|(_, u, d, r, l, cl, e, off)| format!("{u}|{d}|{r}|{l}|{cl:?}|{e:?}|{off}"))
            .collect(),
        true,
    );

    let profiles: Vec<(String, String, i32, Option<String>)> = enterprise_profiles::table
        .select((
            enterprise_profiles::enterprise_id,
            enterprise_profiles::answers_json,
            enterprise_profiles::version,
            enterprise_profiles::updated_by,
        ))
        .load(c)
        .unwrap();
    section(
        "profiles",
        profiles
            .into_iter()
            .map(|(e, a, v, by)| format!("{e}|{a}|{v}|{by:?}"))
            .collect(),
        true,
    );

    type CampaignLine = (
        String,
        String,
        String,
        String,
        i32,
        String,
        Option<String>,
        chrono::NaiveDate,
    );
    let runs: Vec<CampaignLine> = campaigns::table
        .select((
            campaigns::id,
            campaigns::name,
            campaigns::questionnaire_id,
            campaigns::questionnaire_hash,
            campaigns::target_level,
            campaigns::status,
            campaigns::created_by,
            campaigns::due_date,
        ))
        .load(c)
        .unwrap();
    for (id, name, ..) in &runs {
        names.push((id.clone(), format!("campaign:{name}")));
    }
    section(
        "campaigns",
        runs.into_iter()
            .map(|(_, n, q, h, t, s, by, due)| {
                // The open campaign is due a number of days from the day it was seeded.
                let due = if s == "closed" {
                    due.to_string()
                } else {
                    String::new()
                };
                format!("{n}|{q}|{h}|{t}|{s}|{by:?}|{due}")
            })
            .collect(),
        true,
    );

    type AssessmentLine = (
        String,
        String,
        String,
        String,
        i32,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let drafts: Vec<AssessmentLine> = assessments::table
        .select((
            assessments::id,
            assessments::campaign_id,
            assessments::enterprise_id,
            assessments::status,
            assessments::version,
            assessments::return_note,
            assessments::own_sheet,
            assessments::verified_sheet,
        ))
        .load(c)
        .unwrap();
    let rename = |names: &[(String, String)], id: &str| {
        names
            .iter()
            .find(|(k, _)| k == id)
            .map_or_else(|| id.to_owned(), |(_, v)| v.clone())
    };
    let mut rows = Vec::new();
    for (id, campaign, firm, ..) in &drafts {
        let label = format!(
            "assessment:{}/{}",
            rename(&names, campaign),
            rename(&names, firm)
        );
        names.push((id.clone(), label));
    }
    for (id, _, _, s, v, note, own, verified) in drafts {
        rows.push(format!("{id}|{s}|{v}|{note:?}|{own:?}|{verified:?}"));
    }
    section("assessments", rows, true);

    let given: Vec<(String, String, String, String, i32, Option<String>)> = answers::table
        .select((
            answers::assessment_id,
            answers::criterion_id,
            answers::rating,
            answers::comment,
            answers::version,
            answers::updated_by,
        ))
        .load(c)
        .unwrap();
    section(
        "answers",
        given
            .into_iter()
            .map(|(a, cr, r, co, v, by)| format!("{a}|{cr}|{r}|{co}|{v}|{by:?}"))
            .collect(),
        true,
    );

    let reviewed: Vec<(String, String, String, String, String)> = reviews::table
        .select((
            reviews::id,
            reviews::assessment_id,
            reviews::auditor_id,
            reviews::decision,
            reviews::note,
        ))
        .load(c)
        .unwrap();
    for (id, assessment, ..) in &reviewed {
        let label = format!("review:{}", rename(&names, assessment));
        names.push((id.clone(), label));
    }
    section(
        "reviews",
        reviewed
            .into_iter()
            .map(|(id, a, by, d, n)| format!("{id}|{a}|{by}|{d}|{n}"))
            .collect(),
        true,
    );

    let checked: Vec<(String, String, String, String, String, String)> = verified_ratings::table
        .select((
            verified_ratings::assessment_id,
            verified_ratings::criterion_id,
            verified_ratings::rating,
            verified_ratings::note,
            verified_ratings::review_id,
            verified_ratings::auditor_id,
        ))
        .load(c)
        .unwrap();
    section(
        "verified ratings",
        checked
            .into_iter()
            .map(|(a, cr, r, n, rv, by)| format!("{a}|{cr}|{r}|{n}|{rv}|{by}"))
            .collect(),
        true,
    );

    type EvidenceLine = (
        String,
        String,
        String,
        String,
        i64,
        String,
        String,
        Option<chrono::NaiveDate>,
        Option<String>,
    );
    let files: Vec<EvidenceLine> = evidence::table
        .select((
            evidence::id,
            evidence::assessment_id,
            evidence::file_name,
            evidence::content_type,
            evidence::size_bytes,
            evidence::sha256,
            evidence::storage_key,
            evidence::effective_date,
            evidence::uploaded_by,
        ))
        .load(c)
        .unwrap();
    for (id, assessment, file, ..) in &files {
        let label = format!("evidence:{}/{file}", rename(&names, assessment));
        names.push((id.clone(), label));
    }
    section(
        "evidence",
        files
            .into_iter()
            .map(|(id, a, f, t, n, h, k, d, by)| {
                format!("{id}|{a}|{f}|{t}|{n}|{h}|{k}|{d:?}|{by:?}")
            })
            .collect(),
        true,
    );
    let cited: Vec<(String, String)> = evidence_criteria::table
        .select((
            evidence_criteria::evidence_id,
            evidence_criteria::criterion_id,
        ))
        .load(c)
        .unwrap();
    section(
        "evidence criteria",
        cited
            .into_iter()
            .map(|(e, cr)| format!("{e}|{cr}"))
            .collect(),
        true,
    );

    type AuditLine = (
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let log: Vec<AuditLine> = audit_log::table
        .order(audit_log::seq.asc())
        .select((
            audit_log::actor_id,
            audit_log::action,
            audit_log::subject_type,
            audit_log::subject_id,
            audit_log::cluster_id,
            audit_log::before_json,
            audit_log::after_json,
        ))
        .load(c)
        .unwrap();
    section(
        "audit log, in order",
        log.into_iter()
            .map(|(by, a, t, s, cl, before, after)| {
                format!("{by:?}|{a}|{t}|{s}|{cl:?}|{before:?}|{after:?}")
            })
            .collect(),
        false,
    );

    let mut text = lines.join("\n");
    // Longest first, so no id is replaced inside a longer one.
    names.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
    for (id, name) in &names {
        text = text.replace(id.as_str(), name);
    }
    text
}
