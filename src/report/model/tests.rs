use super::*;
use crate::questionnaire::Registry;
use crate::report::pdf::tests::{tool, TempPdf};
use crate::scoring::{evaluate, Policy, Rating, Sheet};

fn scored(q: &Questionnaire, rating: impl Fn(usize) -> Rating) -> ScoreReport {
    let sheet = Sheet(
        q.criteria()
            .enumerate()
            .map(|(i, _)| Some(rating(i)))
            .collect(),
    );
    evaluate(q, &sheet, &Policy::default(), Some(3))
}

fn reports(lang: Lang) -> (EnterpriseReport, usize, usize) {
    let registry = Registry::built_in().unwrap();
    let q = registry.default_dcmm().unwrap();
    let self_scores = scored(q, |_| Rating::Fully);
    let verified = scored(q, |i| {
        if i % 2 == 0 {
            Rating::Largely
        } else {
            Rating::Partially
        }
    });
    let report = enterprise_report(q, &self_scores, Some(&verified), lang);
    (report, q.domains.len(), q.item_count())
}

#[test]
fn every_domain_and_item_is_named_with_self_and_verified_scores() {
    let (report, domains, items) = reports(Lang::Zh);
    assert_eq!(report.domains.len(), domains);
    assert_eq!(report.items.len(), items);
    assert_eq!(report.domains[0].domain, "数据战略");
    assert!(report
        .items
        .iter()
        .all(|r| !r.item.is_empty() && r.verified.is_some()));
    assert!(report.overall_verified.is_some());
    assert!(report.overall_verified < Some(report.overall_self));
    assert_eq!(
        Some(report.level),
        report.overall_verified.map(|v| v.whole()),
        "the indicated level is the verified one"
    );
    let (en, _, _) = reports(Lang::En);
    assert_ne!(en.domains[0].domain, "数据战略");
}

#[test]
fn the_radar_has_an_axis_per_domain_and_the_target() {
    let (report, _, _) = reports(Lang::Zh);
    let chart = report.radar(Some(3));
    let texts = chart.texts();
    for d in &report.domains {
        assert!(texts.contains(&d.domain.as_str()), "{texts:?}");
    }
    assert!(texts.contains(&"目标"));
}

/// With `DCMM_SAMPLE_REPORT_PDF=path` the PDF is also kept there, to look at.
#[test]
fn the_pdf_shows_the_domains_and_the_indicative_statement() {
    let (report, _, _) = reports(Lang::Zh);
    let font = ReportFont::builtin().unwrap();
    let bytes = report.to_pdf(font, "RPT-0002", Some(3));
    if let Ok(path) = std::env::var("DCMM_SAMPLE_REPORT_PDF") {
        std::fs::write(path, &bytes).unwrap();
    }
    let file = TempPdf::write(&bytes);
    if let Some(text) = tool("pdftotext", &["FILE", "-"], &file.0) {
        for d in &report.domains {
            assert!(text.contains(&d.domain), "{} missing", d.domain);
        }
        assert!(text.contains("不构成认证"));
        assert!(text.contains("RPT-0002"));
    }
    if let Some(out) = tool("qpdf", &["--check", "FILE"], &file.0) {
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
}
