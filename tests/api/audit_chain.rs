//! The keyed audit chain and its checkpoints, through `dcmm audit verify` and
//! `dcmm audit checkpoint`, on both backends: what someone with the database alone can and
//! cannot get past.

use std::path::PathBuf;
use std::process::Output;

use diesel::prelude::*;

use dcmm::audit::{self, Record};
use dcmm::db::schema::{audit_head, audit_log};
use dcmm::db::DbConnection;

use crate::audit::{entry, filled};
use crate::both_backends;
use crate::helpers::{audit_key, spawn_app_on, test_settings, TestDb};

/// Runs the command line on the test database, its data folder (and audit key) and `env`.
fn dcmm(test_db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dcmm"));
    command
        .args(args)
        .env("DCMM_DATABASE_URL", &test_db.url)
        .env("DCMM_DATA_DIR", &test_db.data_dir);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn checkpoints(test_db: &TestDb) -> PathBuf {
    test_db.data_dir.join("elsewhere.checkpoints")
}

fn checkpoint(test_db: &TestDb) {
    let file = checkpoints(test_db);
    let out = dcmm(
        test_db,
        &["audit", "checkpoint", file.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
}

fn verify_against_checkpoints(test_db: &TestDb) -> Output {
    let file = checkpoints(test_db);
    dcmm(
        test_db,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
        &[],
    )
}

fn records(conn: &mut DbConnection) -> Vec<Record> {
    audit_log::table
        .order(audit_log::seq.asc())
        .select(Record::as_select())
        .load(conn)
        .unwrap()
}

/// What someone with write access to the database alone can do: change entry `from`'s
/// content, then recompute its link and every later one (the key unknown, with plain SHA-256
/// as the chain used before it had a key), and set the head to match.
fn rewrite_without_the_key(conn: &mut DbConnection, from: i64) {
    let mut prev = audit::GENESIS.to_owned();
    for mut r in records(conn) {
        if r.seq >= from {
            if r.seq == from {
                r.after_json = Some(r#"{"rating":"not"}"#.to_owned());
            }
            r.prev_hash = prev.clone();
            r.hash = audit::hash_of(&r);
            diesel::update(audit_log::table.filter(audit_log::seq.eq(r.seq)))
                .set((
                    audit_log::after_json.eq(&r.after_json),
                    audit_log::prev_hash.eq(&r.prev_hash),
                    audit_log::hash.eq(&r.hash),
                ))
                .execute(conn)
                .unwrap();
        }
        prev = r.hash.clone();
        diesel::update(audit_head::table)
            .set((audit_head::seq.eq(r.seq), audit_head::hash.eq(&prev)))
            .execute(conn)
            .unwrap();
    }
}

/// Cuts the chain after entry `keep`, the head set to match.
fn cut_after(conn: &mut DbConnection, keep: i64) {
    let hash: String = audit_log::table
        .filter(audit_log::seq.eq(keep))
        .select(audit_log::hash)
        .first(conn)
        .unwrap();
    diesel::delete(audit_log::table.filter(audit_log::seq.gt(keep)))
        .execute(conn)
        .unwrap();
    diesel::update(audit_head::table)
        .set((audit_head::seq.eq(keep), audit_head::hash.eq(hash)))
        .execute(conn)
        .unwrap();
}

both_backends! {
    async fn an_intact_chain_holds_every_checkpoint_taken_of_it(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 3);
        checkpoint(&test_db);
        let mut conn = pool.get().unwrap();
        for i in 3..5 {
            audit::write_tx(&mut conn, |c| audit::append(c, entry(i))).unwrap();
        }
        checkpoint(&test_db);
        let out = verify_against_checkpoints(&test_db);
        assert!(out.status.success(), "{}", text(&out));
        let said = text(&out);
        assert!(said.contains("audit log intact: 5 entries, keyed from entry 1"), "{said}");
        assert!(said.contains("2 checkpoints"), "{said}");
        assert!(said.contains("the latest at entry 5"), "{said}");
        assert_eq!(std::fs::read_to_string(checkpoints(&test_db)).unwrap().lines().count(), 2);
    }

    async fn an_edit_with_its_later_links_recomputed_without_the_key_is_detected(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 5);
        rewrite_without_the_key(&mut pool.get().unwrap(), 3);
        let out = dcmm(&test_db, &["audit", "verify"], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("broken at entry 3"), "{}", text(&out));
    }

    async fn a_cut_tail_passes_alone_and_fails_against_a_checkpoint(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 5);
        checkpoint(&test_db);
        cut_after(&mut pool.get().unwrap(), 3);
        // The database alone cannot tell: the head moved with the cut.
        let alone = dcmm(&test_db, &["audit", "verify"], &[]);
        assert!(alone.status.success(), "{}", text(&alone));
        let out = verify_against_checkpoints(&test_db);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("the chain ends at entry 3"), "{}", text(&out));
        assert!(text(&out).contains("cut from its end"), "{}", text(&out));
    }

    async fn turning_keyed_links_into_unkeyed_ones_is_reported_and_fails_a_checkpoint(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 4);
        checkpoint(&test_db);
        let mut conn = pool.get().unwrap();
        // Claim the whole chain was linked before it had a key, then rewrite it unkeyed.
        diesel::update(audit_head::table)
            .set(audit_head::keyed_from.eq(5_i64))
            .execute(&mut conn)
            .unwrap();
        rewrite_without_the_key(&mut conn, 1);
        let alone = dcmm(&test_db, &["audit", "verify"], &[]);
        assert!(text(&alone).contains("4 of them unkeyed"), "{}", text(&alone));
        let out = verify_against_checkpoints(&test_db);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("entry 4 is not the head of the checkpoint"), "{}", text(&out));
    }

    async fn a_wrong_or_missing_key_is_refused_by_name(backend: Backend) {
        let test_db = TestDb::create(backend);
        filled(&test_db, 2);
        let other = "another-audit-key-another-audit-key-0123";
        let wrong = dcmm(&test_db, &["audit", "verify"], &[("DCMM_AUDIT_KEY", other)]);
        assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));
        assert!(text(&wrong).contains("is not the one the audit chain is keyed with"), "{}", text(&wrong));
        let file = checkpoints(&test_db);
        let no_checkpoint = dcmm(
            &test_db,
            &["audit", "checkpoint", file.to_str().unwrap()],
            &[("DCMM_AUDIT_KEY", other)],
        );
        assert_eq!(no_checkpoint.status.code(), Some(2), "{}", text(&no_checkpoint));
        assert!(!file.exists(), "no checkpoint under another key");
        // A checkpoint taken under the right key is refused under another, as such.
        checkpoint(&test_db);
        let wrong_file = dcmm(
            &test_db,
            &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
            &[("DCMM_AUDIT_KEY", other)],
        );
        assert_eq!(wrong_file.status.code(), Some(1), "{}", text(&wrong_file));
        assert!(text(&wrong_file).contains("taken under another audit key"), "{}", text(&wrong_file));
        // A server with another key does not start on the chain.
        let err = match dcmm::startup::Application::build(test_settings(&test_db, &[("DCMM_AUDIT_KEY", other)])).await {
            Ok(_) => panic!("a server with another audit key started"),
            Err(e) => format!("{e:#}"),
        };
        assert!(err.contains("is not the one the audit chain is keyed with"), "{err}");
        std::fs::remove_file(test_db.data_dir.join("audit-key")).unwrap();
        let missing = dcmm(&test_db, &["audit", "verify"], &[]);
        assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
        assert!(text(&missing).contains("no audit key was found"), "{}", text(&missing));
    }

    async fn an_altered_checkpoint_is_refused(backend: Backend) {
        let test_db = TestDb::create(backend);
        filled(&test_db, 3);
        checkpoint(&test_db);
        let file = checkpoints(&test_db);
        let line = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, line.replace("\"seq\":3", "\"seq\":2")).unwrap();
        let out = verify_against_checkpoints(&test_db);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("line 1: the signature does not match"), "{}", text(&out));
    }

    async fn entries_linked_before_the_key_still_verify_and_are_counted(backend: Backend) {
        let test_db = TestDb::create(backend);
        let pool = filled(&test_db, 0);
        let mut conn = pool.get().unwrap();
        // A database from before keyed links: three entries under plain SHA-256, no key.
        diesel::update(audit_head::table)
            .set((audit_head::keyed_from.eq(None::<i64>), audit_head::key_fingerprint.eq(None::<String>)))
            .execute(&mut conn)
            .unwrap();
        let mut prev = audit::GENESIS.to_owned();
        for seq in 1..=3 {
            let e = entry(seq as usize);
            let mut r = Record {
                seq,
                at: dcmm::db::now(),
                actor_id: e.actor_id,
                action: e.action,
                subject_type: e.subject_type,
                subject_id: e.subject_id,
                cluster_id: e.cluster_id,
                before_json: e.before.map(|v| v.to_string()),
                after_json: e.after.map(|v| v.to_string()),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            r.hash = audit::hash_of(&r);
            prev = r.hash.clone();
            diesel::insert_into(audit_log::table).values(&r).execute(&mut conn).unwrap();
        }
        diesel::update(audit_head::table)
            .set((audit_head::seq.eq(3_i64), audit_head::hash.eq(&prev)))
            .execute(&mut conn)
            .unwrap();
        std::fs::remove_file(test_db.data_dir.join("audit-key")).unwrap();
        let before = dcmm(&test_db, &["audit", "verify"], &[]);
        assert!(before.status.success(), "{}", text(&before));
        assert!(text(&before).contains("3 entries, all unkeyed"), "{}", text(&before));
        // The first start with a key keys every later link.
        let app = spawn_app_on(test_db, &[]).await;
        let test_db = &app.db;
        let mut conn = pool.get().unwrap();
        audit::write_tx(&mut conn, |c| audit::append(c, entry(9))).unwrap();
        let v = audit::verify(&mut conn, Some(&audit_key(test_db))).unwrap();
        assert_eq!((v.entries, v.first_broken, v.unkeyed, v.keyed_from), (4, None, 3, Some(4)));
        let out = dcmm(test_db, &["audit", "verify"], &[]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("4 entries, 3 of them unkeyed"), "{}", text(&out));
        // An unkeyed entry before keyed ones is held by the first keyed link.
        rewrite_without_the_key(&mut conn, 2);
        let out = dcmm(test_db, &["audit", "verify"], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("broken at entry 4"), "{}", text(&out));
    }
}
