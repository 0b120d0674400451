//! `keyward client`: the relying applications that hand off to Keyward over OpenID Connect.

use clap::Subcommand;

use crate::config::Settings;
use crate::services::oidc::clients::{self, NewClient};

#[derive(Debug, Subcommand)]
pub enum OidcClientCommand {
    /// Registers a client; prints its client_id on the first line and its secret (shown once)
    /// on the second.
    Create {
        name: String,
        /// An exact redirect URI (https, or http on a loopback host); repeat for several.
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// The client signs its users in itself and hands them off with a signed request
        /// object (HS256 with its secret).
        #[arg(long)]
        trusted_first_factor: bool,
    },
    /// One line per client: id, name, trusted_first_factor, redirect URIs, created.
    List,
    /// Deletes a client: its codes and tokens stop working at once.
    Delete { client_id: String },
}

pub async fn run(cmd: OidcClientCommand, settings: Settings) -> anyhow::Result<i32> {
    let state = super::offline_state(settings).await?;
    match cmd {
        OidcClientCommand::Create {
            name,
            redirect_uris,
            trusted_first_factor,
        } => {
            let created = clients::create(
                &state,
                super::operator_ctx(),
                NewClient {
                    name,
                    redirect_uris,
                    trusted_first_factor,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", created.client.client_id);
            println!("{}", created.client_secret);
            Ok(0)
        }
        OidcClientCommand::List => {
            for c in clients::list(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                println!(
                    "{}\t{}\ttrusted_first_factor={}\t{}\t{}",
                    c.client_id,
                    c.name,
                    c.trusted_first_factor,
                    c.redirect_uris.join(" "),
                    c.created_at
                );
            }
            Ok(0)
        }
        OidcClientCommand::Delete { client_id } => {
            match clients::delete(&state, super::operator_ctx(), client_id).await {
                Ok(()) => Ok(0),
                Err(e) => {
                    eprintln!("error: {e}");
                    Ok(1)
                }
            }
        }
    }
}
