//! Typed values in text columns, with the same text on both backends: ids as the hyphenated
//! UUID, enums by their snake_case names. A stored value that is not one is a read error,
//! never a silent default.

use std::io::Write;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

type Multi = <super::DbConnection as diesel::Connection>::Backend;

fn parse<T: std::str::FromStr>(text: &str) -> deserialize::Result<T> {
    text.parse().map_err(|_| {
        format!(
            "stored value {text:?} is not a valid {}",
            std::any::type_name::<T>()
        )
        .into()
    })
}

macro_rules! text_value {
    ($t:ty) => {
        impl ToSql<Text, Sqlite> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.to_string());
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                write!(out, "{self}")?;
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Multi> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Multi>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Sqlite> for $t {
            fn from_sql(value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Sqlite>>::from_sql(value)?;
                parse(&text)
            }
        }

        impl FromSql<Text, Pg> for $t {
            fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(value)?;
                parse(&text)
            }
        }

        impl FromSql<Text, Multi> for $t {
            fn from_sql(value: <Multi as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                value.from_sql::<Self, Text>()
            }
        }
    };
}

crate::for_each_id!(text_value);
text_value!(crate::domain::assessment::Status);
text_value!(crate::domain::assessment::Decision);
text_value!(crate::domain::campaign::CampaignStatus);
text_value!(crate::domain::enterprise::Size);
text_value!(crate::domain::sharing::Sharing);
text_value!(crate::scoring::Rating);
