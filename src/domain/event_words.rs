//! Audit events in human words for the staff pages: "Backup codes generated", "Security mail
//! sent: two-factor turned on", in the page's language (the `staff-event-*` messages of
//! `locales/<tag>/keyward.ftl`). The raw event name stays beside the sentence on the page; an
//! event this module does not know reads as its raw name. Only details that help a person are
//! used (method, mail kind, reason, counts, a factor's name) — never a secret, code or hash.

use serde_json::Value;

use crate::domain::i18n::{Arg, Locale};

/// A kind of factor (or code method) as the messages select on it: the stored name when the
/// catalogue knows it, `other` ("a second factor") otherwise.
fn kind_arg(kind: &str) -> Arg {
    let known = ["totp", "yubikey_otp", "webauthn", "backup_code"];
    Arg::Text(if known.contains(&kind) { kind } else { "other" }.to_owned())
}

/// What a security mail of this kind was about.
fn mail_subject(l: Locale, kind: &str) -> String {
    let id = match kind {
        "two_factor_enabled" => "staff-mail-about-enabled",
        "factor_removed" => "staff-mail-about-removed",
        "backup_codes_regenerated" => "staff-mail-about-regenerated",
        "backup_code_used" => "staff-mail-about-code-used",
        "lockout" => "staff-mail-about-lockout",
        "support_reset" => "staff-mail-about-reset",
        other => return plain(other),
    };
    l.t(id)
}

/// Why something failed or was refused, in words.
fn reason_words(l: Locale, reason: &str) -> String {
    let id = match reason {
        "wrong_email_or_password" | "wrong_password" => "staff-reason-wrong-password",
        "no_match" | "wrong_code" => "staff-reason-no-match",
        "replay" => "staff-reason-replay",
        "enrollment_overdue" => "staff-reason-overdue",
        "validation_service_unavailable" => "staff-reason-yubicloud-down",
        "challenge_expired_or_used" => "staff-reason-challenge",
        "bad_signature" => "staff-reason-bad-signature",
        "counter_regressed" => "staff-reason-counter",
        "attestation_not_trusted" => "staff-reason-attestation",
        "backup_code_did_not_match" => "staff-reason-backup-code",
        "own_account" => "staff-reason-own-account",
        "staff_account" => "staff-reason-staff-account",
        "too_many_failures" => "staff-reason-too-many",
        other => return plain(other),
    };
    l.t(id)
}

/// A stored name in words: `not_hardware_bound` → "not hardware bound" (a name the catalogue
/// does not know stays as it was recorded).
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

/// "Sentence: detail".
fn with_detail(l: Locale, sentence: String, detail: String) -> String {
    l.t_args(
        "staff-event-detail",
        &[
            ("sentence", Arg::Text(sentence)),
            ("detail", Arg::Text(detail)),
        ],
    )
}

/// "Sentence: reason" when there is a reason, the sentence alone otherwise.
fn because(l: Locale, sentence: String, details: &Value) -> String {
    match text(details, "reason") {
        Some(r) => with_detail(l, sentence, reason_words(l, r)),
        None => sentence,
    }
}

/// The message `id` about the factor kind of the details ("Authenticator app added"), with
/// the factor's name after it when the details have one.
fn factor_sentence(l: Locale, id: &str, details: &Value) -> String {
    let kind = text(details, "type").unwrap_or("");
    let sentence = l.t_args(id, &[("kind", kind_arg(kind))]);
    match text(details, "name") {
        Some(name) => with_detail(l, sentence, name.to_owned()),
        None => sentence,
    }
}

fn sign_in(l: Locale, details: &Value) -> String {
    if text(details, "after") == Some("sign_up") {
        return l.t("staff-event-signed-up");
    }
    let how = match text(details, "second_factor") {
        None => l.t("staff-event-signed-in-password"),
        Some("enrolled") => l.t("staff-event-signed-in-enrolled"),
        Some(m) => l.t_args("staff-event-signed-in-with", &[("method", kind_arg(m))]),
    };
    if details.get("enrollment_required").and_then(Value::as_bool) == Some(true) {
        l.t_args(
            "staff-event-asked-to-enroll",
            &[("sentence", Arg::Text(how))],
        )
    } else {
        how
    }
}

