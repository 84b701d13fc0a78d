//! Identity and access: passwords, tokens, sessions, the `AuthUser` extractor and the access
//! policy every handler consults.

pub mod account;
mod actor;
pub mod jwt;
pub mod password;
pub mod policy;

pub use actor::{Actor, Role, UnknownRole};
pub use policy::{Action, Decision, Kind, Resource, Tenancy};
