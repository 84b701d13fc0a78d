//! An enterprise's registration fields, and the CSV import of many at once.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::contact::Contact;
use super::credit_code::CreditCode;
use crate::error::FieldErrors;
use crate::questionnaire::model::Choice;

/// Size classes (大型 / 中型 / 小型 / 微型).
#[derive(
    diesel::AsExpression,
    diesel::FromSqlRow,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    Micro,
    Small,
    Medium,
    Large,
}

impl Size {
    pub const ALL: [Size; 4] = [Self::Micro, Self::Small, Self::Medium, Self::Large];

    /// The size class as pages and reports name it.
    pub fn label(self, lang: crate::questionnaire::Lang) -> &'static str {
        match self {
            Self::Micro => lang.t("微型", "micro"),
            Self::Small => lang.t("小型", "small"),
            Self::Medium => lang.t("中型", "medium"),
            Self::Large => lang.t("大型", "large"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Micro => "micro",
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Self::Micro => "微型",
            Self::Small => "小型",
            Self::Medium => "中型",
            Self::Large => "大型",
        }
    }

    /// The English value or the Chinese name.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|z| {
            z.as_str().eq_ignore_ascii_case(s) || z.zh() == s || format!("{}企业", z.zh()) == s
        })
    }
}

/// Registration fields that passed [`NewEnterprise::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnterprise {
    pub name: String,
    pub credit_code: CreditCode,
    /// One of the profile's industry option values.
    pub industry: String,
    pub size: Size,
    pub region: String,
    pub contact: Contact,
}

/// The raw fields as a client or a CSV row gives them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawEnterprise {
    #[serde(alias = "企业名称")]
    pub name: String,
    #[serde(alias = "统一社会信用代码")]
    pub credit_code: String,
    #[serde(default, alias = "行业")]
    pub industry: String,
    #[serde(default, alias = "规模")]
    pub size: String,
    #[serde(default, alias = "地区")]
    pub region: String,
    #[serde(default, alias = "联系人")]
    pub contact_name: String,
    #[serde(default, alias = "联系电话")]
    pub contact_phone: String,
    #[serde(default, alias = "电子邮箱")]
    pub contact_email: String,
}

fn add(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(message.into());
}

/// An industry given by option value or by its Chinese or English label.
pub fn parse_industry(s: &str, industries: &[Choice]) -> Option<String> {
    let s = s.trim();
    industries
        .iter()
        .find(|c| c.value == s || c.label.zh == s || c.label.en.eq_ignore_ascii_case(s))
        .map(|c| c.value.clone())
}

impl NewEnterprise {
    pub fn parse(raw: &RawEnterprise, industries: &[Choice]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = raw.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            add(&mut errors, "name", "must be 1 to 200 characters");
        }
        let credit_code = CreditCode::parse(&raw.credit_code)
            .map_err(|e| add(&mut errors, "credit_code", e.to_string()))
            .ok();
        let industry = parse_industry(&raw.industry, industries);
        if industry.is_none() {
            let values: Vec<&str> = industries.iter().map(|c| c.value.as_str()).collect();
            add(
                &mut errors,
                "industry",
                format!("must be one of: {}", values.join(", ")),
            );
        }
        let size = Size::parse(&raw.size);
        if size.is_none() {
            add(&mut errors, "size", "must be micro, small, medium or large");
        }
        let region = raw.region.trim();
        if region.chars().count() > 100 {
            add(&mut errors, "region", "must be at most 100 characters");
        }
        let contact = Contact::parse(&raw.contact_name, &raw.contact_phone, &raw.contact_email)
            .map_err(|e| errors.extend(e))
            .ok();
        match (credit_code, industry, size, contact) {
            (Some(credit_code), Some(industry), Some(size), Some(contact)) if errors.is_empty() => {
                Ok(Self {
                    name: name.to_owned(),
                    credit_code,
                    industry,
                    size,
                    region: region.to_owned(),
                    contact,
                })
            }
            _ => Err(errors),
        }
    }
}

/// One CSV row: its line in the file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    /// The name and credit code as the row gives them, to say which row this is.
    pub name: String,
    pub credit_code: String,
    pub result: Result<NewEnterprise, FieldErrors>,
}

