//! Security mail through a real SMTP server process (aiosmtpd), parsed by Python's email
//! package: what each event sends, delivery after an outage, several instances sharing one
//! outbox, the .eml file transport, and the "this wasn't me" link.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, free_port, require_python_module, spawn_app, spawn_app_with, totp_code,
};

const PEERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers");

/// An aiosmtpd process writing what it receives to a directory.
struct SmtpSink {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl SmtpSink {
    fn new(dir: &Path) -> Self {
        Self {
            port: free_port(),
            dir: dir.to_owned(),
            child: None,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn start(&mut self) {
        let mut child = Command::new("python3")
            .arg(format!("{PEERS}/smtp_sink.py"))
            .arg(self.port.to_string())
            .arg(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the SMTP sink");
        let mut line = String::new();
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("sink says ready");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Every message received so far, as Python's email package parsed it.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json"))
            .collect()
    }

    /// Waits until at least `n` messages arrived (up to `secs` seconds).
    async fn wait_for(&self, n: usize, secs: u64) -> Vec<Value> {
        for _ in 0..secs * 20 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {n} mails, got {}: {:?}",
            self.messages().len(),
            self.messages()
        );
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn app_with_sink(sink: &SmtpSink, extra: &[(&str, &str)]) -> TestApp {
    let url = sink.url();
    let mut vars = vec![
        ("KEYWARD_SMTP_URL", url.as_str()),
        ("KEYWARD_MAIL_FROM", "Keyward Test <security@example.com>"),
    ];
    vars.extend_from_slice(extra);
    spawn_app_with(&vars).await
}

fn subjects(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The "this wasn't me" link in a mail's text part.
fn report_link(mail: &Value) -> String {
    let text = mail["text"].as_str().expect("text part");
    text.split_whitespace()
        .find(|w| w.contains("/account/report/"))
        .expect("a report link")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activation_sends_exactly_one_mail_with_the_right_content() {
    if !require_python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = SmtpSink::new(dir.path());
    sink.start();
    let app = app_with_sink(&sink, &[]).await;
    let (user, _, secret, codes) = app.user_with_totp("mailme@example.com").await;
    let mails = sink.wait_for(1, 10).await;
    app.settle_mail().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails_after = sink.messages();
    assert_eq!(mails_after.len(), 1, "{:?}", subjects(&mails_after));
    let m = &mails[0];
    assert_eq!(m["to"], "mailme@example.com");
    assert_eq!(m["from"], "Keyward Test <security@example.com>");
    assert_eq!(m["content_type"], "multipart/alternative");
    assert_eq!(
        m["subject"],
        "Two-factor authentication is on for your Keyward Test account"
    );
    for part in ["text", "html"] {
        let body = m[part].as_str().expect("part");
        assert!(body.contains("Authenticator app"), "{part}: {body}");
        // The factor by Keyward's facts, never by the name typed for it.
        assert!(!body.contains("My Phone"), "{part}");
        assert!(body.contains("(id ending "), "{part}: {body}");
        assert!(
            body.contains("127.0.0.1"),
            "{part}: the address it came from"
        );
        assert!(body.contains("UTC"), "{part}: the time");
        assert!(
            body.contains("http://localhost:8080/account/report/rpt_"),
            "{part}"
        );
        // Never a secret: not the seed, not a backup code.
        assert!(!body.contains(&secret), "{part} carries the TOTP seed");
        for c in &codes {
            assert!(!body.contains(c.as_str()), "{part} carries a backup code");
        }
    }
    let events = app
        .get(&format!("/api/v1/audit?user_id={user}&event=email.sent"))
        .await;
    assert_eq!(
        events.body["events"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        events.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_security_event_sends_its_mail() {
    if !require_python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = SmtpSink::new(dir.path());
    sink.start();
    let app = app_with_sink(&sink, &[]).await;
    let (user, factor, _, codes) = app.user_with_totp("events@example.com").await;
    // A backup code used, then the set regenerated.
    assert_eq!(app.verify(&user, &codes[0]).await.status, 200);
    let r = app
        .post(&format!("/api/v1/users/{user}/backup-codes"), json!({}))
        .await;
    assert_eq!(r.status, 201);
    // A lockout.
    for _ in 0..5 {
        assert_eq!(app.verify(&user, "000000").await.status, 422);
    }
    // The factor removed.
    let r = app
        .request(
            "DELETE",
            &format!("/api/v1/users/{user}/factors/{factor}"),
            Some(&app.integration_key),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let mails = sink.wait_for(5, 15).await;
    app.settle_mail().await;
    let got = subjects(&sink.messages());
    assert_eq!(got.len(), 5, "{got:?}");
    for expected in [
        "Two-factor authentication is on for your Keyward Test account",
        "A backup code was used to sign in to your Keyward Test account",
        "New backup codes were created for your Keyward Test account",
        "Sign-in to your Keyward Test account is paused after failed attempts",
        "A second factor was removed from your Keyward Test account",
    ] {
        assert_eq!(
            got.iter().filter(|s| *s == expected).count(),
            1,
            "{expected} in {got:?}"
        );
    }
    let used = mails
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap_or("")
                .contains("backup code was used")
        })
        .expect("used mail");
    assert!(
        used["text"]
            .as_str()
            .unwrap_or("")
            .contains("Backup codes left: 9")
    );
    let removed = mails
        .iter()
        .find(|m| m["subject"].as_str().unwrap_or("").contains("removed"))
        .expect("removed mail");
    assert!(
        removed["text"]
            .as_str()
            .unwrap_or("")
            .contains("no longer has a second factor")
    );
    let lock = mails
        .iter()
        .find(|m| m["subject"].as_str().unwrap_or("").contains("paused"))
        .expect("lockout mail");
    assert!(lock["text"].as_str().unwrap_or("").contains("paused until"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_is_down_or_refusing_delays_mail_and_loses_none() {
    if !require_python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = SmtpSink::new(dir.path());
    // Nothing listens yet: the activation must still succeed, at once.
    let app = app_with_sink(&sink, &[("KEYWARD_MAIL_RETRY_SECONDS", "1")]).await;
    let started = std::time::Instant::now();
    let (user, _, _, _) = app.user_with_totp("outage@example.com").await;
    assert!(started.elapsed() < Duration::from_secs(5));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = app.cli(&["mail", "status"]);
    assert_eq!(
        String::from_utf8_lossy(&r.stdout),
        "pending 1\nfailed 0\nsent 0\n"
    );
    // The server comes back, but refuses recipients for a while (450).
    std::fs::write(dir.path().join("refuse"), b"").expect("refuse flag");
    sink.start();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(sink.messages().is_empty());
    std::fs::remove_file(dir.path().join("refuse")).expect("accept again");
    let mails = sink.wait_for(1, 20).await;
    assert_eq!(mails[0]["to"], "outage@example.com");
    app.settle_mail().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 1, "sent twice");
    let r = app.cli(&["mail", "status"]);
    assert_eq!(
        String::from_utf8_lossy(&r.stdout),
        "pending 0\nfailed 0\nsent 1\n"
    );
    let sent = app
        .get(&format!("/api/v1/audit?user_id={user}&event=email.sent"))
        .await;
    let attempts = sent.body["events"][0]["details"]["attempts"]
        .as_i64()
        .expect("attempts");
    assert!(attempts >= 2, "{:?}", sent.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_mail_is_audited_and_can_be_retried() {
    if !require_python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = SmtpSink::new(dir.path());
    let app = app_with_sink(
        &sink,
        &[
            ("KEYWARD_MAIL_RETRY_SECONDS", "1"),
            ("KEYWARD_MAIL_MAX_ATTEMPTS", "2"),
        ],
    )
    .await;
    let (user, _, _, _) = app.user_with_totp("giveup@example.com").await;
    let mut failed = false;
    for _ in 0..100 {
        let out = app.cli(&["mail", "status"]);
        if String::from_utf8_lossy(&out.stdout).contains("failed 1") {
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(failed, "the mail was not given up after 2 attempts");
    let ev = app
        .get(&format!("/api/v1/audit?user_id={user}&event=email.failed"))
        .await;
    assert_eq!(
        ev.body["events"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        ev.body
    );
    sink.start();
    let out = app.cli(&["mail", "retry"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1 failed mails queued again\n"
    );
    sink.wait_for(1, 10).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_an_outbox_of_200_mails_and_send_each_once() {
    if !require_python_module("aiosmtpd", "aiosmtpd") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = SmtpSink::new(dir.path());
    sink.start();
    let app = app_with_sink(&sink, &[]).await;
    let _other = app.spawn_sibling().await;
    let user = app.create_user("many@example.com").await;
    // 200 mails written in one transaction; both instances' workers race for them.
    let state = app.state.clone();
    let mail = state.mail.clone();
    let uid = user.clone();
    let now = keyward::domain::clock::naive(state.clock.now());
    state
        .db
        .write(move |conn| {
            let ctx = keyward::services::RequestContext::system();
            for _ in 0..200 {
                keyward::services::mail::enqueue(
                    conn,
                    &mail,
                    now,
                    &ctx,
                    &uid,
                    keyward::domain::mail::MailKind::BackupCodesRegenerated,
                )?;
            }
            Ok::<_, keyward::error::Error>(())
        })
        .await
        .expect("enqueue");
    let mails = sink.wait_for(200, 60).await;
    app.settle_mail().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails_after = sink.messages();
    assert_eq!(mails_after.len(), 200, "some mail was sent twice");
    let mut ids: Vec<&str> = mails
        .iter()
        .map(|m| m["message_id"].as_str().unwrap_or(""))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200);
    let out = app.cli(&["mail", "status"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "pending 0\nfailed 0\nsent 200\n"
    );
}

/// The .eml files the file transport wrote, parsed by Python's email package.
async fn eml_files(app: &TestApp, n: usize) -> Vec<Value> {
    let dir = app.dir.path().join("data").join("mail");
    for _ in 0..200 {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        if files.len() >= n {
            return files
                .iter()
                .map(|f| {
                    let out = Command::new("python3")
                        .arg(format!("{PEERS}/mail_json.py"))
                        .arg(f)
                        .output()
                        .expect("python3");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    serde_json::from_slice(&out.stdout).expect("json")
                })
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no .eml file in {}", dir.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_mail_is_written_as_parseable_eml_files() {
    let app = spawn_app().await;
    app.user_with_totp("files@example.com").await;
    let mails = eml_files(&app, 1).await;
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m["to"], "files@example.com");
    assert_eq!(m["content_type"], "multipart/alternative");
    assert!(
        m["text"]
            .as_str()
            .unwrap_or("")
            .contains("Authenticator app added on")
    );
    assert!(
        m["html"]
            .as_str()
            .unwrap_or("")
            .starts_with("<!doctype html>")
    );
}

/// A sent mail that carried a single-use link keeps no text in the outbox (kept 30 days); the
/// mail itself went out whole. Other mail keeps its text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_single_use_link_is_not_kept_in_the_outbox() {
    use diesel::prelude::*;
    use keyward::db::schema::mail_outbox;
    use keyward::domain::mail::MailKind;
    use keyward::services::mail::SENT_LINK_PLACEHOLDER;

    let app = spawn_app().await;
    let user = app.create_user("linked@example.com").await;
    let link = format!("{}/account/password/reset/tok_secret123", app.base);
    let (db, mail, now) = (
        app.state.db.clone(),
        app.state.mail.clone(),
        chrono::DateTime::from_timestamp(app.now(), 0)
            .expect("time")
            .naive_utc(),
    );
    let (uid, url) = (user.clone(), link.clone());
    db.write(move |conn| {
        let ctx = keyward::services::RequestContext::system();
        for kind in [
            MailKind::PasswordReset {
                url: url.clone(),
                minutes: 30,
            },
            MailKind::SetPassword {
                url: url.clone(),
                hours: 24,
            },
            MailKind::ConfirmEmail {
                url: url.clone(),
                hours: 24,
            },
            MailKind::BackupCodesRegenerated,
        ] {
            keyward::services::mail::enqueue(conn, &mail, now, &ctx, &uid, kind)?;
        }
        Ok::<_, keyward::error::Error>(())
    })
    .await
    .expect("enqueued");
    app.state.mail_wakeup.notify_one();
    app.settle_mail().await;

    let db = app.state.db.clone();
    let rows: Vec<(String, String, String, String)> = tokio::task::spawn_blocking(move || {
        db.with_conn(|c| {
            mail_outbox::table
                .filter(mail_outbox::to_address.eq("linked@example.com"))
                .select((
                    mail_outbox::kind,
                    mail_outbox::status,
                    mail_outbox::body_text,
                    mail_outbox::body_html,
                ))
                .load(c)
        })
    })
    .await
    .expect("join")
    .expect("conn")
    .expect("query");
    assert_eq!(rows.len(), 4, "{rows:?}");
    for (kind, status, text, html) in &rows {
        assert_eq!(status, "sent", "{kind}");
        if kind == "backup_codes_regenerated" {
            assert_ne!(text, SENT_LINK_PLACEHOLDER, "other mail keeps its text");
            continue;
        }
        assert!(!text.contains("/account/password/"), "{kind}: {text}");
        assert!(!html.contains("/account/password/"), "{kind}: {html}");
        assert_eq!(text, SENT_LINK_PLACEHOLDER, "{kind}");
        assert_eq!(html, SENT_LINK_PLACEHOLDER, "{kind}");
    }
    // The mail that went out carried the link.
    let sent = app
        .last_mail("linked@example.com", "password_reset")
        .await
        .expect("mail");
    assert!(
        sent.contains("/account/password/reset/tok_secret123"),
        "{sent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn this_wasnt_me_asks_then_secures_the_account_once() {
    let app = spawn_app().await;
    let (user, _, _, _) = app.user_with_totp("victim@example.com").await;
    let mails = eml_files(&app, 1).await;
    let link = report_link(&mails[0]);
    let path = link.trim_start_matches("http://localhost:8080");
    let url = format!("{}{path}", app.base);
    let client = reqwest::Client::new();

    // A GET (what a mail scanner does) only shows the question.
    let page = client.get(&url).send().await.expect("get");
    assert_eq!(page.status(), 200, "{url}");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let body = page.text().await.expect("body");
    assert!(body.contains("Secure my account"), "{body}");
    assert!(body.contains("v••@example.com"), "{body}");
    let u = app.get(&format!("/api/v1/users/{user}")).await;
    assert!(u.body.get("reported_at").is_none(), "{:?}", u.body);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "x" }),
        )
        .await;
    assert_eq!(r.status, 201, "a GET must change nothing");

    // The confirming POST does it all.
    let done = client.post(&url).send().await.expect("post");
    assert_eq!(done.status(), 200);
    assert!(done.text().await.expect("body").contains("secured"));
    let u = app.get(&format!("/api/v1/users/{user}")).await;
    assert!(u.body["reported_at"].is_string(), "{:?}", u.body);
    let r = app
        .post(
            &format!("/api/v1/users/{user}/factors"),
            json!({ "type": "totp", "name": "y" }),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("frozen")
    );
    let r = app
        .post(&format!("/api/v1/users/{user}/backup-codes"), json!({}))
        .await;
    assert_eq!(r.status, 403);
    let ev = app
        .get(&format!(
            "/api/v1/audit?user_id={user}&event=account.reported_by_user"
        ))
        .await;
    let events = ev.body["events"].as_array().expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor"]["type"], "user");

    // Used once only; a tampered link is not valid.
    let again = client.post(&url).send().await.expect("post");
    assert_eq!(again.status(), 410);
    let mut tampered = url.clone();
    let last = tampered.pop().expect("char");
    tampered.push(if last == '0' { '1' } else { '0' });
    assert_eq!(
        client.get(&tampered).send().await.expect("get").status(),
        404
    );
    assert_eq!(
        client.post(&tampered).send().await.expect("post").status(),
        404
    );
    assert_eq!(
        client
            .get(format!("{}/account/report/garbage", app.base))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_link_expires_after_7_days() {
    let app = spawn_app().await;
    let (user, _, secret, _) = app.user_with_totp("late@example.com").await;
    let mails = eml_files(&app, 1).await;
    let link = report_link(&mails[0]);
    let url = format!(
        "{}{}",
        app.base,
        link.trim_start_matches("http://localhost:8080")
    );
    app.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::seconds(1));
    let client = reqwest::Client::new();
    assert_eq!(client.get(&url).send().await.expect("get").status(), 410);
    assert_eq!(client.post(&url).send().await.expect("post").status(), 410);
    let u = app.get(&format!("/api/v1/users/{user}")).await;
    assert!(u.body.get("reported_at").is_none());
    let _ = (secret, totp_code);
}

/// Renders one mail of every kind and screenshots its HTML part in headless Chromium (the
/// pictures in docs/mail.md come from here: tests/browser/screenshots/mail-*.png).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_html_mail_renders_in_chromium() {
    if !crate::webauthn::require_browser() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let common = keyward::domain::mail::Common {
        issuer: "Example Hosting".into(),
        email: "ada@example.com".into(),
        when: "22 Nov 2026, 18:47 UTC".into(),
        ip: "203.0.113.7".into(),
        report_url: "https://2fa.example.com/account/report/rpt_0123.abcd".into(),
        locale: keyward::domain::i18n::Locale::En,
    };
    let mut files = Vec::new();
    for (i, kind) in keyward::domain::mail::samples().iter().enumerate() {
        let r = keyward::domain::mail::render(kind, &common).expect("renders");
        let f = dir
            .path()
            .join(format!("mail-{}-{}.html", i + 1, kind.name()));
        std::fs::write(&f, r.html).expect("write");
        files.push(f);
    }
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/screenshots");
    let out = Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/screenshots.mjs"
        ))
        .arg(shots)
        .args(&files)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(listed.lines().count(), files.len(), "{listed}");
    for line in listed.lines() {
        let size = std::fs::metadata(line).expect("png").len();
        assert!(size > 10_000, "{line} is only {size} bytes");
    }
}

/// The lease: a claimed mail is not claimed again until its lease ends; then the new holder's
/// claim token wins, and the old holder's late outcome changes nothing.
#[tokio::test]
async fn a_lease_is_held_by_one_worker_at_a_time() {
    use keyward::services::mail::{SendError, claim, record_attempt, renew_lease};
    // No worker of its own would interfere: the mail is due only in the past of a clock the
    // test controls, so it claims with explicit times far in the future.
    let app = spawn_app().await;
    let user = app.create_user("lease@example.com").await;
    let state = app.state.clone();
    let mail = state.mail.clone();
    let uid = user.clone();
    let t0 = keyward::domain::clock::naive(state.clock.now()) + chrono::Duration::days(1);
    let out = state
        .db
        .write(move |conn| {
            let ctx = keyward::services::RequestContext::system();
            // Written "tomorrow", so this app's own worker (at today's time) leaves it alone.
            keyward::services::mail::enqueue(
                conn,
                &mail,
                t0,
                &ctx,
                &uid,
                keyward::domain::mail::MailKind::BackupCodesRegenerated,
            )?;
            let first = claim(conn, t0)?;
            let again = claim(conn, t0 + chrono::Duration::seconds(60))?;
            let later = t0 + chrono::Duration::seconds(121);
            let second = claim(conn, later)?;
            let stale_renew = renew_lease(conn, later, &first[0])?;
            record_attempt(conn, later, &first[0], Ok(()), 10, 30)?;
            let still_pending = keyward::services::mail::status(conn)?.pending;
            record_attempt(
                conn,
                later,
                &second[0],
                Err(SendError {
                    message: "550 no such user".into(),
                    permanent: true,
                }),
                10,
                30,
            )?;
            let after = keyward::services::mail::status(conn)?;
            Ok::<_, keyward::error::Error>((
                first.len(),
                again.len(),
                second.len(),
                stale_renew,
                still_pending,
                after,
            ))
        })
        .await
        .expect("db");
    let (first, again, second, stale_renew, still_pending, after) = out;
    assert_eq!((first, again, second), (1, 0, 1));
    assert!(!stale_renew, "the old holder lost the lease");
    assert_eq!(still_pending, 1, "the old holder's outcome changed nothing");
    assert_eq!(
        (after.pending, after.failed, after.sent),
        (0, 1, 0),
        "a permanent error fails at once"
    );
    let ev = app
        .get(&format!("/api/v1/audit?user_id={user}&event=email.failed"))
        .await;
    let events = ev.body["events"].as_array().expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["details"]["permanent"], true);
    let sent = app
        .get(&format!("/api/v1/audit?user_id={user}&event=email.sent"))
        .await;
    assert_eq!(sent.body["events"].as_array().map(Vec::len), Some(0));
}
