//! Crosswalk files (`kind = "crosswalk"`): read here, with the line of every id, and checked
//! against the two questionnaires they join once those are loaded ([`Draft::resolve`]).

use std::collections::HashMap;

use serde::Deserialize;

use super::{Cx, LoadError, RawText, Str};
use crate::questionnaire::crosswalk::{Crosswalk, Dropped, Link};
use crate::questionnaire::model::{Questionnaire, Text};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCrosswalk {
    id: Str,
    #[allow(dead_code)]
    kind: Str,
    from: Str,
    to: Str,
    #[serde(default)]
    map: Vec<RawLink>,
    #[serde(default)]
    dropped: Vec<RawDropped>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    to: Str,
    from: Vec<Str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDropped {
    from: Str,
    why: RawText,
}

/// An id as written, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct At {
    id: String,
    line: usize,
}

/// A crosswalk file read but not yet checked against its questionnaires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub hash: String,
    file: String,
    from: At,
    to: At,
    map: Vec<(At, Vec<At>)>,
    dropped: Vec<(At, Text)>,
}

impl Cx<'_> {
    fn spot(&self, s: Str) -> At {
        At {
            line: self.line_of(s.span().start),
            id: s.into_inner(),
        }
    }

    pub(super) fn crosswalk(&self, raw: RawCrosswalk, hash: String) -> Result<Draft, LoadError> {
        self.questionnaire_id(&raw.id)?;
        let mut map = Vec::with_capacity(raw.map.len());
        for link in raw.map {
            if link.from.is_empty() {
                return Err(self.at(&link.to, "from is empty: leave a new criterion out"));
            }
            let to = self.spot(link.to);
            map.push((to, link.from.into_iter().map(|f| self.spot(f)).collect()));
        }
        let mut dropped = Vec::with_capacity(raw.dropped.len());
        for d in raw.dropped {
            let what = format!("why {} was dropped", d.from.get_ref());
            let why = self.text(d.why, &what)?;
            dropped.push((self.spot(d.from), why));
        }
        Ok(Draft {
            id: raw.id.into_inner(),
            hash,
            file: self.file.to_owned(),
            from: self.spot(raw.from),
            to: self.spot(raw.to),
            map,
            dropped,
        })
    }
}

impl Draft {
    fn err(&self, at: &At, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.clone(),
            line: at.line,
            message: message.into(),
        }
    }

    /// The two questionnaires the file names, by id, from `dcmm`.
    fn ends<'q>(
        &self,
        dcmm: impl Fn(&str) -> Option<&'q Questionnaire>,
    ) -> Result<(&'q Questionnaire, &'q Questionnaire), LoadError> {
        let find = |at: &At| {
            dcmm(&at.id).ok_or_else(|| {
                self.err(
                    at,
                    format!("{:?} is not a loaded DCMM questionnaire", at.id),
                )
            })
        };
        let (from, to) = (find(&self.from)?, find(&self.to)?);
        if from.edition == to.edition {
            return Err(self.err(
                &self.to,
                format!("from and to are both edition {}", to.edition),
            ));
        }
        Ok((from, to))
    }

    /// Checks every id against the questionnaires the file names: each `to` a criterion of
    /// `to`, listed once; each `from` a criterion of `from` at the same level, mapped or
    /// dropped once. Criteria the file does not name are new (or have no counterpart).
    pub fn resolve<'q, 'd>(
        &'d self,
        dcmm: impl Fn(&str) -> Option<&'q Questionnaire>,
    ) -> Result<Crosswalk, LoadError> {
        let (fq, tq) = self.ends(dcmm)?;
        let mut targets: HashMap<&'d str, usize> = HashMap::new();
        let mut sources: HashMap<&'d str, usize> = HashMap::new();
        let mut source = |at: &'d At| -> Result<u8, LoadError> {
            let c = fq.criterion(&at.id).ok_or_else(|| {
                self.err(at, format!("{} is not a criterion of {}", at.id, fq.id))
            })?;
            if let Some(first) = sources.insert(at.id.as_str(), at.line) {
                return Err(self.err(
                    at,
                    format!("{} is mapped twice (first on line {first})", at.id),
                ));
            }
            Ok(c.level)
        };
        let mut links = Vec::with_capacity(self.map.len());
        for (to, from) in &self.map {
            let c = tq.criterion(&to.id).ok_or_else(|| {
                self.err(to, format!("{} is not a criterion of {}", to.id, tq.id))
            })?;
            if let Some(first) = targets.insert(to.id.as_str(), to.line) {
                return Err(self.err(
                    to,
                    format!("{} is listed twice (first on line {first})", to.id),
                ));
            }
            for f in from {
                let level = source(f)?;
                if level != c.level {
                    return Err(self.err(
                        f,
                        format!(
                            "{} is at level {level} but {} at level {}: a rating is carried \
                             only within its level",
                            f.id, to.id, c.level
                        ),
                    ));
                }
            }
            links.push(Link {
                to: to.id.clone(),
                from: from.iter().map(|f| f.id.clone()).collect(),
            });
        }
        let mut dropped = Vec::with_capacity(self.dropped.len());
        for (at, why) in &self.dropped {
            source(at)?;
            dropped.push(Dropped {
                from: at.id.clone(),
                why: why.clone(),
            });
        }
        Ok(Crosswalk::new(
            self.id.clone(),
            self.hash.clone(),
            fq,
            tq,
            links,
            dropped,
        ))
    }
}
