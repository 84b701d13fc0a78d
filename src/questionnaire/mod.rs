//! Questionnaires are data: the files of `questionnaires/`, parsed from text, validated at
//! start-up and pinned by content hash.

pub mod crosswalk;
pub mod lint;
pub mod model;
pub mod parse;
pub mod pinned;
pub mod profile;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub use crosswalk::Crosswalk;
pub use model::{
    Criterion, Dimension, Domain, Item, Lang, Profile, Questionnaire, RatingGuidance, Text,
};
pub use parse::{parse, Draft, LoadError, Parsed};

/// The files built into the binary, by their repository path.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "questionnaires/dcmm-2025.toml",
        include_str!("../../questionnaires/dcmm-2025.toml"),
    ),
    (
        "questionnaires/dcmm-2018.toml",
        include_str!("../../questionnaires/dcmm-2018.toml"),
    ),
    (
        "questionnaires/enterprise-profile.toml",
        include_str!("../../questionnaires/enterprise-profile.toml"),
    ),
    (
        "questionnaires/crosswalk-2018-2025.toml",
        include_str!("../../questionnaires/crosswalk-2018-2025.toml"),
    ),
];

/// The id of the profile questionnaire the enterprise profile is filled against.
pub const PROFILE_ID: &str = "enterprise-profile";

/// Every loaded questionnaire, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    dcmm: BTreeMap<String, Arc<Questionnaire>>,
    /// The text of each loaded DCMM questionnaire, by content hash.
    sources: BTreeMap<String, (String, Arc<str>)>,
    profiles: BTreeMap<String, Arc<Profile>>,
    /// Crosswalk files as read, and as checked against the questionnaires loaded with them.
    drafts: BTreeMap<String, Draft>,
    crosswalks: BTreeMap<String, Arc<Crosswalk>>,
    /// The crosswalks that came with the binary rather than from the questionnaire folder.
    built_in_crosswalks: std::collections::BTreeSet<String>,
}

impl Registry {
    /// The built-in questionnaires.
    pub fn built_in() -> Result<Self, LoadError> {
        let mut registry = Self::default();
        for (file, source) in BUILT_IN {
            registry.insert(parse(file, source)?, source);
        }
        registry.built_in_crosswalks = registry.drafts.keys().cloned().collect();
        registry.check(BUILT_IN[0].0)?;
        Ok(registry)
    }

