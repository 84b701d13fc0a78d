//! Domain types that parse, not validate: a value that exists is valid.

pub mod assessment;
pub mod credit_code;
pub mod enterprise;
pub mod sharing;

pub use credit_code::{CreditCode, CreditCodeError};
