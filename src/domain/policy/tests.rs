use super::*;

#[test]
fn default_is_api_md_document() {
    let json = serde_json::to_value(Policy::default()).expect("json");
    assert_eq!(
        json,
        serde_json::json!({"require_two_factor": false, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
            "webauthn": {"user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false},
            "enrollment_grace_days": 14})
    );
}

#[test]
fn validation() {
    let p = |v: serde_json::Value| serde_json::from_value::<Policy>(v);
    assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": ["sms"],
        "webauthn": {"user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false},
        "enrollment_grace_days": 1})).is_err());
    assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": [],
        "webauthn": {"user_verification": "sometimes", "allowed_aaguids": [], "require_attestation": false},
        "enrollment_grace_days": 1})).is_err());
    assert!(p(serde_json::json!({"require_two_factor": false, "allowed_methods": [],
        "webauthn": {"user_verification": "required", "allowed_aaguids": ["not-a-uuid"], "require_attestation": false},
        "enrollment_grace_days": 1})).is_err());
    let neg = Policy {
        enrollment_grace_days: -1,
        ..Policy::default()
    };
    assert!(neg.validated().is_err());
    let dup = Policy {
        allowed_methods: vec![
            FactorKind::Webauthn,
            FactorKind::YubikeyOtp,
            FactorKind::Webauthn,
        ],
        ..Policy::default()
    };
    assert_eq!(
        dup.validated().expect("valid").allowed_methods,
        vec![FactorKind::YubikeyOtp, FactorKind::Webauthn]
    );
}

fn hardware_only() -> Policy {
    let mut p = Policy {
        require_two_factor: true,
        allowed_methods: vec![FactorKind::YubikeyOtp, FactorKind::Webauthn],
        ..Policy::default()
    };
    p.webauthn.require_attestation = true;
    p
}

#[test]
fn which_factors_comply() {
    let p = hardware_only();
    assert!(!complies(&p, FactorKind::Totp, None, None));
    assert!(complies(&p, FactorKind::YubikeyOtp, None, None));
    assert!(!complies(&p, FactorKind::Webauthn, Some(false), None));
    assert!(complies(
        &p,
        FactorKind::Webauthn,
        Some(true),
        Some("cb69481e-8ff7-4039-93ec-0a2729a154a8")
    ));
    let mut listed = p.clone();
    listed.webauthn.allowed_aaguids =
        vec![uuid::Uuid::parse_str("cb69481e-8ff7-4039-93ec-0a2729a154a8").expect("valid")];
    assert!(complies(
        &listed,
        FactorKind::Webauthn,
        Some(true),
        Some("cb69481e-8ff7-4039-93ec-0a2729a154a8")
    ));
    assert!(!complies(
        &listed,
        FactorKind::Webauthn,
        Some(true),
        Some("00000000-0000-0000-0000-000000000000")
    ));
    assert!(!complies(
        &listed,
        FactorKind::Webauthn,
        Some(true),
        Some("not a uuid")
    ));
    assert!(complies(&Policy::default(), FactorKind::Totp, None, None));
}

#[test]
fn the_grace_period() {
    let mut p = hardware_only();
    p.enrollment_grace_days = 14;
    let t0 = chrono::DateTime::from_timestamp(1_800_000_000, 0)
        .expect("valid")
        .naive_utc();
    assert_eq!(standing(&p, true, Some(t0), t0), Standing::Compliant);
    assert_eq!(
        standing(&p, false, Some(t0), t0 + Duration::days(13)),
        Standing::MustEnroll {
            by: t0 + Duration::days(14)
        }
    );
    assert_eq!(
        standing(&p, false, Some(t0), t0 + Duration::days(14)),
        Standing::Overdue {
            since: t0 + Duration::days(14)
        }
    );
    // Not recorded yet: the grace period starts now.
    assert_eq!(
        standing(&p, false, None, t0),
        Standing::MustEnroll {
            by: t0 + Duration::days(14)
        }
    );
    p.enrollment_grace_days = 0;
    assert_eq!(
        standing(&p, false, Some(t0), t0),
        Standing::Overdue { since: t0 }
    );
    p.require_two_factor = false;
    assert_eq!(standing(&p, false, Some(t0), t0), Standing::Compliant);
}

fn group(name: &str, policy: Policy) -> GroupPolicy {
    GroupPolicy {
        group_id: format!("grp_{name}"),
        group_name: name.to_owned(),
        policy,
    }
}

fn src(name: &str) -> Source {
    Source::Group {
        id: format!("grp_{name}"),
        name: name.to_owned(),
    }
}

