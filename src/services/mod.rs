//! Use cases that tie the domain rules to storage, each in one transaction, each audited in
//! that same transaction.

pub mod account;
pub mod adoption;
pub mod apikeys;
pub mod audit;
pub mod backup_codes;
pub mod compliance;
pub mod console;
pub mod factors;
pub mod groups;
pub mod keys;
pub mod mail;
pub mod maintenance;
pub mod oidc;
pub mod password_guard;
pub mod password_life;
pub mod passwords;
pub mod policy;
pub mod refusals;
pub mod report;
pub mod sessions;
pub mod sign_in;
pub mod support;
pub mod users;
pub mod verify;
pub mod webauthn;
pub mod wsapi;
pub mod yubikeys;

use crate::domain::api_key::Scope;
use crate::domain::audit_chain::bound_text;

/// Who performed an action, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    ApiKey(String),
    User(String),
    Support(String),
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ApiKey(_) => "api_key",
            Self::User(_) => "user",
            Self::Support(_) => "support",
            Self::System => "system",
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            Self::ApiKey(id) | Self::User(id) | Self::Support(id) => Some(id),
            Self::System => None,
        }
    }
}

/// Where a request came from: recorded with every audit event it causes.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub actor: Actor,
    pub ip: Option<String>,
    /// The scope of the API key behind an `Actor::ApiKey` request; `None` for everything
    /// else. Services that guard staff accounts read it inside their transaction.
    pub api_scope: Option<Scope>,
}

impl RequestContext {
    pub fn new(actor: Actor, ip: Option<String>) -> Self {
        Self {
            actor,
            ip: ip.map(|s| bound_text(&s, 64)),
            api_scope: None,
        }
    }

    /// The context of a request made with an API key of `scope`.
    pub fn api_key(key_id: String, scope: Scope, ip: Option<String>) -> Self {
        Self {
            api_scope: Some(scope),
            ..Self::new(Actor::ApiKey(key_id), ip)
        }
    }

    pub fn system() -> Self {
        Self {
            actor: Actor::System,
            ip: None,
            api_scope: None,
        }
    }
}
