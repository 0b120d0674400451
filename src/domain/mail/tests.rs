use super::*;

fn common() -> Common {
    Common {
        issuer: "Example Hosting".into(),
        email: "ada@example.com".into(),
        when: "22 Nov 2026, 18:47 UTC".into(),
        ip: "203.0.113.7".into(),
        report_url: "https://2fa.example.com/account/report/rpt_x.sig".into(),
        locale: Locale::En,
    }
}

#[test]
fn every_kind_renders_both_parts_with_the_essentials() {
    let c = common();
    for kind in samples() {
        let r = render(&kind, &c).expect("renders");
        assert!(r.subject.contains("Example Hosting"), "{}", r.subject);
        for part in [&r.text, &r.html] {
            assert!(part.contains("Example Hosting"), "{kind:?}");
            assert!(part.contains("ada@example.com"), "{kind:?}");
            assert!(part.contains("203.0.113.7"), "{kind:?}");
            // A mail that reports a change carries the "this wasn't me" link; a mail with a
            // link the user asked for does not (that link is the point of the mail).
            assert_eq!(part.contains(&c.report_url), kind.reportable(), "{kind:?}");
            // (The HTML part escapes the apostrophe.)
            assert_eq!(
                part.replace("&#39;", "'").contains("Wasn't you"),
                kind.reportable(),
                "{kind:?}"
            );
        }
        assert!(r.html.starts_with("<!doctype html>"));
    }
}

/// Every kind of mail for a user whose locale is `uk`: Ukrainian subject, parts and
/// dates, and no English sentence of the catalogue left in either part.
#[test]
fn mail_for_a_ukrainian_user_is_ukrainian() {
    let c = Common {
        locale: Locale::Uk,
        ..common()
    };
    let english: Vec<(String, String)> = crate::domain::i18n::english_messages()
        .into_iter()
        .filter(|(id, en)| !en.contains('{') && en.contains(' ') && Locale::Uk.t(id) != *en)
        .collect();
    for kind in samples() {
        let r = render(&kind, &c).expect("renders");
        assert!(
            r.subject.chars().any(|ch| ('а'..='я').contains(&ch)),
            "{}",
            r.subject
        );
        assert!(r.html.contains("<html lang=\"uk\">"));
        for part in [&r.text, &r.html.replace("&#39;", "'")] {
            assert!(part.contains("Вітаємо!"), "{kind:?}: {part}");
            for (id, en) in &english {
                assert!(!part.contains(en.as_str()), "{kind:?} says {id}: {en}");
            }
        }
    }
    let enabled = render(&samples()[0], &c).expect("renders");
    assert!(
        enabled
            .text
            .contains("Пристрій: Застосунок автентифікації, додано 22 лист. 2026\u{a0}р. (id закінчується на 3f9a)"),
        "{}",
        enabled.text
    );
    let locked = render(&samples()[5], &c).expect("renders");
    assert!(
        locked.text.contains("до 22 лист. 2026\u{a0}р., 19:05 UTC"),
        "{}",
        locked.text
    );
    let used = render(&MailKind::BackupCodeUsed { remaining: 2 }, &c).expect("renders");
    assert!(used.text.contains("Залишилося резервних кодів: 2"));
}

#[test]
fn html_escapes_what_support_typed() {
    let kind = MailKind::SupportReset {
        reason: "Lost <phone>".into(),
        agent: "Sam".into(),
    };
    let r = render(&kind, &common()).expect("renders");
    assert!(r.html.contains("Lost &#60;phone&#62;") || r.html.contains("Lost &lt;phone&gt;"));
    assert!(!r.html.contains("<phone>"));
    assert!(r.text.contains("Lost <phone>"));
}

#[test]
fn factors_are_described_by_facts() {
    let added = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("date");
    assert_eq!(
        factor_facts(FactorKind::Totp, "fac_0123456789abcdef", added, None),
        "Authenticator app added on 3 Dec 2026 (id ending cdef)"
    );
    assert_eq!(
        factor_facts(FactorKind::YubikeyOtp, "fac_1", added, Some("cccccbdefghi")),
        "YubiKey cccccbdefghi, added on 3 Dec 2026 (id ending ac_1)"
    );
    // A public id that is not modhex is not shown.
    assert_eq!(
        factor_facts(
            FactorKind::YubikeyOtp,
            "fac_12345",
            added,
            Some("visit evil")
        ),
        "YubiKey added on 3 Dec 2026 (id ending 2345)"
    );
}

#[test]
fn details_per_kind() {
    let c = common();
    let enabled = render(&samples()[0], &c).expect("renders");
    assert!(enabled.text.contains("Method: Authenticator app"));
    assert!(
        enabled
            .text
            .contains("Device: Authenticator app added on 22 Nov 2026")
    );
    let used = render(&MailKind::BackupCodeUsed { remaining: 2 }, &c).expect("renders");
    assert!(used.text.contains("Backup codes left: 2"));
    assert!(used.text.contains("running low"));
    let reset = render(&samples()[6], &c).expect("renders");
    assert!(reset.text.contains("Reason: Lost phone"));
    assert!(reset.text.contains("Support agent: Sam from Support"));
}
