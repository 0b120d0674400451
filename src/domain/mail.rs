//! Security mail: what each event's mail says. Subjects here, bodies in `templates/email/`
//! (a plain-text and an HTML part for each). No mail ever carries a secret, a code or a seed:
//! the templates are given none. Nor do they carry text someone typed for a factor or an
//! account (factor names, display names): a relying application or an intruder could write
//! "to restore access visit …" there and have Keyward deliver it. A factor is described by
//! `factor_facts`, from what Keyward itself generated.

use std::sync::Arc;

use askama::Template;

use super::i18n::{Locale, ToArg};
use super::keyring::Keyring;
use super::newtypes::FactorKind;

/// What the outbox needs to write a mail: the issuer, the public base URL for links (no
/// trailing slash), the key that signs them.
#[derive(Clone)]
pub struct MailSettings {
    pub issuer: String,
    pub base_url: String,
    pub keyring: Arc<Keyring>,
    /// The language of mail to a user who has none (`KEYWARD_DEFAULT_LOCALE`).
    pub default_locale: Locale,
}

/// What every security mail shows.
#[derive(Debug, Clone)]
pub struct Common {
    pub issuer: String,
    pub email: String,
    /// When the event happened, e.g. "22 Nov 2026, 18:47 UTC".
    pub when: String,
    /// The address the request came from, or "unknown".
    pub ip: String,
    /// The signed, single-use "this wasn't me" link.
    pub report_url: String,
    /// The language of the mail: the user's, else `KEYWARD_DEFAULT_LOCALE`.
    pub locale: Locale,
}

/// The words of a mail, as its templates ask for them.
impl Common {
    pub fn t(&self, id: &str) -> String {
        self.locale.t(id)
    }

    pub fn t1<A: ToArg>(&self, id: &str, name: &str, value: A) -> String {
        self.locale.t_args(id, &[(name, value.to_arg())])
    }

    pub fn t2<A: ToArg, B: ToArg>(&self, id: &str, a: &str, va: A, b: &str, vb: B) -> String {
        self.locale
            .t_args(id, &[(a, va.to_arg()), (b, vb.to_arg())])
    }

    /// A factor type's name (`method_label`) in the mail's language.
    pub fn method(&self, english: &str) -> String {
        self.locale.t_english(english)
    }

    /// `factor_facts` in the mail's language: it is written in English when the event
    /// happens (callers keep it as text), and read back here.
    pub fn device(&self, facts: &str) -> String {
        localize_facts(facts, self.locale).unwrap_or_else(|| facts.to_owned())
    }

    /// A moment written "22 Nov 2026, 19:05:00 UTC" (a lockout's end) in the mail's language.
    pub fn moment(&self, english: &str) -> String {
        let trimmed = english.trim_end_matches(" UTC");
        chrono::NaiveDateTime::parse_from_str(trimmed, "%d %b %Y, %H:%M:%S")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(trimmed, "%d %b %Y, %H:%M"))
            .map(|at| self.locale.date_time(at))
            .unwrap_or_else(|_| english.to_owned())
    }
}

/// Reads `factor_facts`' English back and writes it in `locale`; `None` if it does not parse.
fn localize_facts(facts: &str, locale: Locale) -> Option<String> {
    let (head, rest) = facts.split_once(" added on ")?;
    let (day, tail) = rest.split_once(" (id ending ")?;
    let tail = tail.strip_suffix(')')?;
    let day = chrono::NaiveDate::parse_from_str(day, "%d %b %Y").ok()?;
    let day = locale.date(day);
    let (id, args): (&str, Vec<(&str, super::i18n::Arg)>) = match head.strip_suffix(',') {
        Some(key) => {
            let public_id = key.strip_prefix("YubiKey ")?;
            (
                "mail-facts-yubikey",
                vec![("public_id", public_id.to_arg())],
            )
        }
        None => (
            "mail-facts",
            vec![("method", locale.t_english(head).to_arg())],
        ),
    };
    let mut args = args;
    args.push(("day", day.to_arg()));
    args.push(("tail", tail.to_arg()));
    Some(locale.t_args(id, &args))
}

