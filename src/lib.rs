//! Keyward: a self-hosted, hardware-token-aware two-factor authentication server.
//!
//! Map of the crate (arrows point inward: `api` → `services` → `domain` and `db`):
//!
//! - [`cli`] — the `keyward` command line (serve, migrate, apikey, user, audit).
//! - [`startup`] — `Application::build` (connect, migrate, bind) and the serve loop.
//! - [`config`] — typed settings from `KEYWARD_*` variables and an optional TOML file.
//! - [`telemetry`] — logging (text or JSON), one request id per request span.
//! - [`state`] — `AppState`: database, settings, clock, keyring, limits.
//! - [`error`] — the error enum and its JSON answer.
//! - [`router`] — the one route table; [`middleware`] — the stack every request passes through.
//! - [`api`] — JSON handlers and the generated OpenAPI document.
//! - [`web`] — server-rendered pages: extractors, `PageError`, one file per flow.
//! - [`services`] — use cases, each one transaction with its audit event.
//! - [`seams`] — the outside parties held in `AppState`: the WebAuthn relying party, YubiCloud.
//! - [`domain`] — pure rules: TOTP, backup codes, lockouts, the audit chain, the keyring.
//! - [`db`] — Diesel over SQLite and PostgreSQL: schema, models, migrations, transactions.

pub mod api;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod middleware;
pub mod router;
pub mod seams;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
