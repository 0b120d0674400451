//! Audit events in human words for the staff pages: "Backup codes generated", "Security mail
//! sent: two-factor turned on". The raw event name stays beside the sentence on the page; an
//! event this module does not know reads as its raw name. Only details that help a person are
//! used (method, mail kind, reason, counts, a factor's name) — never a secret, code or hash.

use serde_json::Value;

/// How a factor kind (or a code method) reads in a sentence: "an authenticator app".
fn with_article(kind: &str) -> &'static str {
    match kind {
        "totp" => "an authenticator app",
        "yubikey_otp" => "a YubiKey",
        "webauthn" => "a security key",
        "backup_code" => "a backup code",
        _ => "a second factor",
    }
}

/// A factor kind at the start of a sentence: "Authenticator app".
fn capitalised(kind: &str) -> &'static str {
    match kind {
        "totp" => "Authenticator app",
        "yubikey_otp" => "YubiKey",
        "webauthn" => "Security key",
        "backup_code" => "Backup code",
        _ => "Second factor",
    }
}

/// What a security mail of this kind was about.
fn mail_subject(kind: &str) -> String {
    match kind {
        "two_factor_enabled" => "two-factor turned on".into(),
        "factor_removed" => "a second factor removed".into(),
        "backup_codes_regenerated" => "new backup codes".into(),
        "backup_code_used" => "a backup code used".into(),
        "lockout" => "sign-in paused after failed attempts".into(),
        "support_reset" => "two-factor reset by support".into(),
        other => plain(other),
    }
}

/// Why something failed or was refused, in words.
fn reason_words(reason: &str) -> String {
    match reason {
        "wrong_email_or_password" | "wrong_password" => "wrong password".into(),
        "no_match" | "wrong_code" => "the code did not match".into(),
        "replay" => "a code that was already used".into(),
        "enrollment_overdue" => "the grace period to add a second factor is over".into(),
        "validation_service_unavailable" => "the YubiKey validation service did not answer".into(),
        "challenge_expired_or_used" => "the security key's challenge expired or was used".into(),
        "bad_signature" => "the security key's signature was not valid".into(),
        "counter_regressed" => "the security key's counter went backwards".into(),
        "attestation_not_trusted" => "the security key's make is not trusted".into(),
        "backup_code_did_not_match" => "the backup code did not match".into(),
        "own_account" => "nobody can reset their own account".into(),
        "staff_account" => "a staff account needs the security team".into(),
        "too_many_failures" => "too many wrong codes".into(),
        other => plain(other),
    }
}

/// A stored name in words: `not_hardware_bound` → "not hardware bound".
fn plain(name: &str) -> String {
    name.replace(['_', '.'], " ")
}

fn text<'a>(details: &'a Value, key: &str) -> Option<&'a str> {
    details
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn number(details: &Value, key: &str) -> Option<i64> {
    details.get(key).and_then(Value::as_i64)
}

/// "Sentence: reason" when there is a reason, the sentence alone otherwise.
fn because(sentence: &str, details: &Value) -> String {
    match text(details, "reason") {
        Some(r) => format!("{sentence}: {}", reason_words(r)),
        None => sentence.to_owned(),
    }
}

/// "Authenticator app added: My Phone".
fn factor_sentence(verb: &str, details: &Value) -> String {
    let kind = text(details, "type").unwrap_or("");
    match text(details, "name") {
        Some(name) => format!("{} {verb}: {name}", capitalised(kind)),
        None => format!("{} {verb}", capitalised(kind)),
    }
}

fn sign_in(details: &Value) -> String {
    if text(details, "after") == Some("sign_up") {
        return "Signed up and signed in".into();
    }
    let how = match text(details, "second_factor") {
        None => "Signed in with the password".to_owned(),
        Some("enrolled") => "Signed in after adding a second factor".to_owned(),
        Some(m) => format!("Signed in with {}", with_article(m)),
    };
    if details.get("enrollment_required").and_then(Value::as_bool) == Some(true) {
        format!("{how}; asked to add a second factor")
    } else {
        how
    }
}

fn mail(sent: bool, details: &Value) -> String {
    let about = text(details, "kind").map(mail_subject);
    match (sent, about) {
        (true, Some(a)) => format!("Security mail sent: {a}"),
        (true, None) => "Security mail sent".into(),
        (false, about) => {
            let given_up = details.get("permanent").and_then(Value::as_bool) == Some(true);
            let head = if given_up {
                "Security mail could not be delivered"
            } else {
                "Security mail delayed"
            };
            match about {
                Some(a) => format!("{head}: {a}"),
                None => head.into(),
            }
        }
    }
}

