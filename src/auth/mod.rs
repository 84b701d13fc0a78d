//! Identity and access: passwords, tokens, sessions, the `AuthUser` extractor and the access
//! policy every handler consults.

pub mod account;
mod actor;
pub mod extractor;
pub mod jwt;
pub mod login;
pub mod manage;
pub mod password;
pub mod policy;
pub mod session;
pub mod throttle;

pub use actor::{Actor, Role, UnknownRole};
pub use extractor::AuthUser;
pub use policy::{Action, Decision, Kind, Resource, Tenancy};
