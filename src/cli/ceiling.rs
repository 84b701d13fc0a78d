//! `dcmm storage-ceiling`: what the configured database can do at most for a write like an
//! autosave, outside the service: each of N connections upserts a row of its own in a loop, one
//! transaction per upsert, through the same connection setup as the service (SQLite's pragmas
//! included). The load scripts print it beside the service's own figures, in the same run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::config::Settings;
use crate::db;
use crate::on_backend;

diesel::table! {
    storage_probe (id) {
        id -> Integer,
        n -> BigInt,
    }
}

/// Upserts for `seconds` on `connections` connections; prints one JSON line with the
/// transactions per second. The probe table is made for the run and dropped after it.
pub fn run(settings: &Settings, connections: u32, seconds: u64) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database, connections)?;
    pool.get()?.batch_execute(
        "CREATE TABLE IF NOT EXISTS storage_probe (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|worker| {
            let pool = pool.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || -> anyhow::Result<u64> {
                let mut conn = pool.get()?;
                let id = i32::try_from(worker)?;
                let mut done = 0_u64;
                while !stop.load(Ordering::Relaxed) {
                    let n = i64::try_from(done)?;
                    on_backend!(&mut *conn, |c| {
                        diesel::insert_into(storage_probe::table)
                            .values((storage_probe::id.eq(id), storage_probe::n.eq(n)))
                            .on_conflict(storage_probe::id)
                            .do_update()
                            .set(storage_probe::n.eq(n))
                            .execute(c)
                    })?;
                    done += 1;
                }
                Ok(done)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut total = 0;
    for w in workers {
        total += w
            .join()
            .map_err(|_| anyhow::anyhow!("a probe thread panicked"))??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    pool.get()?.batch_execute("DROP TABLE storage_probe")?;
    super::emit(&format!(
        "{{\"backend\":\"{}\",\"connections\":{connections},\"transactions\":{total},\"seconds\":{elapsed:.3},\"tx_per_s\":{:.0}}}\n",
        settings.database.backend_name(),
        total as f64 / elapsed
    ))
}
