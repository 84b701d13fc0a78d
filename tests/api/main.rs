//! Black-box tests through the real HTTP application, each on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod audit;
mod cli;
mod health;
mod repo;