fn aaguid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn with_aaguids(list: &[u128]) -> Policy {
    let mut p = Policy::default();
    p.webauthn.allowed_aaguids = list.iter().map(|n| aaguid(*n)).collect();
    p
}

#[test]
fn no_groups_is_the_global_policy() {
    let global = hardware_only();
    let e = combine(&global, &[]);
    assert_eq!(e.policy, global);
    assert!(!e.from_groups());
    assert_eq!(e.require_two_factor_from, vec![Source::Global]);
    assert_eq!(e.excluded.len(), 1);
    assert_eq!(e.excluded[0].method, FactorKind::Totp);
    assert_eq!(e.excluded[0].by, vec![Source::Global]);
}

#[test]
fn two_factor_is_required_if_any_requires_it() {
    let required = Policy {
        require_two_factor: true,
        ..Policy::default()
    };
    let e = combine(
        &Policy::default(),
        &[group("a", Policy::default()), group("b", required.clone())],
    );
    assert!(e.policy.require_two_factor);
    assert_eq!(e.require_two_factor_from, vec![src("b")]);
    let e = combine(
        &Policy::default(),
        &[
            group("a", required.clone()),
            group("b", Policy::default()),
            group("c", required),
        ],
    );
    assert_eq!(e.require_two_factor_from, vec![src("a"), src("c")]);
    let e = combine(
        &Policy::default(),
        &[group("a", Policy::default()), group("b", Policy::default())],
    );
    assert!(!e.policy.require_two_factor);
    assert!(e.require_two_factor_from.is_empty());
    assert!(!e.from_groups());
}

#[test]
fn allowed_methods_are_the_intersection() {
    let only = |m: &[FactorKind]| Policy {
        allowed_methods: m.to_vec(),
        ..Policy::default()
    };
    use FactorKind::*;
    let e = combine(
        &Policy::default(),
        &[
            group("hw", only(&[YubikeyOtp, Webauthn])),
            group("app", only(&[Totp, Webauthn])),
        ],
    );
    assert_eq!(e.policy.allowed_methods, vec![Webauthn]);
    assert_eq!(e.exclusion(Totp).expect("excluded").by, vec![src("hw")]);
    assert_eq!(
        e.exclusion(YubikeyOtp).expect("excluded").by,
        vec![src("app")]
    );
    assert!(e.exclusion(Webauthn).is_none());
    // Three groups and a global policy that excludes one method itself.
    let e = combine(
        &only(&[Totp, YubikeyOtp]),
        &[
            group("a", Policy::default()),
            group("b", only(&[Totp, YubikeyOtp, Webauthn])),
            group("c", only(&[YubikeyOtp, Webauthn])),
        ],
    );
    assert_eq!(e.policy.allowed_methods, vec![YubikeyOtp]);
    assert_eq!(
        e.exclusion(Webauthn).expect("excluded").by,
        vec![Source::Global]
    );
    assert_eq!(e.exclusion(Totp).expect("excluded").by, vec![src("c")]);
    // Nothing in common: no method at all.
    let e = combine(
        &Policy::default(),
        &[group("a", only(&[Totp])), group("b", only(&[Webauthn]))],
    );
    assert!(e.policy.allowed_methods.is_empty());
}

#[test]
fn user_verification_is_the_strictest() {
    let uv = |u: UserVerification| {
        let mut p = Policy::default();
        p.webauthn.user_verification = u;
        p
    };
    use UserVerification::*;
    let e = combine(&uv(Discouraged), &[group("a", uv(Discouraged))]);
    assert_eq!(e.policy.webauthn.user_verification, Discouraged);
    let e = combine(
        &uv(Discouraged),
        &[group("a", uv(Preferred)), group("b", uv(Discouraged))],
    );
    assert_eq!(e.policy.webauthn.user_verification, Preferred);
    assert_eq!(e.user_verification_from, vec![src("a")]);
    let e = combine(
        &uv(Preferred),
        &[
            group("a", uv(Discouraged)),
            group("b", uv(Required)),
            group("c", uv(Preferred)),
        ],
    );
    assert_eq!(e.policy.webauthn.user_verification, Required);
    assert_eq!(e.user_verification_from, vec![src("b")]);
    let e = combine(&uv(Required), &[group("a", uv(Discouraged))]);
    assert_eq!(e.policy.webauthn.user_verification, Required);
    assert_eq!(e.user_verification_from, vec![Source::Global]);
}

