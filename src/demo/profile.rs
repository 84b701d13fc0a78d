//! Demo profiles that fit each enterprise's capability.

use serde_json::{json, Value};

use super::draw::Rng;
use crate::db::profiles::{self, ProfileRow};
use crate::db::DbConnection;
use crate::ids::UserId;
use crate::questionnaire::Profile;

fn some_of(rng: &mut Rng, options: &[&str], count: usize) -> Vec<String> {
    let mut pool: Vec<&str> = options.to_vec();
    let mut out = Vec::new();
    while out.len() < count.min(options.len()) {
        let i = rng.below(pool.len());
        out.push(pool.remove(i).to_owned());
    }
    out.sort();
    out
}

pub fn save(
    conn: &mut DbConnection,
    rng: &mut Rng,
    profile: &Profile,
    enterprise: &crate::db::enterprises::EnterpriseRow,
    by: UserId,
    capability: u8,
) -> anyhow::Result<()> {
    let c = usize::from(capability);
    // The choices come from the profile questionnaire itself.
    let options = |id: &str| -> Vec<&str> {
        profile
            .question(id)
            .map(|q| q.options.iter().map(|o| o.value.as_str()).collect())
            .unwrap_or_default()
    };
    let (domains, tools, duties) = (
        options("policy_domains"),
        options("data_tools"),
        options("cdo_duties"),
    );
    let cdo = rng.chance(15 + 20 * u64::from(capability));
    let mut answers = serde_json::Map::new();
    let mut put = |k: &str, v: Value| {
        answers.insert(k.to_owned(), v);
    };
    put(
        "size",
        json!(["micro", "small", "medium", "large"][rng.below(4)]),
    );
    put("industry", json!("equipment"));
    put("employees", json!(50 + rng.below(400) * (c + 1)));
    put(
        "data_volume",
        json!(
            ["lt_1tb", "1tb_10tb", "10tb_100tb", "100tb_1pb"]
                [(c.saturating_sub(1) + rng.below(2)).min(3)]
        ),
    );
    put(
        "data_staff",
        json!(c.saturating_sub(1) + rng.below(3) + usize::from(capability >= 3) * 2),
    );
    let n = c + rng.below(2);
    put("data_tools", json!(some_of(rng, &tools, n)));
    let n = (c * 2).min(8).saturating_sub(rng.below(2));
    put("policy_domains", json!(some_of(rng, &domains, n)));
    put(
        "dcmm_certificate",
        json!(if capability >= 3 && rng.chance(40) {
            "L2"
        } else {
            "none"
        }),
    );
    put("cdo_appointed", json!(cdo));
    if cdo {
        put(
            "cdo_rank",
            json!(["board", "executive", "executive", "middle"][rng.below(4)]),
        );
        put("cdo_in_charter", json!(rng.chance(50)));
        let n = 2 + rng.below(5);
        put("cdo_duties", json!(some_of(rng, &duties, n)));
    }
    let row = ProfileRow {
        enterprise_id: enterprise.id,
        questionnaire_hash: profile.hash.clone(),
        answers_json: Value::Object(answers).to_string(),
        version: 1,
        updated_by: Some(by),
        updated_at: crate::db::now(),
    };
    profiles::save(conn, &row, 0)?;
    Ok(())
}
