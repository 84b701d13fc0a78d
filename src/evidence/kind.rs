//! What an uploaded evidence file is, decided from its bytes and its name together; the
//! client's Content-Type is never asked. Only formats an assessor reads and a browser does not
//! run are accepted, and each is served back with a type from this list alone.

use unicode_general_category::{get_general_category, GeneralCategory};

/// An accepted kind of evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Doc,
    Xls,
    Ppt,
    /// Plain text, CSV or Markdown in UTF-8: always served as plain text.
    Text,
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The extensions accepted, for messages.
pub const ACCEPTED: &str = "pdf, png, jpg, jpeg, gif, webp, docx, xlsx, pptx, doc, xls, ppt, txt, \
                            csv, md";

/// Text that a browser would treat as a page, an image with scripts, or a program.
const ACTIVE_TEXT: &[&str] = &[
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<svg",
    "<?xml",
    "<script",
    "<iframe",
    "<object",
    "<embed",
    "#!",
];

impl FileKind {
    pub const ALL: [FileKind; 12] = [
        Self::Pdf,
        Self::Png,
        Self::Jpeg,
        Self::Gif,
        Self::Webp,
        Self::Docx,
        Self::Xlsx,
        Self::Pptx,
        Self::Doc,
        Self::Xls,
        Self::Ppt,
        Self::Text,
    ];

    /// The media type the file is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Doc => "application/msword",
            Self::Xls => "application/vnd.ms-excel",
            Self::Ppt => "application/vnd.ms-powerpoint",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    /// The kind a stored media type names; `None` for anything this list never produced.
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.content_type() == content_type)
    }

    fn from_extension(ext: &str) -> Option<Self> {
        Some(match ext {
            "pdf" => Self::Pdf,
            "png" => Self::Png,
            "jpg" | "jpeg" => Self::Jpeg,
            "gif" => Self::Gif,
            "webp" => Self::Webp,
            "docx" => Self::Docx,
            "xlsx" => Self::Xlsx,
            "pptx" => Self::Pptx,
            "doc" => Self::Doc,
            "xls" => Self::Xls,
            "ppt" => Self::Ppt,
            "txt" | "csv" | "md" | "markdown" => Self::Text,
            _ => return None,
        })
    }

    /// The kind of a file named `file_name` with these bytes, or why it is refused. The name's
    /// extension says what the file claims to be; the bytes must bear it out.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Result<Self, String> {
        let mut detector = Detector::for_name(file_name)?;
        detector.feed(bytes);
        detector.finish()
    }

    /// What the content must hold somewhere: each group by one of its names. Office Open
    /// XML names its parts uncompressed in the zip headers; a compound (OLE) file names its
    /// streams in UTF-16LE, and an installer renamed to `.doc` has none of them.
    fn needles(self) -> Vec<Vec<Vec<u8>>> {
        let utf16 = |name: &str| name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let ooxml =
            |folder: &[u8]| vec![vec![b"[Content_Types].xml".to_vec()], vec![folder.to_vec()]];
        match self {
            Self::Docx => ooxml(b"word/"),
            Self::Xlsx => ooxml(b"xl/"),
            Self::Pptx => ooxml(b"ppt/"),
            Self::Doc => vec![vec![utf16("WordDocument")]],
            Self::Xls => vec![vec![utf16("Workbook"), utf16("Book")]],
            Self::Ppt => vec![vec![utf16("PowerPoint Document")]],
            _ => Vec::new(),
        }
    }

    /// Whether the file's first bytes are those of this kind.
    fn starts(self, head: &[u8]) -> bool {
        match self {
            Self::Pdf => head.starts_with(b"%PDF-"),
            Self::Png => head.starts_with(PNG),
            Self::Jpeg => head.starts_with(b"\xFF\xD8\xFF"),
            Self::Gif => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
            Self::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
            Self::Docx | Self::Xlsx | Self::Pptx => head.starts_with(ZIP),
            Self::Doc | Self::Xls | Self::Ppt => head.starts_with(OLE),
            Self::Text => true,
        }
    }
}

