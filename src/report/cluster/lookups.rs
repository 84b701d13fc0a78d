//! What the roll-up input stores as codes or does not say, for the report to name: the
//! industries of the profile questionnaire, and which drafts an auditor returned.

use std::collections::BTreeSet;
use std::sync::LazyLock;

pub use crate::domain::assessment::Stage as Progress;
use crate::ids::EnterpriseId;
use crate::questionnaire::model::Choice;
use crate::questionnaire::{parse, Lang, Parsed, Profile, BUILT_IN, PROFILE_ID};
use crate::scoring::rollup::EnterpriseResult;

/// Names for the report beyond the roll-up.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// The options of the profile's industry question: each stored code with its names.
    pub industries: Vec<Choice>,
    /// Invited enterprises whose assessment an auditor returned for changes (a draft again).
    pub returned: BTreeSet<EnterpriseId>,
}

static BUILT_IN_LOOKUPS: LazyLock<Lookups> = LazyLock::new(|| {
    let profile = BUILT_IN
        .iter()
        .filter_map(|(file, source)| match parse(file, source) {
            Ok(Parsed::Profile(p)) if p.id == PROFILE_ID => Some(p),
            _ => None,
        })
        .next();
    Lookups::of_profile(profile.as_ref())
});

impl Lookups {
    /// The industries of `profile` (none without one).
    pub fn of_profile(profile: Option<&Profile>) -> Self {
        Self {
            industries: profile
                .and_then(|p| p.question("industry"))
                .map(|q| q.options.clone())
                .unwrap_or_default(),
            returned: BTreeSet::new(),
        }
    }

    /// The industries of the built-in profile questionnaire, with no returned drafts known.
    pub fn built_in() -> &'static Self {
        &BUILT_IN_LOOKUPS
    }

    pub fn with_returned(self, returned: impl IntoIterator<Item = EnterpriseId>) -> Self {
        Self {
            returned: returned.into_iter().collect(),
            ..self
        }
    }

    /// The name of industry `code`; the stored text itself when the profile has no such code
    /// (an enterprise registered before the list changed).
    pub fn industry(&self, code: &str, lang: Lang) -> String {
        self.industries
            .iter()
            .find(|c| c.value == code)
            .map_or_else(|| code.to_owned(), |c| c.label.get(lang).to_owned())
    }

    pub fn progress(&self, e: &EnterpriseResult) -> Progress {
        Progress::of(e.status, e.started, self.returned.contains(&e.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_industries_have_both_names_and_unknown_codes_stay_as_stored() {
        let l = Lookups::built_in();
        assert!(l.industries.len() >= 9, "{:?}", l.industries);
        assert_eq!(l.industry("energy", Lang::Zh), "能源电力");
        assert_eq!(l.industry("energy", Lang::En), "Energy and power");
        assert_eq!(l.industry("制造业", Lang::En), "制造业");
    }
}