/// The events that send mail, with what their mail needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailKind {
    TwoFactorEnabled {
        /// This factor turned two-factor on (the user had none active).
        first: bool,
        method: String,
        device: String,
    },
    FactorRemoved {
        method: String,
        device: String,
        none_left: bool,
    },
    BackupCodesRegenerated,
    BackupCodeUsed {
        remaining: i64,
    },
    Lockout {
        until: String,
    },
    SupportReset {
        reason: String,
        agent: String,
    },
    /// The forgotten-password link (asked for at `/signin/forgot`).
    PasswordReset {
        url: String,
        minutes: i64,
    },
    /// The link to choose a new password after "this wasn't me" and a support reset.
    SetPassword {
        url: String,
        hours: i64,
    },
    /// A new sign-up's confirmation link.
    ConfirmEmail {
        url: String,
        hours: i64,
    },
    /// Someone signed up with an address that has an account; `url` is the reset page.
    SignupAttempt {
        url: String,
    },
    /// The password was changed (`reset: false`) or reset with a mailed link.
    PasswordChanged {
        reset: bool,
    },
}

impl MailKind {
    /// The stored name of the kind.
    pub fn name(&self) -> &'static str {
        match self {
            Self::TwoFactorEnabled { .. } => "two_factor_enabled",
            Self::FactorRemoved { .. } => "factor_removed",
            Self::BackupCodesRegenerated => "backup_codes_regenerated",
            Self::BackupCodeUsed { .. } => "backup_code_used",
            Self::Lockout { .. } => "lockout",
            Self::SupportReset { .. } => "support_reset",
            Self::PasswordReset { .. } => "password_reset",
            Self::SetPassword { .. } => "set_password",
            Self::ConfirmEmail { .. } => "confirm_email",
            Self::SignupAttempt { .. } => "signup_attempt",
            Self::PasswordChanged { .. } => "password_changed",
        }
    }

    /// Whether the mail reports a change to the account and so carries a "this wasn't me"
    /// link. Mails that carry a link the user asked for (or that nobody needs to report)
    /// do not.
    pub fn reportable(&self) -> bool {
        !matches!(
            self,
            Self::PasswordReset { .. }
                | Self::SetPassword { .. }
                | Self::ConfirmEmail { .. }
                | Self::SignupAttempt { .. }
        )
    }

    /// The subject line in `locale`.
    pub fn subject(&self, issuer: &str, locale: Locale) -> String {
        let id = match self {
            Self::TwoFactorEnabled { first: true, .. } => "mail-subject-enabled-first",
            Self::TwoFactorEnabled { first: false, .. } => "mail-subject-enabled",
            Self::FactorRemoved { .. } => "mail-subject-removed",
            Self::BackupCodesRegenerated => "mail-subject-regenerated",
            Self::BackupCodeUsed { .. } => "mail-subject-used",
            Self::Lockout { .. } => "mail-subject-lockout",
            Self::SupportReset { .. } => "mail-subject-support-reset",
            Self::PasswordReset { .. } => "mail-subject-password-reset",
            Self::SetPassword { .. } => "mail-subject-set-password",
            Self::ConfirmEmail { .. } => "mail-subject-confirm",
            Self::SignupAttempt { .. } => "mail-subject-attempt",
            Self::PasswordChanged { reset: true } => "mail-subject-password-was-reset",
            Self::PasswordChanged { reset: false } => "mail-subject-password-changed",
        };
        locale.t_args(id, &[("issuer", issuer.to_arg())])
    }
}

/// A mail ready for the outbox.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How a security mail names a factor: its kind, the day it was added, the last four characters
/// of its id and, for a YubiKey, its public id (modhex checked by Keyward) — never the name
/// typed for it.
pub fn factor_facts(
    kind: FactorKind,
    factor_id: &str,
    added: chrono::NaiveDateTime,
    yubikey_public_id: Option<&str>,
) -> String {
    let tail: String = {
        let chars: Vec<char> = factor_id.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    let day = added.format("%-d %b %Y");
    match (kind, yubikey_public_id) {
        (FactorKind::YubikeyOtp, Some(public_id))
            if !public_id.is_empty()
                && public_id
                    .bytes()
                    .all(|b| super::yubikey_otp::MODHEX.contains(&b)) =>
        {
            format!("YubiKey {public_id}, added on {day} (id ending {tail})")
        }
        _ => format!("{} added on {day} (id ending {tail})", method_label(kind)),
    }
}

/// How a factor type is named to its user.
pub fn method_label(kind: FactorKind) -> &'static str {
    match kind {
        FactorKind::Totp => "Authenticator app",
        FactorKind::YubikeyOtp => "YubiKey",
        FactorKind::Webauthn => "Security key",
    }
}