fn reset(details: &Value) -> String {
    let check = match text(details, "verification") {
        Some("backup_code") => " after the customer read out a backup code",
        Some("out_of_band") => " after an identity check outside Keyward",
        Some("operator_cli") => " from the command line",
        _ => "",
    };
    let factors = number(details, "factors_removed").unwrap_or(0);
    let codes = number(details, "backup_codes_removed").unwrap_or(0);
    let s = |n: i64| if n == 1 { "" } else { "s" };
    format!(
        "Two-factor reset by support{check}: {factors} factor{} and {codes} backup code{} removed",
        s(factors),
        s(codes)
    )
}

/// The audit event `event` with `details`, as a sentence; unknown events read as their name.
pub fn describe(event: &str, details: &Value) -> String {
    match event {
        "login.succeeded" => sign_in(details),
        "login.failed" if text(details, "step") == Some("sudo") => {
            because("Password confirmation failed", details)
        }
        "login.failed" => because("Sign-in failed", details),
        "login.refused" => because("Sign-in refused", details),
        "verify.succeeded" => {
            format!(
                "Verified with {}",
                with_article(text(details, "method").unwrap_or(""))
            )
        }
        "verify.failed" => because("Verification failed", details),
        "verify.replay_rejected" => because("Verification refused", details),
        "verify.locked_out" if text(details, "reason") == Some("attempt_during_lockout") => {
            "Attempt refused during a lockout".into()
        }
        "verify.locked_out" => "Locked out after too many wrong codes".into(),
        "backup_codes.generated" => {
            if details.get("replaced").and_then(Value::as_bool) == Some(true) {
                "Backup codes generated (the old ones stopped working)".into()
            } else {
                "Backup codes generated".into()
            }
        }
        "backup_code.used" => match number(details, "remaining") {
            Some(1) => "Backup code used (1 left)".into(),
            Some(n) => format!("Backup code used ({n} left)"),
            None => "Backup code used".into(),
        },
        "email.sent" | "mail.sent" => mail(true, details),
        "email.failed" | "mail.failed" => mail(false, details),
        "factor.enrollment_started" => {
            let kind = text(details, "type").unwrap_or("");
            format!("Started adding {}", with_article(kind))
        }
        "factor.activated" => factor_sentence("added", details),
        "factor.activation_failed" => {
            let kind = text(details, "type").unwrap_or("");
            because(&format!("Adding {} failed", with_article(kind)), details)
        }
        "factor.removed" if text(details, "status") == Some("pending") => {
            factor_sentence("removed before it was finished", details)
        }
        "factor.removed" => factor_sentence("removed", details),
        "support.reset" => reset(details),
        "support.reset_refused" => because("Support reset refused", details),
        "account.reported_by_user" => {
            "The user reported activity they did not recognise (\"this wasn't me\")".into()
        }
        "access.denied" => match text(details, "page") {
            Some(p) => format!("Refused a staff page: {p}"),
            None => "Refused a staff page".into(),
        },
        "policy.changed" => "Security policy changed".into(),
        "group.created" => named("Group created", details),
        "group.deleted" => named("Group deleted", details),
        "group.policy_changed" => named("Group's security policy changed", details),
        "group.member_added" => named("Added to the group", details),
        "group.member_removed" => named("Removed from the group", details),
        "user.created" => "Account created".into(),
        "user.updated" => "Account details changed".into(),
        "user.role_changed" => match (text(details, "before"), text(details, "after")) {
            (Some(b), Some(a)) => format!("Role changed from {b} to {a}"),
            _ => "Role changed".into(),
        },
        "api_key.created" => "API key created".into(),
        "yubikey.added" => "YubiKey added to the key store".into(),
        "yubikey.imported" => match number(details, "count") {
            Some(1) => "1 YubiKey imported into the key store".into(),
            Some(n) => format!("{n} YubiKeys imported into the key store"),
            None => "YubiKeys imported into the key store".into(),
        },
        "yubikey.removed" => "YubiKey removed from the key store".into(),
        "wsapi.client_created" => "YubiKey validation client created".into(),
        "wsapi.verify" => "YubiKey code checked for a validation client".into(),
        "webauthn.possible_cloned_key" => {
            "Possible cloned security key: its counter did not increase".into()
        }
        other => other.to_owned(),
    }
}

/// Who did it, as the audit log's actor type reads to support.
pub fn actor_words(kind: &str) -> &str {
    match kind {
        "user" => "The user",
        "support" => "Support",
        "api_key" => "API key",
        "system" => "Keyward",
        other => other,
    }
}

