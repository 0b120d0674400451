//! `keyward keys`: rotate the master key, re-seal, list the keys, retire an old one.

use std::io::IsTerminal;

use clap::Subcommand;

use crate::config::Settings;
use crate::domain::keyring;
use crate::services::keys::{self, ResealReport};
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new master key, make it the one new secrets are sealed with, and re-seal every
    /// stored secret under it (in batches, while servers keep serving); prints how many.
    Rotate {
        /// Only add the key (re-seal later with `keyward keys reseal`).
        #[arg(long)]
        no_reseal: bool,
    },
    /// Re-seal every secret still sealed by an older key under the current one (finishes an
    /// interrupted or `--no-reseal` rotation; safe to run again).
    Reseal,
    /// One line per key: id, state (current, old, retired, missing), how many secrets it
    /// seals, and how many backup codes and report links were hashed with its pepper.
    List,
    /// Remove an old key from the key file once it seals nothing (its peppers stay, so backup
    /// codes keep working). Refuses the current key and a key that still seals something.
    Retire { key_id: String },
}

pub async fn run(cmd: KeysCommand, settings: Settings) -> anyhow::Result<i32> {
    let path = settings.database.master_key_file();
    match cmd {
        KeysCommand::Rotate { no_reseal } => {
            let state = super::offline_state(settings).await?;
            // Held until the re-seal is done, so another rotation or a retirement waits.
            let lock = keyring::file::lock(&path)?;
            // Refuses (before anything changed) when the new file could not be given the old
            // one's owner, and reads the new file back before anything is re-sealed.
            let new_id = lock.add_key()?;
            if state.keyring.current_id() != new_id {
                anyhow::bail!(
                    "the key file changed while the new key was added: run `keyward keys list`"
                );
            }
            let report = if no_reseal {
                ResealReport {
                    key_id: new_id.clone(),
                    remaining: keys::pending(&state)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                    ..Default::default()
                }
            } else {
                reseal(&state).await?
            };
            keys::record_rotation(&state, super::operator_ctx(), &report)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            // The ID-token signing key turns over with the master key.
            let kid = crate::services::oidc::signing::rotate(&state, super::operator_ctx())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let signing = format!(
                "new ID token signing key {kid} (the previous one stays listed at /oauth2/jwks for 24 hours)"
            );
            if no_reseal {
                println!(
                    "added master key {new_id}; {} secret(s) are still sealed by older keys: run `keyward keys reseal`; {signing}",
                    report.remaining
                );
            } else {
                println!("{}; {signing}", report.summary());
            }
            drop(lock);
            Ok(if report.remaining > 0 && !no_reseal {
                1
            } else {
                0
            })
        }
        KeysCommand::Reseal => {
            let state = super::offline_state(settings).await?;
            let report = reseal(&state).await?;
            println!("{}", report.summary());
            Ok(if report.remaining > 0 { 1 } else { 0 })
        }
        KeysCommand::List => {
            let state = super::offline_state(settings).await?;
            for k in keys::list(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                println!(
                    "{}\t{}\t{} sealed\t{} peppered",
                    k.key_id,
                    k.state.as_str(),
                    k.sealed,
                    k.peppered
                );
            }
            Ok(0)
        }
        KeysCommand::Retire { key_id } => {
            let state = super::offline_state(settings).await?;
            let lock = keyring::file::lock(&path)?;
            if let Err(why) = keys::check_retirable(&state, &key_id).await {
                eprintln!("refused: {why}");
                return Ok(1);
            }
            lock.retire_key(&key_id)?;
            drop(lock);
            keys::record_retirement(&state, super::operator_ctx(), key_id.clone())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "retired master key {key_id}: it opens nothing any more; its peppers stay in the key file"
            );
            Ok(0)
        }
    }
}

/// Re-seals with a progress bar on a terminal, and silently otherwise (the caller prints the
/// one summary line).
async fn reseal(state: &AppState) -> anyhow::Result<ResealReport> {
    let total = keys::pending(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "re-sealing {bar:40} {pos}/{len} secrets ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = keys::reseal_all(state, |done| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report)
}
