//! Passwords: the policy (ASVS L2: length and a common-password list), argon2id hashing and
//! verification.
//!
//! Hashing is deliberately slow (tens of milliseconds): call these functions on a blocking
//! thread (`web::block`), never on the async executor.

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};

use crate::config::Secret;

/// ASVS 4.0 L2 (2.1.1, 2.1.2): at least 12 characters, at most 128 allowed.
pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Passwords found in breaches and tried first by attackers: Django's list (see
/// `assets/passwords/README.md`), one lower-case password a line.
const COMMON_LIST: &str = include_str!("../../assets/passwords/common-passwords.txt");

/// Whether `lower` (a password in lower case) is on the common list.
fn is_common(lower: &str) -> bool {
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON
        .get_or_init(|| {
            COMMON_LIST
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .contains(lower)
}

/// A password that satisfies the policy; it never prints.
#[derive(Clone)]
pub struct Password(Secret);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// The rule of the policy a refused password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    Common,
    HasUsername,
}

impl Weakness {
    /// The stable code of the rule, for clients to match on (`codes` of a 422).
    pub fn code(self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::Common => "password_too_common",
            Self::HasUsername => "password_contains_username",
        }
    }
}

impl std::fmt::Display for Weakness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooShort => write!(f, "must be at least {MIN_CHARS} characters long"),
            Self::TooLong => write!(f, "must be at most {MAX_CHARS} characters long"),
            Self::Common => f.write_str("is a commonly used password; choose another"),
            Self::HasUsername => f.write_str("must not contain the username"),
        }
    }
}

impl Password {
    /// Applies the policy: 12 to 128 characters (any characters: no composition rules), not
    /// on the common-password list, not containing the username. The error names the rule.
    pub fn check(candidate: &str, username: &str) -> Result<Self, Weakness> {
        let chars = candidate.chars().count();
        if chars < MIN_CHARS {
            return Err(Weakness::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(Weakness::TooLong);
        }
        let lower = candidate.to_lowercase();
        if is_common(&lower) {
            return Err(Weakness::Common);
        }
        let username = username.trim().to_lowercase();
        if username.chars().count() >= 3 && lower.contains(&username) {
            return Err(Weakness::HasUsername);
        }
        Ok(Self(Secret::new(candidate.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// The characters of generated passwords: letters and digits without the look-alikes
/// 0/O/o, 1/l/I, so that a password read off a screen or a phone call is typed right.
const GENERATED_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/// Random characters of a generated password, shown in groups of four.
const GENERATED_CHARS: usize = 20;

/// A strong random password for an account someone else creates or resets: 20 characters of
/// [`GENERATED_ALPHABET`] (about 115 bits) in groups of four joined by `-`, passing the policy
/// for `username`.
pub fn generate(username: &str) -> anyhow::Result<Password> {
    loop {
        let mut text = String::with_capacity(GENERATED_CHARS + GENERATED_CHARS / 4);
        let mut drawn = 0;
        while drawn < GENERATED_CHARS {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random password: {e}"))?;
            // Bytes past the last whole multiple of the alphabet would favour its first letters.
            let limit = 256 - 256 % GENERATED_ALPHABET.len();
            for b in bytes.iter().filter(|b| usize::from(**b) < limit) {
                if drawn == GENERATED_CHARS {
                    break;
                }
                if drawn > 0 && drawn % 4 == 0 {
                    text.push('-');
                }
                text.push(char::from(
                    GENERATED_ALPHABET[usize::from(*b) % GENERATED_ALPHABET.len()],
                ));
                drawn += 1;
            }
        }
        if let Ok(password) = Password::check(&text, username) {
            return Ok(password);
        }
    }
}

/// An argon2id PHC string (salt and parameters included) for a password that passed the
/// policy.
pub fn hash(password: &Password) -> anyhow::Result<String> {
    hash_text(password.expose())
}

fn hash_text(password: &str) -> anyhow::Result<String> {
    let params = Params::default();
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("random salt: {e}"))?;
    let salt = Salt::new(&salt).map_err(|e| anyhow::anyhow!("argon2 salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        hasher.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
    })
    .map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("argon2 output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored hash. A malformed stored hash never matches.
pub fn verify(password: &str, stored_hash: &str) -> bool {
    let Ok(phc) = PasswordHash::new(stored_hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(phc.algorithm.as_str()),
        Params::try_from(&phc),
    ) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut out = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, version, params.clone());
    let hashed = with_memory(params.block_count(), |memory| {
        hasher.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, memory)
    });
    // `Output` compares in constant time.
    hashed.is_ok() && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

/// How many password hashes run at once: each holds its memory (19 MiB at the default
/// parameters) and a core, so more would only share the cores and take more memory.
const HASHERS: usize = 2;

/// The memory the password hashes run in, kept between hashes: allocated afresh for each hash,
/// glibc keeps it in the arena of every thread that hashed, and a server that had served a
/// few dozen logins held hundreds of megabytes. Here it is at most [`HASHERS`] blocks of memory
/// for the default parameters, in use by at most that many hashes at once; a stored hash with
/// other parameters gets memory of its own.
fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    if blocks != Params::default().block_count() {
        let mut own = vec![Block::new(); blocks];
        return f(&mut own);
    }
    static MEMORY: OnceLock<Memory> = OnceLock::new();
    let memory = MEMORY.get_or_init(|| Memory {
        free: Mutex::new((Vec::new(), 0)),
        returned: Condvar::new(),
    });
    let mut lease = Lease {
        blocks: memory.take(blocks),
        memory,
    };
    f(&mut lease.blocks)
}

/// The kept memory: the blocks not in use, and how many were made.
struct Memory {
    free: Mutex<(Vec<Vec<Block>>, usize)>,
    returned: Condvar,
}

impl Memory {
    fn take(&self, blocks: usize) -> Vec<Block> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(m) = free.0.pop() {
                return m;
            }
            if free.1 < HASHERS {
                free.1 += 1;
                return vec![Block::new(); blocks];
            }
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Memory in use by one hash, given back when the hash ends (even by a panic).
struct Lease<'a> {
    blocks: Vec<Block>,
    memory: &'a Memory,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let blocks = std::mem::take(&mut self.blocks);
        let mut free = self
            .memory
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        free.0.push(blocks);
        drop(free);
        self.memory.returned.notify_one();
    }
}

/// Takes as long as [`verify`] does for a real account, so that a login for an unknown user
/// answers in about the same time as a wrong password.
pub fn verify_against_dummy(password: &str) {
    if let Some(hash) = dummy_hash() {
        let _ = verify(password, hash);
    }
}

/// The hash of a random password nobody knows, made once; start-up calls it so the first
/// unknown-user login is not slower than the others.
pub fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let mut bytes = [0u8; 24];
            getrandom::fill(&mut bytes).ok()?;
            hash_text(&hex::encode(bytes)).ok()
        })
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_both_ways_with_the_argon2_crate_and_wrong_passwords_do_not() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let ours = hash_text("correct horse battery").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        assert!(verify("correct horse battery", &ours));
        assert!(!verify("correct horse batterY", &ours));
        let theirs = Argon2::default()
            .hash_password(b"another secret")
            .unwrap()
            .to_string();
        assert!(verify("another secret", &theirs));
        assert!(!verify("another secreT", &theirs));
        assert!(!verify("another secret", "not a hash"));
    }

