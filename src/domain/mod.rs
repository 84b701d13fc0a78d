//! Domain types that parse, not validate: a value that exists is valid.

pub mod actor;
pub mod assessment;
pub mod credit_code;
pub mod enterprise;
pub mod sharing;

pub use actor::{Actor, Role, Tenancy, UnknownRole};
pub use credit_code::{CreditCode, CreditCodeError};
