//! Parses questionnaire files from text and validates them, naming file and line on failure:
//! here the shared checks and the DCMM questionnaires, the enterprise profile in [`profile`].

mod crosswalk;
mod profile;

pub use crosswalk::Draft;

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::model::{
    Criterion, Dimension, Domain, Item, Profile, Questionnaire, RatingGuidance, Text,
};

/// A questionnaire file that cannot be loaded: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// A parsed file: a DCMM questionnaire, a profile questionnaire, or a crosswalk between two
/// DCMM editions (checked against them once they are loaded).
#[derive(Debug, Clone)]
pub enum Parsed {
    Dcmm(Questionnaire),
    Profile(Profile),
    Crosswalk(Draft),
}

impl Parsed {
    pub fn id(&self) -> &str {
        match self {
            Self::Dcmm(q) => &q.id,
            Self::Profile(p) => &p.id,
            Self::Crosswalk(c) => &c.id,
        }
    }
}

type Str = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    zh: Str,
    en: Str,
}

#[derive(Deserialize)]
struct Head {
    kind: Str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDcmm {
    id: Str,
    #[allow(dead_code)]
    kind: Str,
    edition: Str,
    standard: Str,
    title: RawText,
    #[serde(default)]
    default: bool,
    rating: Option<RawGuidance>,
    #[serde(default)]
    domain: Vec<RawDomain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuidance {
    fully: RawText,
    largely: RawText,
    partially: RawText,
    not: RawText,
    na: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    section: Str,
    name: RawText,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    section: Str,
    name: RawText,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    criterion: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Str,
    level: Spanned<i64>,
    dimension: Str,
    text: RawText,
    evidence: RawText,
    #[serde(default)]
    allow_na: bool,
}

/// Reads one file's text. `file` names it in errors.
pub fn parse(file: &str, source: &str) -> Result<Parsed, LoadError> {
    let cx = Cx { file, source };
    let head: Head = toml::from_str(source).map_err(|e| cx.toml(e))?;
    let hash = hex::encode(Sha256::digest(source.as_bytes()));
    match head.kind.get_ref().as_str() {
        "dcmm" => {
            let raw: RawDcmm = toml::from_str(source).map_err(|e| cx.toml(e))?;
            cx.dcmm(raw, hash).map(Parsed::Dcmm)
        }
        "profile" => {
            let raw: profile::RawProfile = toml::from_str(source).map_err(|e| cx.toml(e))?;
            cx.profile(raw, hash).map(Parsed::Profile)
        }
        "crosswalk" => {
            let raw: crosswalk::RawCrosswalk = toml::from_str(source).map_err(|e| cx.toml(e))?;
            cx.crosswalk(raw, hash).map(Parsed::Crosswalk)
        }
        other => Err(cx.at(
            &head.kind,
            format!("unknown kind {other:?}: expected \"dcmm\", \"profile\" or \"crosswalk\""),
        )),
    }
}

struct Cx<'a> {
    file: &'a str,
    source: &'a str,
}

impl Cx<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn err(&self, offset: usize, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_owned(),
            line: self.line_of(offset),
            message: message.into(),
        }
    }

    fn at<T>(&self, spanned: &Spanned<T>, message: impl Into<String>) -> LoadError {
        self.err(spanned.span().start, message)
    }

    fn toml(&self, e: toml::de::Error) -> LoadError {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        self.err(offset, e.message().to_owned())
    }

    fn text(&self, raw: RawText, what: &str) -> Result<Text, LoadError> {
        for (s, lang) in [(&raw.zh, "zh"), (&raw.en, "en")] {
            if s.get_ref().trim().is_empty() {
                return Err(self.at(s, format!("{what}.{lang} is empty")));
            }
        }
        Ok(Text {
            zh: raw.zh.into_inner(),
            en: raw.en.into_inner(),
        })
    }

    fn questionnaire_id(&self, id: &Str) -> Result<(), LoadError> {
        let ok = !id.get_ref().is_empty()
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(self.at(id, "id must be lower-case letters, digits and '-'"))
        }
    }

    fn dcmm(&self, raw: RawDcmm, hash: String) -> Result<Questionnaire, LoadError> {
        self.questionnaire_id(&raw.id)?;
        let edition = raw.edition.get_ref().clone();
        if edition.is_empty() || !edition.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(self.at(&raw.edition, "edition must be letters and digits"));
        }
        if raw.standard.get_ref().trim().is_empty() {
            return Err(self.at(&raw.standard, "standard is empty"));
        }
        let title = self.text(raw.title, "title")?;
        let guidance = match raw.rating {
            Some(g) => Some(RatingGuidance {
                fully: self.text(g.fully, "rating.fully")?,
                largely: self.text(g.largely, "rating.largely")?,
                partially: self.text(g.partially, "rating.partially")?,
                not: self.text(g.not, "rating.not")?,
                na: self.text(g.na, "rating.na")?,
            }),
            None => None,
        };
        if raw.domain.is_empty() {
            return Err(self.err(0, "a DCMM questionnaire needs at least one [[domain]]"));
        }
        let mut sections = HashSet::new();
        let mut ids = HashSet::new();
        let mut domains = Vec::with_capacity(raw.domain.len());
        for d in raw.domain {
            let section = self.section(&d.section, None, &mut sections)?;
            let name = self.text(d.name, &format!("domain {section} name"))?;
            if d.item.is_empty() {
                return Err(self.at(&d.section, format!("domain {section} has no items")));
            }
            let mut items = Vec::with_capacity(d.item.len());
            for i in d.item {
                items.push(self.item(i, &section, &edition, &mut sections, &mut ids)?);
            }
            domains.push(Domain {
                id: format!("{edition}:{section}"),
                section,
                name,
                aliases: d.aliases,
                items,
            });
        }
        Ok(Questionnaire::new(
            raw.id.into_inner(),
            edition,
            raw.standard.into_inner(),
            hash,
            title,
            raw.default,
            domains,
        )
        .with_guidance(guidance))
    }

    /// A section number: digits separated by dots, under its parent, unique in the file.
    fn section(
        &self,
        raw: &Str,
        parent: Option<&str>,
        seen: &mut HashSet<String>,
    ) -> Result<String, LoadError> {
        let s = raw.get_ref();
        let well_formed = !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !well_formed {
            return Err(self.at(raw, format!("section {s:?} is not like \"6\" or \"6.1\"")));
        }
        if let Some(parent) = parent {
            let under = s
                .strip_prefix(parent)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.contains('.'));
            if !under {
                return Err(self.at(raw, format!("item {s} is not under domain {parent}")));
            }
        }
        if !seen.insert(s.clone()) {
            return Err(self.at(raw, format!("section {s} appears twice")));
        }
        Ok(s.clone())
    }

    fn item(
        &self,
        raw: RawItem,
        domain: &str,
        edition: &str,
        sections: &mut HashSet<String>,
        ids: &mut HashSet<String>,
    ) -> Result<Item, LoadError> {
        let section = self.section(&raw.section, Some(domain), sections)?;
        let name = self.text(raw.name, &format!("item {section} name"))?;
        let mut levels = BTreeSet::new();
        let mut last_level = 0;
        let mut criteria = Vec::with_capacity(raw.criterion.len());
        for c in raw.criterion {
            let level = *c.level.get_ref();
            if !(1..=5).contains(&level) {
                return Err(self.at(&c.level, format!("level {level} is not 1 to 5")));
            }
            if level < last_level {
                return Err(self.at(&c.level, "criteria of an item must be in level order"));
            }
            last_level = level;
            let id = c.id.get_ref();
            let prefix = format!("{edition}:{section}:L{level}:");
            let numbered = id
                .strip_prefix(&prefix)
                .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 1));
            if !numbered {
                return Err(self.at(&c.id, format!("criterion id {id:?} must be {prefix}<n>")));
            }
            if !ids.insert(id.clone()) {
                return Err(self.at(&c.id, format!("criterion id {id} appears twice")));
            }
            let dimension = Dimension::parse(c.dimension.get_ref()).ok_or_else(|| {
                self.at(
                    &c.dimension,
                    format!(
                        "unknown dimension {:?}: organisation, policy, process or technology",
                        c.dimension.get_ref()
                    ),
                )
            })?;
            let text = self.text(c.text, &format!("{id} text"))?;
            let evidence = self.text(c.evidence, &format!("{id} evidence"))?;
            levels.insert(level);
            criteria.push(Criterion {
                id: c.id.into_inner(),
                level: level as u8,
                text,
                evidence,
                dimension,
                allow_na: c.allow_na,
            });
        }
        if let Some(missing) = (1..=5).find(|l| !levels.contains(l)) {
            return Err(self.at(
                &raw.section,
                format!("item {section} has no criterion at level {missing}"),
            ));
        }
        Ok(Item {
            id: format!("{edition}:{section}"),
            section,
            name,
            aliases: raw.aliases,
            criteria,
        })
    }
}
