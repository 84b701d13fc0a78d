//! Breaks mixed Chinese and English text into lines that fit a width. Chinese may break between
//! any two characters, except before closing punctuation (which must not start a line) and after
//! opening punctuation (which must not end one); Latin text breaks at spaces, and a word longer
//! than a whole line is cut where it has to be.

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '）'
            | '」'
            | '』'
            | '》'
            | '】'
            | '；'
            | '：'
            | '！'
            | '？'
            | '％'
            | '”'
            | '’'
            | ')'
            | ']'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
    )
}

/// Punctuation that must not end a line.
fn is_opening(c: char) -> bool {
    matches!(c, '（' | '「' | '『' | '《' | '【' | '“' | '‘' | '(' | '[')
}

/// Characters written without spaces between them, each a possible break.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// A piece of text no line may break inside (unless it alone is wider than a line).
struct Piece {
    text: String,
    /// Whether a space separates it from the previous piece.
    spaced: bool,
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut spaced = false;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !current.is_empty() {
                out.push(Piece {
                    text: std::mem::take(&mut current),
                    spaced,
                });
            }
            pending_space = true;
            continue;
        }
        if let Some(prev) = current.chars().last() {
            let may_break = !is_closing(c) && !is_opening(prev) && (is_cjk(c) || is_cjk(prev));
            if may_break {
                out.push(Piece {
                    text: std::mem::take(&mut current),
                    spaced,
                });
            }
        }
        if current.is_empty() {
            spaced = pending_space && !out.is_empty();
            pending_space = false;
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(Piece {
            text: current,
            spaced,
        });
    }
    out
}

/// The lines of `text`, each at most `max_width` wide as `width` measures (a piece that is
/// wider than a line on its own is cut by characters). Line feeds in the text start new lines;
/// spaces around breaks are dropped.
pub fn break_lines(text: &str, max_width: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    let space = width(" ");
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0_f32;
        for piece in pieces(paragraph) {
            let piece_width = width(&piece.text);
            let mut gap = if piece.spaced && !line.is_empty() {
                space
            } else {
                0.0
            };
            if !line.is_empty() && line_width + gap + piece_width > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
                gap = 0.0;
            }
            if gap > 0.0 {
                line.push(' ');
            }
            if line.is_empty() && piece_width > max_width {
                // Wider than a line on its own: cut it by characters.
                for c in piece.text.chars() {
                    let w = width(c.encode_utf8(&mut [0; 4]));
                    if !line.is_empty() && line_width + w > max_width {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += w;
                }
            } else {
                line.push_str(&piece.text);
                line_width += gap + piece_width;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit per character, two for a CJK one: easy to reason about.
    fn units(s: &str) -> f32 {
        s.chars().map(|c| if is_cjk(c) { 2.0 } else { 1.0 }).sum()
    }

    #[test]
    fn chinese_breaks_between_any_two_characters() {
        assert_eq!(
            break_lines("数据战略规划", 6.0, units),
            vec!["数据战", "略规划"]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // 数据战 fills the line; 略 cannot go on alone because 、 must follow it.
        let lines = break_lines("数据战略、数据治理。", 8.0, units);
        assert_eq!(lines, vec!["数据战", "略、数据", "治理。"]);
        for line in &lines {
            let first = line.chars().next().unwrap_or(' ');
            assert!(!"、，。）」；：！？".contains(first), "{lines:?}");
        }
        let lines = break_lines("（数据）治理，标准！", 6.0, units);
        assert!(lines
            .iter()
            .all(|l| !l.starts_with('）') && !l.starts_with('，')));
        assert!(lines.iter().all(|l| !l.ends_with('（')), "{lines:?}");
    }

    #[test]
    fn latin_text_breaks_at_spaces_only() {
        assert_eq!(
            break_lines("data strategy and governance", 14.0, units),
            vec!["data strategy", "and governance"]
        );
        assert_eq!(
            break_lines("  two   words ", 100.0, units),
            vec!["two words"]
        );
    }

    #[test]
    fn mixed_text_breaks_between_latin_words_and_chinese() {
        let lines = break_lines("DCMM评估 level 3 数据治理", 9.0, units);
        assert_eq!(lines, vec!["DCMM评估", "level 3", "数据治理"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        assert_eq!(
            break_lines("abcdefghij xy", 4.0, units),
            vec!["abcd", "efgh", "ij", "xy"]
        );
    }

    #[test]
    fn no_line_is_wider_than_the_limit_unless_one_character_is() {
        let text = "数据管理能力成熟度评估模型 (DCMM, GB/T 36073-2018) 定义了数据战略、数据治理、\
                    数据架构、数据应用、数据安全、数据质量、数据标准和数据生存周期八个能力域。";
        for max in [3.0, 7.0, 12.0, 25.0] {
            let lines = break_lines(text, max, units);
            for line in &lines {
                assert!(
                    units(line) <= max || line.chars().count() == 1,
                    "{max}: {line}"
                );
            }
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let original: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, original, "nothing is lost");
        }
    }

    #[test]
    fn line_feeds_start_new_lines() {
        assert_eq!(break_lines("甲\n\n乙", 10.0, units), vec!["甲", "", "乙"]);
        assert_eq!(break_lines("", 10.0, units), vec![""]);
    }
}
