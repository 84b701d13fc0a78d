//! The eligibility pre-check and the CDO summary of the enterprise profile, with the profile
//! questionnaire's option labels in the report's language.

use crate::questionnaire::profile::ProfileAnswers;
use crate::questionnaire::{Lang, Profile};
use crate::report::enterprise::ProfileSummary;
use crate::scoring::profile::{cdo_summary, eligibility, keys, EligibilityRules};

/// The label of `value` among the options of profile question `question`, or the value itself.
fn option_label(profile: &Profile, lang: Lang, question: &str, value: &str) -> String {
    profile
        .questions
        .iter()
        .find(|q| q.id == question)
        .and_then(|q| q.options.iter().find(|o| o.value == value))
        .map_or_else(|| value.to_owned(), |o| o.label.get(lang).to_owned())
}

pub(super) fn summary(
    profile: &Profile,
    answers: &ProfileAnswers,
    edition: &str,
    lang: Lang,
) -> ProfileSummary {
    let check = eligibility(answers, &EligibilityRules::for_edition(edition));
    let cdo = cdo_summary(answers);
    let duties = |list: &[String]| {
        list.iter()
            .map(|d| option_label(profile, lang, keys::CDO_DUTIES, d))
            .collect()
    };
    ProfileSummary {
        conditions: check
            .conditions
            .iter()
            .map(|c| (c.label.get(lang).to_owned(), c.value, c.required, c.met))
            .collect(),
        all_met: check.all_met,
        cdo_appointed: cdo.appointed,
        cdo_rank: cdo
            .rank
            .as_deref()
            .map(|r| option_label(profile, lang, keys::CDO_RANK, r)),
        cdo_decision_level: cdo.decision_level,
        cdo_in_charter: cdo.in_charter,
        cdo_duties: duties(&cdo.duties),
        cdo_missing_duties: duties(&cdo.missing_duties),
    }
}
