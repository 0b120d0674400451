//! `keyward group`: groups and their policies from the command line (create, list, delete,
//! add and remove members by email, set a group's policy from a JSON file or clear it). The
//! same services as the API, audited with the operator as the actor.

use std::io::Read;

use clap::Subcommand;

use crate::config::Settings;
use crate::domain::policy::Policy;
use crate::services::groups::{self, Group};
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group (without a policy); prints its id.
    Create { name: String },
    /// One line per group: id, name, members, and its policy as JSON (`-` for none).
    List,
    /// Delete a group; its members leave it.
    Delete { group: String },
    /// Add the user with this email to the group (a no-op when they are in it).
    Add { group: String, email: String },
    /// Remove the user with this email from the group.
    Remove { group: String, email: String },
    /// Set the group's policy from a JSON file (the document of `PUT /api/v1/policy`; `-`
    /// reads standard input), or remove it with `--clear`.
    Policy {
        group: String,
        #[arg(required_unless_present = "clear")]
        file: Option<std::path::PathBuf>,
        #[arg(long, conflicts_with = "file")]
        clear: bool,
    },
}

/// The group named by its id or its name.
async fn find(state: &AppState, group: &str) -> anyhow::Result<Group> {
    if group.starts_with("grp_")
        && let Ok(g) = groups::get(state, group.to_owned()).await
    {
        return Ok(g);
    }
    groups::find_by_name(state, group.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("{e} (see `keyward group list`)"))
}

async fn user_id(state: &AppState, email: &str) -> anyhow::Result<String> {
    crate::services::users::find_by_email(state, email.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no user with the email {email}"))
}

fn read_policy(file: &std::path::Path) -> anyhow::Result<Policy> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    }
    serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not a policy document: {e}", file.display()))
}

pub async fn run(cmd: GroupCommand, settings: Settings) -> anyhow::Result<i32> {
    let state = super::offline_state(settings).await?;
    let ctx = super::operator_ctx;
    let fail = |e: crate::error::Error| anyhow::anyhow!("{e}");
    match cmd {
        GroupCommand::Create { name } => {
            let g = groups::create(&state, ctx(), name).await.map_err(fail)?;
            println!("{}", g.id);
        }
        GroupCommand::List => {
            for g in groups::list(&state).await.map_err(fail)? {
                let policy = match &g.policy {
                    Some(p) => serde_json::to_string(p)?,
                    None => "-".into(),
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    g.id,
                    g.name.replace(['\t', '\n'], " "),
                    g.members,
                    policy
                );
            }
        }
        GroupCommand::Delete { group } => {
            let g = find(&state, &group).await?;
            groups::delete(&state, ctx(), g.id.clone())
                .await
                .map_err(fail)?;
            println!("deleted {} ({} members left it)", g.name, g.members);
        }
        GroupCommand::Add { group, email } => {
            let g = find(&state, &group).await?;
            let user = user_id(&state, &email).await?;
            groups::add_member(&state, ctx(), g.id, user)
                .await
                .map_err(fail)?;
            println!("{email} is in {}", g.name);
        }
        GroupCommand::Remove { group, email } => {
            let g = find(&state, &group).await?;
            let user = user_id(&state, &email).await?;
            groups::remove_member(&state, ctx(), g.id, user)
                .await
                .map_err(fail)?;
            println!("{email} left {}", g.name);
        }
        GroupCommand::Policy { group, file, clear } => {
            let g = find(&state, &group).await?;
            let policy = match (clear, file) {
                (true, _) | (false, None) => None,
                (false, Some(f)) => Some(read_policy(&f)?),
            };
            let saved = groups::set_policy(&state, ctx(), g.id, policy)
                .await
                .map_err(fail)?;
            match saved.policy {
                Some(p) => println!("{}", serde_json::to_string(&p)?),
                None => println!("{} has no policy", saved.name),
            }
        }
    }
    Ok(0)
}
