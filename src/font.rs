//! The font reports are set in: a CJK font built into the binary (or `report_font`), parsed
//! once, and what measuring text needs from it. Loaded at start-up and held by the app state;
//! the PDF renderer embeds it as a subset.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

/// WenQuanYi Micro Hei (face 0 of Debian's `wqy-microhei.ttc`): Chinese, Latin and digits in one
/// face. Its licence is next to it in `assets/fonts/`.
const BUILTIN_FONT: &[u8] = include_bytes!("../assets/fonts/wqy-microhei.ttc");

pub const MM_PER_PT: f32 = 25.4 / 72.0;

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("the report font could not be read as a TrueType or OpenType face")]
    Font,
}

/// A parsed font and what measuring text needs from it.
#[derive(Debug)]
pub struct ReportFont {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    /// The SHA-256 of the font file and the face used, lower-case hex: a report's id counts
    /// the font it is set in.
    digest: String,
}

impl ReportFont {
    /// Parses face `face` of a .ttf, .otf or .ttc file.
    pub fn from_bytes(bytes: &[u8], face: usize) -> Result<Self, FontError> {
        let parsed = ParsedFont::from_bytes(bytes, face, &mut Vec::new()).ok_or(FontError::Font)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        let mut hasher = Sha256::new();
        hasher.update(bytes);
        hasher.update(face.to_le_bytes());
        Ok(Self {
            parsed,
            units_per_em,
            digest: hex::encode(hasher.finalize()),
        })
    }

    /// The SHA-256 of the font file and face, lower-case hex.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The font built into the binary, parsed once (parsing takes tens of milliseconds).
    pub fn builtin() -> Result<&'static Arc<ReportFont>, FontError> {
        static FONT: OnceLock<Option<Arc<ReportFont>>> = OnceLock::new();
        FONT.get_or_init(|| ReportFont::from_bytes(BUILTIN_FONT, 0).ok().map(Arc::new))
            .as_ref()
            .ok_or(FontError::Font)
    }

    /// The font reports are set in: the first face of `path` when given, else the built-in.
    pub fn configured(path: Option<&Path>) -> anyhow::Result<Arc<ReportFont>> {
        match path {
            None => Ok(Self::builtin()?.clone()),
            Some(path) => {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("report_font: cannot read {}", path.display()))?;
                let font = Self::from_bytes(&bytes, 0).with_context(|| {
                    format!("report_font: {} is not a usable font", path.display())
                })?;
                if !font.covers("数据管理0123456789Aa") {
                    anyhow::bail!(
                        "report_font: {} lacks Chinese, Latin or digit glyphs",
                        path.display()
                    );
                }
                Ok(Arc::new(font))
            }
        }
    }

    /// Whether the font has a glyph for every character of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .all(|c| self.parsed.lookup_glyph_index(u32::from(c)).is_some())
    }

    /// The width of `text` set at `size` points, in millimetres.
    pub fn width_mm(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.parsed
                    .lookup_glyph_index(u32::from(c))
                    .map_or(0.0, |g| f32::from(self.parsed.get_horizontal_advance(g)))
            })
            .sum();
        units / self.units_per_em * size * MM_PER_PT
    }
}