    #[test]
    fn a_hash_with_other_parameters_verifies_in_memory_of_its_own() {
        use argon2::PasswordHasher;
        let params = Params::new(8192, 1, 1, None).unwrap();
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"older parameters")
            .unwrap()
            .to_string();
        assert!(verify("older parameters", &other));
        assert!(!verify("older Parameters", &other));
    }

    #[test]
    fn hashes_at_once_beyond_the_kept_memory_wait_their_turn() {
        let stored = hash_text("in turn").unwrap();
        let threads: Vec<_> = (0..HASHERS * 2 + 1)
            .map(|_| {
                let stored = stored.clone();
                std::thread::spawn(move || verify("in turn", &stored))
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap());
        }
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let password = Password::check("correct horse battery", "alice").unwrap();
        let hash = hash(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("correct horse battery", &hash));
        assert!(!verify("correct horse batterY", &hash));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(hash, super::hash(&password).unwrap(), "salted");
    }

    #[test]
    fn the_policy_names_the_rule_that_failed() {
        let cases = [
            ("short1", Weakness::TooShort),
            ("elevenchars", Weakness::TooShort),
            ("Password1234", Weakness::Common),
            ("1Q2W3E4R5T6Y7U8I", Weakness::Common),
            ("xx-alice-2026", Weakness::HasUsername),
            ("XX-ALICE-2026", Weakness::HasUsername),
        ];
        for (candidate, rule) in cases {
            assert_eq!(
                Password::check(candidate, "Alice").err(),
                Some(rule),
                "{candidate}"
            );
        }
        let long = "ab1-".repeat(40);
        assert_eq!(
            Password::check(&long, "alice").err(),
            Some(Weakness::TooLong)
        );
        assert!(Password::check(&"x".repeat(MAX_CHARS), "alice").is_ok());
        // No composition rules: any characters, any mix.
        for fine in [
            "长城长江黄河泰山华山长城长江",
            "correct horse battery",
            "zzzzzzzzzzzzzzzz",
        ] {
            assert!(Password::check(fine, "alice").is_ok(), "{fine}");
        }
        assert_eq!(Weakness::TooShort.code(), "password_too_short");
    }

    #[test]
    fn the_common_list_is_shipped_whole_and_read_in_lower_case() {
        let entries = COMMON_LIST.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(entries >= 10_000, "{entries}");
        assert!(COMMON_LIST.lines().all(|l| l == l.to_lowercase()));
        for listed in ["password", "123456", "qwertyuiop123", "1q2w3e4r5t6y"] {
            assert!(is_common(listed), "{listed}");
        }
        // The demo accounts' password passes.
        assert!(Password::check(crate::demo::PASSWORD, "e01").is_ok());
    }

    #[test]
    fn generated_passwords_are_long_random_free_of_look_alikes_and_pass_the_policy() {
        let a = generate("abc").unwrap();
        let b = generate("abc").unwrap();
        assert_ne!(a.expose(), b.expose());
        for p in [&a, &b] {
            let text = p.expose();
            assert_eq!(text.chars().count(), 24, "{text}");
            assert_eq!(text.split('-').count(), 5, "{text}");
            assert!(text.len() >= 16);
            assert!(!text.chars().any(|c| "0Oo1lI".contains(c)), "{text}");
            assert!(Password::check(text, "abc").is_ok());
        }
    }

    #[test]
    fn passwords_do_not_print() {
        let p = Password::check("correct horse battery", "alice").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn the_dummy_hash_is_made_once_and_matches_nothing_known() {
        let first = dummy_hash().unwrap();
        assert_eq!(dummy_hash().unwrap(), first);
        assert!(!verify("", first));
    }
}
