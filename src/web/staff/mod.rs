//! Pages for support and security staff: the support console, the audit log, the security
//! policy and the compliance view. Laid out wide; every page checks the role itself
//! (`Staff<…>`), and a refusal is audited.

pub mod audit;
pub mod chart;
pub mod compliance;
pub mod groups;
pub mod policy;
pub mod support;

use crate::domain::i18n::Locale;

/// A factor kind as a badge on the staff pages: its label in `l` and the class after `badge-`
/// (the colours match the compliance chart's lines).
pub fn kind_badge(l: Locale, kind: &str) -> (String, &'static str) {
    match kind {
        "totp" => (l.t("method-app"), "app"),
        "yubikey_otp" => (l.t("method-yubikey"), "yubikey"),
        "webauthn" => (l.t("method-key"), "key"),
        _ => (l.t("staff-second-factor"), "none"),
    }
}

/// A factor status as a badge: its label in `l` and the class after `badge-`.
pub fn status_badge(l: Locale, active: bool) -> (String, &'static str) {
    if active {
        (l.t("status-active"), "active")
    } else {
        (l.t("status-pending"), "pending")
    }
}

/// A moment on a staff page in `l`, to the minute ("3 Dec 2026, 16:42"), or to the second
/// for the audit log; the column says it is UTC.
pub fn when(l: Locale, at: chrono::NaiveDateTime, seconds: bool) -> String {
    use crate::domain::i18n::Arg;
    let time = at.format(if seconds { "%H:%M:%S" } else { "%H:%M" });
    l.t_args(
        "staff-date-time",
        &[
            ("date", Arg::Text(l.date(at.date()))),
            ("time", Arg::Text(time.to_string())),
        ],
    )
}

/// A refusal a service wrote in English (the API's message, which stays English), in `l`: a
/// sentence of the catalogue word for word, or one of the two refusals that name groups;
/// any other as it was written.
pub fn refusal_words(l: Locale, message: &str) -> String {
    use crate::domain::i18n::Arg;
    const NO_METHOD: &str = " with no allowed method; no change was made";
    if let Some(names) = message
        .strip_prefix("this change would leave members of the groups ")
        .and_then(|m| m.strip_suffix(NO_METHOD))
    {
        return l.t_args(
            "staff-refusal-groups-no-method",
            &[("groups", Arg::Text(names.to_owned()))],
        );
    }
    if let Some(name) = message
        .strip_prefix("adding this user to the group “")
        .and_then(|m| {
            m.strip_suffix("” would leave them with no allowed method; no change was made")
        })
    {
        return l.t_args(
            "staff-refusal-member-no-method",
            &[("group", Arg::Text(name.to_owned()))],
        );
    }
    l.t_english(message)
}

/// An audit event on a staff page: the sentence, and the raw name beside it.
pub struct EventWords {
    pub words: String,
    pub name: String,
}

impl EventWords {
    pub fn of(l: Locale, event: String, details: &serde_json::Value) -> Self {
        Self {
            words: crate::domain::event_words::describe_in(l, &event, details),
            name: event,
        }
    }

    /// Whether the sentence says more than the raw name (unknown events do not).
    pub fn translated(&self) -> bool {
        self.words != self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::session::{SecurityTeam, StaffRoles, SupportDesk};

    /// The English sentences the staff pages hand to the message page, or that the services
    /// write, are in the catalogue word for word: they are shown translated.
    #[test]
    fn refusals_and_headings_are_translated() {
        for english in [
            SupportDesk::REFUSAL,
            SecurityTeam::REFUSAL,
            "Not available",
            "No such customer.",
            "Cannot export",
            "a group with this name already exists",
            "reason must not be empty",
            "its content does not match its hash (it was edited)",
        ] {
            let ru = refusal_words(Locale::Ru, english);
            assert_ne!(ru, english, "{english}");
            assert_eq!(refusal_words(Locale::En, english), english);
        }
        assert_eq!(
            refusal_words(
                Locale::De,
                "this change would leave members of the groups A, B with no allowed method; \
                 no change was made"
            ),
            "Nach dieser Änderung hätten Mitglieder der Gruppen A, B keine erlaubte Methode mehr"
        );
        assert_eq!(
            refusal_words(
                Locale::Ru,
                "adding this user to the group “Ops” would leave them with no allowed method; \
                 no change was made"
            ),
            "после добавления в группу «Ops» у этого пользователя не останется ни одного \
             разрешённого метода"
        );
        assert_eq!(refusal_words(Locale::Ru, "something new"), "something new");
    }

    #[test]
    fn moments_are_written_the_local_way() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
            .and_then(|d| d.and_hms_opt(16, 42, 7))
            .expect("time");
        assert_eq!(when(Locale::En, at, false), "3 Dec 2026, 16:42");
        assert_eq!(when(Locale::De, at, true), "3. Dez. 2026, 16:42:07");
        assert_eq!(
            kind_badge(Locale::Uk, "webauthn"),
            ("Ключ безпеки".into(), "key")
        );
        assert_eq!(
            status_badge(Locale::Es, false),
            ("Pendiente".into(), "pending")
        );
    }
}
