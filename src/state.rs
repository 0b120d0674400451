//! Shared state of a running server: the database, settings, clock, keyring and limits, and the
//! seams to outside parties. Built from the layers below the services (`config`, `db`,
//! `domain`, `seams`), so the services depend on it and it on none of them.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::Semaphore;

use crate::config::Settings;
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::keyring::Keyring;
use crate::domain::lockout::LockoutRules;
use crate::domain::mail::MailSettings;
use crate::seams::webauthn::RelyingParty;
use crate::seams::yubicloud::YubiCloud;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
    pub keyring: Arc<Keyring>,
    pub lockout: LockoutRules,
    /// Bounds concurrent argon2 work so a burst of password checks cannot starve other requests.
    pub password_permits: Arc<Semaphore>,
    pub metrics: Option<PrometheusHandle>,
    /// YubiCloud-protocol validation servers for keys not in the inventory, when configured.
    pub yubicloud: Option<Arc<YubiCloud>>,
    /// The WebAuthn relying party (origin, RP id, trusted attestation roots).
    pub webauthn: Arc<RelyingParty>,
    /// What the mail outbox needs to write a mail.
    pub mail: MailSettings,
    /// Wakes this process's mail worker when a transaction has written mail.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        db: Db,
        settings: Settings,
        clock: Arc<dyn Clock>,
        keyring: Keyring,
        metrics: Option<PrometheusHandle>,
    ) -> anyhow::Result<Self> {
        let lockout = LockoutRules {
            threshold: settings.lockout.threshold,
            base: chrono::Duration::seconds(settings.lockout.seconds),
            max: chrono::Duration::seconds(
                settings.lockout.max_seconds.max(settings.lockout.seconds),
            ),
        };
        let permits = Arc::new(Semaphore::new(settings.portal.password_hash_concurrency));
        let yubicloud = YubiCloud::from_settings(&settings)?.map(Arc::new);
        let webauthn = Arc::new(RelyingParty::from_settings(&settings)?);
        let keyring = Arc::new(keyring);
        let mail = MailSettings {
            issuer: settings.server.issuer.clone(),
            base_url: settings
                .server
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            keyring: keyring.clone(),
            default_locale: settings.portal.default_locale,
        };
        Ok(Self(Arc::new(Inner {
            db,
            settings,
            clock,
            keyring,
            lockout,
            password_permits: permits,
            metrics,
            yubicloud,
            webauthn,
            mail,
            mail_wakeup: Arc::new(tokio::sync::Notify::new()),
        })))
    }
}
