//! The two answer sheets of an assessment: as the enterprise rated itself, and as verified
//! (the auditor's rating where given, else the enterprise's own).

use super::policy::Rating;
use super::score::Sheet;
use crate::questionnaire::Questionnaire;

/// Ratings by criterion id, as stored; ids or ratings the questionnaire does not know are
/// skipped (they cannot be written through the API).
fn fill<'a>(
    q: &Questionnaire,
    sheet: &mut Sheet,
    ratings: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (criterion, rating) in ratings {
        if let (Some(n), Some(r)) = (q.index_of(criterion), Rating::parse(rating)) {
            sheet.0[n] = Some(r);
        }
    }
}

pub fn self_and_verified<'a>(
    q: &Questionnaire,
    own: impl IntoIterator<Item = (&'a str, &'a str)>,
    verified: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (Sheet, Sheet) {
    let mut own_sheet = Sheet::empty(q);
    fill(q, &mut own_sheet, own);
    let mut verified_sheet = own_sheet.clone();
    fill(q, &mut verified_sheet, verified);
    (own_sheet, verified_sheet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;

    #[test]
    fn verified_ratings_override_the_enterprise_s_own() {
        let registry = Registry::built_in().unwrap();
        let q = registry.dcmm("dcmm-2025").unwrap();
        let own = [("2025:6.1:L1:1", "fully"), ("2025:6.1:L1:2", "largely")];
        let verified = [("2025:6.1:L1:1", "partially")];
        let (a, b) = self_and_verified(q, own, verified);
        assert_eq!(a.0[0], Some(Rating::Fully));
        assert_eq!(b.0[0], Some(Rating::Partially));
        assert_eq!(b.0[1], Some(Rating::Largely));
    }
}