/// A group event's sentence with the group's name, when the details have it.
fn named(what: &str, details: &Value) -> String {
    match text(details, "name") {
        Some(n) => format!("{what} “{n}”"),
        None => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sign_ins_name_the_method() {
        let d = json!({ "second_factor": "totp" });
        assert_eq!(
            describe("login.succeeded", &d),
            "Signed in with an authenticator app"
        );
        assert_eq!(
            describe("login.succeeded", &json!({ "second_factor": null })),
            "Signed in with the password"
        );
        assert_eq!(
            describe(
                "login.succeeded",
                &json!({ "second_factor": "backup_code", "enrollment_required": true })
            ),
            "Signed in with a backup code; asked to add a second factor"
        );
        assert_eq!(
            describe(
                "login.failed",
                &json!({ "reason": "wrong_email_or_password" })
            ),
            "Sign-in failed: wrong password"
        );
        assert_eq!(
            describe(
                "login.failed",
                &json!({ "reason": "wrong_password", "step": "sudo" })
            ),
            "Password confirmation failed: wrong password"
        );
    }

    #[test]
    fn mail_names_its_kind() {
        assert_eq!(
            describe(
                "email.sent",
                &json!({ "mail_id": "m1", "kind": "two_factor_enabled" })
            ),
            "Security mail sent: two-factor turned on"
        );
        assert_eq!(
            describe(
                "email.failed",
                &json!({ "kind": "lockout", "permanent": true, "error": "550" })
            ),
            "Security mail could not be delivered: sign-in paused after failed attempts"
        );
        assert_eq!(
            describe("email.sent", &json!({ "kind": "new_kind" })),
            "Security mail sent: new kind"
        );
    }

    #[test]
    fn factors_and_codes() {
        assert_eq!(
            describe("backup_codes.generated", &json!({ "count": 10 })),
            "Backup codes generated"
        );
        assert_eq!(
            describe("backup_code.used", &json!({ "remaining": 8 })),
            "Backup code used (8 left)"
        );
        assert_eq!(
            describe(
                "factor.activated",
                &json!({ "type": "yubikey_otp", "name": "Blue key" })
            ),
            "YubiKey added: Blue key"
        );
        assert_eq!(
            describe(
                "factor.activation_failed",
                &json!({ "type": "totp", "reason": "wrong_code" })
            ),
            "Adding an authenticator app failed: the code did not match"
        );
        assert_eq!(
            describe(
                "factor.removed",
                &json!({ "type": "webauthn", "name": "Key", "status": "active" })
            ),
            "Security key removed: Key"
        );
        assert_eq!(
            describe(
                "verify.failed",
                &json!({ "reason": "wrong_origin", "method": "webauthn" })
            ),
            "Verification failed: wrong origin"
        );
        assert_eq!(
            describe("verify.succeeded", &json!({ "method": "yubikey_otp" })),
            "Verified with a YubiKey"
        );
    }

    #[test]
    fn support_and_staff() {
        let d = json!({ "agent": "Sam", "reason": "Lost phone", "verification": "backup_code",
            "reference": null, "factors_removed": 1, "backup_codes_removed": 9 });
        assert_eq!(
            describe("support.reset", &d),
            "Two-factor reset by support after the customer read out a backup code: 1 factor and 9 backup codes removed"
        );
        assert_eq!(
            describe(
                "access.denied",
                &json!({ "page": "/support", "role": "customer" })
            ),
            "Refused a staff page: /support"
        );
        assert_eq!(
            describe("policy.changed", &json!({})),
            "Security policy changed"
        );
        assert_eq!(
            describe("group.member_added", &json!({"name": "Staff"})),
            "Added to the group “Staff”"
        );
        assert_eq!(describe("group.created", &json!({})), "Group created");
        assert_eq!(actor_words("support"), "Support");
        assert_eq!(actor_words("robot"), "robot");
    }

    #[test]
    fn unknown_events_read_as_their_name() {
        assert_eq!(
            describe("password.changed", &json!({ "x": 1 })),
            "password.changed"
        );
        assert_eq!(describe("", &Value::Null), "");
    }

    #[test]
    fn every_event_the_server_records_has_words() {
        for event in [
            "access.denied",
            "account.reported_by_user",
            "api_key.created",
            "backup_code.used",
            "backup_codes.generated",
            "email.failed",
            "email.sent",
            "factor.activated",
            "factor.activation_failed",
            "factor.enrollment_started",
            "factor.removed",
            "login.failed",
            "login.refused",
            "login.succeeded",
            "policy.changed",
            "support.reset",
            "support.reset_refused",
            "user.created",
            "user.role_changed",
            "verify.failed",
            "verify.locked_out",
            "verify.replay_rejected",
            "verify.succeeded",
            "webauthn.possible_cloned_key",
            "wsapi.client_created",
            "wsapi.verify",
            "yubikey.added",
            "yubikey.imported",
            "yubikey.removed",
        ] {
            let words = describe(event, &json!({}));
            assert_ne!(words, event, "{event} has no words");
            assert!(!words.contains('_'), "{event}: {words}");
        }
    }
}
