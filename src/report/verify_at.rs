//! Where a report tells its reader to check it: `<public_url>/verify` (or, without a
//! `public_url`, the path `/verify` of this service) in every footer and on the cover, where a
//! QR code carries the address with the report id, so a phone opens the answer for it.

use qrcode::{Color, EcLevel, QrCode};

use crate::public_url::PublicUrl;
use crate::questionnaire::Lang;

/// The verification address reports print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyAt {
    public_url: Option<PublicUrl>,
}

/// A QR code's modules, row by row: `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrModules {
    /// `text` as a QR code with error correction level M (15 % of it may be damaged); `None`
    /// when it is too long for any QR code.
    pub fn encode(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        Some(Self {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// The dark runs of each row as (row, first column, length): one rectangle per run.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (y, row) in self.dark.chunks(self.width.max(1)).enumerate() {
            let mut x = 0;
            while x < row.len() {
                if row[x] {
                    let start = x;
                    while x < row.len() && row[x] {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

impl VerifyAt {
    pub fn new(public_url: Option<PublicUrl>) -> Self {
        Self { public_url }
    }

    /// The page a reader opens: `<public_url>/verify`, or the path `/verify`.
    pub fn page(&self) -> String {
        self.public_url
            .as_ref()
            .map_or_else(|| "/verify".to_owned(), PublicUrl::verify_page)
    }

    /// What the cover's QR code carries: the page asking for `report_id`. Only with a
    /// `public_url`: a path alone takes a phone nowhere.
    pub fn qr_target(&self, report_id: &str) -> Option<String> {
        self.public_url
            .as_ref()
            .map(|u| format!("{}?id={report_id}", u.verify_page()))
    }

    /// The footer's words after the report id.
    pub fn footer(&self, lang: Lang) -> String {
        match (&self.public_url, lang) {
            (Some(_), Lang::Zh) => format!("核验：{}", self.page()),
            (Some(_), Lang::En) => format!("Verify at {}", self.page()),
            (None, Lang::Zh) => "核验：本服务的 /verify 页面".to_owned(),
            (None, Lang::En) => "Verify at /verify on this service".to_owned(),
        }
    }

    /// The cover's box: its title and sentences.
    pub fn cover(&self, lang: Lang, report_id: &str) -> (String, Vec<String>) {
        let page = self.page();
        let how = match (&self.public_url, lang) {
            (Some(_), Lang::Zh) => format!(
                "扫描二维码或打开 {page}（无需登录），上传本报告的 PDF 文件，或输入报告编号 {report_id}，即可核验本报告是否由本服务签发。"
            ),
            (Some(_), Lang::En) => format!(
                "Scan the QR code or open {page} (no login needed) and upload this report's PDF file, or enter the report id {report_id}, to check that this service issued it."
            ),
            (None, Lang::Zh) => format!(
                "在本服务的网址后加 /verify 打开核验页面（无需登录），上传本报告的 PDF 文件，或输入报告编号 {report_id}，即可核验本报告是否由本服务签发。"
            ),
            (None, Lang::En) => format!(
                "Open /verify on this service's address (no login needed) and upload this report's PDF file, or enter the report id {report_id}, to check that this service issued it."
            ),
        };
        let limits = lang.t(
            "只有上传文件本身才能确认它未被改动；报告编号只能说明签发过这样一份报告及其内容。",
            "Only the file itself can show that it was not altered; the report id alone shows \
             that such a report was issued and what it says.",
        );
        let title = lang.t("核验本报告", "Verify this report").to_owned();
        (title, vec![how, limits.to_owned()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "DCMM-1A2B-3C4D-5E6F-7A8B";

    #[test]
    fn with_a_public_url_the_address_is_absolute_and_the_qr_code_asks_for_the_report() {
        let at = VerifyAt::new(PublicUrl::parse("https://dcmm.example.org/").ok());
        assert_eq!(at.page(), "https://dcmm.example.org/verify");
        assert_eq!(
            at.qr_target(ID).as_deref(),
            Some("https://dcmm.example.org/verify?id=DCMM-1A2B-3C4D-5E6F-7A8B")
        );
        assert_eq!(
            at.footer(Lang::En),
            "Verify at https://dcmm.example.org/verify"
        );
        let (title, lines) = at.cover(Lang::Zh, ID);
        assert_eq!(title, "核验本报告");
        assert!(lines[0].contains("https://dcmm.example.org/verify") && lines[0].contains(ID));
    }

    #[test]
    fn without_one_the_path_is_named_and_there_is_no_qr_code() {
        let at = VerifyAt::default();
        assert_eq!(at.page(), "/verify");
        assert_eq!(at.qr_target(ID), None);
        assert_eq!(at.footer(Lang::Zh), "核验：本服务的 /verify 页面");
        let (_, lines) = at.cover(Lang::En, ID);
        assert!(
            lines[0].contains("/verify") && lines[0].contains(ID),
            "{lines:?}"
        );
        assert!(lines[1].contains("report id alone"), "{lines:?}");
    }

    #[test]
    fn a_qr_code_is_square_with_its_finder_patterns_and_its_runs_cover_every_dark_module() {
        let qr = QrModules::encode("https://dcmm.example.org/verify?id=DCMM-1A2B-3C4D-5E6F-7A8B")
            .unwrap();
        assert_eq!(qr.dark.len(), qr.width * qr.width);
        assert!((21..=45).contains(&qr.width), "{}", qr.width);
        // The top-left finder pattern: a dark 7-module row, then dark, 5 light, dark.
        assert!(qr.dark[..7].iter().all(|d| *d));
        let second = &qr.dark[qr.width..qr.width + 7];
        assert_eq!(second, [true, false, false, false, false, false, true]);
        let covered: usize = qr.runs().iter().map(|r| r.2).sum();
        assert_eq!(covered, qr.dark.iter().filter(|d| **d).count());
        for (y, x, len) in qr.runs() {
            assert!((x..x + len).all(|i| qr.dark[y * qr.width + i]));
        }
    }
}
