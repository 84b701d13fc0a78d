//! Identity and access: passwords, tokens, sessions, the `AuthUser` extractor and the access
//! policy every handler consults.

mod actor;
pub mod policy;

pub use actor::{Actor, Role, UnknownRole};
pub use policy::{Action, Decision, Kind, Resource, Tenancy};
