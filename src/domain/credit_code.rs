//! The unified social credit code (统一社会信用代码, GB 32100): 18 characters from a 31-character
//! alphabet, the last a check character over the first 17.

use std::fmt;

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A credit code that passed [`CreditCode::parse`]: 18 characters, upper case, valid check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("must be 18 characters, not {0}")]
    Length(usize),
    #[error("character {position} ({found:?}) is not allowed; the code uses 0-9 and A-Y without I, O, S, V, Z")]
    Character { position: usize, found: char },
    #[error("the check character should be {expected}, not {found}")]
    Check { expected: char, found: char },
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters of a code.
pub fn check_character(first17: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(char::from(ALPHABET[check as usize]))
}

impl CreditCode {
    /// Accepts surrounding spaces and lower case; anything else must be exact.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = input.trim().to_ascii_uppercase();
        let count = code.chars().count();
        if count != 18 {
            return Err(CreditCodeError::Length(count));
        }
        let bytes = code.as_bytes();
        for (i, c) in code.chars().enumerate() {
            if !c.is_ascii() || value_of(c as u8).is_none() {
                return Err(CreditCodeError::Character {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let found = char::from(bytes[17]);
        match check_character(&bytes[..17]) {
            Some(expected) if expected == found => Ok(Self(code)),
            Some(expected) => Err(CreditCodeError::Check { expected, found }),
            None => Err(CreditCodeError::Length(count)),
        }
    }

    /// Completes 17 valid characters with their check character (demo data, tests).
    pub fn complete(first17: &str) -> Option<Self> {
        let check = check_character(first17.as_bytes())?;
        Self::parse(&format!("{first17}{check}")).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_example_codes_pass() {
        // Codes printed on public business licences.
        for code in [
            "91350100M000100Y43",
            "91110108551385082Q",
            "9144030071526726XG",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn a_wrong_check_character_is_named() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(
            err,
            CreditCodeError::Check {
                expected: '3',
                found: '4'
            }
        );
    }

    #[test]
    fn length_and_alphabet_are_checked() {
        assert_eq!(
            CreditCode::parse("9135010").unwrap_err(),
            CreditCodeError::Length(7)
        );
        assert!(matches!(
            CreditCode::parse("91350100I000100Y43").unwrap_err(),
            CreditCodeError::Character {
                position: 9,
                found: 'I'
            }
        ));
    }

    #[test]
    fn lower_case_and_spaces_are_normalised() {
        let code = CreditCode::parse(" 91350100m000100y43 ").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn complete_adds_the_check_character() {
        let code = CreditCode::complete("91350100M000100Y4").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }
}
