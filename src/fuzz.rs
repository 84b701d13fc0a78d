//! Property tests that feed hostile input to the parsers of what users send: the
//! questionnaire files, the enterprise CSV import and the credit-code check (the multipart
//! upload and the answers JSON are in `api::fuzz`). Each asserts no panic and an invariant.
//! A normal test run tries a few cases each; `scripts/fuzz SECONDS` runs them with many
//! (`PROPTEST_CASES`) until the time is up.

use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::domain::credit_code::CreditCode;
use crate::domain::enterprise::parse_csv;
use crate::questionnaire::model::Choice;
use crate::questionnaire::parse::{parse, Parsed};
use crate::questionnaire::Text;

/// A few cases in the normal suite; `PROPTEST_CASES` (what `scripts/fuzz` sets) for more.
pub(crate) fn config() -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 32;
    }
    config
}

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn first17() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
        17,
    )
    .prop_map(|c| c.into_iter().collect())
}

fn questionnaire_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    files.sort();
    files
}

/// A parse that fails names a line of the file; one that succeeds gives a questionnaire whose
/// index finds each of its criteria, and the hash of exactly this text.
fn check_parse(source: &str) {
    match parse("fuzz.toml", source) {
        Err(e) => {
            assert_eq!(e.file, "fuzz.toml");
            assert!(
                (1..=source.lines().count() + 1).contains(&e.line),
                "line {} of {} ({})",
                e.line,
                source.lines().count(),
                e.message
            );
            assert!(!e.message.is_empty());
        }
        Ok(Parsed::Dcmm(q)) => {
            use sha2::Digest;
            assert_eq!(q.hash, hex::encode(sha2::Sha256::digest(source.as_bytes())));
            let ids: Vec<&str> = q.criteria().map(|c| c.id.as_str()).collect();
            assert_eq!(ids.len(), q.criterion_count());
            for id in ids {
                assert_eq!(q.criterion(id).map(|c| c.id.as_str()), Some(id));
            }
        }
        Ok(_) => {}
    }
}

fn industries() -> Vec<Choice> {
    vec![Choice {
        value: "software".into(),
        label: Text {
            zh: "软件和信息技术服务".into(),
            en: "Software and IT services".into(),
        },
    }]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_code_with_its_check_character_is_accepted_and_one_changed_character_is_not(
        first in first17(),
        position in 0usize..18,
        replacement in prop::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        let code = CreditCode::complete(&first).expect("17 characters of the alphabet");
        prop_assert_eq!(CreditCode::parse(code.as_str()), Ok(code.clone()));
        let loose = format!("  {}\t", code.as_str().to_ascii_lowercase());
        prop_assert_eq!(CreditCode::parse(&loose), Ok(code.clone()));
        let mut changed: Vec<char> = code.as_str().chars().collect();
        prop_assume!(changed[position] != replacement);
        changed[position] = replacement;
        let changed: String = changed.into_iter().collect();
        // The weights are all non-zero modulo 31, a prime: any one substitution shows.
        prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn any_text_is_either_refused_or_a_code_that_parses_again(input in "\\PC{0,24}|[0-9A-Za-z ]{16,20}") {
        if let Ok(code) = CreditCode::parse(&input) {
            prop_assert_eq!(code.as_str().len(), 18);
            prop_assert!(code.as_str().chars().all(|c| ALPHABET.contains(c)));
            prop_assert_eq!(CreditCode::parse(code.as_str()), Ok(code.clone()));
        }
    }

    #[test]
    fn any_bytes_import_without_panic_and_every_accepted_row_checks_again(
        header in prop::sample::select(vec![
            "name,credit_code,industry,size,region,contact_name,contact_phone,contact_email",
            "企业名称,统一社会信用代码,行业,规模,地区",
            "credit_code",
            "",
        ]),
        body in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut bytes = header.as_bytes().to_vec();
        bytes.push(b'\n');
        bytes.extend(body);
        if let Ok(rows) = parse_csv(&bytes, &industries()) {
            let mut last = 0;
            for row in rows {
                prop_assert!(row.line >= last, "lines in order");
                last = row.line;
                if let Ok(e) = row.result {
                    prop_assert_eq!(CreditCode::parse(e.credit_code.as_str()), Ok(e.credit_code.clone()));
                    prop_assert!(!e.name.is_empty() && e.name.chars().count() <= 200);
                    prop_assert_eq!(e.name.trim(), e.name.as_str());
                }
            }
        }
    }

    #[test]
    fn a_written_csv_imports_row_for_row(
        rows in prop::collection::vec(("[^\\x00-\\x1f\\x7f]{1,40}", first17()), 1..8),
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["企业名称", "统一社会信用代码", "行业", "规模"]).unwrap();
        for (name, first) in &rows {
            let code = CreditCode::complete(first).unwrap();
            writer.write_record([name.as_str(), code.as_str(), "software", "small"]).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let parsed = parse_csv(&bytes, &industries()).unwrap();
        prop_assert_eq!(parsed.len(), rows.len());
        let mut seen = std::collections::HashSet::new();
        for (row, (name, first)) in parsed.iter().zip(&rows) {
            let code = CreditCode::complete(first).unwrap();
            // The import remembers a code only from a row it accepts.
            let repeated = !name.trim().is_empty() && !seen.insert(code.clone());
            match &row.result {
                Ok(e) => {
                    prop_assert!(!repeated);
                    prop_assert_eq!(&e.credit_code, &code);
                    prop_assert_eq!(e.name.as_str(), name.trim());
                }
                Err(fields) => prop_assert!(
                    (repeated && fields.contains_key("credit_code"))
                        || (name.trim().is_empty() && fields.contains_key("name")),
                    "{:?}", fields
                ),
            }
        }
    }

    #[test]
    fn any_text_parses_as_a_questionnaire_or_names_a_line(source in "\\PC{0,300}") {
        check_parse(&source);
    }

    #[test]
    fn a_damaged_questionnaire_file_parses_or_names_a_line(
        file in 0usize..4,
        at in any::<prop::sample::Index>(),
        cut in 0usize..40,
        insert in "[\\[\\]=\"{},.#a-z0-9 \n]{0,12}",
    ) {
        let files = questionnaire_files();
        prop_assume!(!files.is_empty());
        let (_, source) = &files[file % files.len()];
        let start = at.index(source.len());
        let start = (0..=start).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + cut..=source.len()).find(|i| source.is_char_boundary(*i)).unwrap_or(source.len());
        let damaged = format!("{}{}{}", &source[..start], insert, &source[end..]);
        check_parse(&damaged);
    }
}

#[test]
fn every_shipped_questionnaire_passes_the_parse_invariants() {
    let files = questionnaire_files();
    assert!(files.len() >= 4, "{files:?}");
    for (name, source) in files {
        assert!(parse(&name, &source).is_ok(), "{name}");
        check_parse(&source);
    }
}
