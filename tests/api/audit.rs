//! The hash-chained audit log, on both backends.

use diesel::RunQueryDsl;

use dcmm::audit::{self, Entry};
use dcmm::db;

use crate::both_backends;
use crate::helpers::{audit_key, Backend, TestDb};

pub fn entry(n: usize) -> Entry {
    Entry {
        actor_id: Some(format!("user-{n}")),
        action: "answer.update".into(),
        subject_type: "assessment".into(),
        subject_id: format!("a-{n}"),
        cluster_id: Some("c-1".into()),
        before: Some(serde_json::json!({"rating": "not"})),
        after: Some(serde_json::json!({"rating": "fully", "comment": "制度已发布"})),
    }
}

#[derive(diesel::QueryableByName)]
struct Subject {
    #[diesel(sql_type = diesel::sql_types::Text)]
    subject_id: String,
}

/// A migrated database with `n` entries linked under the data folder's audit key.
pub fn filled(test_db: &TestDb, n: usize) -> db::Pool {
    let pool = db::connect(&dcmm::db::DbTarget::parse(&test_db.url).unwrap(), 2).unwrap();
    let mut conn = pool.get().unwrap();
    db::migrate(&mut conn).unwrap();
    for i in 0..n {
        audit::write_tx(&mut conn, |c| audit::append(c, entry(i))).unwrap();
    }
    audit::settle(&mut conn, &audit_key(test_db)).unwrap();
    pool
}

both_backends! {
    async fn an_intact_chain_verifies(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 5);
        let v = audit::verify(&mut pool.get().unwrap(), Some(&audit_key(&test_db))).unwrap();
        assert_eq!((v.entries, v.first_broken), (5, None));
    }

    async fn a_hand_edited_row_is_detected(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 5);
        let mut conn = pool.get().unwrap();
        diesel::sql_query("UPDATE audit_log SET after_json = '{\"rating\":\"largely\"}' WHERE seq = 3")
            .execute(&mut conn)
            .unwrap();
        let v = audit::verify(&mut conn, Some(&audit_key(&test_db))).unwrap();
        assert_eq!((v.entries, v.first_broken), (2, Some(3)));
    }

    async fn a_deleted_row_is_detected_in_the_middle_and_at_the_end(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 5);
        let mut conn = pool.get().unwrap();
        diesel::sql_query("DELETE FROM audit_log WHERE seq = 5").execute(&mut conn).unwrap();
        assert_eq!(audit::verify(&mut conn, Some(&audit_key(&test_db))).unwrap().first_broken, Some(5));
        diesel::sql_query("DELETE FROM audit_log WHERE seq = 2").execute(&mut conn).unwrap();
        assert_eq!(audit::verify(&mut conn, Some(&audit_key(&test_db))).unwrap().first_broken, Some(2));
    }

    async fn concurrent_writers_and_linkers_link_every_entry_once(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 0);
        let writers: Vec<_> = (0..3)
            .map(|t| {
                let pool = pool.clone();
                let key = audit_key(&test_db);
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    for i in 0..40 {
                        audit::write_tx(&mut conn, |c| audit::append(c, entry(t * 100 + i))).unwrap();
                        if i % 7 == 0 {
                            audit::link(&mut conn, &key).unwrap();
                        }
                    }
                })
            })
            .collect();
        let linker = {
            let pool = pool.clone();
            let key = audit_key(&test_db);
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                for _ in 0..60 {
                    audit::link(&mut conn, &key).unwrap();
                }
            })
        };
        for t in writers {
            t.join().unwrap();
        }
        linker.join().unwrap();
        let mut conn = pool.get().unwrap();
        let v = audit::verify(&mut conn, Some(&audit_key(&test_db))).unwrap();
        assert_eq!((v.entries, v.first_broken), (120, None));
        let mut subjects: Vec<String> = diesel::sql_query("SELECT subject_id FROM audit_log")
            .load::<Subject>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|s| s.subject_id)
            .collect();
        subjects.sort();
        subjects.dedup();
        assert_eq!(subjects.len(), 120, "each entry is linked exactly once");
    }

    async fn concurrent_writers_keep_one_unbroken_chain(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 0);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    for i in 0..10 {
                        audit::write_tx(&mut conn, |c| audit::append(c, entry(t * 100 + i))).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = audit::verify(&mut pool.get().unwrap(), Some(&audit_key(&test_db))).unwrap();
        assert_eq!((v.entries, v.first_broken), (40, None));
    }
}

#[test]
fn the_command_line_reports_the_first_broken_link() {
    let test_db = TestDb::create(Backend::Sqlite);
    let pool = filled(&test_db, 3);
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dcmm"))
            .args(["audit", "verify"])
            .env("DCMM_DATABASE_URL", &test_db.url)
            .env("DCMM_DATA_DIR", &test_db.data_dir)
            .output()
            .unwrap()
    };
    let ok = run();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("3 entries"));
    diesel::sql_query("UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 2")
        .execute(&mut pool.get().unwrap())
        .unwrap();
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("entry 2"));
}
