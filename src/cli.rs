//! The `keyward` command line: serve (the default), migrate, API keys, users, groups, the
//! audit log.

use std::io::{Read, Write};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

mod clients;
mod group;
mod keys;

use crate::config::Settings;
use crate::domain::api_key::Scope;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::keyring::Keyring;
use crate::domain::newtypes::{Email, Password, Role};
use crate::services::RequestContext;
use crate::services::audit::{CSV_HEADER, csv_line, export_batch, verify_chain};
use crate::startup::{Application, open_database};
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(
    name = "keyward",
    version,
    about = "Self-hosted two-factor authentication server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage API keys.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Groups and their security policies.
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// Read and check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The security-mail outbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// The hardware key inventory.
    #[command(subcommand)]
    Yubikey(YubikeyCommand),
    /// The master keys that seal stored secrets: rotate, list, retire.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// The applications that hand off to Keyward over OpenID Connect.
    #[command(subcommand)]
    Client(clients::OidcClientCommand),
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Prints how many mails are pending, failed and sent.
    Status,
    /// Puts every failed mail back in the queue with fresh attempts.
    Retry,
}

#[derive(Debug, clap::Subcommand)]
pub enum YubikeyCommand {
    /// Import keys from a ykpersonalize log ("Yubico format") or `ykman otp yubiotp
    /// --config-output` CSV. All or nothing: any bad line (reported with its number) imports none.
    Import { file: std::path::PathBuf },
    /// Clients of Keyward's validation server (/wsapi/2.0/verify).
    #[command(subcommand)]
    Client(ClientCommand),
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Create a client: prints its id on the first line and its base64 secret on the second.
    Create { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Create a key; prints the key alone on stdout (it is not shown again).
    Create {
        name: String,
        #[arg(long, value_enum)]
        scope: ScopeArg,
        /// The key answers 401 this many days from now (unset: it never expires).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
        expires_days: Option<u32>,
    },
    /// One tab-separated line per key: id, name, scope, created, last used (accurate to five
    /// minutes), expires, revoked; `-` for a time that is not set. Never a token.
    List,
    /// Revoke a key: it answers 401 from the next request on, on every instance.
    Revoke { key_id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    Integration,
    Support,
    Security,
}

impl From<ScopeArg> for Scope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Integration => Scope::Integration,
            ScopeArg::Support => Scope::Support,
            ScopeArg::Security => Scope::Security,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Customer,
    Support,
    Security,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Customer => Role::Customer,
            RoleArg::Support => Role::Support,
            RoleArg::Security => Role::Security,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints the new user's id.
    Create {
        email: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long, value_enum, default_value = "customer")]
        role: RoleArg,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Change a user's role.
    Role {
        email: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Reset a user's two-factor authentication: every factor, backup code and session is
    /// revoked, the user is mailed, and `support.reset` is audited.
    Reset {
        email: String,
        /// Why (required; recorded in the audit log and shown to the user).
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: exit 0 when intact, 1 when not (naming the first bad event).
    Verify,
    /// Write every event to stdout, oldest first.
    Export {
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormat,
    },
}

/// Runs a command; the returned number is the process exit code.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<i32> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            Application::build_default(settings)
                .await?
                .run_until_stopped()
                .await?;
            Ok(0)
        }
        Command::Migrate => {
            let applied = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
                let db = crate::db::Db::connect(
                    &settings.database.url(),
                    1,
                    settings.database.sqlite_synchronous,
                )?;
                db.migrate()
            })
            .await??;
            eprintln!("applied {} migration(s)", applied.len());
            Ok(0)
        }
        Command::Apikey(cmd) => run_apikey(cmd, settings).await,
        Command::Keys(cmd) => keys::run(cmd, settings).await,
        Command::Client(cmd) => clients::run(cmd, settings).await,
        Command::User(cmd) => run_user(cmd, settings).await,
        Command::Group(cmd) => group::run(cmd, settings).await,
        Command::Audit(cmd) => run_audit(cmd, settings).await,
        Command::Mail(cmd) => {
            let state = offline_state(settings).await?;
            match cmd {
                MailCommand::Status => {
                    let s = state
                        .db
                        .read(|conn| {
                            Ok::<_, crate::error::Error>(crate::services::mail::status(conn)?)
                        })
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!(
                        "pending {}\nfailed {}\nsent {}",
                        s.pending, s.failed, s.sent
                    );
                }
                MailCommand::Retry => {
                    let now = state.clock.now();
                    let n = state
                        .db
                        .write(move |conn| {
                            Ok::<_, crate::error::Error>(crate::services::mail::retry_failed(
                                conn, now,
                            )?)
                        })
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{n} failed mails queued again");
                }
            }
            Ok(0)
        }
        Command::Yubikey(YubikeyCommand::Import { file }) => {
            run_yubikey_import(&file, settings).await
        }
        Command::Yubikey(YubikeyCommand::Client(ClientCommand::Create { name })) => {
            let name = crate::domain::newtypes::parse_label("name", &name, 64)
                .map_err(anyhow::Error::msg)?;
            let state = offline_state(settings).await?;
            let (id, secret) = crate::services::wsapi::create_client(&state, name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{id}\n{secret}");
            Ok(0)
        }
    }
}

