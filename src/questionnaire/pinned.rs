//! Questionnaires by content hash: an assessment is scored against the exact text it was
//! opened with, even after the file changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{parse, Parsed, Questionnaire, Registry};

/// Parsed earlier versions, kept once loaded.
#[derive(Debug, Default)]
pub struct Pinned {
    cache: Mutex<HashMap<String, Arc<Questionnaire>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PinnedError {
    #[error("questionnaire version {0} is not stored")]
    Unknown(String),
    #[error("stored questionnaire version {hash} does not parse: {message}")]
    Corrupt { hash: String, message: String },
    #[error(transparent)]
    Load(#[from] anyhow::Error),
}

impl Pinned {
    /// The questionnaire `id` as it was at `hash`: the loaded one when it still has that hash,
    /// else the stored source of that version (fetched by `source`).
    pub fn get(
        &self,
        registry: &Registry,
        id: &str,
        hash: &str,
        source: impl FnOnce() -> anyhow::Result<Option<String>>,
    ) -> Result<Arc<Questionnaire>, PinnedError> {
        if let Some(q) = registry.dcmm(id).filter(|q| q.hash == hash) {
            return Ok(Arc::clone(q));
        }
        if let Some(q) = self.cache.lock().ok().and_then(|c| c.get(hash).cloned()) {
            return Ok(q);
        }
        let text = source()?.ok_or_else(|| PinnedError::Unknown(hash.to_owned()))?;
        let parsed =
            parse(&format!("stored version {hash}"), &text).map_err(|e| PinnedError::Corrupt {
                hash: hash.to_owned(),
                message: e.to_string(),
            })?;
        let Parsed::Dcmm(q) = parsed else {
            return Err(PinnedError::Corrupt {
                hash: hash.to_owned(),
                message: "not a DCMM questionnaire".into(),
            });
        };
        let q = Arc::new(q);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(hash.to_owned(), Arc::clone(&q));
        }
        Ok(q)
    }
}
