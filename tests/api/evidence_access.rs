//! Who sees evidence: never another enterprise (404), a cluster manager only with `full`
//! sharing (403 `not_shared` otherwise), auditors of the cluster and admins always.

use serde_json::Value;

use crate::both_backends;
use crate::client_evidence::{upload_parts, CRITERION, PDF};
use crate::fixtures::{insert_assessment, set_sharing, world, PASSWORD};
use crate::helpers::{error_body, spawn_app, TestApp};

async fn token(app: &TestApp, username: &str) -> String {
    app.session(username, PASSWORD).await.access
}

/// An assessment of A1 with one uploaded PDF: (assessment id, evidence id).
async fn a1_with_evidence(app: &TestApp, cluster: &str, enterprise: &str) -> (String, String) {
    let assessment = insert_assessment(app, cluster, enterprise);
    let user = token(app, "user.a1").await;
    let response = app
        .upload(
            &user,
            &assessment,
            &upload_parts("a.pdf", PDF, &[CRITERION]),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let body: Value = response.json().await.unwrap();
    (assessment, body["id"].as_str().unwrap().to_owned())
}

/// The statuses of list, metadata and download for this caller.
async fn reads(app: &TestApp, token: &str, assessment: &str, evidence: &str) -> [u16; 3] {
    [
        app.list_evidence(token, assessment, "")
            .await
            .status()
            .as_u16(),
        app.get_evidence(token, evidence).await.status().as_u16(),
        app.download_evidence(token, evidence)
            .await
            .status()
            .as_u16(),
    ]
}

both_backends! {
    async fn another_enterprise_gets_404_for_list_metadata_download_and_upload(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let (assessment, evidence) = a1_with_evidence(&app, &w.a, &w.a1).await;
        let other = token(&app, "user.b1").await;
        assert_eq!(reads(&app, &other, &assessment, &evidence).await, [404, 404, 404]);
        let parts = upload_parts("b.pdf", PDF, &[CRITERION]);
        error_body(app.upload(&other, &assessment, &parts).await, 404, "not_found").await;
        error_body(app.download_evidence(&other, &evidence).await, 404, "not_found").await;
        // A manager and an auditor of another cluster learn nothing either.
        let manager_b = token(&app, "manager.b").await;
        assert_eq!(reads(&app, &manager_b, &assessment, &evidence).await, [404, 404, 404]);
        let owner = token(&app, "user.a1").await;
        let unknown = uuid::Uuid::now_v7().to_string();
        assert_eq!(reads(&app, &owner, &unknown, &unknown).await, [404, 404, 404]);
        assert_eq!(reads(&app, &owner, "not-an-id", "not-an-id").await, [404, 404, 404]);
        error_body(app.upload(&owner, "not-an-id", &parts).await, 404, "not_found").await;
    }

    async fn a_cluster_manager_sees_evidence_only_when_the_enterprise_shares_everything(backend: Backend) {
        let app = spawn_app(backend).await;
        let w = world(&app);
        let (assessment, evidence) = a1_with_evidence(&app, &w.a, &w.a1).await;
        let manager = token(&app, "manager.a").await;

        set_sharing(&app, &w.a1, "scores");
        for response in [
            app.list_evidence(&manager, &assessment, "").await,
            app.get_evidence(&manager, &evidence).await,
            app.download_evidence(&manager, &evidence).await,
        ] {
            error_body(response, 403, "not_shared").await;
        }
        assert_eq!(app.get_profile(&manager, &w.a1).await.status().as_u16(), 200);

        set_sharing(&app, &w.a1, "anonymous");
        assert_eq!(reads(&app, &manager, &assessment, &evidence).await, [403, 403, 403]);
        error_body(app.get_profile(&manager, &w.a1).await, 403, "not_shared").await;

        set_sharing(&app, &w.a1, "full");
        assert_eq!(reads(&app, &manager, &assessment, &evidence).await, [200, 200, 200]);
        let parts = upload_parts("m.pdf", PDF, &[CRITERION]);
        error_body(app.upload(&manager, &assessment, &parts).await, 403, "forbidden").await;

        set_sharing(&app, &w.a1, "anonymous");
        for reader in ["auditor.a", "admin"] {
            let reader = token(&app, reader).await;
            assert_eq!(reads(&app, &reader, &assessment, &evidence).await, [200, 200, 200]);
            error_body(app.upload(&reader, &assessment, &parts).await, 403, "forbidden").await;
        }
    }
}
