//! Pages for support and security staff: the support console, the audit log, the security
//! policy and the compliance view. Laid out wide; every page checks the role itself
//! (`Staff<…>`), and a refusal is audited.

pub mod audit;
pub mod chart;
pub mod compliance;
pub mod groups;
pub mod policy;
pub mod support;

/// A factor kind as a badge on the staff pages: its label and the class after `badge-`
/// (the colours match the compliance chart's lines).
pub fn kind_badge(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "totp" => ("Authenticator app", "app"),
        "yubikey_otp" => ("YubiKey", "yubikey"),
        "webauthn" => ("Security key", "key"),
        _ => ("Second factor", "none"),
    }
}

/// A factor status as a badge: its label and the class after `badge-`.
pub fn status_badge(active: bool) -> (&'static str, &'static str) {
    if active {
        ("Active", "active")
    } else {
        ("Pending", "pending")
    }
}

/// An audit event on a staff page: the sentence, and the raw name beside it.
pub struct EventWords {
    pub words: String,
    pub name: String,
}

impl EventWords {
    pub fn of(event: String, details: &serde_json::Value) -> Self {
        Self {
            words: crate::domain::event_words::describe(&event, details),
            name: event,
        }
    }

    /// Whether the sentence says more than the raw name (unknown events do not).
    pub fn translated(&self) -> bool {
        self.words != self.name
    }
}