/// How many first bytes decide a kind by its signature.
const HEAD: usize = 16;

/// Decides a file's kind from its bytes as they arrive, a chunk at a time, keeping only a
/// few of them: an upload is never held whole in memory.
#[derive(Debug)]
pub struct Detector {
    kind: FileKind,
    ext: String,
    head: Vec<u8>,
    seen: u64,
    /// Groups of names still to find, each found by one of its names.
    needles: Vec<Vec<Vec<u8>>>,
    /// The last bytes of the previous chunk, so that a name across two chunks is found.
    carry: Vec<u8>,
    text: Option<TextCheck>,
}

impl Detector {
    /// A detector for the kind the name's extension claims, or why the name is refused.
    pub fn for_name(file_name: &str) -> Result<Self, String> {
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        let Some(kind) = FileKind::from_extension(&ext) else {
            let named = if ext.is_empty() {
                "files without an extension are".to_owned()
            } else {
                format!(".{ext} files are")
            };
            return Err(format!("{named} not accepted; accepted: {ACCEPTED}"));
        };
        Ok(Self {
            kind,
            ext,
            head: Vec::with_capacity(HEAD),
            seen: 0,
            needles: kind.needles(),
            carry: Vec::new(),
            text: (kind == FileKind::Text).then(TextCheck::default),
        })
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if chunk.is_empty() {
            return;
        }
        self.seen += chunk.len() as u64;
        let room = HEAD - self.head.len();
        self.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        if !self.needles.is_empty() {
            let longest = self
                .needles
                .iter()
                .flatten()
                .map(Vec::len)
                .max()
                .unwrap_or(1);
            let mut window = std::mem::take(&mut self.carry);
            window.extend_from_slice(chunk);
            self.needles
                .retain(|group| !group.iter().any(|name| contains(&window, name)));
            let keep = window.len().min(longest.saturating_sub(1));
            self.carry = window.split_off(window.len() - keep);
        }
        if let Some(text) = &mut self.text {
            text.feed(chunk);
        }
    }

