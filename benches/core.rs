//! Speed of the pure core: scoring, the gap plan, parsing the questionnaires.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use dcmm::questionnaire::{parse, Registry, BUILT_IN};
use dcmm::scoring::{gap_plan, score, Policy, Rating, Sheet};

/// A complete, varied 2025 answer sheet (deterministic).
fn complete_sheet(
    registry: &Registry,
) -> (std::sync::Arc<dcmm::questionnaire::Questionnaire>, Sheet) {
    let Some(q) = registry.dcmm("dcmm-2025").cloned() else {
        panic!("dcmm-2025 is built in");
    };
    let ratings = [
        Rating::Fully,
        Rating::Largely,
        Rating::Fully,
        Rating::Partially,
        Rating::Not,
    ];
    let sheet = Sheet(
        q.criteria()
            .enumerate()
            .map(|(n, c)| Some(ratings[(n * 7 + usize::from(c.level)) % ratings.len()]))
            .collect(),
    );
    (q, sheet)
}

fn benches(c: &mut Criterion) {
    let Ok(registry) = Registry::built_in() else {
        panic!("built-in questionnaires load");
    };
    let (q, sheet) = complete_sheet(&registry);
    let policy = Policy::default();

    c.bench_function("score a complete 2025 assessment", |b| {
        b.iter(|| score(black_box(&q), black_box(&sheet), &policy))
    });

    let card = score(&q, &sheet, &policy);
    c.bench_function("gap plan to level 3 (2025)", |b| {
        b.iter(|| gap_plan(black_box(&q), black_box(&sheet), &card, &policy, 3))
    });

    c.bench_function("parse and validate both editions", |b| {
        b.iter(|| {
            for (file, source) in BUILT_IN.iter().filter(|(f, _)| f.contains("dcmm-")) {
                let _ = black_box(parse(file, source));
            }
        })
    });
}

criterion_group!(core, benches);
criterion_main!(core);
