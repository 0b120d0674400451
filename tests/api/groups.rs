//! Groups and their policies: the API, the strictest combination field by field, the 409 for a
//! change that leaves someone with no method, the audit events, and every place that enforces
//! the policy using the user's effective one.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, totp_code};

fn policy(methods: &[&str]) -> Value {
    json!({
        "require_two_factor": false,
        "allowed_methods": methods,
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false },
        "enrollment_grace_days": 14
    })
}

fn all_methods() -> Value {
    policy(&["totp", "yubikey_otp", "webauthn"])
}

pub(crate) fn hardware_only_required(grace: i64) -> Value {
    json!({
        "require_two_factor": true,
        "allowed_methods": ["yubikey_otp", "webauthn"],
        "webauthn": { "user_verification": "preferred", "allowed_aaguids": [], "require_attestation": true },
        "enrollment_grace_days": grace
    })
}

impl TestApp {
    pub(crate) async fn sec(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> crate::helpers::Resp {
        self.request(method, path, Some(&self.security_key), body)
            .await
    }

    /// Creates a group with this policy (`None`: none); returns its id.
    pub(crate) async fn group_with(&self, name: &str, policy: Option<Value>) -> String {
        let r = self
            .sec("POST", "/api/v1/groups", Some(json!({ "name": name })))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let id = r.body["id"].as_str().expect("id").to_owned();
        if let Some(p) = policy {
            let r = self
                .sec("PUT", &format!("/api/v1/groups/{id}/policy"), Some(p))
                .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
        }
        id
    }

    pub(crate) async fn join(&self, group: &str, user: &str) -> crate::helpers::Resp {
        self.sec(
            "PUT",
            &format!("/api/v1/groups/{group}/members/{user}"),
            None,
        )
        .await
    }

    pub(crate) async fn effective(&self, user: &str) -> Value {
        let r = self.get(&format!("/api/v1/users/{user}/policy")).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    }
}

async fn audit(app: &TestApp, event: &str) -> Vec<Value> {
    let r = app
        .sec("GET", &format!("/api/v1/audit?event={event}"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["events"].as_array().expect("events").clone()
}

#[tokio::test]
async fn groups_are_created_listed_read_and_deleted_by_the_security_team() {
    let app = spawn_app().await;
    let r = app
        .sec("POST", "/api/v1/groups", Some(json!({ "name": "Staff" })))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_owned();
    assert_eq!(
        r.body,
        json!({ "id": id, "name": "Staff", "policy": null, "members": 0 })
    );
    let dup = app
        .sec("POST", "/api/v1/groups", Some(json!({ "name": "Staff" })))
        .await;
    assert_eq!(dup.status, 409, "{:?}", dup.body);
    assert_eq!(dup.error_code(), "conflict");
    for bad in [
        json!({ "name": "" }),
        json!({}),
        json!({ "name": "x", "extra": 1 }),
    ] {
        let r = app.sec("POST", "/api/v1/groups", Some(bad)).await;
        assert_eq!(r.status, 400, "{:?}", r.body);
        assert_eq!(r.error_code(), "bad_request");
    }
    // Writes and reads of groups need a security key; a user's effective policy any key.
    for key in [&app.integration_key, &app.support_key] {
        for (m, p) in [
            ("POST", "/api/v1/groups".to_owned()),
            ("GET", "/api/v1/groups".to_owned()),
            ("GET", format!("/api/v1/groups/{id}")),
            ("DELETE", format!("/api/v1/groups/{id}")),
            ("PUT", format!("/api/v1/groups/{id}/policy")),
            ("DELETE", format!("/api/v1/groups/{id}/policy")),
        ] {
            let body = (m == "POST" || m == "PUT").then(|| json!({ "name": "x" }));
            let body = if p.ends_with("/policy") {
                Some(all_methods())
            } else {
                body
            };
            let r = app.request(m, &p, Some(key), body).await;
            assert_eq!(r.status, 403, "{m} {p}: {:?}", r.body);
            assert_eq!(r.error_code(), "forbidden");
        }
    }
    let user = app.create_user("member@example.com").await;
    let r = app
        .request(
            "PUT",
            &format!("/api/v1/groups/{id}/members/{user}"),
            Some(&app.support_key),
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .request(
            "GET",
            &format!("/api/v1/users/{user}/policy"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"require_two_factor": false, "allowed_methods": ["totp", "yubikey_otp", "webauthn"],
        "webauthn": {"user_verification": "preferred", "allowed_aaguids": [], "require_attestation": false},
        "enrollment_grace_days": 14})
    );
    assert_eq!(app.get("/api/v1/users/usr_nobody/policy").await.status, 404);
    assert_eq!(
        app.sec("GET", "/api/v1/groups/grp_nobody", None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.sec("GET", "/api/v1/groups/..%2F", None).await.status,
        404
    );

    // Membership: twice is a no-op; the user shows their groups.
    assert_eq!(app.join(&id, &user).await.status, 204);
    assert_eq!(app.join(&id, &user).await.status, 204);
    assert_eq!(app.join(&id, "usr_nobody").await.status, 404);
    assert_eq!(app.join("grp_nobody", &user).await.status, 404);
    let u = app.get(&format!("/api/v1/users/{user}")).await;
    assert_eq!(u.body["groups"], json!([id]));
    let found = app.get("/api/v1/users?email=member@example.com").await;
    assert_eq!(found.body["users"][0]["groups"], json!([id]));
    let g = app.sec("GET", &format!("/api/v1/groups/{id}"), None).await;
    assert_eq!(g.body["members"], 1);
    let list = app.sec("GET", "/api/v1/groups", None).await;
    assert_eq!(list.body["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(list.body["groups"][0]["name"], "Staff");

    // The group's policy: set, malformed (400, nothing changed), removed.
    let path = format!("/api/v1/groups/{id}/policy");
    let r = app.sec("PUT", &path, Some(hardware_only_required(7))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["policy"]["enrollment_grace_days"], 7);
    let mut bad = all_methods();
    bad["allowed_methods"] = json!(["sms"]);
    assert_eq!(app.sec("PUT", &path, Some(bad)).await.status, 400);
    let mut neg = all_methods();
    neg["enrollment_grace_days"] = json!(-1);
    assert_eq!(app.sec("PUT", &path, Some(neg)).await.status, 400);
    assert_eq!(app.effective(&user).await["enrollment_grace_days"], 7);
    assert_eq!(app.sec("DELETE", &path, None).await.status, 204);
    assert_eq!(app.effective(&user).await["enrollment_grace_days"], 14);
    let g = app.sec("GET", &format!("/api/v1/groups/{id}"), None).await;
    assert_eq!(g.body["policy"], Value::Null);

    // Leaving, and deleting a group with members.
    let p = format!("/api/v1/groups/{id}/members/{user}");
    assert_eq!(app.sec("DELETE", &p, None).await.status, 204);
    assert_eq!(app.sec("DELETE", &p, None).await.status, 404);
    assert_eq!(app.join(&id, &user).await.status, 204);
    assert_eq!(
        app.sec("DELETE", &format!("/api/v1/groups/{id}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        app.sec("DELETE", &format!("/api/v1/groups/{id}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["groups"],
        json!([])
    );

    // Every change is audited.
    let created = audit(&app, "group.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["details"]["name"], "Staff");
    let changed = audit(&app, "group.policy_changed").await;
    assert_eq!(changed.len(), 2, "{changed:?}");
    let set = changed
        .iter()
        .find(|e| e["details"]["before"].is_null())
        .expect("set");
    assert_eq!(set["details"]["after"]["enrollment_grace_days"], 7);
    let removed = changed
        .iter()
        .find(|e| e["details"]["after"].is_null())
        .expect("removed");
    assert_eq!(removed["details"]["before"]["enrollment_grace_days"], 7);
    assert_eq!(
        audit(&app, "group.member_added").await.len(),
        2,
        "a no-op add is not audited"
    );
    let left = audit(&app, "group.member_removed").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["user_id"], user.as_str());
    let deleted = audit(&app, "group.deleted").await;
    assert_eq!(deleted[0]["details"]["members"], 1);
    let v = app.sec("GET", "/api/v1/audit/verify", None).await;
    assert_eq!(v.status, 200, "{:?}", v.body);
}

#[tokio::test]
async fn the_effective_policy_is_the_strictest_combination_field_by_field() {
    let app = spawn_app().await;
    let user = app.create_user("combo@example.com").await;
    let other = app.create_user("plain@example.com").await;
    let (a1, a2, a3) = (
        "cb69481e-8ff7-4039-93ec-0a2729a154a8",
        "ee882879-721c-4913-9775-3dfcce97072a",
        "2fc0579f-8113-47ea-b116-bb5a8db9202a",
    );
    let mut g1 = policy(&["totp", "yubikey_otp", "webauthn"]);
    g1["require_two_factor"] = json!(true);
    g1["webauthn"]["user_verification"] = json!("discouraged");
    g1["webauthn"]["allowed_aaguids"] = json!([a1, a2]);
    g1["enrollment_grace_days"] = json!(30);
    let mut g2 = policy(&["yubikey_otp", "webauthn"]);
    g2["webauthn"]["user_verification"] = json!("required");
    g2["webauthn"]["allowed_aaguids"] = json!([]);
    g2["enrollment_grace_days"] = json!(7);
    let mut g3 = policy(&["totp", "webauthn"]);
    g3["webauthn"]["require_attestation"] = json!(true);
    g3["webauthn"]["allowed_aaguids"] = json!([a2, a3]);
    g3["enrollment_grace_days"] = json!(3);
    let one = app.group_with("one", Some(g1)).await;
    let two = app.group_with("two", Some(g2)).await;
    let three = app.group_with("three", Some(g3)).await;
    let none = app.group_with("no policy", None).await;

    // No group (and a group without a policy): the global policy.
    assert_eq!(app.join(&none, &user).await.status, 204);
    assert_eq!(app.effective(&user).await, all_methods());

    // Two groups.
    assert_eq!(app.join(&one, &user).await.status, 204);
    assert_eq!(app.join(&two, &user).await.status, 204);
    assert_eq!(
        app.effective(&user).await,
        json!({
            "require_two_factor": true,
            "allowed_methods": ["yubikey_otp", "webauthn"],
            "webauthn": { "user_verification": "required", "allowed_aaguids": [a1, a2], "require_attestation": false },
            "enrollment_grace_days": 7
        })
    );
    // Three groups: the AAGUID lists intersect (the empty one adds nothing).
    assert_eq!(app.join(&three, &user).await.status, 204);
    assert_eq!(
        app.effective(&user).await,
        json!({
            "require_two_factor": true,
            "allowed_methods": ["webauthn"],
            "webauthn": { "user_verification": "required", "allowed_aaguids": [a2], "require_attestation": true },
            "enrollment_grace_days": 3
        })
    );
    // Lists with nothing in common: no security key at all — here that would leave no method,
    // so it is refused and nothing changes.
    let mut g3b = policy(&["totp", "webauthn"]);
    g3b["webauthn"]["allowed_aaguids"] = json!([a3]);
    let r = app
        .sec(
            "PUT",
            &format!("/api/v1/groups/{three}/policy"),
            Some(g3b.clone()),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.error_code(), "conflict");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("no allowed method")
    );
    assert_eq!(
        app.effective(&user).await["allowed_methods"],
        json!(["webauthn"])
    );
    // Leaving group two gives totp back, so the same change is now accepted: webauthn goes
    // (the lists of "one" and "three" have nothing in common).
    let p = format!("/api/v1/groups/{two}/members/{user}");
    assert_eq!(app.sec("DELETE", &p, None).await.status, 204);
    let r = app
        .sec("PUT", &format!("/api/v1/groups/{three}/policy"), Some(g3b))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let e = app.effective(&user).await;
    assert_eq!(e["allowed_methods"], json!(["totp"]), "{e}");
    assert_eq!(e["webauthn"]["allowed_aaguids"], json!([]));
    assert_eq!(
        e["webauthn"]["user_verification"], "preferred",
        "discouraged and preferred"
    );
    assert_eq!(
        e["enrollment_grace_days"], 14,
        "global 14, one 30, three 14"
    );
    // The global policy takes part like any other: its grace period and its UV.
    let mut global = all_methods();
    global["enrollment_grace_days"] = json!(2);
    global["webauthn"]["user_verification"] = json!("required");
    assert_eq!(
        app.sec("PUT", "/api/v1/policy", Some(global)).await.status,
        200
    );
    let e = app.effective(&user).await;
    assert_eq!(e["enrollment_grace_days"], 2);
    assert_eq!(e["webauthn"]["user_verification"], "required");
    // Someone in no group has the global policy.
    assert_eq!(
        app.effective(&other).await["allowed_methods"],
        json!(["totp", "yubikey_otp", "webauthn"])
    );
}

#[tokio::test]
async fn a_change_that_leaves_someone_with_no_method_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let user = app.create_user("stuck@example.com").await;
    let apps = app.group_with("apps only", Some(policy(&["totp"]))).await;
    let keys = app
        .group_with("keys only", Some(policy(&["yubikey_otp", "webauthn"])))
        .await;
    assert_eq!(app.join(&apps, &user).await.status, 204);
    // Joining the second group would leave nothing.
    let r = app.join(&keys, &user).await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.error_code(), "conflict");
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["groups"],
        json!([apps])
    );
    assert_eq!(audit(&app, "group.member_added").await.len(), 1);
    // Nor may a group's policy, or the global policy, take the last method away.
    let r = app
        .sec(
            "PUT",
            &format!("/api/v1/groups/{apps}/policy"),
            Some(policy(&["webauthn"])),
        )
        .await;
    assert_eq!(r.status, 200, "a member with webauthn left: {:?}", r.body);
    let r = app
        .sec(
            "PUT",
            &format!("/api/v1/groups/{apps}/policy"),
            Some(policy(&[])),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    let r = app
        .sec(
            "PUT",
            "/api/v1/policy",
            Some(policy(&["totp", "yubikey_otp"])),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.error_code(), "conflict");
    let g = app.sec("GET", "/api/v1/policy", None).await;
    assert_eq!(g.body, all_methods(), "the global policy is unchanged");
    assert_eq!(
        app.effective(&user).await["allowed_methods"],
        json!(["webauthn"])
    );
    assert_eq!(audit(&app, "policy.changed").await.len(), 0);
    // A group with no members may hold any valid policy.
    let r = app
        .sec(
            "PUT",
            &format!("/api/v1/groups/{keys}/policy"),
            Some(policy(&[])),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

/// Enrollment and verification follow the member's effective policy, not the global one.
#[tokio::test]
async fn a_group_member_may_not_enroll_or_verify_with_a_method_their_group_forbids() {
    let app = spawn_app().await;
    let (member, _, secret, backup) = app.user_with_totp("member2@example.com").await;
    let (outsider, _, outsider_secret, _) = app.user_with_totp("outsider@example.com").await;
    let hw = app
        .group_with("Hardware", Some(policy(&["yubikey_otp", "webauthn"])))
        .await;
    assert_eq!(app.join(&hw, &member).await.status, 204);

    let r = app
        .post(
            &format!("/api/v1/users/{member}/factors"),
            json!({ "type": "totp", "name": "phone" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("Hardware"),
        "{:?}",
        r.body
    );
    let r = app
        .post(
            &format!("/api/v1/users/{outsider}/factors"),
            json!({ "type": "totp", "name": "tablet" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);

    let now = app.pin_clock_mid_step();
    let r = app.verify(&member, &totp_code(&secret, now)).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let r = app
        .verify(&outsider, &totp_code(&outsider_secret, now))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Backup codes are never refused by the policy.
    let r = app.verify(&member, &backup[0]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Leaving the group gives the app back.
    let p = format!("/api/v1/groups/{hw}/members/{member}");
    assert_eq!(app.sec("DELETE", &p, None).await.status, 204);
    let now = app.pin_clock_after(now + 60);
    let r = app.verify(&member, &totp_code(&secret, now)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

/// The last compliant factor, the compliance records and view (with each user's own grace
/// period) follow the effective policy.
#[tokio::test]
async fn compliance_and_the_last_factor_follow_the_group() {
    let app = spawn_app().await;
    let (member, factor, _, _) = app.user_with_totp("req@example.com").await;
    let (outsider, outsider_factor, _, _) = app.user_with_totp("free@example.com").await;
    let mut required = all_methods();
    required["require_two_factor"] = json!(true);
    required["enrollment_grace_days"] = json!(5);
    let g = app.group_with("Required", Some(required)).await;
    assert_eq!(app.join(&g, &member).await.status, 204);

    // The member's only factor stays; the outsider's may go.
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{member}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{outsider}/factors/{outsider_factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);

    // A group requiring hardware keys puts the member out of compliance with its grace period.
    let hw = app
        .group_with("Hardware", Some(hardware_only_required(3)))
        .await;
    assert_eq!(app.join(&hw, &member).await.status, 204);
    let u = app.get(&format!("/api/v1/users/{member}")).await;
    assert!(u.body["noncompliant_since"].is_string(), "{:?}", u.body);
    assert!(
        app.get(&format!("/api/v1/users/{outsider}")).await.body["noncompliant_since"].is_null()
    );
    let c = app.sec("GET", "/api/v1/compliance", None).await;
    assert_eq!(c.body["total"], 1, "{:?}", c.body);
    let entry = &c.body["users"][0];
    assert_eq!(entry["user_id"], member.as_str());
    assert_eq!(entry["noncompliant_factors"], 1, "the app does not count");
    let since =
        chrono::DateTime::parse_from_rfc3339(entry["noncompliant_since"].as_str().expect("since"))
            .expect("date");
    let by = chrono::DateTime::parse_from_rfc3339(entry["enroll_by"].as_str().expect("by"))
        .expect("date");
    assert_eq!(
        (by - since).num_days(),
        3,
        "the group's grace period, not the global 14"
    );
    assert_eq!(entry["overdue"], false);
    assert_eq!(entry["groups"], json!(["Hardware", "Required"]));
    assert_eq!(c.body["groups_require_two_factor"], true);
    assert_eq!(c.body["require_two_factor"], false, "the global policy's");
    // Four days later the member is overdue.
    app.pin_clock_after(app.now() + 4 * 86_400);
    let c = app.sec("GET", "/api/v1/compliance", None).await;
    assert_eq!(c.body["overdue"], 1, "{:?}", c.body);
    assert_eq!(c.body["users"][0]["overdue"], true);
    // Removing the group's policy brings the member back.
    assert_eq!(
        app.sec("DELETE", &format!("/api/v1/groups/{hw}/policy"), None)
            .await
            .status,
        204
    );
    let c = app.sec("GET", "/api/v1/compliance", None).await;
    assert_eq!(c.body["total"], 0, "{:?}", c.body);
    // Leaving the "Required" group frees the last factor.
    let p = format!("/api/v1/groups/{g}/members/{member}");
    assert_eq!(app.sec("DELETE", &p, None).await.status, 204);
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{member}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
}

/// A customer with a password and an active authenticator app: (user id, secret, backup codes).
async fn customer(app: &TestApp, email: &str) -> (String, String, Vec<String>) {
    let r = app
        .post(
            "/api/v1/users",
            json!({ "email": email, "password": "correct horse battery" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let user = r.body["id"].as_str().expect("id").to_owned();
    let (factor, secret, _) = app.enroll_totp(&user, "My Phone").await;
    let now = app.pin_clock_mid_step();
    let r = app.activate(&user, &factor, &totp_code(&secret, now)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let codes = r.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (user, secret, codes)
}

/// The portal: a member of a hardware-only group is sent to enroll a key after the password
/// (and the second step the app still gives), sees the app disabled with the group named, and
/// the grace period is the group's; a customer outside the group signs in as before.
#[tokio::test]
async fn the_portal_sends_a_member_of_a_hardware_group_to_enroll_and_names_the_group() {
    use crate::portal::{Browser, csrf_of, password_step};
    let app = spawn_app().await;
    let (member, _, codes) = customer(&app, "hw-member@example.com").await;
    let (_, secret, _) = customer(&app, "hw-outsider@example.com").await;
    let hw = app
        .group_with("Hardware", Some(hardware_only_required(5)))
        .await;
    assert_eq!(app.join(&hw, &member).await.status, 204);

    let mut b = Browser::new(&app);
    let step = password_step(&mut b, "hw-member@example.com").await;
    assert_eq!(step.location.as_deref(), Some("/signin/verify"));
    let verify = b.get("/signin/verify").await;
    assert!(
        verify.body.contains("no longer accepts your second factor"),
        "{}",
        verify.body
    );
    let step = b
        .post(
            "/signin/verify",
            &[("csrf", &csrf_of(&verify.body)), ("code", &codes[0])],
        )
        .await;
    assert_eq!(
        step.location.as_deref(),
        Some("/settings/add"),
        "{}",
        step.body
    );
    let add = b.get("/settings/add").await;
    assert_eq!(add.status, 200);
    assert!(
        add.body
            .contains("Not allowed by the security policy of your group “Hardware”."),
        "{}",
        add.body
    );
    assert!(!add.body.contains("href=\"/settings/add/totp\""));
    // The group's grace period (5 days), not the global one.
    let by = (chrono::DateTime::from_timestamp(app.now(), 0).expect("now")
        + chrono::Duration::days(5))
    .format("%-d %B %Y")
    .to_string();
    assert!(add.body.contains(&format!("by {by}")), "{}", add.body);
    let r = b
        .post(
            "/settings/add/totp",
            &[("csrf", &csrf_of(&add.body)), ("name", "New phone")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("does not allow"), "{}", r.body);

    // Outside the group: the app signs in fully.
    let mut o = Browser::new(&app);
    assert_eq!(
        password_step(&mut o, "hw-outsider@example.com")
            .await
            .location
            .as_deref(),
        Some("/signin/verify")
    );
    let verify = o.get("/signin/verify").await;
    let now = app.pin_clock_after(app.now() + 60);
    let done = o
        .post(
            "/signin/verify",
            &[
                ("csrf", &csrf_of(&verify.body)),
                ("code", &totp_code(&secret, now)),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_ne!(done.location.as_deref(), Some("/settings/add"));
    assert_eq!(o.get("/settings").await.status, 200);

    // After the group's grace period the member's sign-in is refused.
    app.pin_clock_after(app.now() + 6 * 86_400);
    let mut late = Browser::new(&app);
    let refused = password_step(&mut late, "hw-member@example.com").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Contact support"), "{}", refused.body);
    assert!(!late.cookies.contains_key("kw_session"), "no session");
}

/// The groups pages: for the security team only; create a group, give it a policy with the
/// form, add a member by email, see a refused change explained, and the support console shows
/// the member's groups and effective policy with the group each rule comes from.
#[tokio::test]
async fn the_groups_pages_and_the_support_console_entry() {
    use crate::portal::{Browser, csrf_of, password_step};
    let app = spawn_app().await;
    for (email, role) in [
        ("gsec@example.com", "security"),
        ("gsup@example.com", "support"),
    ] {
        let r = app
            .sec(
                "POST",
                "/api/v1/users",
                Some(json!({ "email": email, "password": "correct horse battery", "role": role })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let (customer_id, _, _) = customer(&app, "gcust@example.com").await;
    let mut sup = Browser::new(&app);
    password_step(&mut sup, "gsup@example.com").await;
    assert_eq!(
        sup.get("/groups").await.status,
        403,
        "support may not see groups"
    );

    let mut sec = Browser::new(&app);
    password_step(&mut sec, "gsec@example.com").await;
    let list = sec.get("/groups").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("No group yet."), "{}", list.body);
    let csrf = csrf_of(&list.body);
    // Changes need sudo mode.
    let to_sudo = sec
        .post("/groups", &[("csrf", &csrf), ("name", "Enterprise A")])
        .await;
    assert_eq!(
        to_sudo.location.as_deref(),
        Some("/settings/sudo?next=%2Fgroups")
    );
    let sudo = sec.get("/settings/sudo?next=%2Fgroups").await;
    let back = sec
        .post(
            "/settings/sudo",
            &[
                ("csrf", &csrf_of(&sudo.body)),
                ("next", "/groups"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(back.location.as_deref(), Some("/groups"));
    let created = sec
        .post("/groups", &[("csrf", &csrf), ("name", "Enterprise A")])
        .await;
    let to = created.location.expect("redirect to the group");
    let group_id = to
        .trim_start_matches("/groups/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let page = sec.get(&to).await;
    assert!(
        page.body.contains("This group has no policy"),
        "{}",
        page.body
    );
    let dup = sec
        .post("/groups", &[("csrf", &csrf), ("name", "Enterprise A")])
        .await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("already exists"), "{}", dup.body);

    // Hardware keys only, required, 10 days.
    let r = sec
        .post(
            &format!("/groups/{group_id}/policy"),
            &[
                ("csrf", &csrf),
                ("require_two_factor", "1"),
                ("enrollment_grace_days", "10"),
                ("method", "yubikey_otp"),
                ("method", "webauthn"),
                ("user_verification", "preferred"),
                ("require_attestation", "1"),
            ],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/groups/{group_id}?done=policy").as_str()),
        "{}",
        r.body
    );
    let g = app
        .sec("GET", &format!("/api/v1/groups/{group_id}"), None)
        .await;
    assert_eq!(g.body["policy"], hardware_only_required(10));
    // A member by email; an unknown address is explained.
    let r = sec
        .post(
            &format!("/groups/{group_id}/members"),
            &[("csrf", &csrf), ("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("no user has this email"), "{}", r.body);
    let r = sec
        .post(
            &format!("/groups/{group_id}/members"),
            &[("csrf", &csrf), ("email", "GCust@example.com")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/groups/{group_id}?done=added").as_str()),
        "{}",
        r.body
    );
    let page = sec.get(&format!("/groups/{group_id}")).await;
    assert!(page.body.contains("gcust@example.com"), "{}", page.body);
    assert_eq!(
        app.get(&format!("/api/v1/users/{customer_id}")).await.body["groups"],
        json!([group_id])
    );
    // A change that would leave the member with nothing: refused, explained, nothing saved.
    let r = sec
        .post(
            &format!("/groups/{group_id}/policy"),
            &[("csrf", &csrf), ("enrollment_grace_days", "10")],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("no allowed method"), "{}", r.body);
    assert_eq!(
        app.sec("GET", &format!("/api/v1/groups/{group_id}"), None)
            .await
            .body["policy"],
        hardware_only_required(10)
    );
    let list = sec.get("/groups").await;
    assert!(
        list.body
            .contains("Two-factor required · YubiKey, Security key · attestation required"),
        "{}",
        list.body
    );

    // The support console: the groups and the effective policy, rule by rule, with its source.
    let console = sup.get("/support?email=gcust%40example.com").await;
    assert_eq!(console.status, 200);
    assert!(
        console.body.contains("Groups: Enterprise A"),
        "{}",
        console.body
    );
    assert!(
        console
            .body
            .contains("<td data-label=\"From\">the group “Enterprise A”</td>"),
        "{}",
        console.body
    );
    assert!(console.body.contains("<td data-label=\"Rule\">Authenticator app</td><td data-label=\"In force\">Not allowed</td>"), "{}", console.body);
    assert!(
        console.body.contains(
            "<td data-label=\"Rule\">Days to enroll</td><td data-label=\"In force\">10</td>"
        ),
        "{}",
        console.body
    );

    // Remove the member, remove the policy, delete the group.
    let r = sec
        .post(
            &format!("/groups/{group_id}/members/{customer_id}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/groups/{group_id}?done=removed").as_str())
    );
    let r = sec
        .post(
            &format!("/groups/{group_id}/policy"),
            &[("csrf", &csrf), ("remove_policy", "1")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/groups/{group_id}?done=policy_removed").as_str())
    );
    assert_eq!(
        app.sec("GET", &format!("/api/v1/groups/{group_id}"), None)
            .await
            .body["policy"],
        Value::Null
    );
    let r = sec
        .post(&format!("/groups/{group_id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/groups?done=deleted"));
    let console = sup.get("/support?email=gcust%40example.com").await;
    assert!(
        console
            .body
            .contains("In no group: the global policy applies."),
        "{}",
        console.body
    );
}

/// `keyward group`: create, list, add, remove, a policy from a JSON file (and a refused one),
/// clear it, delete; the running server sees every change.
#[tokio::test]
async fn the_group_command_line() {
    let app = spawn_app().await;
    let user = app.create_user("cli-member@example.com").await;
    let out = app.cli(&["group", "create", "Resellers"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    assert!(id.starts_with("grp_"), "{id}");
    let dup = app.cli(&["group", "create", "Resellers"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));

    let out = app.cli(&["group", "add", "Resellers", "cli-member@example.com"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["groups"],
        json!([id])
    );
    let bad = app.cli(&["group", "add", "Resellers", "nobody@example.com"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no user with the email"));
    let bad = app.cli(&["group", "add", "Nobody", "cli-member@example.com"]);
    assert!(!bad.status.success());

    let file = app.dir.path().join("hardware.json");
    std::fs::write(&file, hardware_only_required(3).to_string()).expect("write");
    let out = app.cli(&["group", "policy", &id, file.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.effective(&user).await["enrollment_grace_days"], 3);
    let list = app.cli(&["group", "list"]);
    let line = String::from_utf8(list.stdout).expect("utf8");
    assert!(
        line.starts_with(&format!("{id}\tResellers\t1\t{{")),
        "{line}"
    );
    // Nothing left for the member: refused, nothing changed.
    std::fs::write(&file, policy(&[]).to_string()).expect("write");
    let out = app.cli(&["group", "policy", "Resellers", file.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no allowed method"));
    std::fs::write(&file, "{\"require_two_factor\": 1}").expect("write");
    let out = app.cli(&["group", "policy", "Resellers", file.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a policy document"));
    assert_eq!(app.effective(&user).await["enrollment_grace_days"], 3);
    let out = app.cli(&["group", "policy", "Resellers", "--clear"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.effective(&user).await["enrollment_grace_days"], 14);

    let out = app.cli(&["group", "remove", "Resellers", "cli-member@example.com"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{user}")).await.body["groups"],
        json!([])
    );
    let out = app.cli(&["group", "delete", "Resellers"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.sec("GET", &format!("/api/v1/groups/{id}"), None)
            .await
            .status,
        404
    );
    let added = audit(&app, "group.member_added").await;
    assert!(
        added[0]["actor"].to_string().contains("cli:"),
        "the operator is the actor: {added:?}"
    );
}

/// The journey in Chromium (tests/browser/groups.mjs; screenshots groups-*.png, copied to
/// docs/screenshots/): the security team puts a customer in a hardware-only group with the
/// pages; at the customer's next sign-in they are sent to add a security key, and their
/// authenticator app is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_security_team_puts_a_customer_on_hardware_keys_in_chromium() {
    if !crate::webauthn::require_browser() || !crate::helpers::require_tool("oathtool") {
        return;
    }
    let port = crate::helpers::free_port();
    let app = crate::helpers::spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &format!("http://localhost:{port}")),
    ])
    .await;
    let password = "correct horse battery";
    let mut secrets = Vec::new();
    let mut customer_id = String::new();
    for (email, role) in [
        ("ciso@example.com", "security"),
        ("enterprise-user@example.com", "customer"),
    ] {
        let r = app
            .sec(
                "POST",
                "/api/v1/users",
                Some(json!({ "email": email, "password": password, "role": role })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let user = r.body["id"].as_str().expect("id").to_owned();
        // A staff member's factors take a `security` key.
        let r = app
            .sec(
                "POST",
                &format!("/api/v1/users/{user}/factors"),
                Some(json!({ "type": "totp", "name": "My Phone" })),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let factor = r.body["factor"]["id"].as_str().expect("factor").to_owned();
        let secret = r.body["totp"]["secret"]
            .as_str()
            .expect("secret")
            .to_owned();
        let r = app
            .sec(
                "POST",
                &format!("/api/v1/users/{user}/factors/{factor}/activate"),
                Some(json!({ "code": totp_code(&secret, app.now()) })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        secrets.push(secret);
        if role == "customer" {
            customer_id = user;
        }
    }
    let r = crate::helpers::run_browser_script(
        "groups.mjs",
        port,
        vec![
            ("PASSWORD", password.to_owned()),
            ("SECURITY_EMAIL", "ciso@example.com".to_owned()),
            ("SECURITY_TOTP", secrets[0].clone()),
            ("CUSTOMER_EMAIL", "enterprise-user@example.com".to_owned()),
            ("CUSTOMER_TOTP", secrets[1].clone()),
        ],
    )
    .await;
    assert!(
        r["policy_notice"]
            .as_str()
            .expect("notice")
            .contains("policy was saved"),
        "{r}"
    );
    assert_eq!(r["members"], json!(["enterprise-user@example.com"]));
    assert_eq!(
        r["group_rows"],
        json!([[
            "Enterprise hardware",
            "1",
            "Two-factor required · YubiKey, Security key · attestation required"
        ]])
    );
    let rows = r["policy_rows"].as_array().expect("rows");
    assert!(
        rows.contains(&json!([
            "Authenticator app",
            "Not allowed",
            "the group “Enterprise hardware”"
        ])),
        "{rows:?}"
    );
    assert!(
        rows.contains(&json!([
            "Days to enroll",
            "7",
            "the group “Enterprise hardware”"
        ])),
        "{rows:?}"
    );
    assert!(
        r["enroll_notice"]
            .as_str()
            .expect("notice")
            .contains("Your organisation requires two-factor authentication"),
        "{r}"
    );
    assert!(
        r["app_disabled"]
            .as_str()
            .expect("disabled")
            .contains("Not allowed by the security policy of your group “Enterprise hardware”."),
        "{r}"
    );
    assert_eq!(
        r["app_link"],
        json!(["/settings/add/yubikey", "/settings/add/security-key"])
    );
    assert!(
        r["app_refused"]
            .as_str()
            .expect("refused")
            .contains("does not allow"),
        "{r}"
    );
    for (page, violations) in r["axe"].as_object().expect("axe") {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
    // The API agrees: the customer's effective policy is the group's.
    let e = app.effective(&customer_id).await;
    assert_eq!(e["allowed_methods"], json!(["yubikey_otp", "webauthn"]));
    assert_eq!(e["enrollment_grace_days"], 7);
    let chain = app.sec("GET", "/api/v1/audit/verify", None).await;
    assert_eq!(chain.body["ok"], true, "{:?}", chain.body);
}

/// The compliance page lists a member a group puts out of compliance (the global policy
/// requiring nothing), with their group and their own deadline; a YubiKey is refused at
/// enrollment to a member whose group allows only the app; a support reset gives a member
/// their group's grace period.
#[tokio::test]
async fn the_compliance_page_a_yubikey_refusal_and_a_reset_follow_the_group() {
    use crate::portal::{Browser, password_step};
    let app = spawn_app().await;
    let r = app
        .sec("POST", "/api/v1/users", Some(json!({ "email": "csec@example.com", "password": "correct horse battery", "role": "security" })))
        .await;
    assert_eq!(r.status, 201);
    let (member, _, _, codes) = app.user_with_totp("cmember@example.com").await;
    let hw = app
        .group_with("Keys please", Some(hardware_only_required(4)))
        .await;
    assert_eq!(app.join(&hw, &member).await.status, 204);
    let mut sec = Browser::new(&app);
    password_step(&mut sec, "csec@example.com").await;
    let page = sec.get("/compliance").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("1 user does not meet the policy."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<td data-label=\"Groups\">Keys please</td>"),
        "{}",
        page.body
    );
    let by = (chrono::DateTime::from_timestamp(app.now(), 0).expect("now")
        + chrono::Duration::days(4))
    .format("%-d %b %Y")
    .to_string();
    assert!(
        page.body.contains(&by),
        "the group's 4 days ({by}): {}",
        page.body
    );
    assert!(!page.body.contains("so every user meets it"));

    // A group that allows only the app: a YubiKey is refused at enrollment, naming it.
    let apps = app.group_with("Apps", Some(policy(&["totp"]))).await;
    let other = app.create_user("capp@example.com").await;
    assert_eq!(app.join(&apps, &other).await.status, 204);
    let otp = format!("{}{}", "cccccccccccb", "c".repeat(32));
    let r = app
        .post(
            &format!("/api/v1/users/{other}/factors"),
            json!({ "type": "yubikey_otp", "name": "key", "otp": otp }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.error_code(), "policy_violation");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("Apps"),
        "{:?}",
        r.body
    );

    // A support reset of the member starts the group's grace period again.
    let r = app
        .request(
            "POST",
            &format!("/api/v1/users/{member}/reset"),
            Some(&app.support_key),
            Some(json!({ "reason": "lost phone", "verification": { "type": "backup_code", "code": codes[0] } })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let reset = audit(&app, "support.reset").await;
    let by = reset[0]["details"]["enroll_by"]
        .as_str()
        .expect("enroll_by");
    let by = chrono::DateTime::parse_from_rfc3339(by).expect("date");
    // Whole days, rounded: the reset was stamped a moment before `app.now()` is read.
    let days = ((by.timestamp() - app.now()) as f64 / 86_400.0).round();
    assert_eq!(days, 4.0, "{reset:?}");
}

/// Races: the same member added eight times at once is added once (one event); joining two
/// groups at once whose methods have nothing in common lets exactly one join through.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_membership_changes_are_atomic() {
    let app = spawn_app().await;
    let user = app.create_user("race@example.com").await;
    let g = app.group_with("Race", Some(all_methods())).await;
    let adds = (0..8).map(|_| app.join(&g, &user));
    let answers = futures::future::join_all(adds).await;
    assert!(
        answers.iter().all(|r| r.status == 204),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(audit(&app, "group.member_added").await.len(), 1);
    assert_eq!(
        app.sec("GET", &format!("/api/v1/groups/{g}"), None)
            .await
            .body["members"],
        1
    );

    for round in 0..4 {
        let other = app.create_user(&format!("race{round}@example.com")).await;
        let apps = app
            .group_with(&format!("apps {round}"), Some(policy(&["totp"])))
            .await;
        let keys = app
            .group_with(&format!("keys {round}"), Some(policy(&["webauthn"])))
            .await;
        let (a, b) = tokio::join!(app.join(&apps, &other), app.join(&keys, &other));
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [204, 409], "{:?} {:?}", a.body, b.body);
        let groups = app.get(&format!("/api/v1/users/{other}")).await.body["groups"].clone();
        assert_eq!(groups.as_array().map(Vec::len), Some(1), "{groups}");
        assert!(
            !app.effective(&other).await["allowed_methods"]
                .as_array()
                .expect("methods")
                .is_empty()
        );
    }
}
