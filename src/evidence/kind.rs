//! What an uploaded evidence file is, decided from its bytes and its name together; the
//! client's Content-Type is never asked. Only formats an assessor reads and a browser does not
//! run are accepted, and each is served back with a type from this list alone.

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
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        let Some(kind) = Self::from_extension(&ext) else {
            let named = if ext.is_empty() {
                "files without an extension are".to_owned()
            } else {
                format!(".{ext} files are")
            };
            return Err(format!("{named} not accepted; accepted: {ACCEPTED}"));
        };
        if bytes.is_empty() {
            return Err("the file is empty".to_owned());
        }
        if kind.matches(bytes) {
            Ok(kind)
        } else {
            Err(format!("the content is not a valid .{ext} file"))
        }
    }

    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Self::Pdf => bytes.starts_with(b"%PDF-"),
            Self::Png => bytes.starts_with(PNG),
            Self::Jpeg => bytes.starts_with(b"\xFF\xD8\xFF"),
            Self::Gif => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
            Self::Webp => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
            Self::Docx => is_ooxml(bytes, b"word/"),
            Self::Xlsx => is_ooxml(bytes, b"xl/"),
            Self::Pptx => is_ooxml(bytes, b"ppt/"),
            Self::Doc => is_ole_with(bytes, &["WordDocument"]),
            Self::Xls => is_ole_with(bytes, &["Workbook", "Book"]),
            Self::Ppt => is_ole_with(bytes, &["PowerPoint Document"]),
            Self::Text => is_plain_text(bytes),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A zip container with the Office Open XML content-types part and the part folder of its
/// application; entry names are stored uncompressed in the zip headers.
fn is_ooxml(bytes: &[u8], folder: &[u8]) -> bool {
    bytes.starts_with(ZIP) && contains(bytes, b"[Content_Types].xml") && contains(bytes, folder)
}

/// A compound (OLE) file holding a stream of one of these names: an installer or other OLE
/// file renamed to `.doc` has none of them. Directory entry names are UTF-16LE.
fn is_ole_with(bytes: &[u8], streams: &[&str]) -> bool {
    bytes.starts_with(OLE)
        && streams.iter().any(|name| {
            let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            contains(bytes, &utf16)
        })
}

/// UTF-8 (with or without a byte-order mark), no NUL bytes, and not markup or a script.
fn is_plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if text.contains('\0') {
        return false;
    }
    let start: String = text.trim_start().chars().take(16).collect();
    let start = start.to_ascii_lowercase();
    !ACTIVE_TEXT.iter().any(|prefix| start.starts_with(prefix))
}

/// The name kept for a file: its last path segment, without control characters, at most 200
/// characters (keeping the extension), never empty.
pub fn clean_file_name(raw: &str) -> Result<String, String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).collect();
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
        assert!(clean_file_name("..").is_err());
        let long = format!("{}.pdf", "数".repeat(300));
        let kept = clean_file_name(&long).unwrap();
        assert_eq!(kept.chars().count(), 200);
        assert!(kept.ends_with(".pdf"));
    }
}
