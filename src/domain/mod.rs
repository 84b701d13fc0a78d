//! Domain types that parse, not validate: a value that exists is valid.

/// `Display` and `FromStr` of an enum by its stored name (`as_str`, one of `ALL`).
#[macro_export]
macro_rules! text_enum {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $t {
            type Err = $crate::domain::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or($crate::domain::UnknownValue)
            }
        }
    };
}

/// The text names none of the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("is not one of the allowed values")]
pub struct UnknownValue;

pub mod actor;
pub mod assessment;
pub mod campaign;
pub mod contact;
pub mod credit_code;
pub mod enterprise;
pub mod sharing;

pub use actor::{Actor, Role, Tenancy, UnknownRole};
pub use credit_code::{CreditCode, CreditCodeError};
