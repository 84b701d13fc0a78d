//! Rendering once: the id a report prints is the id derived from its model, and the same model
//! gives the same id and bytes.

use super::*;
use crate::public_url::PublicUrl;
use crate::report::cluster::tests::small_report;
use crate::report::pdf::tests::{tool, TempPdf};

fn prepared(lang: Lang, verify: VerifyAt) -> Prepared {
    Prepared {
        kind: Kind::Campaign,
        subject_id: "01a22a45-cadc-771d-ba0a-2110940c42dd".to_owned(),
        cluster_id: "01a22a45-cadc-771d-ba0a-2110940c42de".to_owned(),
        lang,
        questionnaire_id: "dcmm-2025".to_owned(),
        questionnaire_hash: "sha256:fixture".to_owned(),
        policy_version: "dcmm-policy-fixture".to_owned(),
        model: Model::Cluster(Box::new(small_report(lang))),
        verify,
    }
}

fn font() -> &'static ReportFont {
    ReportFont::builtin().unwrap()
}

#[test]
fn a_report_prints_the_id_its_record_gets_and_its_sha256_names_its_bytes() {
    let rendered = render(prepared(Lang::Zh, VerifyAt::default()), font()).unwrap();
    let id = rendered.id.to_string();
    assert_eq!(rendered.id, report_id(&rendered.prepared, font()).unwrap());
    assert_eq!(
        rendered.sha256,
        hex::encode(Sha256::digest(&rendered.bytes))
    );
    // The document information spells the id out in plain text: the verify service finds it
    // there in an altered copy.
    let plain = String::from_utf8_lossy(&rendered.bytes);
    assert!(plain.contains(&id), "the document information names {id}");
    assert!(
        !plain.contains("DCMM-0000-0000-0000-0000"),
        "no placeholder id"
    );
    let pdf = TempPdf::write(&rendered.bytes);
    if let Some(text) = tool("pdftotext", &["-enc", "UTF-8", "FILE", "-"], &pdf.0) {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&id), "every footer prints {id}");
        assert!(
            !text.contains("DCMM-0000-0000-0000-0000"),
            "no placeholder id"
        );
    }
}

#[test]
fn issuing_the_same_model_again_gives_the_same_id_and_bytes() {
    let first = render(prepared(Lang::Zh, VerifyAt::default()), font()).unwrap();
    let again = render(prepared(Lang::Zh, VerifyAt::default()), font()).unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(first.sha256, again.sha256);
    assert!(first.bytes == again.bytes, "byte-identical");
}

#[test]
fn the_id_changes_with_what_the_report_shows() {
    let base = report_id(&prepared(Lang::Zh, VerifyAt::default()), font()).unwrap();
    let english = report_id(&prepared(Lang::En, VerifyAt::default()), font()).unwrap();
    let public = VerifyAt::new(PublicUrl::parse("https://dcmm.example.org/").ok());
    let elsewhere = report_id(&prepared(Lang::Zh, public), font()).unwrap();
    let mut changed = prepared(Lang::Zh, VerifyAt::default());
    if let Model::Cluster(report) = &mut changed.model {
        report.subject.push('甲');
    }
    let changed = report_id(&changed, font()).unwrap();
    let mut other_subject = prepared(Lang::Zh, VerifyAt::default());
    other_subject.subject_id.push('0');
    let other_subject = report_id(&other_subject, font()).unwrap();
    for other in [english, elsewhere, changed, other_subject] {
        assert_ne!(base, other);
    }
}