fn mail(l: Locale, sent: bool, details: &Value) -> String {
    let head = if sent {
        l.t("staff-event-mail-sent")
    } else if details.get("permanent").and_then(Value::as_bool) == Some(true) {
        l.t("staff-event-mail-failed")
    } else {
        l.t("staff-event-mail-delayed")
    };
    match text(details, "kind") {
        Some(kind) => with_detail(l, head, mail_subject(l, kind)),
        None => head,
    }
}

fn reset(l: Locale, details: &Value) -> String {
    // A check the catalogue does not know reads as the plain sentence (the default variant).
    let check = text(details, "verification").unwrap_or("other");
    l.t_args(
        "staff-event-reset",
        &[
            ("check", Arg::Text(check.to_owned())),
            (
                "factors",
                Arg::Number(number(details, "factors_removed").unwrap_or(0)),
            ),
            (
                "codes",
                Arg::Number(number(details, "backup_codes_removed").unwrap_or(0)),
            ),
        ],
    )
}

/// A role as the staff pages name it ("customer", "support", "security").
pub fn role_words(l: Locale, role: &str) -> String {
    l.t_args("staff-role-name", &[("role", Arg::Text(role.to_owned()))])
}

/// The audit event `event` with `details`, as an English sentence (see `describe_in`).
pub fn describe(event: &str, details: &Value) -> String {
    describe_in(Locale::En, event, details)
}

/// The audit event `event` with `details`, as a sentence in `l`; unknown events read as their
/// name.
pub fn describe_in(l: Locale, event: &str, details: &Value) -> String {
    let t = |id: &str| l.t(id);
    match event {
        "login.succeeded" => sign_in(l, details),
        "login.failed" if text(details, "step") == Some("sudo") => {
            because(l, t("staff-event-sudo-failed"), details)
        }
        "login.failed" => because(l, t("staff-event-sign-in-failed"), details),
        "login.refused" => because(l, t("staff-event-sign-in-refused"), details),
        "verify.succeeded" => {
            let method = kind_arg(text(details, "method").unwrap_or(""));
            l.t_args("staff-event-verified-with", &[("method", method)])
        }
        "verify.failed" => because(l, t("staff-event-verify-failed"), details),
        "verify.replay_rejected" => because(l, t("staff-event-verify-refused"), details),
        "verify.locked_out" if text(details, "reason") == Some("attempt_during_lockout") => {
            t("staff-event-lockout-attempt")
        }
        "verify.locked_out" => t("staff-event-locked-out"),
        "backup_codes.generated" => {
            if details.get("replaced").and_then(Value::as_bool) == Some(true) {
                t("staff-event-codes-replaced")
            } else {
                t("staff-event-codes-generated")
            }
        }
        "backup_code.used" => match number(details, "remaining") {
            Some(n) => l.t_args("staff-event-code-used-left", &[("count", Arg::Number(n))]),
            None => t("staff-event-code-used"),
        },
        "email.sent" | "mail.sent" => mail(l, true, details),
        "email.failed" | "mail.failed" => mail(l, false, details),
        "factor.enrollment_started" => {
            let kind = kind_arg(text(details, "type").unwrap_or(""));
            l.t_args("staff-event-started-adding", &[("kind", kind)])
        }
        "factor.activated" => factor_sentence(l, "staff-event-factor-added", details),
        "factor.activation_failed" => {
            let kind = kind_arg(text(details, "type").unwrap_or(""));
            let sentence = l.t_args("staff-event-adding-failed", &[("kind", kind)]);
            because(l, sentence, details)
        }
        "factor.removed" if text(details, "status") == Some("pending") => {
            factor_sentence(l, "staff-event-factor-abandoned", details)
        }
        "factor.removed" => factor_sentence(l, "staff-event-factor-removed", details),
        "support.reset" => reset(l, details),
        "support.reset_refused" => because(l, t("staff-event-reset-refused"), details),
        "account.reported_by_user" => t("staff-event-reported"),
        "access.denied" => match text(details, "page") {
            Some(p) => with_detail(l, t("staff-event-access-denied"), p.to_owned()),
            None => t("staff-event-access-denied"),
        },
        "policy.changed" => t("staff-event-policy-changed"),
        "group.created" => named(l, "staff-event-group-created", details),
        "group.deleted" => named(l, "staff-event-group-deleted", details),
        "group.policy_changed" => named(l, "staff-event-group-policy-changed", details),
        "group.member_added" => named(l, "staff-event-member-added", details),
        "group.member_removed" => named(l, "staff-event-member-removed", details),
        "user.created" => t("staff-event-account-created"),
        "user.updated" => t("staff-event-account-updated"),
        "user.role_changed" => match (text(details, "before"), text(details, "after")) {
            (Some(b), Some(a)) => l.t_args(
                "staff-event-role-changed-from",
                &[
                    ("before", Arg::Text(role_words(l, b))),
                    ("after", Arg::Text(role_words(l, a))),
                ],
            ),
            _ => t("staff-event-role-changed"),
        },
        "api_key.created" => t("staff-event-api-key-created"),
        "yubikey.added" => t("staff-event-yubikey-added"),
        "yubikey.imported" => match number(details, "count") {
            Some(n) => l.t_args(
                "staff-event-yubikeys-imported",
                &[("count", Arg::Number(n))],
            ),
            None => t("staff-event-yubikeys-imported-some"),
        },
        "yubikey.removed" => t("staff-event-yubikey-removed"),
        "wsapi.client_created" => t("staff-event-wsapi-client"),
        "wsapi.verify" => t("staff-event-wsapi-verify"),
        "webauthn.possible_cloned_key" => t("staff-event-cloned-key"),
        other => other.to_owned(),
    }
}

