//! Identity and access: passwords, tokens, sessions, the `AuthUser` extractor and the access
//! policy every handler consults.

pub mod account;
mod audited;
pub mod extractor;
pub mod history;
pub mod jwt;
pub mod login;
pub mod manage;
pub mod password;
pub mod policy;
pub mod session;
pub mod throttle;
pub mod users;

pub use extractor::AuthUser;
pub use policy::{Action, Decision, Kind, Resource, Tenancy};