#[test]
fn attestation_is_required_if_any_requires_it() {
    let attested = {
        let mut p = Policy::default();
        p.webauthn.require_attestation = true;
        p
    };
    let e = combine(
        &Policy::default(),
        &[group("a", Policy::default()), group("b", attested.clone())],
    );
    assert!(e.policy.webauthn.require_attestation);
    assert_eq!(e.require_attestation_from, vec![src("b")]);
    let e = combine(
        &Policy::default(),
        &[
            group("a", Policy::default()),
            group("b", Policy::default()),
            group("c", Policy::default()),
        ],
    );
    assert!(!e.policy.webauthn.require_attestation);
    let e = combine(&attested, &[group("a", Policy::default())]);
    assert!(e.policy.webauthn.require_attestation);
    assert_eq!(e.require_attestation_from, vec![Source::Global]);
}

#[test]
fn aaguids_are_the_intersection_of_the_non_empty_lists() {
    // All empty: any authenticator.
    let e = combine(
        &Policy::default(),
        &[group("a", with_aaguids(&[])), group("b", with_aaguids(&[]))],
    );
    assert!(e.policy.webauthn.allowed_aaguids.is_empty());
    assert!(e.policy.allows(FactorKind::Webauthn));
    // One list: that list (an empty one adds nothing).
    let e = combine(
        &Policy::default(),
        &[
            group("a", with_aaguids(&[1, 2])),
            group("b", with_aaguids(&[])),
        ],
    );
    assert_eq!(
        e.policy.webauthn.allowed_aaguids,
        vec![aaguid(1), aaguid(2)]
    );
    assert_eq!(e.allowed_aaguids_from, vec![src("a")]);
    // Two lists: what they share.
    let e = combine(
        &with_aaguids(&[1, 2, 3]),
        &[group("a", with_aaguids(&[2, 3, 4]))],
    );
    assert_eq!(
        e.policy.webauthn.allowed_aaguids,
        vec![aaguid(2), aaguid(3)]
    );
    assert_eq!(e.allowed_aaguids_from, vec![Source::Global, src("a")]);
    // Three groups.
    let e = combine(
        &Policy::default(),
        &[
            group("a", with_aaguids(&[1, 2, 3])),
            group("b", with_aaguids(&[])),
            group("c", with_aaguids(&[3, 1])),
        ],
    );
    assert_eq!(
        e.policy.webauthn.allowed_aaguids,
        vec![aaguid(1), aaguid(3)]
    );
    assert!(e.policy.allows(FactorKind::Webauthn));
    // Nothing in common: no security key at all.
    let e = combine(
        &Policy::default(),
        &[
            group("a", with_aaguids(&[1])),
            group("b", with_aaguids(&[])),
            group("c", with_aaguids(&[2])),
        ],
    );
    assert!(!e.policy.allows(FactorKind::Webauthn));
    assert_eq!(
        e.policy.allowed_methods,
        vec![FactorKind::Totp, FactorKind::YubikeyOtp]
    );
    let why = e.exclusion(FactorKind::Webauthn).expect("excluded");
    assert_eq!(why.reason, "aaguid_conflict");
    assert_eq!(why.by, vec![src("a"), src("c")]);
    assert!(e.policy.webauthn_refusal(true, Some(aaguid(1))).is_some());
}

#[test]
fn the_grace_period_is_the_shortest() {
    let grace = |d: i64| Policy {
        enrollment_grace_days: d,
        ..Policy::default()
    };
    let e = combine(&grace(14), &[group("a", grace(30))]);
    assert_eq!(e.policy.enrollment_grace_days, 14);
    assert_eq!(e.enrollment_grace_days_from, vec![Source::Global]);
    let e = combine(&grace(14), &[group("a", grace(7)), group("b", grace(3))]);
    assert_eq!(e.policy.enrollment_grace_days, 3);
    assert_eq!(e.enrollment_grace_days_from, vec![src("b")]);
    let e = combine(
        &grace(14),
        &[
            group("a", grace(7)),
            group("b", grace(0)),
            group("c", grace(0)),
        ],
    );
    assert_eq!(e.policy.enrollment_grace_days, 0);
    assert_eq!(e.enrollment_grace_days_from, vec![src("b"), src("c")]);
}

#[test]
fn joining_a_group_only_tightens() {
    let groups = [
        group("a", hardware_only()),
        group("b", with_aaguids(&[1])),
        group("c", Policy::default()),
    ];
    let base = combine(&Policy::default(), &[]);
    for n in 1..=groups.len() {
        let e = combine(&Policy::default(), &groups[..n]);
        assert!(
            e.policy
                .allowed_methods
                .iter()
                .all(|m| base.policy.allows(*m))
        );
        assert!(e.policy.require_two_factor >= base.policy.require_two_factor);
        assert!(e.policy.enrollment_grace_days <= base.policy.enrollment_grace_days);
    }
}
