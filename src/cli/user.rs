//! `dcmm user add`: creates an account from the command line, so that the first admin can
//! exist before anyone can log in.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Args, Subcommand};

use crate::auth::account::{NewAccount, NewAccountInput, ScopeFields};
use crate::auth::password;
use crate::config::Settings;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (one line), e.g.
    /// `printf '%s\n' "$PASSWORD" | dcmm user add --username admin --role admin`.
    Add(AddUser),
}

#[derive(Debug, Args)]
pub struct AddUser {
    #[arg(long)]
    pub username: String,
    #[arg(long, value_enum)]
    pub role: Role,
    /// The cluster of a cluster manager; repeat it for each cluster of an auditor.
    #[arg(long = "cluster", value_name = "ID")]
    pub clusters: Vec<String>,
    /// The enterprise of an enterprise user.
    #[arg(long, value_name = "ID", conflicts_with = "clusters")]
    pub enterprise: Option<String>,
    /// Defaults to the username.
    #[arg(long)]
    pub display_name: Option<String>,
    /// zh (default) or en.
    #[arg(long)]
    pub language: Option<String>,
}

pub fn run(settings: &Settings, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(add) => {
            let password = read_password(&add.username)?;
            add_user(settings, &add, &password)
        }
    }
}

/// One line of standard input, without its line ending.
fn read_password(username: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password for {username} (the input is shown): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        anyhow::bail!("no password on standard input");
    }
    Ok(password)
}

/// Creates the account and prints its id.
pub fn add_user(settings: &Settings, add: &AddUser, password: &str) -> anyhow::Result<()> {
    let (cluster_id, cluster_ids) = match (add.role, add.clusters.as_slice()) {
        (_, []) => (None, None),
        (Role::Auditor, list) => (None, Some(list)),
        (_, [one]) => (Some(one.as_str()), None),
        (role, _) => anyhow::bail!("--cluster may be repeated only for role auditor, not {role}"),
    };
    let account = NewAccount::parse(&NewAccountInput {
        username: &add.username,
        password: Some(password),
        display_name: add.display_name.as_deref(),
        language: add.language.as_deref(),
        role: add.role,
        scope: ScopeFields {
            cluster_id,
            enterprise_id: add.enterprise.as_deref(),
            cluster_ids,
        },
    })
    .map_err(describe)?;
    let pool = db::connect(&settings.database, 1)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    let actor = crate::auth::users::resolve_scope(&mut conn, &account.scope)?
        .map_err(|missing| anyhow::anyhow!("{}: no such id {}", flag(missing.field), missing.id))?;
    let hash = password::hash(&account.password)?;
    let user = crate::auth::users::insert(&mut conn, &account, &actor, &hash)
        .map_err(AppError::from)
        .map_err(describe)?;
    println!(
        "created {} {} with id {}",
        actor.role(),
        user.username,
        user.id
    );
    Ok(())
}

/// The command-line option a request field comes from.
fn flag(field: &str) -> &str {
    match field {
        "username" => "--username",
        "password" => "password (standard input)",
        "display_name" => "--display-name",
        "language" => "--language",
        "cluster_id" | "cluster_ids" => "--cluster",
        "enterprise_id" => "--enterprise",
        other => other,
    }
}

fn describe(err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation { fields, .. }
        | AppError::Rules { fields, .. }
        | AppError::Conflict { fields, .. }
            if !fields.is_empty() =>
        {
            let lines: Vec<String> = fields
                .iter()
                .flat_map(|(field, messages)| {
                    messages
                        .iter()
                        .map(move |m| format!("{}: {m}", flag(field)))
                })
                .collect();
            anyhow::anyhow!(lines.join("; "))
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}
