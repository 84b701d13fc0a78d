//! Black-box tests through the real HTTP application, each on SQLite and on PostgreSQL.

mod helpers;

mod cli;
mod health;
mod repo;
