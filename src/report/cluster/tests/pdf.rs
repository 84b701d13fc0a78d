//! The report's PDF, checked with qpdf and poppler's tools when they are installed.
//!
//! With `DCMM_SAMPLE_CLUSTER_PDF=prefix` the reports are also kept as `prefix-small.pdf`,
//! `prefix-bands.pdf` and, of 200 enterprises, `prefix-zh.pdf` and `prefix-en.pdf`, to look at.

use super::*;
use crate::report::pdf::tests::{tool, TempPdf};
use crate::report::pdf::ReportFont;

/// The text of `bytes` after checking it is a valid PDF with the font embedded as a subset,
/// and its page count; `None` when the tools are not installed.
fn checked(bytes: &[u8]) -> Option<(String, usize)> {
    assert!(bytes.starts_with(b"%PDF-"));
    let file = TempPdf::write(bytes);
    let out = tool("qpdf", &["--check", "FILE"], &file.0)?;
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    let fonts = tool("pdffonts", &["FILE"], &file.0)?;
    let line = fonts
        .lines()
        .find(|l| l.contains('+'))
        .unwrap_or_else(|| panic!("no subset font in:\n{fonts}"));
    let flags: Vec<&str> = line.split_whitespace().collect();
    let n = flags.len();
    assert_eq!(
        &flags[n - 5..n - 2],
        ["yes", "yes", "yes"],
        "emb, sub, uni: {line}"
    );
    let info = tool("pdfinfo", &["FILE"], &file.0)?;
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in:\n{info}"));
    let text = tool("pdftotext", &["FILE", "-"], &file.0)?;
    Some((text, pages))
}

fn keep(bytes: &[u8], lang: &str) {
    if let Ok(prefix) = std::env::var("DCMM_SAMPLE_CLUSTER_PDF") {
        std::fs::write(format!("{prefix}-{lang}.pdf"), bytes).unwrap();
    }
}

#[test]
fn the_pdf_shows_chinese_domains_and_shared_names_and_never_an_anonymous_one() {
    let report = small_report(Lang::Zh);
    let font = ReportFont::builtin().unwrap();
    let bytes = report.to_pdf(
        font,
        "CLR-0001",
        &crate::report::verify_at::VerifyAt::default(),
    );
    keep(&bytes, "small");
    assert!(
        bytes.len() < 1_000_000,
        "{} bytes: is the font subset?",
        bytes.len()
    );
    let Some((text, pages)) = checked(&bytes) else {
        return;
    };
    assert!((6..=16).contains(&pages), "{pages} pages");
    for name in &report.domains.names {
        assert!(text.contains(name.as_str()), "{name} missing");
    }
    for name in [
        "榕城精密机械有限公司",
        "闽江智造科技股份有限公司",
        "三坊七巷文旅集团",
    ] {
        assert!(text.contains(name), "{name} missing");
    }
    for name in ANONYMOUS {
        assert!(!text.contains(name), "{name} in the PDF");
    }
    for t in [
        &report.title,
        &report.readiness.heading,
        &report.annex.heading,
    ] {
        assert!(text.contains(t.as_str()), "{t} missing");
    }
    assert!(text.contains("不构成"));
    assert!(text.contains("CLR-0001"));
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains(&format!("{pages}/{pages}")),
        "the last page's footer"
    );
}

#[test]
fn the_english_pdf_is_valid_and_in_english() {
    let report = small_report(Lang::En);
    let bytes = report.to_pdf(
        ReportFont::builtin().unwrap(),
        "CLR-0002",
        &crate::report::verify_at::VerifyAt::default(),
    );
    let Some((text, _)) = checked(&bytes) else {
        return;
    };
    for t in [
        "Cluster data-management readiness report",
        "Data strategy",
        "Weakest items",
    ] {
        assert!(text.contains(t), "{t} missing");
    }
}

#[test]
fn two_hundred_enterprises_make_a_valid_pdf_naming_every_shared_one() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let firms = many(q);
    let font = ReportFont::builtin().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let report = report_of(q, firms.clone(), Some(q), lang);
        let bytes = report.to_pdf(
            font,
            "CLR-0200",
            &crate::report::verify_at::VerifyAt::default(),
        );
        keep(&bytes, if lang == Lang::Zh { "zh" } else { "en" });
        let Some((text, pages)) = checked(&bytes) else {
            return;
        };
        // About 134 annex rows, 5 pages of heat maps, and the rest.
        assert!((10..=40).contains(&pages), "{pages} pages");
        for f in &firms {
            assert_eq!(
                text.contains(&f.name),
                f.sharing != Sharing::Anonymous,
                "{} ({:?})",
                f.name,
                f.sharing
            );
        }
    }
}

#[test]
fn with_everyone_anonymous_the_pdf_draws_the_bands_and_names_no_enterprise() {
    let registry = registry();
    let q = registry.default_dcmm().unwrap();
    let mut firms = small(q);
    for f in &mut firms {
        f.sharing = Sharing::Anonymous;
    }
    let names: Vec<String> = firms.iter().map(|f| f.name.clone()).collect();
    let report = report_of(q, firms, None, Lang::Zh);
    let bytes = report.to_pdf(
        ReportFont::builtin().unwrap(),
        "CLR-0003",
        &crate::report::verify_at::VerifyAt::default(),
    );
    keep(&bytes, "bands");
    let Some((text, _)) = checked(&bytes) else {
        return;
    };
    let bands = report.heat.bands.as_ref().unwrap();
    assert!(text.contains(bands.title.as_str()));
    for name in &names {
        assert!(!text.contains(name.as_str()), "{name} in the PDF");
    }
}
