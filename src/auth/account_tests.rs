use super::*;

fn input<'a>(role: Role, scope: ScopeFields<'a>) -> NewAccountInput<'a> {
    NewAccountInput {
        username: "Li.Wei",
        password: Some("long enough secret"),
        display_name: Some("李伟"),
        language: None,
        role,
        scope,
    }
}

fn fields(err: AppError) -> Vec<String> {
    match err {
        AppError::Validation { fields, .. } | AppError::Rules { fields, .. } => {
            fields.into_keys().collect()
        }
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[test]
fn usernames_are_lower_case_and_plain() {
    assert_eq!(Username::parse(" Li.Wei ").unwrap().as_str(), "li.wei");
    assert!(Username::parse("ab").is_err());
    assert!(Username::parse("li wei").is_err());
    assert!(Username::parse("李伟").is_err());
    assert!(Username::parse(&"a".repeat(65)).is_err());
    assert!(Username::parse("ops@cluster-1_a").is_ok());
}

#[test]
fn display_names_are_trimmed_and_bounded() {
    assert_eq!(DisplayName::parse("  李伟 ").unwrap().as_str(), "李伟");
    assert!(DisplayName::parse("   ").is_err());
    assert!(DisplayName::parse("a\u{7}b").is_err());
    assert!(DisplayName::parse(&"名".repeat(101)).is_err());
}

#[test]
fn each_role_takes_exactly_its_scope_field() {
    let cluster = ClusterId::new().to_string();
    let enterprise = EnterpriseId::new().to_string();
    let list = vec![cluster.clone(), cluster.clone()];
    let admin = NewAccount::parse(&input(Role::Admin, ScopeFields::default())).unwrap();
    assert_eq!(admin.scope, RequestedScope::Admin);
    assert_eq!(admin.username.as_str(), "li.wei");
    let manager = ScopeFields {
        cluster_id: Some(&cluster),
        ..Default::default()
    };
    assert!(matches!(
        NewAccount::parse(&input(Role::ClusterManager, manager))
            .unwrap()
            .scope,
        RequestedScope::ClusterManager(_)
    ));
    let auditor = ScopeFields {
        cluster_ids: Some(&list),
        ..Default::default()
    };
    match NewAccount::parse(&input(Role::Auditor, auditor))
        .unwrap()
        .scope
    {
        RequestedScope::Auditor(ids) => assert_eq!(ids.len(), 1, "duplicates collapse"),
        other => panic!("{other:?}"),
    }
    let wrong = ScopeFields {
        cluster_id: Some(&cluster),
        enterprise_id: Some(&enterprise),
        ..Default::default()
    };
    assert_eq!(
        fields(NewAccount::parse(&input(Role::Enterprise, wrong)).unwrap_err()),
        ["cluster_id"]
    );
    assert_eq!(
        fields(NewAccount::parse(&input(Role::Enterprise, ScopeFields::default())).unwrap_err()),
        ["enterprise_id"]
    );
    let bad = ScopeFields {
        enterprise_id: Some("E-1"),
        ..Default::default()
    };
    assert_eq!(
        fields(NewAccount::parse(&input(Role::Enterprise, bad)).unwrap_err()),
        ["enterprise_id"]
    );
    let empty: Vec<String> = Vec::new();
    let none = ScopeFields {
        cluster_ids: Some(&empty),
        ..Default::default()
    };
    assert_eq!(
        fields(NewAccount::parse(&input(Role::Auditor, none)).unwrap_err()),
        ["cluster_ids"]
    );
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let raw = NewAccountInput {
        username: "x",
        password: Some("short"),
        display_name: Some(" "),
        language: Some("fr"),
        role: Role::Admin,
        scope: ScopeFields::default(),
    };
    let err = NewAccount::parse(&raw).unwrap_err();
    assert_eq!(
        err.body().codes,
        std::collections::BTreeMap::from([(
            "password".to_owned(),
            vec!["password_too_short".to_owned()]
        )])
    );
    assert_eq!(
        fields(err),
        ["display_name", "language", "password", "username"]
    );
}

#[test]
fn the_display_name_defaults_to_the_username() {
    let raw = NewAccountInput {
        display_name: None,
        ..input(Role::Admin, ScopeFields::default())
    };
    assert_eq!(
        NewAccount::parse(&raw).unwrap().display_name.as_str(),
        "Li.Wei"
    );
}

#[test]
fn an_account_without_a_password_gets_a_generated_one_it_must_change() {
    let raw = NewAccountInput {
        password: None,
        ..input(Role::Admin, ScopeFields::default())
    };
    let account = NewAccount::parse(&raw).unwrap();
    assert!(account.must_change_password);
    assert!(account.password.expose().chars().count() >= 16);
    let chosen = NewAccount::parse(&input(Role::Admin, ScopeFields::default())).unwrap();
    assert!(!chosen.must_change_password);
}