async fn run_apikey(cmd: ApikeyCommand, settings: Settings) -> anyhow::Result<i32> {
    match cmd {
        ApikeyCommand::Create {
            name,
            scope,
            expires_days,
        } => {
            let name = crate::domain::newtypes::parse_label("name", &name, 64)
                .map_err(anyhow::Error::msg)?;
            let token = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
                let db = open_database(&settings)?;
                let now = SystemClock.now();
                let expires_at = expires_days.map(|d| now + chrono::Duration::days(i64::from(d)));
                let (_id, token) = db.with_conn(|conn| {
                    crate::services::apikeys::create_expiring(
                        conn,
                        now,
                        &name,
                        scope.into(),
                        expires_at,
                    )
                })??;
                Ok(token)
            })
            .await??;
            println!("{token}");
            Ok(0)
        }
        ApikeyCommand::List => {
            let keys = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let db = open_database(&settings)?;
                Ok(db.with_conn(crate::services::apikeys::list)??)
            })
            .await??;
            let dash = |t: &Option<String>| t.clone().unwrap_or_else(|| "-".into());
            for k in keys {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    k.id,
                    k.name.replace(['\t', '\n'], " "),
                    k.scope.as_str(),
                    k.created_at,
                    dash(&k.last_used_at),
                    dash(&k.expires_at),
                    dash(&k.revoked_at)
                );
            }
            Ok(0)
        }
        ApikeyCommand::Revoke { key_id } => {
            let state = offline_state(settings).await?;
            match crate::services::apikeys::revoke(&state, operator_ctx(), key_id.clone()).await {
                Ok(()) => {
                    println!("revoked {key_id}");
                    Ok(0)
                }
                Err(crate::error::Error::NotFound(_)) => {
                    eprintln!("no API key with the id {key_id} (see `keyward apikey list`)");
                    Ok(1)
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
    }
}

/// The operator at the server's command line, as the audit log records them.
pub(crate) fn operator_ctx() -> RequestContext {
    let operator = std::env::var("USER").unwrap_or_else(|_| "an operator".into());
    RequestContext::new(
        crate::services::Actor::Support(format!("cli:{operator}")),
        None,
    )
}

pub(crate) async fn offline_state(settings: Settings) -> anyhow::Result<AppState> {
    let s = settings.clone();
    let db = tokio::task::spawn_blocking(move || open_database(&s)).await??;
    let keyring = Keyring::load_or_create(&settings.database.master_key_file())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    AppState::new(db, settings, clock, keyring, None)
}

async fn run_user(cmd: UserCommand, settings: Settings) -> anyhow::Result<i32> {
    match cmd {
        UserCommand::Create {
            email,
            password_stdin,
            role,
            display_name,
        } => {
            let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
            let display_name = display_name
                .map(|d| crate::domain::newtypes::parse_label("display name", &d, 128))
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_to_string(&mut line)?;
                let first = line.lines().next().unwrap_or("").to_owned();
                Some(Password::parse(first).map_err(anyhow::Error::msg)?)
            } else {
                None
            };
            let state = offline_state(settings).await?;
            let user = crate::services::users::create_user(
                &state,
                RequestContext::system(),
                crate::services::users::NewUser {
                    email,
                    display_name,
                    password,
                    role: role.into(),
                    locale: None,
                    via: "cli",
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", user.id);
            Ok(0)
        }
        UserCommand::Reset { email, reason } => {
            let state = offline_state(settings).await?;
            let user = crate::services::users::find_by_email(&state, email.clone())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .ok_or_else(|| anyhow::anyhow!("no user with the email {email}"))?;
            let operator = std::env::var("USER").unwrap_or_else(|_| "an operator".into());
            let ctx = crate::services::RequestContext::new(
                crate::services::Actor::Support(format!("cli:{operator}")),
                None,
            );
            let out = crate::services::support::reset(
                &state,
                ctx,
                crate::services::support::Agent {
                    name: "Support".into(),
                    // An operator on the server may reset any account.
                    may_reset_staff: true,
                    user_id: None,
                },
                user.id,
                reason,
                crate::services::support::Verification::OperatorCli,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "factors removed {}\nbackup codes removed {}",
                out.factors_removed, out.backup_codes_removed
            );
            Ok(0)
        }
        UserCommand::Role { email, role } => {
            let state = offline_state(settings).await?;
            let user = crate::services::users::set_role(&state, email, role.into())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} is now {}", user.email, user.role.as_str());
            Ok(0)
        }
    }
}

async fn run_audit(cmd: AuditCommand, settings: Settings) -> anyhow::Result<i32> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<i32> {
        let db = open_database(&settings)?;
        match cmd {
            AuditCommand::Verify => {
                let report = db.with_conn(verify_chain)??;
                let anchor = report.last_checkpoint.as_ref().map_or_else(
                    || "no checkpoint yet".to_owned(),
                    |c| format!("newest checkpoint {} at {}: {}", c.id, c.at, c.hash),
                );
                if report.ok {
                    println!(
                        "ok: the audit log is intact ({} events in {} chains, {} checkpoints checked; {anchor})",
                        report.events_checked, report.chains, report.checkpoints_checked
                    );
                    Ok(0)
                } else {
                    let place = match (&report.first_bad_event_id, report.first_bad_chain, report.first_bad_position) {
                        (Some(id), Some(c), Some(p)) => format!("event {id} (chain {c}, position {p})"),
                        (Some(id), _, _) => format!("event {id}"),
                        (None, Some(c), Some(p)) => format!("chain {c}, position {p}"),
                        _ => "checkpoints".to_owned(),
                    };
                    println!(
                        "broken: {place}: {} ({} other events checked intact; {anchor})",
                        report.problem.as_deref().unwrap_or("unknown problem"),
                        report.events_checked
                    );
                    Ok(1)
                }
            }
            AuditCommand::Export { format } => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                if let ExportFormat::Csv = format {
                    writeln!(out, "{CSV_HEADER}")?;
                }
                let mut after = 0i64;
                loop {
                    let batch = db.with_conn(|conn| export_batch(conn, after, 1000))??;
                    let Some(last) = batch.last() else { break };
                    after = last.id.parse().unwrap_or(i64::MAX);
                    for e in &batch {
                        match format {
                            ExportFormat::Jsonl => writeln!(out, "{}", serde_json::to_string(e)?)?,
                            ExportFormat::Csv => writeln!(out, "{}", csv_line(e))?,
                        }
                    }
                }
                out.flush()?;
                Ok(0)
            }
        }
    })
    .await?
}

async fn run_yubikey_import(file: &std::path::Path, settings: Settings) -> anyhow::Result<i32> {
    let text =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let text = String::from_utf8(text)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))?;
    let parsed = crate::domain::yubikey_csv::parse(&text);
    for (line, why) in &parsed.skipped {
        eprintln!("line {line}: skipped: {why}");
    }
    if !parsed.errors.is_empty() {
        for (line, what) in &parsed.errors {
            eprintln!("line {line}: {what}");
        }
        eprintln!("nothing was imported: fix the lines above and run the import again");
        return Ok(1);
    }
    if parsed.keys.is_empty() {
        eprintln!("no Yubico OTP keys found in {}", file.display());
        return Ok(1);
    }
    let keys = parsed
        .keys
        .into_iter()
        .map(|k| crate::services::yubikeys::NewYubikey {
            public_id: k.public_id,
            private_id: k.private_id,
            aes_key: k.aes_key,
        })
        .collect();
    let state = offline_state(settings).await?;
    match crate::services::yubikeys::import(&state, RequestContext::system(), keys).await {
        Ok(n) => {
            println!("imported {n} key(s)");
            Ok(0)
        }
        Err(e) => {
            eprintln!("{e}; nothing was imported");
            Ok(1)
        }
    }
}
