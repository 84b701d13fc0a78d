//! Black-box tests through the real HTTP application, each on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod client_evidence;
mod fixtures;
mod helpers;

mod access_matrix;
mod audit;
mod audit_chain;
mod audit_log_pages;
mod campaign_closing;
mod campaign_pages;
mod campaigns;
mod cli;
mod cluster_pages;
mod crash;
mod crosswalk;
mod dashboard;
mod database_url;
mod demo;
mod enterprise_admin_pages;
mod enterprise_contacts;
mod enterprise_pages;
mod errors;
mod evidence;
mod evidence_access;
mod evidence_links;
mod export;
mod health;
// Identity: generated passwords, resets, sign-in audit, user and cluster pages.
mod identity;
mod identity_pages;
mod me;
mod openapi_client;
mod own_pages;
mod page_session;
mod paging;
mod profile;
mod questionnaire_page;
mod questionnaires;
mod repo;
mod reports;
mod review_pages;
mod reviews;
mod scorecards;
mod sessions;
mod tokens;
mod users;
mod verify;
mod verify_page;
mod web;
mod workflow;
