//! The PDF renderer, checked with real PDF tools (qpdf and poppler's utilities) when they are
//! installed; `scripts/prerequisites` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::report::chart::{radar, RadarSeries};

const DOMAINS: [&str; 8] = [
    "数据战略",
    "数据治理",
    "数据架构",
    "数据应用",
    "数据安全",
    "数据质量",
    "数据标准",
    "数据生存周期",
];

/// Runs a PDF tool with `args`, where `FILE` stands for `file`; `None` (with a note) when the
/// tool is not installed.
pub(crate) fn tool(name: &str, args: &[&str], file: &Path) -> Option<String> {
    let argv: Vec<&std::ffi::OsStr> = args
        .iter()
        .map(|a| {
            if *a == "FILE" {
                file.as_os_str()
            } else {
                a.as_ref()
            }
        })
        .collect();
    match Command::new(name).args(&argv).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{name} {args:?} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("{name} is not installed: skipping its check (scripts/prerequisites)");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

pub(crate) struct TempPdf(pub PathBuf);

impl TempPdf {
    pub(crate) fn write(bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("dcmm-pdf-{}.pdf", uuid::Uuid::now_v7()));
        std::fs::write(&path, bytes).unwrap();
        Self(path)
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn domain_radar() -> Chart {
    let labels: Vec<String> = DOMAINS.iter().map(|d| (*d).to_owned()).collect();
    radar(
        "各能力域得分与目标 Domain scores against the target",
        &labels,
        &[
            RadarSeries {
                name: "得分 Score".into(),
                values: vec![
                    Some(2.5),
                    Some(3.1),
                    Some(1.8),
                    Some(2.2),
                    Some(3.4),
                    Some(2.0),
                    Some(2.7),
                    Some(1.5),
                ],
                colour: Colour::BLUE,
                filled: true,
            },
            RadarSeries {
                name: "目标 Target".into(),
                values: vec![Some(3.0); 8],
                colour: Colour::ORANGE,
                filled: false,
            },
        ],
        5,
    )
}

/// One page of heading, text and chart, then a table that runs over three pages. With
/// `DCMM_SAMPLE_PDF=path` the PDF is also kept there, to look at.
fn sample_report(font: &ReportFont) -> (Vec<u8>, usize) {
    let mut doc = PdfDoc::new(font, "DCMM 评估报告", "RPT-0001");
    doc.heading("数据管理能力成熟度评估报告 DCMM assessment report");
    doc.paragraph(
        "本报告依据 GB/T 36073-2018《数据管理能力成熟度评估模型》对企业的数据战略、数据治理、\
         数据架构等八个能力域进行自评估，结果仅供参考，不构成认证。The indicated level is \
         indicative, not a certification; it shows where the enterprise stands against the \
         campaign's target level.",
    );
    doc.chart(&domain_radar(), 130.0);
    doc.page_break();
    doc.heading("能力项明细 Items");
    let columns = [
        Column::new("能力域 Domain", 2.0),
        Column::new("能力项 Item", 4.0),
        Column::new("得分 Score", 1.2),
        Column::new("等级 Level", 1.2),
    ];
    let rows: Vec<Vec<String>> = (0..45)
        .map(|i| {
            vec![
                DOMAINS[i % 8].to_owned(),
                format!("能力项 {i}：数据管理制度的制定、发布与执行情况 item {i}"),
                format!("{}.{}", i % 5, i % 10),
                format!("{}", 1 + i % 5),
            ]
        })
        .collect();
    doc.table(&columns, &rows);
    let pages = doc.page_count();
    let bytes = doc.finish();
    if let Ok(path) = std::env::var("DCMM_SAMPLE_PDF") {
        std::fs::write(path, &bytes).unwrap();
    }
    (bytes, pages)
}

#[test]
fn the_builtin_font_parses_once_and_measures_chinese_and_latin() {
    let font = ReportFont::builtin().unwrap();
    assert!(std::ptr::eq(font, ReportFont::builtin().unwrap()));
    // A CJK glyph is one em wide: 10 pt = 3.53 mm.
    let cjk = font.width_mm("数", 10.0);
    assert!((cjk - 3.53).abs() < 0.05, "{cjk}");
    let latin = font.width_mm("a", 10.0);
    assert!(latin > 0.5 && latin < cjk, "{latin}");
    assert!(font.width_mm("3.5", 10.0) > 0.0, "digits have glyphs");
    assert_eq!(font.width_mm("数据", 10.0), 2.0 * cjk);
}

#[test]
fn a_font_that_is_not_a_font_is_refused() {
    assert!(ReportFont::from_bytes(b"not a font", 0).is_err());
}

#[test]
fn a_report_is_a_valid_pdf_with_extractable_chinese_and_a_subset_font() {
    let font = ReportFont::builtin().unwrap();
    let (bytes, pages) = sample_report(font);
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() < 500_000,
        "{} bytes: is the font subset?",
        bytes.len()
    );
    assert_eq!(
        pages, 4,
        "a page of text and chart, then the table over three"
    );
    let file = TempPdf::write(&bytes);

    if let Some(out) = tool("qpdf", &["--check", "FILE"], &file.0) {
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
    if let Some(text) = tool("pdftotext", &["-layout", "FILE", "-"], &file.0) {
        for domain in DOMAINS {
            assert!(text.contains(domain), "{domain} missing from:\n{text}");
        }
        assert!(text.contains("不构成认证"), "{text}");
        assert!(text.contains("RPT-0001"));
        // pdftotext may drop the narrow spaces around the slash.
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.contains("1/4") && compact.contains("4/4"), "{text}");
        assert!(compact.contains("能力项44："), "the last row is there");
    }
    if let Some(fonts) = tool("pdffonts", &["FILE"], &file.0) {
        let line = fonts
            .lines()
            .find(|l| l.contains("WenQuanYi") || l.contains('+'))
            .unwrap_or_else(|| panic!("no embedded font in:\n{fonts}"));
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "subset tag: {line}"
        );
        let flags: Vec<&str> = line.split_whitespace().collect();
        let n = flags.len();
        assert_eq!(
            &flags[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb, sub, uni: {line}"
        );
    }
    if let Some(info) = tool("pdfinfo", &["FILE"], &file.0) {
        assert!(
            info.lines()
                .any(|l| l.starts_with("Pages:") && l.ends_with(" 4")),
            "{info}"
        );
    }
}

#[test]
fn each_table_page_repeats_the_header_row() {
    let font = ReportFont::builtin().unwrap();
    let (bytes, _) = sample_report(font);
    let file = TempPdf::write(&bytes);
    for page in 2..=4 {
        let p = page.to_string();
        let Some(text) = tool("pdftotext", &["-f", &p, "-l", &p, "FILE", "-"], &file.0) else {
            return;
        };
        assert!(text.contains("能力项 Item"), "page {page}:\n{text}");
        assert!(
            text.replace(' ', "").contains(&format!("{page}/4")),
            "page {page}:\n{text}"
        );
    }
}

#[test]
fn the_same_content_gives_the_same_bytes_and_another_id_other_bytes() {
    let font = ReportFont::builtin().unwrap();
    let render = |id: &str| {
        let mut doc = PdfDoc::new(font, "报告", id);
        doc.paragraph("数据战略 data strategy");
        // A translucent fill adds a graphics state, which printpdf would name at random.
        doc.chart(&domain_radar(), 100.0);
        doc.finish()
    };
    let first = render("RPT-A");
    assert_eq!(first, render("RPT-A"), "rendering again changes nothing");
    assert_ne!(first, render("RPT-B"));
}

#[test]
fn a_row_taller_than_a_page_continues_on_the_next_and_stays_inside_the_body() {
    let font = ReportFont::builtin().unwrap();
    let mut doc = PdfDoc::new(font, "报告", "RPT-TALL");
    let long: String = (0..300)
        .map(|i| format!("第{i}行说明文字，数据质量检查记录。"))
        .collect();
    doc.table(
        &[
            Column::new("能力项 Item", 1.0),
            Column::new("说明 Note", 3.0),
        ],
        &[
            vec!["短行".into(), "short".into()],
            vec!["长行".into(), long],
            vec!["末行 last row".into(), "end".into()],
        ],
    );
    let pages = doc.page_count();
    assert!(pages >= 2, "the long cell runs over {pages} page(s)");
    let bytes = doc.finish();
    let file = TempPdf::write(&bytes);
    let Some(text) = tool("pdftotext", &["FILE", "-"], &file.0) else {
        return;
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for i in [0, 60, 119] {
        assert!(compact.contains(&format!("第{i}行")), "line {i} is missing");
    }
    assert!(compact.contains("末行lastrow"));
    // Every page repeats the header, and its body ends above the footer (body bottom 275 mm,
    // footer baseline 285 mm).
    for page in 1..=pages {
        let p = page.to_string();
        let bbox = tool(
            "pdftotext",
            &["-f", &p, "-l", &p, "-bbox", "FILE", "-"],
            &file.0,
        )
        .unwrap_or_default();
        for word in bbox.lines().filter(|l| l.contains("<word")) {
            let bottom_mm = word
                .split("yMax=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|v| v.parse::<f32>().ok())
                .map(|pt| pt * 25.4 / 72.0)
                .unwrap_or_else(|| panic!("no yMax in {word}"));
            let text = word.split('>').nth(1).and_then(|s| s.split('<').next());
            let footer = text.is_some_and(|t| {
                t == "RPT-TALL" || t == "/" || t.chars().all(|c| c.is_ascii_digit())
            });
            assert!(
                bottom_mm < 276.0 || (bottom_mm > 280.0 && footer),
                "page {page}: text at {bottom_mm} mm: {word}"
            );
        }
        let page_text = tool("pdftotext", &["-f", &p, "-l", &p, "FILE", "-"], &file.0).unwrap();
        assert!(page_text.contains("说明 Note"), "page {page} header");
    }
}

#[test]
fn a_heading_kept_with_its_chart_moves_with_it_to_the_next_page() {
    let font = ReportFont::builtin().unwrap();
    let render = |keep: bool| {
        let mut doc = PdfDoc::new(font, "报告", "RPT-KEEP");
        // 28 one-line paragraphs leave about 29 mm at the foot of the page: room for the
        // heading alone, not for the radar below it.
        for i in 0..28 {
            doc.paragraph(&format!("第{i}段：数据管理制度。"));
        }
        let chart = domain_radar();
        if keep {
            let lead = doc.heading_height("能力域雷达图") + doc.chart_height(&chart, 120.0);
            doc.keep_together(lead);
        }
        doc.heading("能力域雷达图");
        doc.chart(&chart, 120.0);
        assert_eq!(doc.page_count(), 2);
        TempPdf::write(&doc.finish())
    };
    let page_one =
        |file: &TempPdf| tool("pdftotext", &["-f", "1", "-l", "1", "FILE", "-"], &file.0);
    let Some(loose) = page_one(&render(false)) else {
        return;
    };
    assert!(
        loose.contains("能力域雷达图"),
        "without keeping, the heading stays behind"
    );
    let kept = page_one(&render(true)).unwrap();
    assert!(
        !kept.contains("能力域雷达图"),
        "kept together, it starts the next page"
    );
    assert!(kept.contains("第27段"));
}

#[test]
fn measured_heights_match_what_is_drawn() {
    let font = ReportFont::builtin().unwrap();
    let text = "数据战略规划与实施 data strategy ".repeat(8);
    let rows: Vec<Vec<String>> = (0..5)
        .map(|i| vec![format!("第{i}行"), text.clone()])
        .collect();
    let columns = [Column::new("项", 1.0), Column::new("说明", 3.0)];
    let probe = PdfDoc::new(font, "报告", "RPT-MEASURE");
    let line = probe.paragraph_height("填充");
    let content = probe.heading_height("标题")
        + probe.paragraph_height(&text)
        + probe.chart_height(&domain_radar(), 120.0)
        + probe.table_height(&columns, &rows);
    let body = 297.0 - 22.0 - 20.0;
    // After k one-line paragraphs the content stays on the first page exactly when the
    // measured heights say it fits.
    for k in 0..=((body - 60.0) / line) as usize {
        let mut doc = PdfDoc::new(font, "报告", "RPT-MEASURE");
        for _ in 0..k {
            doc.paragraph("填充");
        }
        doc.heading("标题");
        doc.paragraph(&text);
        doc.chart(&domain_radar(), 120.0);
        doc.table(&columns, &rows);
        let fits = k as f32 * line + content <= body;
        assert_eq!(
            doc.page_count() == 1,
            fits,
            "after {k} lines ({content} mm measured)"
        );
    }
}

/// What a fixed model renders to at [`RENDERER_VERSION`]: the version, the SHA-256 of the
/// model's JSON (the cluster report of `cluster::tests::small_report` in Chinese) and the
/// SHA-256 of its PDF, with a fixed id and the default verify address.
const PINNED: (&str, &str, &str) = (
    "dcmm-pdf-2",
    "4c60012194ebc8c2dcdce8b4030b4e07f85f1b3daafe6a696d74b5cca492eff7",
    "f5ff66e75bbf538285969797b919ce75cd9038798d30d596b6f2dfcc4c517c61",
);

#[test]
fn the_renderer_version_names_the_bytes_a_fixed_model_renders_to() {
    use sha2::{Digest, Sha256};
    let report = crate::report::cluster::tests::small_report(crate::questionnaire::Lang::Zh);
    let model = hex::encode(Sha256::digest(serde_json::to_vec(&report).unwrap()));
    let bytes = report.to_pdf(
        ReportFont::builtin().unwrap(),
        "DCMM-1A2B-3C4D-5E6F-7A8B",
        &crate::report::verify_at::VerifyAt::default(),
    );
    let pdf = hex::encode(Sha256::digest(&bytes));
    assert_eq!(
        model, PINNED.1,
        "the fixture's model changed (not the renderer): pin its new model and PDF hashes"
    );
    assert_eq!(
        (RENDERER_VERSION, pdf.as_str()),
        (PINNED.0, PINNED.2),
        "the same model renders to other bytes: raise RENDERER_VERSION (report ids are derived \
         from it, not from the bytes) and pin the new version and PDF hash"
    );
}
