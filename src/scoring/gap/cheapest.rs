//! The cheapest way to make one level of an item pass: the fewest criteria raised, then the
//! fewest points added (so `largely` wherever it is enough).
//!
//! What a raise adds depends only on the criterion's current points, so the criteria of the
//! level fall into a few groups of equals (not met or unanswered, partially, largely) and the
//! search is over how many of each group go to `fully` and to `largely`, not over subsets.

use crate::questionnaire::Item;
use crate::scoring::policy::{Policy, Rating};

/// The smallest level sum whose mean over `count` criteria, rounded half up, reaches `tau`.
pub(super) fn needed_sum(tau: u32, count: u64) -> u64 {
    // mean_half_up(s, n) = ⌊(2s + n) / 2n⌋ ≥ τ  ⇔  s ≥ nτ − n/2.
    (u64::from(tau) * count).saturating_sub(count / 2)
}

/// Criteria of one level with the same current points: what raising one of them adds.
struct Group {
    members: Vec<usize>,
    to_fully: u64,
    /// `None` where `largely` would add nothing, or as much as `fully`.
    to_largely: Option<u64>,
}

/// How many of each group go to `fully` and to `largely`.
type Choice = Vec<(usize, usize)>;

struct Search<'a> {
    groups: &'a [Group],
    deficit: u64,
    best: Option<(u64, Choice)>,
    picks: Choice,
}

impl Search<'_> {
    /// Tries every split of `left` more raises over the groups from `g` on.
    fn run(&mut self, g: usize, left: usize, added: u64) {
        if self.best.as_ref().is_some_and(|(b, _)| added >= *b) {
            return;
        }
        let Some(group) = self.groups.get(g) else {
            if left == 0 && added >= self.deficit {
                self.best = Some((added, self.picks.clone()));
            }
            return;
        };
        let size = group.members.len();
        for fully in (0..=size.min(left)).rev() {
            let most = match group.to_largely {
                Some(_) => (size - fully).min(left - fully),
                None => 0,
            };
            for largely in 0..=most {
                let add =
                    fully as u64 * group.to_fully + largely as u64 * group.to_largely.unwrap_or(0);
                self.picks.push((fully, largely));
                self.run(g + 1, left - fully - largely, added + add);
                self.picks.pop();
            }
        }
    }
}

/// The raises (criterion position in the item, new rating), in questionnaire order, that make
/// `level` of `item` score at least τ with the fewest criteria and, among those, the fewest
/// points added. Empty when the level passes already. N/A criteria are never raised; among
/// equal choices the earlier criteria go first.
pub fn cheapest(
    item: &Item,
    ratings: &[Option<Rating>],
    level: u8,
    policy: &Policy,
) -> Vec<(usize, Rating)> {
    let p = &policy.points;
    let (mut sum, mut count) = (0u64, 0u64);
    let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
    for (pos, c) in item.criteria.iter().enumerate() {
        if c.level != level {
            continue;
        }
        let rating = ratings.get(pos).copied().flatten();
        let Some(points) = policy.points_of(rating) else {
            continue;
        };
        sum += u64::from(points);
        count += 1;
        if rating == Some(Rating::Fully) || points >= p.fully {
            continue;
        }
        match groups.iter_mut().find(|(g, _)| *g == points) {
            Some((_, members)) => members.push(pos),
            None => groups.push((points, vec![pos])),
        }
    }
    let needed = needed_sum(policy.pass_threshold, count);
    if count == 0 || sum >= needed {
        return Vec::new();
    }
    let deficit = needed - sum;
    // The lowest-rated first: they add most when raised.
    groups.sort_by_key(|(points, _)| *points);
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|(points, members)| Group {
            members,
            to_fully: u64::from(p.fully - points),
            to_largely: (points < p.largely && p.largely < p.fully)
                .then(|| u64::from(p.largely - points)),
        })
        .collect();
    // The fewest raises: the largest additions first.
    let mut reach = 0;
    let mut fewest = None;
    for (n, add) in groups
        .iter()
        .flat_map(|g| g.members.iter().map(|_| g.to_fully))
        .enumerate()
    {
        reach += add;
        if reach >= deficit {
            fewest = Some(n + 1);
            break;
        }
    }
    let Some(fewest) = fewest else {
        return Vec::new();
    };
    let mut search = Search {
        groups: &groups,
        deficit,
        best: None,
        picks: Vec::with_capacity(groups.len()),
    };
    search.run(0, fewest, 0);
    let Some((_, choice)) = search.best else {
        return Vec::new();
    };
    let mut out: Vec<(usize, Rating)> = groups
        .iter()
        .zip(choice)
        .flat_map(|(g, (fully, largely))| {
            let to_fully = g.members[..fully].iter().map(|m| (*m, Rating::Fully));
            let to_largely = g.members[fully..fully + largely]
                .iter()
                .map(|m| (*m, Rating::Largely));
            to_fully.chain(to_largely)
        })
        .collect();
    out.sort_by_key(|(pos, _)| *pos);
    out
}
