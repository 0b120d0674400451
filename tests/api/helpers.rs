//! `spawn_app()`: the real server on a random port against a fresh database — a SQLite file
//! in a temporary directory, or (with `KEYWARD_TEST_BACKEND=postgres`) a new PostgreSQL
//! database that is dropped when the test ends.

use std::collections::HashMap;
use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use diesel::prelude::*;
use keyward::config::{LogFormat, Settings};
use keyward::domain::api_key::Scope;
use keyward::domain::clock::{Clock, ManualClock};
use keyward::startup::Application;
use keyward::state::AppState;
use serde_json::{Value, json};

pub const INVALID_CODE_MESSAGE: &str = "The code you entered did not match what was expected. Please re-scan or enter the code and try again.";

/// Which database this run of the suite uses.
pub fn backend() -> &'static str {
    match std::env::var("KEYWARD_TEST_BACKEND").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

fn postgres_admin_url() -> String {
    std::env::var("KEYWARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Fails in CI, skips (with a printed reason) elsewhere, when a peer tool is missing.
pub fn require_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{tool} is required in CI (.ci/run installs it)");
        }
        println!("SKIPPED: {tool} is not installed (install it, or run .ci/run)");
    }
    found
}

/// Everything the server logs in this process, for the secret-leak checks.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| Arc::new(Mutex::new(Vec::new())))
}

#[derive(Clone)]
struct BufWriter(Arc<Mutex<Vec<u8>>>);

impl Write for BufWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let buf = log_buffer().clone();
        keyward::telemetry::init_with_writer(
            LogFormat::Json,
            "keyward=trace,tower_http=debug,info",
            tracing_subscriber::fmt::writer::BoxMakeWriter::new(move || BufWriter(buf.clone())),
        );
    });
}

pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub integration_key: String,
    pub support_key: String,
    pub security_key: String,
    /// `KEYWARD_*` variables that point the CLI at this app's database and keys.
    pub env: HashMap<String, String>,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    pg_database: Option<String>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// `extra` are additional `KEYWARD_*` settings.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    init_logs();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert(
        "KEYWARD_DATA_DIR".into(),
        dir.path().join("data").to_string_lossy().into(),
    );
    env.insert("KEYWARD_LISTEN".into(), "127.0.0.1:0".into());
    env.insert("KEYWARD_ISSUER".into(), "Keyward Test".into());
    let mut pg_database = None;
    if backend() == "postgres" {
        let name = format!("kw_test_{}", uuid::Uuid::new_v4().simple());
        let admin = postgres_admin_url();
        let mut conn =
            PgConnection::establish(&admin).expect("PostgreSQL at KEYWARD_TEST_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let url = match admin.rsplit_once('/') {
            Some((prefix, _)) => format!("{prefix}/{name}"),
            None => panic!("bad KEYWARD_TEST_POSTGRES_URL"),
        };
        env.insert("KEYWARD_DATABASE_URL".into(), url);
        pg_database = Some(name);
    }
    for (k, v) in extra {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    let settings = Settings::from_vars(&env).expect("test settings");
    let clock = Arc::new(ManualClock::default());
    let app = Application::build(settings, clock.clone() as Arc<dyn Clock>)
        .await
        .expect("application builds");
    let addr = app.addr();
    let state = app.state().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    let mut keys = Vec::new();
    for scope in [Scope::Integration, Scope::Support, Scope::Security] {
        let db = state.db.clone();
        let now = clock.now();
        let (_, token) = tokio::task::spawn_blocking(move || {
            db.with_conn(|conn| {
                keyward::services::apikeys::create(
                    conn,
                    now,
                    &format!("test {}", scope.as_str()),
                    scope,
                )
            })
        })
        .await
        .expect("join")
        .expect("conn")
        .expect("create key");
        keys.push(token);
    }
    // The CLI must find the same master key and database.
    let mut cli_env = env.clone();
    cli_env.remove("KEYWARD_LISTEN");
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        state,
        clock,
        integration_key: keys[0].clone(),
        support_key: keys[1].clone(),
        security_key: keys[2].clone(),
        env: cli_env,
        dir,
        shutdown: Some(tx),
        pg_database,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(name) = self.pg_database.take() {
            // FORCE closes the server's pooled connections (PostgreSQL 13+).
            if let Ok(mut conn) = PgConnection::establish(&postgres_admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// A second server instance sharing a `TestApp`'s database and master key.
pub struct Sibling {
    pub base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Sibling {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A free TCP port on 127.0.0.1 (for a server whose base URL must name its port).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl TestApp {
    /// Starts another instance on the same database, as behind a load balancer.
    pub async fn spawn_sibling(&self) -> Sibling {
        let mut env = self.env.clone();
        env.insert("KEYWARD_LISTEN".into(), "127.0.0.1:0".into());
        let settings = Settings::from_vars(&env).expect("sibling settings");
        let clock = Arc::new(ManualClock::default());
        let app = Application::build(settings, clock as Arc<dyn Clock>)
            .await
            .expect("sibling builds");
        let addr = app.addr();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        Sibling {
            base: format!("http://{addr}"),
            shutdown: Some(tx),
        }
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(m, format!("{}{path}", self.base));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        Self::into_resp(resp).await
    }

    pub async fn into_resp(resp: reqwest::Response) -> Resp {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Resp {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request("GET", path, Some(&self.integration_key), None)
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.request("POST", path, Some(&self.integration_key), Some(body))
            .await
    }

    pub async fn create_user(&self, email: &str) -> String {
        let r = self.post("/api/v1/users", json!({ "email": email })).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_str().expect("id").to_owned()
    }

    /// Starts a TOTP enrollment; returns (factor id, base32 secret, full answer).
    pub async fn enroll_totp(&self, user: &str, name: &str) -> (String, String, Value) {
        let r = self
            .post(
                &format!("/api/v1/users/{user}/factors"),
                json!({ "type": "totp", "name": name }),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        (
            r.body["factor"]["id"]
                .as_str()
                .expect("factor id")
                .to_owned(),
            r.body["totp"]["secret"]
                .as_str()
                .expect("secret")
                .to_owned(),
            r.body,
        )
    }

    pub async fn activate(&self, user: &str, factor: &str, code: &str) -> Resp {
        self.post(
            &format!("/api/v1/users/{user}/factors/{factor}/activate"),
            json!({ "code": code }),
        )
        .await
    }

    pub async fn verify(&self, user: &str, code: &str) -> Resp {
        self.post(
            &format!("/api/v1/users/{user}/verify"),
            json!({ "code": code }),
        )
        .await
    }

    /// Puts the server's clock at second 10 of a fresh 30-second step, leaving 20 seconds
    /// before the step changes under a test.
    pub fn pin_clock_mid_step(&self) -> i64 {
        let now = chrono::Utc::now().timestamp();
        let target = (now / 30 + 2) * 30 + 10;
        self.clock
            .set(chrono::DateTime::from_timestamp(target, 0).expect("time"));
        target
    }

    pub fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// A user with an active TOTP factor: (user id, factor id, secret, backup codes).
    pub async fn user_with_totp(&self, email: &str) -> (String, String, String, Vec<String>) {
        let user = self.create_user(email).await;
        let (factor, secret, _) = self.enroll_totp(&user, "My Phone").await;
        let code = totp_code(&secret, self.now());
        let r = self.activate(&user, &factor, &code).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let codes = r.body["backup_codes"]
            .as_array()
            .expect("first activation returns backup codes")
            .iter()
            .map(|c| c.as_str().expect("code").to_owned())
            .collect();
        (user, factor, secret, codes)
    }

    /// Runs the `keyward` binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(&self.env)
            .output()
            .expect("keyward runs")
    }

    /// Waits until this app's mail worker has sent (or given up on) every due mail, so the
    /// audit log stops growing with `email.sent` events.
    pub async fn settle_mail(&self) {
        for _ in 0..200 {
            let db = self.state.db.clone();
            let pending = tokio::task::spawn_blocking(move || {
                db.with_conn(|c| keyward::services::mail::status(c).map(|s| s.pending))
            })
            .await
            .expect("join")
            .expect("conn")
            .expect("status");
            if pending == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("mail still pending after 10 s");
    }

    /// The text part of the newest mail of `kind` to `to`, if any (read from the outbox).
    pub async fn last_mail(&self, to: &str, kind: &str) -> Option<String> {
        use diesel::prelude::*;
        use keyward::db::schema::mail_outbox;
        let db = self.state.db.clone();
        let mail_dir = self.mail_dir();
        let (to, kind) = (to.to_owned(), kind.to_owned());
        tokio::task::spawn_blocking(move || {
            db.with_conn(|c| {
                mail_outbox::table
                    .filter(mail_outbox::to_address.eq(&to))
                    .filter(mail_outbox::kind.eq(&kind))
                    .order((mail_outbox::created_at.desc(), mail_outbox::id.desc()))
                    .select((mail_outbox::id, mail_outbox::body_text))
                    .load::<(String, String)>(c)
            })
        })
        .await
        .expect("join")
        .expect("conn")
        .expect("query")
        .into_iter()
        .next()
        .map(|(id, text)| sent_text(&mail_dir, &id, text))
    }

    /// Where the file transport writes this app's mail (no `KEYWARD_SMTP_URL`).
    pub fn mail_dir(&self) -> std::path::PathBuf {
        self.state.settings.database.data_dir.join("mail")
    }

    /// A small HTTP server for browser scripts that need a mailed link: `GET /?to=…&kind=…`
    /// answers the text part of the newest such mail (404 while there is none). Returns its
    /// base URL; it lives as long as the test's runtime.
    pub async fn mailbox(&self) -> String {
        use axum::extract::Query;
        use axum::http::StatusCode;
        #[derive(serde::Deserialize)]
        struct Q {
            to: String,
            kind: String,
        }
        let db = self.state.db.clone();
        let mail_dir = self.mail_dir();
        let route = axum::routing::get(move |Query(q): Query<Q>| {
            let (db, mail_dir) = (db.clone(), mail_dir.clone());
            async move {
                use diesel::prelude::*;
                use keyward::db::schema::mail_outbox;
                let found = tokio::task::spawn_blocking(move || {
                    db.with_conn(|c| {
                        mail_outbox::table
                            .filter(mail_outbox::to_address.eq(&q.to))
                            .filter(mail_outbox::kind.eq(&q.kind))
                            .order((mail_outbox::created_at.desc(), mail_outbox::id.desc()))
                            .select((mail_outbox::id, mail_outbox::body_text))
                            .load::<(String, String)>(c)
                    })
                    .map(|r| {
                        r.map(|v| {
                            v.into_iter()
                                .next()
                                .map(|(id, text)| sent_text(&mail_dir, &id, text))
                        })
                    })
                })
                .await
                .ok()
                .and_then(|r| r.ok())
                .and_then(|r| r.ok())
                .flatten();
                match found {
                    Some(text) => (StatusCode::OK, text),
                    None => (StatusCode::NOT_FOUND, String::new()),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, axum::Router::new().route("/", route)).await;
        });
        format!("http://{addr}")
    }

    /// How far the app's clock is ahead of the real one, in seconds.
    pub fn clock_offset_seconds(&self) -> i64 {
        (self.clock.now() - chrono::Utc::now()).num_seconds()
    }

    /// How many mails of `kind` went to `to`.
    pub async fn mail_count(&self, to: &str, kind: &str) -> i64 {
        use diesel::prelude::*;
        use keyward::db::schema::mail_outbox;
        let db = self.state.db.clone();
        let (to, kind) = (to.to_owned(), kind.to_owned());
        tokio::task::spawn_blocking(move || {
            db.with_conn(|c| {
                mail_outbox::table
                    .filter(mail_outbox::to_address.eq(&to))
                    .filter(mail_outbox::kind.eq(&kind))
                    .count()
                    .get_result::<i64>(c)
            })
        })
        .await
        .expect("join")
        .expect("conn")
        .expect("query")
    }

    /// Runs SQL directly against the database (tamper tests).
    pub async fn sql(&self, query: &str) -> usize {
        let db = self.state.db.clone();
        let q = query.to_owned();
        tokio::task::spawn_blocking(move || db.with_conn(|c| diesel::sql_query(q).execute(c)))
            .await
            .expect("join")
            .expect("conn")
            .expect("sql")
    }
}

/// The text part of outbox mail `id`: as stored, or — for a sent mail whose single-use link
/// the outbox no longer keeps — read from the `.eml` file the file transport wrote.
pub fn sent_text(mail_dir: &std::path::Path, id: &str, stored: String) -> String {
    if stored != keyward::services::mail::SENT_LINK_PLACEHOLDER {
        return stored;
    }
    let needle = format!("<{id}@");
    let file = std::fs::read_dir(mail_dir)
        .expect("the mail directory (file transport)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(&needle)))
        .unwrap_or_else(|| panic!("no .eml file for sent mail {id}"));
    let out = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/peers/mail_json.py"
        ))
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    parsed["text"].as_str().expect("a text part").to_owned()
}

/// A TOTP code from our own implementation (used where oathtool is not the point).
pub fn totp_code(secret_b32: &str, at: i64) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret_b32)
        .expect("base32")
        .as_bytes()
        .to_vec();
    let params = keyward::domain::totp::TotpParams::default();
    params.code_at_step(
        &keyward::domain::totp::TotpSecret::from_bytes(bytes),
        (at / 30) as u64,
    )
}

/// A TOTP code computed by `oathtool`, an independent implementation.
pub fn oathtool_code(secret_b32: &str, at: i64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", secret_b32, "--now", &format!("@{at}")])
        .output()
        .expect("oathtool runs");
    assert!(
        out.status.success(),
        "oathtool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl TestApp {
    /// Moves the clock to second 10 of the first step starting after `t`; returns that time.
    pub fn pin_clock_after(&self, t: i64) -> i64 {
        let target = (t / 30 + 1) * 30 + 10;
        self.clock
            .set(chrono::DateTime::from_timestamp(target, 0).expect("time"));
        target
    }
}

/// Whether PyPI's `yubiotp` (an independent Yubico OTP implementation) is importable; fails in
/// CI when it is not.
pub fn require_yubiotp() -> bool {
    require_python_module("yubiotp", "yubiotp")
}

/// Whether a Python module is importable; fails in CI when it is not (.ci/run installs it).
pub fn require_python_module(module: &str, pip_name: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("the Python module {module} is required in CI (.ci/run installs it)");
        }
        println!("SKIPPED: the Python module {module} is not installed (pip install {pip_name})");
    }
    ok
}

/// A Yubico OTP generated by PyPI's `yubiotp` for a key, with the given counters.
pub fn yubiotp(
    public_id: &str,
    private_id: &str,
    aes_key: &str,
    usage_counter: u16,
    session_use: u8,
) -> String {
    let script = format!(
        "from yubiotp.otp import OTP, encode_otp\n\
         import random\n\
         o = OTP(bytes.fromhex('{private_id}'), {usage_counter}, random.randrange(0xffffff), {session_use}, random.randrange(0xffff))\n\
         print(encode_otp(o, bytes.fromhex('{aes_key}'), public_id=b'{public_id}').decode())"
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "yubiotp: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A test YubiKey: public id, private id, AES key (random each time).
pub fn new_test_key() -> (String, String, String) {
    let raw = uuid::Uuid::new_v4().into_bytes();
    let public = keyward::domain::yubikey_otp::modhex_encode(&[
        0x00, raw[0], raw[1], raw[2], raw[3], raw[4],
    ]);
    let private = hex::encode(&raw[5..11]);
    let aes = hex::encode(uuid::Uuid::new_v4().into_bytes());
    (public, private, aes)
}

/// Runs a script of `tests/browser/` in node against the app on `port` (`KEYWARD_BASE`), with
/// screenshots going to `tests/browser/screenshots` (`SCREENSHOTS`) and `env` besides. The
/// script prints one JSON line last; it must exit cleanly and report no `error`.
pub async fn run_browser_script(
    script: &str,
    port: u16,
    env: Vec<(&'static str, String)>,
) -> Value {
    let path = format!("{}/tests/browser/{script}", env!("CARGO_MANIFEST_DIR"));
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/screenshots");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(path)
            .env("KEYWARD_BASE", format!("http://localhost:{port}"))
            .env("SCREENSHOTS", shots)
            .envs(env)
            .output()
            .expect("node runs")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("no JSON from the browser script ({e}): {stdout}"));
    assert!(
        result.get("error").is_none(),
        "{}",
        result["error"].as_str().unwrap_or("")
    );
    result
}

impl TestApp {
    /// `verify` at another instance on this app's database (a `Sibling`'s `base`), with this
    /// app's integration key.
    pub async fn verify_at(&self, base: &str, user: &str, code: &str) -> Resp {
        let resp = self
            .client
            .post(format!("{base}/api/v1/users/{user}/verify"))
            .bearer_auth(&self.integration_key)
            .json(&json!({ "code": code }))
            .send()
            .await
            .expect("request sent");
        Self::into_resp(resp).await
    }
}
/// The real `keyward serve` as a child process, so that a test can `kill -9` it. Its log
/// (stderr, text format) goes to a file.
pub struct ServerProcess {
    pub base: String,
    pub log: std::path::PathBuf,
    child: std::process::Child,
}

impl ServerProcess {
    /// Starts `keyward serve` with `env` on a free port and waits (up to 60 s) until
    /// `/healthz` answers 200.
    pub async fn start(env: &HashMap<String, String>, log: &std::path::Path) -> Self {
        let port = free_port();
        let file = std::fs::File::create(log).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env)
            .env("KEYWARD_LISTEN", format!("127.0.0.1:{port}"))
            .env("KEYWARD_LOG_FORMAT", "text")
            .stdout(std::process::Stdio::null())
            .stderr(file)
            .spawn()
            .expect("keyward serve starts");
        let mut server = Self {
            base: format!("http://127.0.0.1:{port}"),
            log: log.to_owned(),
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("keyward serve exited ({status}): {}", server.log_text());
            }
            let health = client.get(format!("{}/healthz", server.base)).send().await;
            if health.is_ok_and(|r| r.status() == 200) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "keyward serve did not answer /healthz: {}",
            server.log_text()
        );
    }

    /// SIGKILL: no shutdown, no flushing; what is not committed is gone.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A database of this run's backend for a server started as a child process: the `KEYWARD_*`
/// variables (data directory, and the URL of a new PostgreSQL database), and a guard that
/// drops that database.
pub fn fresh_database_env(dir: &std::path::Path) -> (HashMap<String, String>, DropDatabase) {
    let mut env = HashMap::new();
    env.insert(
        "KEYWARD_DATA_DIR".to_owned(),
        dir.join("data").to_string_lossy().into_owned(),
    );
    env.insert("KEYWARD_ISSUER".to_owned(), "Keyward Test".to_owned());
    let mut guard = DropDatabase(None);
    if backend() == "postgres" {
        let name = format!("kw_test_{}", uuid::Uuid::new_v4().simple());
        let admin = postgres_admin_url();
        let mut conn =
            PgConnection::establish(&admin).expect("PostgreSQL at KEYWARD_TEST_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let (prefix, _) = admin
            .rsplit_once('/')
            .expect("bad KEYWARD_TEST_POSTGRES_URL");
        env.insert(
            "KEYWARD_DATABASE_URL".to_owned(),
            format!("{prefix}/{name}"),
        );
        guard = DropDatabase(Some(name));
    }
    (env, guard)
}

/// Drops a test database on the shared PostgreSQL server when the test ends.
pub struct DropDatabase(Option<String>);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if let Some(name) = self.0.take()
            && let Ok(mut conn) = PgConnection::establish(&postgres_admin_url())
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// Runs the `keyward` binary with exactly `env` (plus `PATH`).
pub fn keyward_cli(env: &HashMap<String, String>, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .output()
        .expect("keyward runs")
}

/// A PostgreSQL cluster of the test's own (initdb into a temporary directory, a free port),
/// so a test can stop and restart it without disturbing the shared server. Its files belong
/// to the `postgres` user when the tests run as root (initdb and postgres refuse root).
pub struct PgCluster {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl PgCluster {
    /// `None` (with a printed reason) when PostgreSQL's server binaries are missing outside
    /// CI; in CI that fails the test.
    pub fn start() -> Option<Self> {
        let Some(bin) = postgres_bin_dir() else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are required in CI"
                );
            }
            println!(
                "SKIPPED: no /usr/lib/postgresql/*/bin/initdb (install the postgresql package)"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        if as_root() {
            let out = Command::new("chown")
                .args(["postgres:postgres", &dir.path().to_string_lossy()])
                .output()
                .expect("chown runs");
            assert!(
                out.status.success(),
                "chown: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let cluster = Self {
            bin,
            data,
            port: free_port(),
            _dir: dir,
        };
        cluster.pg(
            "initdb",
            &[
                "-D",
                &cluster.data_str(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        let conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n",
            cluster.port,
            cluster._dir.path().display()
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(cluster.data.join("postgresql.conf"))
            .expect("postgresql.conf");
        f.write_all(conf.as_bytes()).expect("write postgresql.conf");
        cluster.pg_ctl(&["start", "-w", "-t", "60"]);
        Some(cluster)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// `pg_ctl restart -m fast`: ends every connection, shuts down, starts again; returns
    /// when the server accepts connections again.
    pub fn restart_fast(&self) {
        self.pg_ctl(&["restart", "-m", "fast", "-w", "-t", "60"]);
    }

    fn data_str(&self) -> String {
        self.data.to_string_lossy().into_owned()
    }

    fn pg_ctl(&self, args: &[&str]) {
        let log = self._dir.path().join("postgres.log");
        let mut all = vec!["-D".to_owned(), self.data_str(), "-l".to_owned()];
        all.push(log.to_string_lossy().into_owned());
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        self.pg("pg_ctl", &all);
    }

    fn pg(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(self._dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let exe = self.bin.join("pg_ctl");
        let data = self.data_str();
        let args = ["-D", data.as_str(), "stop", "-m", "immediate"];
        let _ = if as_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .current_dir(self._dir.path())
                .output()
        } else {
            Command::new(&exe).args(args).output()
        };
    }
}

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn postgres_bin_dir() -> Option<std::path::PathBuf> {
    let mut found: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}
