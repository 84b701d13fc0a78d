//! Whom the cluster manager calls about an enterprise: a name, a phone number and an email
//! address, each optional. Absent is the empty text.

use crate::error::FieldErrors;

/// The longest contact name, in characters.
pub const NAME_MAX: usize = 100;
/// A phone number's length, in characters.
pub const PHONE_MIN: usize = 5;
pub const PHONE_MAX: usize = 30;
/// The longest email address (RFC 5321's path limit less the brackets).
pub const EMAIL_MAX: usize = 254;

/// A contact that passed [`Contact::parse`]; each part trimmed, empty when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The fields of a contact as their form or file names them.
pub const FIELDS: [&str; 3] = ["contact_name", "contact_phone", "contact_email"];

/// A contact name: at most [`NAME_MAX`] characters, no control characters.
pub fn parse_name(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.chars().count() > NAME_MAX || s.chars().any(char::is_control) {
        return Err("must be at most 100 characters, without control characters");
    }
    Ok(s.to_owned())
}

/// A phone number: digits, spaces, `+`, `-` and parentheses, 5 to 30 characters, with a digit.
pub fn parse_phone(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let allowed = |c: char| c.is_ascii_digit() || " +-()".contains(c);
    let n = s.chars().count();
    if !(PHONE_MIN..=PHONE_MAX).contains(&n)
        || !s.chars().all(allowed)
        || !s.chars().any(|c| c.is_ascii_digit())
    {
        return Err("must be 5 to 30 digits, spaces, +, - or parentheses");
    }
    Ok(s.to_owned())
}

/// An email address that looks deliverable: one `@`, something before it, a dotted domain
/// after it, no spaces, at most [`EMAIL_MAX`] characters.
pub fn parse_email(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    const WRONG: &str = "must be an email address such as name@example.com";
    if s.chars().count() > EMAIL_MAX {
        return Err("must be at most 254 characters");
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(WRONG);
    };
    let labels_ok = domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    let clean = |p: &str| {
        !p.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@')
    };
    if local.is_empty() || !clean(local) || !clean(domain) || !labels_ok {
        return Err(WRONG);
    }
    Ok(s.to_owned())
}

impl Contact {
    /// The three parts, each checked; every bad one is named by its field.
    pub fn parse(name: &str, phone: &str, email: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, r: Result<String, &str>| {
            r.map_err(|m| {
                errors.insert(field.to_owned(), vec![m.to_owned()]);
            })
            .unwrap_or_default()
        };
        let contact = Self {
            name: take("contact_name", parse_name(name)),
            phone: take("contact_phone", parse_phone(phone)),
            email: take("contact_email", parse_email(email)),
        };
        if errors.is_empty() {
            Ok(contact)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_contact_is_a_contact() {
        assert_eq!(Contact::parse(" ", "", ""), Ok(Contact::default()));
    }

    #[test]
    fn plausible_values_pass_trimmed() {
        let c = Contact::parse(" 王经理 ", "+86 (591) 8765-4321", " wang@example.com.cn ").unwrap();
        assert_eq!(
            (c.name.as_str(), c.phone.as_str(), c.email.as_str()),
            ("王经理", "+86 (591) 8765-4321", "wang@example.com.cn")
        );
    }

    #[test]
    fn each_bad_part_is_named() {
        let errors = Contact::parse(&"名".repeat(101), "call me", "wang@localhost").unwrap_err();
        let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(keys, ["contact_email", "contact_name", "contact_phone"]);
    }

    #[test]
    fn phones_are_digits_and_punctuation_of_a_sensible_length() {
        assert!(parse_phone("1234").is_err());
        assert!(parse_phone("12345").is_ok());
        assert!(parse_phone(&"1".repeat(30)).is_ok());
        assert!(parse_phone(&"1".repeat(31)).is_err());
        assert!(parse_phone("(---)").is_err(), "no digit");
        assert!(parse_phone("138 0000 0000 转 1").is_err());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for bad in [
            "wang",
            "@example.com",
            "wang@",
            "wang@example",
            "wang@@example.com",
            "wang li@example.com",
            "wang@.example.com",
            "wang@example..com",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        assert!(parse_email("a.b+c@mail.example.org").is_ok());
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(parse_email(&long), Err("must be at most 254 characters"));
    }
}
