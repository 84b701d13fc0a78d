//! What a new draft takes over from the enterprise's previous assessment: the same answers on
//! the same questionnaire, or, through a crosswalk, the answers of the earlier edition in the
//! criteria of the later one. Pure: answers in, answers out.

use std::collections::HashMap;

use crate::questionnaire::{Crosswalk, Questionnaire};
use crate::scoring::Rating;

/// A previous answer: its rating and comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Previous<'a> {
    pub rating: Rating,
    pub comment: &'a str,
}

/// An answer a new draft starts from, for the enterprise to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub criterion: String,
    pub rating: Rating,
    pub comment: String,
    /// The previous criteria it comes from (one, unless several merge).
    pub from: Vec<String>,
}

/// The answers of the same questionnaire, kept where the criterion still exists in `target`.
pub fn same<'a>(
    target: &Questionnaire,
    previous: impl IntoIterator<Item = (&'a str, Previous<'a>)>,
) -> Vec<Carried> {
    previous
        .into_iter()
        .filter(|(id, _)| target.criterion(id).is_some())
        .map(|(id, p)| Carried {
            criterion: id.to_owned(),
            rating: p.rating,
            comment: p.comment.to_owned(),
            from: vec![id.to_owned()],
        })
        .collect()
}

/// The answers of the crosswalk's earlier edition carried into `target`, its later one. Each
/// criterion gets the lowest rating of the criteria it takes over, so the carry-over never
/// raises a claim; it gets nothing when one of them is unanswered (an unanswered criterion
/// scores as not met). N/A is carried only when all of them were N/A and the criterion allows
/// it; otherwise N/A sources are left out of the lowest.
pub fn across(
    crosswalk: &Crosswalk,
    target: &Questionnaire,
    previous: &HashMap<&str, Previous<'_>>,
) -> Vec<Carried> {
    let mut out = Vec::new();
    for link in crosswalk.links() {
        let Some(criterion) = target.criterion(&link.to) else {
            continue;
        };
        let Some(answers) = link
            .from
            .iter()
            .map(|f| previous.get(f.as_str()).map(|p| (f, p)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let lowest = answers
            .iter()
            .map(|(_, p)| p.rating)
            .filter(|r| *r != Rating::Na)
            .min();
        let rating = match lowest {
            Some(r) => r,
            None if criterion.allow_na => Rating::Na,
            None => continue,
        };
        let comment = match answers.as_slice() {
            [(_, p)] => p.comment.to_owned(),
            several => several
                .iter()
                .filter(|(_, p)| !p.comment.trim().is_empty())
                .map(|(f, p)| format!("{f}: {}", p.comment.trim()))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        out.push(Carried {
            criterion: link.to.clone(),
            rating,
            comment,
            from: link.from.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::Registry;

    fn fixtures() -> (Registry, Crosswalk) {
        let r = Registry::built_in().unwrap();
        let c = r
            .crosswalk_between("dcmm-2018", "dcmm-2025")
            .unwrap()
            .as_ref()
            .clone();
        (r, c)
    }

    fn merged(c: &Crosswalk) -> (&str, &[String]) {
        let l = c.links().iter().find(|l| l.from.len() >= 2).unwrap();
        (&l.to, &l.from)
    }

    #[test]
    fn a_one_to_one_criterion_keeps_its_rating_and_comment() {
        let (r, c) = fixtures();
        let q = r.dcmm("dcmm-2025").unwrap();
        let l = c.links().iter().find(|l| l.from.len() == 1).unwrap();
        let previous = HashMap::from([(
            l.from[0].as_str(),
            Previous {
                rating: Rating::Largely,
                comment: "见制度文件",
            },
        )]);
        let carried = across(&c, q, &previous);
        assert_eq!(carried.len(), 1);
        assert_eq!(carried[0].criterion, l.to);
        assert_eq!(carried[0].rating, Rating::Largely);
        assert_eq!(carried[0].comment, "见制度文件");
    }

    #[test]
    fn many_to_one_takes_the_lowest_rating_and_needs_every_source_answered() {
        let (r, c) = fixtures();
        let q = r.dcmm("dcmm-2025").unwrap();
        let (to, from) = merged(&c);
        let ratings = [Rating::Fully, Rating::Partially, Rating::Largely];
        let mut previous: HashMap<&str, Previous<'_>> = from
            .iter()
            .zip(ratings.iter().cycle())
            .map(|(f, r)| {
                (
                    f.as_str(),
                    Previous {
                        rating: *r,
                        comment: "ok",
                    },
                )
            })
            .collect();
        let carried = across(&c, q, &previous);
        let got = carried.iter().find(|x| x.criterion == to).unwrap();
        assert_eq!(got.rating, Rating::Partially);
        assert_eq!(got.from, from);
        assert_eq!(got.comment.lines().count(), from.len());
        previous.remove(from[1].as_str());
        assert!(across(&c, q, &previous).iter().all(|x| x.criterion != to));
    }

    #[test]
    fn na_is_left_out_of_the_lowest_and_carried_alone_only_where_allowed() {
        let (r, c) = fixtures();
        let q = r.dcmm("dcmm-2025").unwrap();
        let (to, from) = merged(&c);
        let mut previous: HashMap<&str, Previous<'_>> = from
            .iter()
            .map(|f| {
                (
                    f.as_str(),
                    Previous {
                        rating: Rating::Na,
                        comment: "",
                    },
                )
            })
            .collect();
        let allows = q.criterion(to).unwrap().allow_na;
        let all_na = across(&c, q, &previous);
        assert_eq!(
            all_na
                .iter()
                .any(|x| x.criterion == to && x.rating == Rating::Na),
            allows
        );
        previous.insert(
            from[0].as_str(),
            Previous {
                rating: Rating::Largely,
                comment: "",
            },
        );
        let one_rated = across(&c, q, &previous);
        let got = one_rated.iter().find(|x| x.criterion == to).unwrap();
        assert_eq!(got.rating, Rating::Largely);
    }

    #[test]
    fn the_same_questionnaire_keeps_only_criteria_that_still_exist() {
        let (r, _) = fixtures();
        let q = r.dcmm("dcmm-2025").unwrap();
        let p = Previous {
            rating: Rating::Fully,
            comment: "",
        };
        let carried = same(q, [("2025:6.1:L2:1", p), ("2025:6.1:L2:99", p)]);
        assert_eq!(carried.len(), 1);
        assert_eq!(carried[0].criterion, "2025:6.1:L2:1");
    }
}