#[derive(Template)]
#[template(path = "email/two_factor_enabled.txt", escape = "none")]
struct EnabledTxt<'a> {
    c: &'a Common,
    first: bool,
    method: &'a str,
    device: &'a str,
}

#[derive(Template)]
#[template(path = "email/two_factor_enabled.html")]
struct EnabledHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    first: bool,
    method: &'a str,
    device: &'a str,
}

#[derive(Template)]
#[template(path = "email/factor_removed.txt", escape = "none")]
struct RemovedTxt<'a> {
    c: &'a Common,
    method: &'a str,
    device: &'a str,
    none_left: bool,
}

#[derive(Template)]
#[template(path = "email/factor_removed.html")]
struct RemovedHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    method: &'a str,
    device: &'a str,
    none_left: bool,
}

#[derive(Template)]
#[template(path = "email/backup_codes_regenerated.txt", escape = "none")]
struct RegeneratedTxt<'a> {
    c: &'a Common,
}

#[derive(Template)]
#[template(path = "email/backup_codes_regenerated.html")]
struct RegeneratedHtml<'a> {
    c: &'a Common,
    subject: &'a str,
}

#[derive(Template)]
#[template(path = "email/backup_code_used.txt", escape = "none")]
struct UsedTxt<'a> {
    c: &'a Common,
    remaining: i64,
}

#[derive(Template)]
#[template(path = "email/backup_code_used.html")]
struct UsedHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    remaining: i64,
}

#[derive(Template)]
#[template(path = "email/lockout.txt", escape = "none")]
struct LockoutTxt<'a> {
    c: &'a Common,
    until: &'a str,
}

#[derive(Template)]
#[template(path = "email/lockout.html")]
struct LockoutHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    until: &'a str,
}

#[derive(Template)]
#[template(path = "email/support_reset.txt", escape = "none")]
struct ResetTxt<'a> {
    c: &'a Common,
    reason: &'a str,
    agent: &'a str,
}

#[derive(Template)]
#[template(path = "email/support_reset.html")]
struct ResetHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    reason: &'a str,
    agent: &'a str,
}

#[derive(Template)]
#[template(path = "email/password_reset.txt", escape = "none")]
struct PasswordResetTxt<'a> {
    c: &'a Common,
    url: &'a str,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "email/password_reset.html")]
struct PasswordResetHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    url: &'a str,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "email/set_password.txt", escape = "none")]
struct SetPasswordTxt<'a> {
    c: &'a Common,
    url: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "email/set_password.html")]
struct SetPasswordHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    url: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "email/confirm_email.txt", escape = "none")]
struct ConfirmTxt<'a> {
    c: &'a Common,
    url: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "email/confirm_email.html")]
struct ConfirmHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    url: &'a str,
    hours: i64,
}

#[derive(Template)]
#[template(path = "email/signup_attempt.txt", escape = "none")]
struct AttemptTxt<'a> {
    c: &'a Common,
    url: &'a str,
}

#[derive(Template)]
#[template(path = "email/signup_attempt.html")]
struct AttemptHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    url: &'a str,
}

#[derive(Template)]
#[template(path = "email/password_changed.txt", escape = "none")]
struct ChangedTxt<'a> {
    c: &'a Common,
    reset: bool,
}

#[derive(Template)]
#[template(path = "email/password_changed.html")]
struct ChangedHtml<'a> {
    c: &'a Common,
    subject: &'a str,
    reset: bool,
}

