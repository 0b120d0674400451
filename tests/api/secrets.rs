//! Secrets never reach the logs, error messages or later answers.

use serde_json::json;

use crate::helpers::{captured_logs, spawn_app, totp_code};

#[tokio::test]
async fn no_secret_in_logs_or_answers() {
    let app = spawn_app().await;
    let user = app.create_user("secret@example.org").await;
    let (factor, secret, _) = app.enroll_totp(&user, "Phone").await;
    let code = totp_code(&secret, app.now());
    let ok = app.activate(&user, &factor, &code).await;
    let codes: Vec<String> = ok.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("s").to_owned())
        .collect();
    app.verify(&user, &codes[0]).await;
    app.verify(&user, "999999").await;
    let regen = app
        .post(&format!("/api/v1/users/{user}/backup-codes"), json!({}))
        .await;
    let new_codes: Vec<String> = regen.body["backup_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("s").to_owned())
        .collect();
    let pw = app
        .post(
            "/api/v1/users",
            json!({ "email": "pw@example.org", "password": "hunter2-hunter2-hunter2" }),
        )
        .await;
    assert_eq!(pw.status, 201);

    // Later answers never repeat a secret.
    let later = [
        app.get(&format!("/api/v1/users/{user}/factors"))
            .await
            .body
            .to_string(),
        app.get(&format!("/api/v1/users/{user}"))
            .await
            .body
            .to_string(),
        app.get(&format!("/api/v1/audit?user_id={user}&limit=1000"))
            .await
            .body
            .to_string(),
        app.get(&format!("/api/v1/users/{user}/backup-codes"))
            .await
            .body
            .to_string(),
        pw.body.to_string(),
    ]
    .join("\n");
    let logs = captured_logs();
    assert!(
        logs.contains(&user),
        "the logs were captured (they mention the user id)"
    );
    let export = String::from_utf8_lossy(&app.cli(&["audit", "export"]).stdout).into_owned();
    let mut needles = vec![
        secret.clone(),
        secret.to_lowercase(),
        app.integration_key.clone(),
        "hunter2".to_owned(),
    ];
    for c in codes.iter().chain(new_codes.iter()) {
        needles.push(c.clone());
        needles.push(c.replace('-', ""));
    }
    for needle in &needles {
        assert!(
            !logs.contains(needle.as_str()),
            "a secret is in the server log"
        );
        assert!(
            !later.contains(needle.as_str()),
            "a secret is in a later answer"
        );
        assert!(
            !export.contains(needle.as_str()),
            "a secret is in the audit log"
        );
    }
    // The stored seed is encrypted, not the base32 or raw bytes.
    let raw = totp_rs::Secret::try_from_base32(&secret)
        .expect("b32")
        .as_bytes()
        .to_vec();
    let db = app.state.db.clone();
    let fid = factor.clone();
    let stored: Vec<u8> = tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use keyward::db::schema::factors;
        db.with_conn(|c| {
            factors::table
                .find(fid)
                .select(factors::secret_ciphertext)
                .first::<Option<Vec<u8>>>(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("row")
    .expect("ciphertext");
    assert!(
        stored.len() >= raw.len() + 24 + 16,
        "nonce and tag are stored"
    );
    assert!(!stored.windows(raw.len()).any(|w| w == raw.as_slice()));
}
