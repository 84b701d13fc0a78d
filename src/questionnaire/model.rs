//! The questionnaire model: what a parsed, validated file is.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A text in both languages of the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The language of a page, a report or an account: Chinese (the default) or English.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Default,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`, with a message naming both otherwise.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse()
            .map_err(|_| "must be \"zh\" or \"en\"".to_owned())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
        }
    }

    /// The Chinese or the English of a pair.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    pub fn text(self, text: &Text) -> &str {
        text.get(self)
    }
}

/// The text names no language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be zh or en")]
pub struct UnknownLang;

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, UnknownLang> {
        match s {
            "zh" => Ok(Self::Zh),
            "en" => Ok(Self::En),
            _ => Err(UnknownLang),
        }
    }
}

/// What a criterion is about (组织 / 制度 / 流程 / 技术).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Organisation,
    Policy,
    Process,
    Technology,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Self::Organisation,
        Self::Policy,
        Self::Process,
        Self::Technology,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Policy => "policy",
            Self::Process => "process",
            Self::Technology => "technology",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Criterion {
    pub id: String,
    pub level: u8,
    pub text: Text,
    pub evidence: Text,
    pub dimension: Dimension,
    pub allow_na: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: String,
    pub section: String,
    pub name: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Domain {
    pub id: String,
    pub section: String,
    pub name: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub items: Vec<Item>,
}

/// What each rating means, in words a person can apply to a criterion: shown wherever a rating
/// is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RatingGuidance {
    pub fully: Text,
    pub largely: Text,
    pub partially: Text,
    pub not: Text,
    /// Only where the criterion allows N/A.
    pub na: Text,
}

impl RatingGuidance {
    /// The meaning of a rating, by its name (`fully` … `na`).
    pub fn of(&self, rating: &str) -> Option<&Text> {
        match rating {
            "fully" => Some(&self.fully),
            "largely" => Some(&self.largely),
            "partially" => Some(&self.partially),
            "not" => Some(&self.not),
            "na" => Some(&self.na),
            _ => None,
        }
    }
}

/// A DCMM questionnaire of one edition. Criteria are numbered densely in file order, so an
/// answer sheet is a plain vector indexed by [`Questionnaire::index_of`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Questionnaire {
    pub id: String,
    pub edition: String,
    pub standard: String,
    pub hash: String,
    pub title: Text,
    #[serde(skip)]
    pub default: bool,
    /// What the ratings mean; a questionnaire file may leave it out (the lint asks for it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance: Option<Box<RatingGuidance>>,
    pub domains: Vec<Domain>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl Questionnaire {
    pub(crate) fn new(
        id: String,
        edition: String,
        standard: String,
        hash: String,
        title: Text,
        default: bool,
        domains: Vec<Domain>,
    ) -> Self {
        let index = domains
            .iter()
            .flat_map(|d| &d.items)
            .flat_map(|i| &i.criteria)
            .enumerate()
            .map(|(n, c)| (c.id.clone(), n))
            .collect();
        Self {
            id,
            edition,
            standard,
            hash,
            title,
            default,
            guidance: None,
            domains,
            index,
        }
    }

    /// The questionnaire with what its ratings mean.
    pub(crate) fn with_guidance(mut self, guidance: Option<RatingGuidance>) -> Self {
        self.guidance = guidance.map(Box::new);
        self
    }

    /// The position of a criterion in answer sheets.
    pub fn index_of(&self, criterion_id: &str) -> Option<usize> {
        self.index.get(criterion_id).copied()
    }

    pub fn criterion_count(&self) -> usize {
        self.index.len()
    }

    pub fn item_count(&self) -> usize {
        self.domains.iter().map(|d| d.items.len()).sum()
    }

    /// Every criterion in sheet order.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.domains
            .iter()
            .flat_map(|d| &d.items)
            .flat_map(|i| &i.criteria)
    }

    pub fn criterion(&self, criterion_id: &str) -> Option<&Criterion> {
        let n = self.index_of(criterion_id)?;
        self.criteria().nth(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Number,
    Choice,
    MultiChoice,
    YesNo,
    Text,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub text: Text,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
}

/// A profile questionnaire: typed questions, no scoring.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub id: String,
    pub hash: String,
    pub title: Text,
    pub questions: Vec<Question>,
}

impl Profile {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}