/// Renders a mail's two parts.
pub fn render(kind: &MailKind, c: &Common) -> Result<Rendered, askama::Error> {
    let subject = kind.subject(&c.issuer, c.locale);
    let s = subject.as_str();
    let (text, html) = match kind {
        MailKind::TwoFactorEnabled {
            first,
            method,
            device,
        } => (
            EnabledTxt {
                c,
                first: *first,
                method,
                device,
            }
            .render()?,
            EnabledHtml {
                c,
                subject: s,
                first: *first,
                method,
                device,
            }
            .render()?,
        ),
        MailKind::FactorRemoved {
            method,
            device,
            none_left,
        } => (
            RemovedTxt {
                c,
                method,
                device,
                none_left: *none_left,
            }
            .render()?,
            RemovedHtml {
                c,
                subject: s,
                method,
                device,
                none_left: *none_left,
            }
            .render()?,
        ),
        MailKind::BackupCodesRegenerated => (
            RegeneratedTxt { c }.render()?,
            RegeneratedHtml { c, subject: s }.render()?,
        ),
        MailKind::BackupCodeUsed { remaining } => (
            UsedTxt {
                c,
                remaining: *remaining,
            }
            .render()?,
            UsedHtml {
                c,
                subject: s,
                remaining: *remaining,
            }
            .render()?,
        ),
        MailKind::Lockout { until } => (
            LockoutTxt { c, until }.render()?,
            LockoutHtml {
                c,
                subject: s,
                until,
            }
            .render()?,
        ),
        MailKind::SupportReset { reason, agent } => (
            ResetTxt { c, reason, agent }.render()?,
            ResetHtml {
                c,
                subject: s,
                reason,
                agent,
            }
            .render()?,
        ),
        MailKind::PasswordReset { url, minutes } => (
            PasswordResetTxt {
                c,
                url,
                minutes: *minutes,
            }
            .render()?,
            PasswordResetHtml {
                c,
                subject: s,
                url,
                minutes: *minutes,
            }
            .render()?,
        ),
        MailKind::SetPassword { url, hours } => (
            SetPasswordTxt {
                c,
                url,
                hours: *hours,
            }
            .render()?,
            SetPasswordHtml {
                c,
                subject: s,
                url,
                hours: *hours,
            }
            .render()?,
        ),
        MailKind::ConfirmEmail { url, hours } => (
            ConfirmTxt {
                c,
                url,
                hours: *hours,
            }
            .render()?,
            ConfirmHtml {
                c,
                subject: s,
                url,
                hours: *hours,
            }
            .render()?,
        ),
        MailKind::SignupAttempt { url } => (
            AttemptTxt { c, url }.render()?,
            AttemptHtml { c, subject: s, url }.render()?,
        ),
        MailKind::PasswordChanged { reset } => (
            ChangedTxt { c, reset: *reset }.render()?,
            ChangedHtml {
                c,
                subject: s,
                reset: *reset,
            }
            .render()?,
        ),
    };
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

/// One sample of every kind, for previews and tests.
pub fn samples() -> Vec<MailKind> {
    vec![
        MailKind::TwoFactorEnabled {
            first: true,
            method: method_label(FactorKind::Totp).into(),
            device: "Authenticator app added on 22 Nov 2026 (id ending 3f9a)".into(),
        },
        MailKind::TwoFactorEnabled {
            first: false,
            method: method_label(FactorKind::Webauthn).into(),
            device: "Security key added on 22 Nov 2026 (id ending 71c2)".into(),
        },
        MailKind::FactorRemoved {
            method: method_label(FactorKind::YubikeyOtp).into(),
            device: "YubiKey cccccbdefghi, added on 2 Oct 2026 (id ending 0b4e)".into(),
            none_left: false,
        },
        MailKind::BackupCodesRegenerated,
        MailKind::BackupCodeUsed { remaining: 2 },
        MailKind::Lockout {
            until: "22 Nov 2026, 19:05 UTC".into(),
        },
        MailKind::SupportReset {
            reason: "Lost phone; identity checked by video call".into(),
            agent: "Sam from Support".into(),
        },
        MailKind::PasswordReset {
            url: "https://2fa.example.com/account/password/sample-token".into(),
            minutes: 30,
        },
        MailKind::SetPassword {
            url: "https://2fa.example.com/account/password/sample-token".into(),
            hours: 24,
        },
        MailKind::ConfirmEmail {
            url: "https://2fa.example.com/account/confirm/sample-token".into(),
            hours: 48,
        },
        MailKind::SignupAttempt {
            url: "https://2fa.example.com/signin/forgot".into(),
        },
        MailKind::PasswordChanged { reset: true },
        MailKind::PasswordChanged { reset: false },
    ]
}

#[cfg(test)]
mod tests;
