//! dcmm: data-management capability maturity (DCMM, GB/T 36073) assessment for industrial
//! clusters.

pub mod access;
pub mod allocator;
pub mod api;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod campaign;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod enterprise;
pub mod error;
pub mod evidence;
pub mod export;
pub mod font;
#[cfg(test)]
mod fuzz;
pub mod ids;
pub mod limits;
pub mod me;
pub mod multipart;
pub mod public_url;
pub mod questionnaire;
pub mod report;
pub mod scoring;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod utc;
pub mod web;