    /// The kind, once every byte was fed, or why the file is refused.
    pub fn finish(self) -> Result<FileKind, String> {
        if self.seen == 0 {
            return Err("the file is empty".to_owned());
        }
        let text_ok = self.text.is_none_or(TextCheck::finish);
        if self.kind.starts(&self.head) && self.needles.is_empty() && text_ok {
            Ok(self.kind)
        } else {
            Err(format!("the content is not a valid .{} file", self.ext))
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// UTF-8 (with or without a byte-order mark), no NUL bytes, and not markup or a script,
/// checked as the bytes arrive.
#[derive(Debug, Default)]
struct TextCheck {
    /// Bytes not decoded yet: the start of a character cut by the chunk's end, or the first
    /// bytes while a byte-order mark may still be coming.
    pending: Vec<u8>,
    started: bool,
    bad: bool,
    /// The first characters after leading white space.
    start: String,
}

/// How many first characters tell markup or a script.
const START_CHARS: usize = 16;

impl TextCheck {
    fn feed(&mut self, chunk: &[u8]) {
        if self.bad {
            return;
        }
        self.pending.extend_from_slice(chunk);
        if !self.started {
            if self.pending.len() < 3 {
                return;
            }
            self.skip_bom();
        }
        self.decode(false);
    }

    fn skip_bom(&mut self) {
        self.started = true;
        if self.pending.starts_with(b"\xEF\xBB\xBF") {
            self.pending.drain(..3);
        }
    }

    fn decode(&mut self, last: bool) {
        let pending = std::mem::take(&mut self.pending);
        let (valid, rest) = match std::str::from_utf8(&pending) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() && !last => {
                let (valid, rest) = pending.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            Err(_) => {
                self.bad = true;
                return;
            }
        };
        if valid.contains('\0') {
            self.bad = true;
            return;
        }
        let mut count = self.start.chars().count();
        for c in valid.chars() {
            if count >= START_CHARS {
                break;
            }
            if !(self.start.is_empty() && c.is_whitespace()) {
                self.start.push(c);
                count += 1;
            }
        }
        self.pending = rest.to_vec();
    }

    fn finish(mut self) -> bool {
        if !self.started {
            self.skip_bom();
        }
        self.decode(true);
        let start = self.start.to_ascii_lowercase();
        !self.bad && !ACTIVE_TEXT.iter().any(|prefix| start.starts_with(prefix))
    }
}

/// The name kept for a file: its last path segment, without control or format characters, at
/// most 200 characters (keeping the extension), never empty.
pub fn clean_file_name(raw: &str) -> Result<String, String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c))
        .collect();
    let name = name.trim();
    if name.is_empty() || name.chars().all(|c| c == '.') {
        return Err("the file has no name".to_owned());
    }
    const MAX: usize = 200;
    if name.chars().count() <= MAX {
        return Ok(name.to_owned());
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let keep = MAX - ext.chars().count();
    Ok(stem.chars().take(keep).collect::<String>() + &ext)
}

/// Unicode's format characters (general category Cf): invisible, and some reorder the text
/// around them, so that `invoice\u{202E}fdp.exe` reads as `invoiceexe.pdf`. Zero-width spaces
/// and joiners make two names look the same.
fn is_format(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ooxml(folder: &str) -> Vec<u8> {
        let mut bytes = ZIP.to_vec();
        bytes.extend_from_slice(b"\x14\x00\x06\x00[Content_Types].xml....");
        bytes.extend_from_slice(format!("PK\x03\x04{folder}document.xml").as_bytes());
        bytes
    }

    fn ole(stream: &str) -> Vec<u8> {
        let mut bytes = OLE.to_vec();
        bytes.extend_from_slice(&[0; 64]);
        bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn each_accepted_kind_is_recognised_by_content_and_name() {
        let cases: Vec<(&str, Vec<u8>, FileKind)> = vec![
            ("a.pdf", b"%PDF-1.7\n...".to_vec(), FileKind::Pdf),
            ("a.PNG", [PNG, b"rest"].concat(), FileKind::Png),
            ("a.jpeg", b"\xFF\xD8\xFF\xE0JFIF".to_vec(), FileKind::Jpeg),
            ("a.jpg", b"\xFF\xD8\xFF\xE1Exif".to_vec(), FileKind::Jpeg),
            ("a.gif", b"GIF89a....".to_vec(), FileKind::Gif),
            (
                "a.webp",
                b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec(),
                FileKind::Webp,
            ),
            ("a.docx", ooxml("word/"), FileKind::Docx),
            ("a.xlsx", ooxml("xl/"), FileKind::Xlsx),
            ("a.pptx", ooxml("ppt/"), FileKind::Pptx),
            ("a.doc", ole("WordDocument"), FileKind::Doc),
            ("a.xls", ole("Workbook"), FileKind::Xls),
            ("a.ppt", ole("PowerPoint Document"), FileKind::Ppt),
            (
                "制度.txt",
                "数据管理制度\n".as_bytes().to_vec(),
                FileKind::Text,
            ),
            (
                "a.csv",
                b"\xEF\xBB\xBFid,name\n1,x\n".to_vec(),
                FileKind::Text,
            ),
            (
                "README.md",
                b"# Policy\n\n<!-- note -->\n".to_vec(),
                FileKind::Text,
            ),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(FileKind::detect(name, &bytes), Ok(kind), "{name}");
            assert_eq!(FileKind::from_content_type(kind.content_type()), Some(kind));
        }
    }

    #[test]
    fn programs_pages_and_scripts_are_refused() {
        let elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        let exe = b"MZ\x90\x00\x03\x00".to_vec();
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
        for (name, bytes) in [
            ("tool", &elf),
            ("tool.exe", &exe),
            ("page.html", &html),
            ("page.htm", &html),
            ("image.svg", &svg),
            ("run.sh", &b"#!/bin/sh\nrm -rf /\n".to_vec()),
            ("script.js", &b"alert(1)".to_vec()),
            // Disguised: the name claims an accepted kind, the content is something else.
            ("report.pdf", &elf),
            ("photo.png", &exe),
            ("notes.txt", &html),
            ("  notes.md", &b"\n  <SVG onload=x>".to_vec()),
            ("run.txt", &b"#!/usr/bin/env python\n".to_vec()),
            ("installer.doc", &ole("\u{5}SummaryInformation")),
            ("archive.docx", &[ZIP, b"evil.exe"].concat()),
            ("data.csv", &b"a,b\n\xFF\xFE\n".to_vec()),
            ("data.txt", &b"a\0b".to_vec()),
            ("empty.pdf", &Vec::new()),
        ] {
            assert!(
                FileKind::detect(name, bytes).is_err(),
                "{name} was accepted"
            );
        }
    }

    /// Whatever the chunks an upload arrives in, the verdict is the one on the whole file.
    #[test]
    fn a_file_fed_in_chunks_gets_the_verdict_of_the_whole() {
        let samples: Vec<(&str, Vec<u8>)> = vec![
            ("a.docx", ooxml("word/")),
            ("a.xlsx", ooxml("word/")),
            ("a.doc", ole("WordDocument")),
            ("a.xls", ole("Book")),
            ("installer.doc", ole("\u{5}SummaryInformation")),
            ("a.txt", "\u{FEFF}第一条 数据管理制度".as_bytes().to_vec()),
            ("a.md", b"\xEF\xBB\xBF  \n\t <html>".to_vec()),
            ("a.md", "\u{3000}\u{3000}<script>".as_bytes().to_vec()),
            ("a.txt", "数据".repeat(40).into_bytes()),
            ("a.txt", b"ok\xE6\x95".to_vec()),
            ("a.txt", b"ab".to_vec()),
            ("a.csv", b"a,b\n\xFF\xFE\n".to_vec()),
            ("a.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec()),
            ("a.pdf", b"%PDF-1.7\n...".to_vec()),
        ];
        for (name, bytes) in &samples {
            let whole = FileKind::detect(name, bytes);
            for size in 1..=7 {
                let mut detector = Detector::for_name(name).unwrap();
                for chunk in bytes.chunks(size) {
                    detector.feed(chunk);
                }
                assert_eq!(detector.finish(), whole, "{name} in chunks of {size}");
            }
        }
        assert!(FileKind::detect("a.docx", &ooxml("word/")).is_ok());
        assert!(FileKind::detect("a.xlsx", &ooxml("word/")).is_err());
        assert!(FileKind::detect("a.txt", "数据".repeat(40).as_bytes()).is_ok());
        assert!(FileKind::detect("a.txt", b"ok\xE6\x95").is_err());
    }

    #[test]
    fn a_refusal_says_what_is_accepted() {
        let err = FileKind::detect("page.html", b"<html>").unwrap_err();
        assert!(err.contains(".html") && err.contains("pdf"), "{err}");
        let err = FileKind::detect("report.pdf", b"MZ").unwrap_err();
        assert!(err.contains("not a valid .pdf"), "{err}");
    }

    #[test]
    fn stored_types_outside_the_list_are_not_recognised() {
        assert_eq!(FileKind::from_content_type("text/html"), None);
        assert_eq!(FileKind::from_content_type("image/svg+xml"), None);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("C:\\docs\\制度.pdf").unwrap(), "制度.pdf");
        assert_eq!(clean_file_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_file_name("a\r\nb.txt").unwrap(), "ab.txt");
        assert!(clean_file_name("dir/").is_err());
        assert!(clean_file_name("\u{200B}\u{FEFF}").is_err());
        assert!(clean_file_name("..").is_err());
        let long = format!("{}.pdf", "数".repeat(300));
        let kept = clean_file_name(&long).unwrap();
        assert_eq!(kept.chars().count(), 200);
        assert!(kept.ends_with(".pdf"));
    }
}