/// Who did it, as the audit log's actor type reads to support (English; see `actor_words_in`).
pub fn actor_words(kind: &str) -> String {
    actor_words_in(Locale::En, kind)
}

/// Who did it, in `l`: "The user", "Support"; an unknown actor type as it was recorded.
pub fn actor_words_in(l: Locale, kind: &str) -> String {
    match kind {
        "user" | "support" | "api_key" | "system" => {
            l.t_args("staff-actor", &[("kind", Arg::Text(kind.to_owned()))])
        }
        other => other.to_owned(),
    }
}

/// A group event's sentence (the message `id`), with the group's name (`id-named`) when the
/// details have it.
fn named(l: Locale, id: &str, details: &Value) -> String {
    match text(details, "name") {
        Some(n) => l.t_args(&format!("{id}-named"), &[("name", Arg::Text(n.to_owned()))]),
        None => l.t(id),
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

    /// Every sentence this module builds, in every language: a message each language has (no
    /// id or fallback marker shows), and in Russian and German no English word is left.
    #[test]
    fn every_sentence_is_in_every_language() {
        let kinds = ["totp", "yubikey_otp", "webauthn", "backup_code", "other"];
        let mut cases: Vec<(&str, Value)> = vec![
            ("login.succeeded", json!({ "after": "sign_up" })),
            ("login.succeeded", json!({ "second_factor": "enrolled" })),
            (
                "login.succeeded",
                json!({ "second_factor": null, "enrollment_required": true }),
            ),
            (
                "login.failed",
                json!({ "reason": "wrong_password", "step": "sudo" }),
            ),
            (
                "verify.locked_out",
                json!({ "reason": "attempt_during_lockout" }),
            ),
            ("backup_codes.generated", json!({ "replaced": true })),
            ("backup_code.used", json!({ "remaining": 3 })),
            (
                "email.failed",
                json!({ "kind": "lockout", "permanent": true }),
            ),
            ("email.failed", json!({ "kind": "support_reset" })),
            (
                "support.reset",
                json!({ "verification": "out_of_band", "factors_removed": 2, "backup_codes_removed": 1 }),
            ),
            (
                "support.reset",
                json!({ "verification": "operator_cli", "factors_removed": 5, "backup_codes_removed": 5 }),
            ),
            ("access.denied", json!({ "page": "/audit" })),
            ("group.created", json!({ "name": "Ops" })),
            ("group.deleted", json!({ "name": "Ops" })),
            ("group.policy_changed", json!({ "name": "Ops" })),
            ("group.member_added", json!({ "name": "Ops" })),
            ("group.member_removed", json!({ "name": "Ops" })),
            (
                "user.role_changed",
                json!({ "before": "customer", "after": "support" }),
            ),
            ("yubikey.imported", json!({ "count": 1 })),
            ("yubikey.imported", json!({ "count": 12 })),
        ];
        for kind in kinds {
            for event in [
                "factor.activated",
                "factor.removed",
                "factor.enrollment_started",
            ] {
                cases.push((event, json!({ "type": kind, "name": "Phone" })));
            }
            cases.push((
                "factor.removed",
                json!({ "type": kind, "status": "pending" }),
            ));
            cases.push((
                "factor.activation_failed",
                json!({ "type": kind, "reason": "wrong_code" }),
            ));
            cases.push(("verify.succeeded", json!({ "method": kind })));
            cases.push(("login.succeeded", json!({ "second_factor": kind })));
        }
        for mail in [
            "two_factor_enabled",
            "factor_removed",
            "backup_codes_regenerated",
            "backup_code_used",
        ] {
            cases.push(("email.sent", json!({ "kind": mail })));
        }
        for reason in [
            "no_match",
            "replay",
            "enrollment_overdue",
            "validation_service_unavailable",
            "challenge_expired_or_used",
            "bad_signature",
            "counter_regressed",
            "attestation_not_trusted",
            "backup_code_did_not_match",
            "own_account",
            "staff_account",
            "too_many_failures",
        ] {
            cases.push(("support.reset_refused", json!({ "reason": reason })));
        }
        for l in Locale::ALL {
            for (event, details) in &cases {
                let words = describe_in(l, event, details);
                assert!(
                    !words.contains("staff-") && !words.contains("Unknown") && !words.contains('_'),
                    "{}: {event} {details}: {words}",
                    l.tag()
                );
                if matches!(l, Locale::Ru | Locale::De) {
                    assert_ne!(words, describe(event, details), "{}: {event}", l.tag());
                }
            }
        }
        for kind in ["user", "support", "api_key", "system"] {
            assert_ne!(
                actor_words_in(Locale::Uk, kind),
                actor_words(kind).to_lowercase()
            );
        }
    }

    #[test]
    fn sentences_follow_the_grammar_of_the_language() {
        let d = json!({ "verification": "backup_code", "factors_removed": 3, "backup_codes_removed": 5 });
        assert_eq!(
            describe_in(Locale::Ru, "support.reset", &d),
            "Поддержка сбросила двухфакторную аутентификацию после того, как клиент продиктовал \
             резервный код: удалены 3 фактора и 5 резервных кодов"
        );
        assert_eq!(
            describe_in(
                Locale::Ru,
                "factor.activated",
                &json!({ "type": "totp", "name": "Телефон" })
            ),
            "Добавлено приложение-аутентификатор: Телефон"
        );
        assert_eq!(
            describe_in(Locale::De, "group.member_added", &json!({ "name": "Ops" })),
            "Zur Gruppe „Ops“ hinzugefügt"
        );
        assert_eq!(
            describe_in(Locale::Es, "yubikey.imported", &json!({ "count": 1 })),
            "1 YubiKey importada al almacén de claves"
        );
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