    /// The built-in questionnaires, then every `*.toml` of `dir`, which may replace a built-in
    /// one of the same id.
    pub fn load(dir: Option<&Path>) -> Result<Self, LoadError> {
        let mut registry = Self::built_in()?;
        let Some(dir) = dir else {
            return Ok(registry);
        };
        let unreadable = |e: std::io::Error| LoadError {
            file: dir.display().to_string(),
            line: 0,
            message: e.to_string(),
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(unreadable)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in &paths {
            let file = path.display().to_string();
            let source = std::fs::read_to_string(path).map_err(|e| LoadError {
                file: file.clone(),
                line: 0,
                message: e.to_string(),
            })?;
            let parsed = parse(&file, &source)?;
            registry.built_in_crosswalks.remove(parsed.id());
            registry.insert(parsed, &source);
        }
        registry.check_folder(&dir.display().to_string())?;
        Ok(registry)
    }

    /// Adds a parsed file, replacing anything loaded under its id. A crosswalk counts once
    /// [`Registry::check`] has checked it against the questionnaires.
    pub fn insert(&mut self, parsed: Parsed, source: &str) {
        let id = parsed.id().to_owned();
        self.dcmm.remove(&id);
        self.profiles.remove(&id);
        self.drafts.remove(&id);
        self.crosswalks.remove(&id);
        match parsed {
            Parsed::Dcmm(q) => {
                self.sources
                    .insert(q.hash.clone(), (q.id.clone(), Arc::from(source)));
                self.dcmm.insert(id, Arc::new(q));
            }
            Parsed::Profile(p) => {
                self.profiles.insert(id, Arc::new(p));
            }
            Parsed::Crosswalk(c) => {
                self.drafts.insert(id, c);
            }
        }
    }

    /// Checks what only the whole set can show: one default questionnaire, and every
    /// crosswalk against the questionnaires it joins (the error names the crosswalk's file
    /// and line).
    pub fn check(&mut self, file: &str) -> Result<(), LoadError> {
        self.check_crosswalks(file, false)
    }

    /// As [`Registry::check`], after the questionnaire folder was read: a built-in crosswalk
    /// that no longer fits a questionnaire the folder replaced is set aside with a warning
    /// (the folder may bring its own, which must fit).
    fn check_folder(&mut self, file: &str) -> Result<(), LoadError> {
        self.check_crosswalks(file, true)
    }

    fn check_crosswalks(&mut self, file: &str, folder: bool) -> Result<(), LoadError> {
        self.check_default(file)?;
        let mut crosswalks = BTreeMap::new();
        for (id, draft) in &self.drafts {
            let c = match self.resolve(draft) {
                Ok(c) => c,
                Err(e) if folder && self.built_in_crosswalks.contains(id) => {
                    tracing::warn!(
                        crosswalk = %id,
                        "the built-in crosswalk does not fit the questionnaires of {file}, \
                         which replace built-in ones; answers are not carried across editions \
                         and the change across editions pairs domains by section: {e}"
                    );
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(other) = crosswalks
                .values()
                .find(|o: &&Arc<Crosswalk>| o.joins(&c.from, &c.to))
            {
                return Err(LoadError {
                    file: file.to_owned(),
                    line: 0,
                    message: format!(
                        "crosswalks {} and {id} both join {} and {}",
                        other.id, c.from, c.to
                    ),
                });
            }
            crosswalks.insert(id.clone(), Arc::new(c));
        }
        self.crosswalks = crosswalks;
        Ok(())
    }

    /// Checks a crosswalk file against the questionnaires loaded here.
    pub fn resolve(&self, draft: &Draft) -> Result<Crosswalk, LoadError> {
        draft.resolve(|q| self.dcmm.get(q).map(AsRef::as_ref))
    }

    fn check_default(&self, file: &str) -> Result<(), LoadError> {
        let defaults: Vec<_> = self.dcmm.values().filter(|q| q.default).collect();
        let problem = match defaults.len() {
            1 => None,
            0 => Some("no DCMM questionnaire is marked default = true".to_owned()),
            _ => Some(format!(
                "more than one questionnaire is marked default: {}",
                defaults
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        match problem {
            Some(message) => Err(LoadError {
                file: file.to_owned(),
                line: 0,
                message,
            }),
            None => Ok(()),
        }
    }

    /// `(id, hash, text)` of every DCMM questionnaire loaded, including replaced ones.
    pub fn dcmm_sources(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.sources
            .iter()
            .map(|(hash, (id, text))| (id.as_str(), hash.as_str(), text.as_ref()))
    }

    pub fn dcmm(&self, id: &str) -> Option<&Arc<Questionnaire>> {
        self.dcmm.get(id)
    }

    pub fn profile(&self, id: &str) -> Option<&Arc<Profile>> {
        self.profiles.get(id)
    }

    /// The questionnaire a campaign uses when it names none; a loaded registry always has one.
    pub fn default_dcmm(&self) -> Option<&Arc<Questionnaire>> {
        self.dcmm.values().find(|q| q.default)
    }

    pub fn dcmm_all(&self) -> impl Iterator<Item = &Arc<Questionnaire>> {
        self.dcmm.values()
    }

    pub fn profiles_all(&self) -> impl Iterator<Item = &Arc<Profile>> {
        self.profiles.values()
    }

    pub fn crosswalks_all(&self) -> impl Iterator<Item = &Arc<Crosswalk>> {
        self.crosswalks.values()
    }

    /// The crosswalk joining two questionnaires, in either order.
    pub fn crosswalk_between(&self, a: &str, b: &str) -> Option<&Arc<Crosswalk>> {
        self.crosswalks.values().find(|c| c.joins(a, b))
    }
}

#[cfg(test)]
mod tests;
