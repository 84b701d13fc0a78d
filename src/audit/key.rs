//! The audit key: a secret kept outside the database (the `audit_key` setting or the
//! `audit-key` file in the data folder). The chain's links are HMAC-SHA256 under a key derived
//! from it, so that rewriting an entry and recomputing the later links needs the secret as
//! well as the database; checkpoints of the chain's head are signed with an Ed25519 key
//! derived from it, whose public half travels in each checkpoint.

use std::fmt;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::config::Secret;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The keys derived from the audit secret. Never printed.
#[derive(Clone)]
pub struct AuditKey {
    chain: [u8; 32],
    signing: SigningKey,
    fingerprint: String,
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.fingerprint)
    }
}

/// HMAC-SHA256 of `message` under `key`.
fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length: this cannot fail.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    m.update(message);
    m.finalize().into_bytes().into()
}

impl AuditKey {
    pub fn new(secret: &Secret) -> Self {
        let secret = secret.expose().as_bytes();
        // One secret, three unrelated keys: naming each use keeps them apart.
        let chain = mac(secret, b"dcmm audit chain v1");
        let signing = SigningKey::from_bytes(&mac(secret, b"dcmm audit checkpoint v1"));
        let fingerprint = hex::encode(&mac(secret, b"dcmm audit key fingerprint v1")[..8]);
        Self {
            chain,
            signing,
            fingerprint,
        }
    }

    /// Names the key without revealing it: kept in the chain's head and in checkpoints, so
    /// that a different key is refused by name rather than read as tampering.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// A keyed link: the hex HMAC of an entry's canonical form.
    pub(crate) fn link(&self, canonical: &[u8]) -> String {
        hex::encode(mac(&self.chain, canonical))
    }

    /// The public half of the checkpoint key, hex.
    pub fn public_key(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

/// Whether `signature` (hex) is `public_key`'s (hex) over `message`.
pub(crate) fn signed_by(public_key: &str, message: &[u8], signature: &str) -> bool {
    let Some(public) = hex::decode(public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
    else {
        return false;
    };
    let Some(signature) = hex::decode(signature)
        .ok()
        .and_then(|b| ed25519_dalek::Signature::from_slice(&b).ok())
    else {
        return false;
    };
    public.verify_strict(message, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> AuditKey {
        AuditKey::new(&Secret::new(s.to_owned()))
    }

    #[test]
    fn the_same_secret_gives_the_same_keys_and_another_gives_others() {
        let a = key("a-secret-of-at-least-thirty-two-chars");
        let b = key("a-secret-of-at-least-thirty-two-chars");
        let c = key("another-secret-of-thirty-two-chars!!");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.link(b"x"), b.link(b"x"));
        assert_eq!(a.public_key(), b.public_key());
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert_ne!(a.link(b"x"), c.link(b"x"));
        assert_eq!(a.fingerprint().len(), 16);
        assert!(!format!("{a:?}").contains("secret"));
    }

    #[test]
    fn a_signature_checks_only_with_its_key_and_message() {
        let a = key("a-secret-of-at-least-thirty-two-chars");
        let c = key("another-secret-of-thirty-two-chars!!");
        let sig = a.sign(b"head");
        assert!(signed_by(&a.public_key(), b"head", &sig));
        assert!(!signed_by(&a.public_key(), b"head2", &sig));
        assert!(!signed_by(&c.public_key(), b"head", &sig));
        assert!(!signed_by("zz", b"head", &sig));
        assert!(!signed_by(&a.public_key(), b"head", "00"));
    }
}