/// The columns of an import file, by English and Chinese header; any order, only
/// `credit_code` required.
pub const COLUMNS: [(&str, &str); 8] = [
    ("name", "企业名称"),
    ("credit_code", "统一社会信用代码"),
    ("industry", "行业"),
    ("size", "规模"),
    ("region", "地区"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
    ("contact_email", "电子邮箱"),
];

/// Reads a CSV file (UTF-8, with or without a byte-order mark, header row in English or
/// Chinese). Each row stands alone: a bad row is reported with its line and rejects nothing else.
/// A credit code repeated within the file is an error on its second row.
pub fn parse_csv(bytes: &[u8], industries: &[Choice]) -> Result<Vec<ImportRow>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| format!("header row: {e}"))?
        .clone();
    let known = |h: &str| COLUMNS.iter().any(|(en, zh)| h == *en || h == *zh);
    if let Some(unknown) = headers.iter().find(|h| !known(h)) {
        let names: Vec<&str> = COLUMNS.iter().map(|(en, _)| *en).collect();
        return Err(format!(
            "unknown column {unknown:?}: use {}",
            names.join(", ")
        ));
    }
    if !headers
        .iter()
        .any(|h| h == "credit_code" || h == "统一社会信用代码")
    {
        return Err("the header row has no credit_code column".to_owned());
    }
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let (line, given, result) = match record {
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let mut errors = FieldErrors::new();
                add(&mut errors, "row", e.to_string());
                (line, (String::new(), String::new()), Err(errors))
            }
            Ok(record) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let column = |en: &str, zh: &str| {
                    headers
                        .iter()
                        .position(|h| h == en || h == zh)
                        .and_then(|i| record.get(i))
                        .unwrap_or_default()
                        .to_owned()
                };
                let given = (
                    column("name", "企业名称"),
                    column("credit_code", "统一社会信用代码"),
                );
                let parsed = record
                    .deserialize::<RawEnterprise>(Some(&headers))
                    .map_err(|e| {
                        let mut errors = FieldErrors::new();
                        add(&mut errors, "row", e.to_string());
                        errors
                    })
                    .and_then(|raw| NewEnterprise::parse(&raw, industries));
                let checked = parsed.and_then(|e| {
                    if seen.insert(e.credit_code.clone()) {
                        Ok(e)
                    } else {
                        let mut errors = FieldErrors::new();
                        add(&mut errors, "credit_code", "appears earlier in this file");
                        Err(errors)
                    }
                });
                (line, given, checked)
            }
        };
        rows.push(ImportRow {
            line,
            name: given.0,
            credit_code: given.1,
            result,
        });
    }
    Ok(rows)
}

crate::text_enum!(Size);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Text;

    fn industries() -> Vec<Choice> {
        vec![
            Choice {
                value: "equipment".into(),
                label: Text {
                    zh: "装备制造".into(),
                    en: "Equipment manufacturing".into(),
                },
            },
            Choice {
                value: "software".into(),
                label: Text {
                    zh: "软件和信息技术服务".into(),
                    en: "Software and IT services".into(),
                },
            },
        ]
    }

    #[test]
    fn a_csv_with_bom_and_chinese_headers_imports_row_by_row() {
        let csv = "\u{FEFF}企业名称,统一社会信用代码,行业,规模,地区\n\
                   福州某装备有限公司,91350100M000100Y43,装备制造,中型,福州\n\
                   坏数据公司,91350100M000100Y44,equipment,small,福州\n\
                   重复公司,91350100M000100Y43,software,大型,厦门\n\
                   某软件公司,91110108551385082Q,软件和信息技术服务,micro,北京\n";
        let rows = parse_csv(csv.as_bytes(), &industries()).unwrap();
        assert_eq!(rows.len(), 4);
        let first = rows[0].result.as_ref().unwrap();
        assert_eq!(
            (first.industry.as_str(), first.size),
            ("equipment", Size::Medium)
        );
        assert_eq!(rows[0].line, 2);
        let bad = rows[1].result.as_ref().unwrap_err();
        assert_eq!(rows[1].line, 3);
        assert!(bad["credit_code"][0].contains("check character"));
        assert!(rows[2]
            .result
            .as_ref()
            .unwrap_err()
            .contains_key("credit_code"));
        assert!(rows[3].result.is_ok());
    }

    #[test]
    fn every_bad_field_of_a_row_is_named() {
        let raw = RawEnterprise {
            name: " ".into(),
            credit_code: "123".into(),
            industry: "mining".into(),
            size: "huge".into(),
            contact_email: "nobody".into(),
            ..RawEnterprise::default()
        };
        let errors = NewEnterprise::parse(&raw, &industries()).unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["contact_email", "credit_code", "industry", "name", "size"]
        );
    }

    #[test]
    fn contact_columns_are_read_and_checked_per_row() {
        let csv = "企业名称,统一社会信用代码,行业,规模,联系人,联系电话,电子邮箱\n\
                   甲公司,91350100M000100Y43,equipment,small,王经理,0591-87654321,wang@example.com\n\
                   乙公司,91110108551385082Q,equipment,small,李,电话,li@example\n";
        let rows = parse_csv(csv.as_bytes(), &industries()).unwrap();
        let first = rows[0].result.as_ref().unwrap();
        assert_eq!(first.contact.name, "王经理");
        assert_eq!(first.contact.email, "wang@example.com");
        let bad = rows[1].result.as_ref().unwrap_err();
        let keys: Vec<&str> = bad.keys().map(String::as_str).collect();
        assert_eq!(keys, ["contact_email", "contact_phone"]);
    }

    #[test]
    fn an_unknown_column_refuses_the_file() {
        let err = parse_csv(b"name,credit_code,ceo\n", &industries()).unwrap_err();
        assert!(err.contains("ceo"));
    }
}
