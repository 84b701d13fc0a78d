//! The roster of invited enterprises and its annex, their statuses, and the names the report
//! gives to stored codes: industries and the campaign's status.

use super::*;

fn row<'a>(t: &'a Table, name: &str) -> &'a [String] {
    t.rows
        .iter()
        .find(|r| r[0] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn the_roster_lists_every_invited_enterprise_overdue_first_with_scores_only_where_shared() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms = small(q);
    let roster = roster(&firms, Lookups::built_in(), Lang::Zh);
    let t = &roster.table;
    assert_eq!(t.rows.len(), firms.len());
    assert_eq!(roster.entries.len(), firms.len());
    assert_eq!(
        t.header,
        report_of(q, small(q), None, Lang::Zh)
            .annex
            .table
            .unwrap()
            .header
    );
    let names: Vec<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        &names[..2],
        [ANONYMOUS[1], "马尾船舶配件厂"],
        "overdue drafts first"
    );
    let mut rest = names[2..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, names[2..], "then by name");
    for (cells, entry) in t.rows.iter().zip(&roster.entries) {
        let firm = firms.iter().find(|f| f.name == cells[0]).unwrap();
        assert_eq!((entry.id, entry.sharing), (firm.id, firm.sharing));
        let scored = firm.status == Status::Accepted && firm.sharing != Sharing::Anonymous;
        assert_eq!(cells[5] != "–", scored, "{cells:?}");
        assert_eq!(cells[6] != "–", scored, "{cells:?}");
    }
    assert_eq!(row(t, ANONYMOUS[0])[3], "仅匿名统计");
    assert_eq!(row(t, ANONYMOUS[0])[4], "已通过");
}

#[test]
fn statuses_tell_not_started_in_progress_returned_awaiting_review_and_accepted_apart() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let mut firms = small(q);
    firms[7].started = true;
    let returned = Lookups::built_in().clone().with_returned([firms[7].id]);
    let zh = roster(&firms, &returned, Lang::Zh);
    let status = |name: &str| row(&zh.table, name)[4].clone();
    assert_eq!(status("三坊七巷文旅集团"), "已退回");
    assert_eq!(status("马尾船舶配件厂"), "填写中（逾期）");
    assert_eq!(status(ANONYMOUS[1]), "未开始（逾期）");
    assert_eq!(status("鼓山新材料有限公司"), "待审核");
    assert_eq!(status("榕城精密机械有限公司"), "已通过");
    let progress: Vec<Progress> = zh.entries.iter().map(|e| e.progress).collect();
    for p in [
        Progress::NotStarted,
        Progress::InProgress,
        Progress::Returned,
        Progress::AwaitingReview,
        Progress::Accepted,
    ] {
        assert!(progress.contains(&p), "{p:?}");
    }
    let en = roster(&firms, &returned, Lang::En);
    let statuses: Vec<&str> = en.table.rows.iter().map(|r| r[4].as_str()).collect();
    for s in [
        "Not started (overdue)",
        "In progress (overdue)",
        "Returned",
        "Awaiting review",
        "Accepted",
    ] {
        assert!(statuses.contains(&s), "{s} in {statuses:?}");
    }
    let annex = cluster_report_with(
        facts(),
        q,
        &rollup(
            &CampaignInput {
                questionnaire: q,
                target_level: 3,
                enterprises: firms.clone(),
                previous: None,
            },
            &RollupPolicy::default(),
        ),
        &firms,
        &returned,
        Lang::Zh,
    )
    .annex;
    assert_eq!(
        row(annex.table.as_ref().unwrap(), "三坊七巷文旅集团")[4],
        "已退回"
    );
}

#[test]
fn industries_are_named_in_the_language_of_the_report() {
    for (lang, equipment, software) in [
        (Lang::Zh, "装备制造", "软件和信息技术服务"),
        (
            Lang::En,
            "Equipment manufacturing",
            "Software and IT services",
        ),
    ] {
        let report = small_report(lang);
        let industries: Vec<&str> = report
            .annex
            .table
            .iter()
            .flat_map(|t| &t.rows)
            .map(|r| r[1].as_str())
            .collect();
        assert!(
            industries.iter().all(|i| [equipment, software].contains(i)),
            "{industries:?}"
        );
        let text = json(&report);
        assert!(
            !text.contains("\"equipment\"") && !text.contains("\"software\""),
            "{lang:?}"
        );
    }
}

#[test]
fn a_closed_campaign_counts_no_days_and_says_it_is_closed() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms = small(q);
    let r = rollup(
        &CampaignInput {
            questionnaire: q,
            target_level: 3,
            enterprises: firms.clone(),
            previous: None,
        },
        &RollupPolicy::default(),
    );
    let mut closed = facts();
    closed.status = "closed".to_owned();
    closed.as_of = closed.due_date + chrono::Days::new(335);
    let zh = cluster_report(closed.clone(), q, &r, &firms, Lang::Zh);
    assert_eq!(zh.participation.days, None);
    assert_eq!(zh.participation.due, "截止日期 2025-06-30 · 已结束");
    assert!(!json(&zh).contains("335"), "no days counted");
    let status = zh
        .cover
        .facts
        .iter()
        .find(|f| f.key == "campaign-status")
        .unwrap();
    assert_eq!(status.value, "已结束");
    let en = cluster_report(closed, q, &r, &firms, Lang::En);
    assert_eq!(en.participation.due, "Due 2025-06-30 · closed");

    let mut late = facts();
    late.as_of = late.due_date + chrono::Days::new(3);
    let open = cluster_report(late, q, &r, &firms, Lang::Zh);
    assert_eq!(open.participation.days.as_deref(), Some("已逾期天数 3"));
    assert!(open.participation.due.ends_with("已逾期天数 3"));
}

#[test]
fn the_chinese_roster() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let mut firms = small(q);
    firms[7].started = true;
    let lookups = Lookups::built_in().clone().with_returned([firms[7].id]);
    let r = roster(&firms, &lookups, Lang::Zh);
    // Ids are fresh on every run; the rest is the roster.
    let entries: Vec<_> = r
        .entries
        .iter()
        .map(|e| (e.sharing, e.progress, e.overdue))
        .collect();
    insta::assert_json_snapshot!((&r.heading, &r.notes, &r.table, entries));
}
