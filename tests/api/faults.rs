//! Faults: the server killed with SIGKILL under load, PostgreSQL restarted under load, and a
//! clean start on a new database. Every test runs the real binary (`keyward serve`) as a child
//! process and talks to it over HTTP.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{
    PgCluster, ServerProcess, backend, fresh_database_env, keyward_cli, totp_code,
};

/// One request of the load and what came of it.
#[derive(Debug, Clone)]
struct Outcome {
    what: Work,
    /// `None`: no HTTP answer (the server was killed).
    status: Option<u16>,
    code: String,
    sent: Instant,
    answered: Instant,
}

#[derive(Debug, Clone)]
enum Work {
    /// A TOTP code of `step` for `user`, sent to server `to`.
    Verify { user: String, step: i64, to: usize },
    /// A new user; `id` when it was created.
    CreateUser { id: Option<String> },
}

fn step_now() -> i64 {
    chrono::Utc::now().timestamp() / 30
}

/// Creates `n` users with an active TOTP factor through the API, activated with the code of
/// the step before the current one, so that codes of the current and the next step are fresh.
async fn users_with_totp(base: &str, key: &str, prefix: &str, n: usize) -> Vec<(String, String)> {
    let client = reqwest::Client::new();
    let jobs = (0..n).map(|i| {
        let client = client.clone();
        async move {
            let post = |path: String, body: serde_json::Value| {
                client
                    .post(format!("{base}{path}"))
                    .bearer_auth(key)
                    .json(&body)
                    .send()
            };
            let r = post(
                "/api/v1/users".into(),
                json!({ "email": format!("{prefix}{i}@example.org") }),
            )
            .await
            .expect("create user");
            assert_eq!(r.status(), 201);
            let user: serde_json::Value = r.json().await.expect("json");
            let user = user["id"].as_str().expect("id").to_owned();
            let r = post(
                format!("/api/v1/users/{user}/factors"),
                json!({ "type": "totp", "name": "Phone" }),
            )
            .await
            .expect("enroll");
            assert_eq!(r.status(), 201);
            let enrolled: serde_json::Value = r.json().await.expect("json");
            let factor = enrolled["factor"]["id"]
                .as_str()
                .expect("factor")
                .to_owned();
            let secret = enrolled["totp"]["secret"]
                .as_str()
                .expect("secret")
                .to_owned();
            let mut r = post(
                format!("/api/v1/users/{user}/factors/{factor}/activate"),
                json!({ "code": totp_code(&secret, (step_now() - 1) * 30) }),
            )
            .await
            .expect("activate");
            if r.status() == 422 {
                // A 30-second boundary passed between computing the code and the server's
                // check, leaving it two steps old: once more, with the current step's code.
                r = post(
                    format!("/api/v1/users/{user}/factors/{factor}/activate"),
                    json!({ "code": totp_code(&secret, step_now() * 30) }),
                )
                .await
                .expect("activate");
            }
            assert_eq!(r.status(), 200);
            (user, secret)
        }
    });
    let mut out = Vec::new();
    let mut jobs = jobs.collect::<Vec<_>>();
    // Eight at a time.
    while !jobs.is_empty() {
        let rest = jobs.split_off(jobs.len().min(8));
        out.extend(futures::future::join_all(jobs).await);
        jobs = rest;
    }
    out
}

fn api_key(env: &HashMap<String, String>, scope: &str) -> String {
    let out = keyward_cli(env, &["apikey", "create", "fault test", "--scope", scope]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned()
}

/// Load on `bases`: `verifiers` tasks send the queued tickets (each `(user, step, to)`),
/// `pause` apart; `creators` tasks create users until `stop` is set. A task ends when `stop`
/// is set or (with `stop_on_no_answer`) when a request gets no answer.
struct Load {
    /// The first `verifiers` of `tasks` send the tickets.
    verifiers: usize,
    stop: Arc<AtomicBool>,
    outcomes: Arc<Mutex<Vec<Outcome>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a test's load knobs, named at the call"
)]
fn start_load(
    bases: &[String],
    key: &str,
    secrets: &HashMap<String, String>,
    tickets: VecDeque<(String, i64, usize)>,
    verifiers: usize,
    pause: Duration,
    creators: usize,
    stop_on_no_answer: bool,
) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let tickets = Arc::new(Mutex::new(tickets));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let secrets = Arc::new(secrets.clone());
    let serial = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..verifiers {
        let (stop, outcomes, tickets, client, secrets) = (
            stop.clone(),
            outcomes.clone(),
            tickets.clone(),
            client.clone(),
            secrets.clone(),
        );
        let (bases, key) = (bases.to_vec(), key.to_owned());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let Some((user, step, to)) = tickets.lock().expect("lock").pop_front() else {
                    break;
                };
                let code = totp_code(&secrets[&user], step * 30);
                let sent = Instant::now();
                let r = client
                    .post(format!("{}/api/v1/users/{user}/verify", bases[to]))
                    .bearer_auth(&key)
                    .json(&json!({ "code": code }))
                    .send()
                    .await;
                let (status, code) = answer(r).await;
                let gone = status.is_none();
                outcomes.lock().expect("lock").push(Outcome {
                    what: Work::Verify { user, step, to },
                    status,
                    code,
                    sent,
                    answered: Instant::now(),
                });
                if gone && stop_on_no_answer {
                    break;
                }
                tokio::time::sleep(pause).await;
            }
        }));
    }
    for c in 0..creators {
        let (stop, outcomes, client, serial) = (
            stop.clone(),
            outcomes.clone(),
            client.clone(),
            serial.clone(),
        );
        let (bases, key) = (bases.to_vec(), key.to_owned());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = serial.fetch_add(1, Ordering::SeqCst);
                let sent = Instant::now();
                let r = client
                    .post(format!("{}/api/v1/users", bases[c % bases.len()]))
                    .bearer_auth(&key)
                    .json(&json!({ "email": format!("load{n}@example.org") }))
                    .send()
                    .await;
                let (status, body) = match r {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        (Some(status), r.json::<serde_json::Value>().await.ok())
                    }
                    Err(_) => (None, None),
                };
                let body = body.unwrap_or_default();
                let id = (status == Some(201))
                    .then(|| body["id"].as_str().map(str::to_owned))
                    .flatten();
                outcomes.lock().expect("lock").push(Outcome {
                    what: Work::CreateUser { id },
                    status,
                    code: body["error"]["code"].as_str().unwrap_or("").to_owned(),
                    sent,
                    answered: Instant::now(),
                });
                if status.is_none() && stop_on_no_answer {
                    break;
                }
            }
        }));
    }
    Load {
        verifiers,
        stop,
        outcomes,
        tasks,
    }
}

impl Load {
    async fn finish(self) -> Vec<Outcome> {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            t.await.expect("load task");
        }
        self.outcomes.lock().expect("lock").clone()
    }

    /// Waits until every ticket is sent (or `limit` passes), then stops the creators.
    async fn drain(self, limit: Duration) -> Vec<Outcome> {
        let until = Instant::now() + limit;
        while Instant::now() < until
            && self.tasks[..self.verifiers]
                .iter()
                .any(|t| !t.is_finished())
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.finish().await
    }
}

async fn answer(r: reqwest::Result<reqwest::Response>) -> (Option<u16>, String) {
    match r {
        Ok(r) => {
            let status = r.status().as_u16();
            let body = r.json::<serde_json::Value>().await.unwrap_or_default();
            (
                Some(status),
                body["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        }
        Err(_) => (None, String::new()),
    }
}

async fn audit_chain_verifies(env: &HashMap<String, String>, base: &str, support_key: &str) {
    let out = keyward_cli(env, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "keyward audit verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let r = reqwest::Client::new()
        .get(format!("{base}/api/v1/audit/verify"))
        .bearer_auth(support_key)
        .send()
        .await
        .expect("audit verify");
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["ok"], true, "{body}");
}

/// `kill -9` under load: every request that got a 2xx is still there after the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_acknowledged_is_lost_when_the_server_is_killed_under_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (env, _db) = fresh_database_env(dir.path());
    let mut server = ServerProcess::start(&env, &dir.path().join("first.log")).await;
    let key = api_key(&env, "integration");
    let support = api_key(&env, "support");
    let users = users_with_totp(&server.base, &key, "totp", 80).await;
    let secrets: HashMap<String, String> = users.iter().cloned().collect();
    // Codes of this step and the next for every user: all fresh, each sent once.
    let first = step_now();
    let tickets: VecDeque<(String, i64, usize)> = [first, first + 1]
        .into_iter()
        .flat_map(|step| users.iter().map(move |(u, _)| (u.clone(), step, 0)))
        .collect();
    let load = start_load(
        std::slice::from_ref(&server.base),
        &key,
        &secrets,
        tickets,
        8,
        // 160 codes at about 80 a second: verifications are still going at the kill.
        Duration::from_millis(100),
        4,
        true,
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill9();
    let killed_log = server.log_text();
    let outcomes = load.finish().await;
    drop(server);

    let restarted = ServerProcess::start(&env, &dir.path().join("second.log")).await;
    let client = reqwest::Client::new();
    let acknowledged_users: Vec<&String> = outcomes
        .iter()
        .filter_map(|o| match &o.what {
            Work::CreateUser { id: Some(id) } => Some(id),
            _ => None,
        })
        .collect();
    let accepted: Vec<(&String, i64)> = outcomes
        .iter()
        .filter_map(|o| match &o.what {
            Work::Verify { user, step, .. } if o.status == Some(200) => Some((user, *step)),
            _ => None,
        })
        .collect();
    let unanswered = outcomes.iter().filter(|o| o.status.is_none()).count();
    println!(
        "kill -9 on {}: {} users created, {} verifications accepted, {} requests without an answer",
        backend(),
        acknowledged_users.len(),
        accepted.len(),
        unanswered
    );
    assert!(
        !acknowledged_users.is_empty() && !accepted.is_empty(),
        "the load did too little before the kill"
    );
    assert!(unanswered > 0, "no request was in flight at the kill");
    for o in &outcomes {
        if let Some(s) = o.status {
            assert!(s < 500, "a {s} ({}) before the kill: {o:?}", o.code);
        }
    }
    assert!(
        !killed_log.contains("ERROR"),
        "the server logged an error before the kill: {killed_log}"
    );
    // Every created user exists.
    for chunk in acknowledged_users.chunks(16) {
        let checks = chunk.iter().map(|id| {
            client
                .get(format!("{}/api/v1/users/{id}", restarted.base))
                .bearer_auth(&key)
                .send()
        });
        for (id, r) in chunk.iter().zip(futures::future::join_all(checks).await) {
            assert_eq!(r.expect("get user").status(), 200, "user {id} was lost");
        }
    }
    // Every accepted code is now a replay. (A code stays in the window until two steps after
    // its own; this test takes far less than a minute.)
    let now = step_now();
    for (user, step) in &accepted {
        assert!(
            now <= step + 1,
            "the test ran too long to tell a replay from a late code"
        );
        let r = client
            .post(format!("{}/api/v1/users/{user}/verify", restarted.base))
            .bearer_auth(&key)
            .json(&json!({ "code": totp_code(&secrets[*user], step * 30) }))
            .send()
            .await
            .expect("verify");
        assert_eq!(
            r.status(),
            422,
            "user {user}: the code of step {step} was accepted before the kill and again after"
        );
    }
    audit_chain_verifies(&env, &restarted.base, &support).await;
}

/// A new database, started several times: no `ERROR` (nor `WARN`) in the log at start, on
/// this run's backend. Before the fix, two of six starts on a new SQLite file logged
/// `ERROR … database is locked` (the pool's connections racing to switch the file to WAL).
#[tokio::test]
async fn a_fresh_database_starts_without_errors() {
    for attempt in 0..6 {
        let dir = tempfile::tempdir().expect("tempdir");
        let (env, _db) = fresh_database_env(dir.path());
        let server = ServerProcess::start(&env, &dir.path().join("serve.log")).await;
        let log = server.log_text();
        assert!(
            log.contains("keyward is listening"),
            "start {attempt}: {log}"
        );
        for line in log.lines() {
            assert!(
                !line.contains("ERROR") && !line.contains("WARN"),
                "start {attempt} on {}: {line}\n{log}",
                backend()
            );
        }
    }
}

/// PostgreSQL restarted (`pg_ctl restart -m fast`) under load from two instances: no `500`;
/// every 5xx is `503 unavailable` and was in flight while the database was down; no code is
/// accepted twice; nothing acknowledged is lost; the audit chain verifies.
///
/// Runs in the PostgreSQL run of the suite (it brings its own PostgreSQL cluster, so the
/// SQLite run would only repeat it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_restart_under_load_answers_only_503_while_it_is_down() {
    if backend() != "postgres" {
        println!("SKIPPED here: runs in the PostgreSQL run (it starts a PostgreSQL of its own)");
        return;
    }
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert(
        "KEYWARD_DATA_DIR".into(),
        dir.path().join("data").to_string_lossy().into_owned(),
    );
    env.insert("KEYWARD_DATABASE_URL".into(), cluster.url("postgres"));
    let a = ServerProcess::start(&env, &dir.path().join("a.log")).await;
    let b = ServerProcess::start(&env, &dir.path().join("b.log")).await;
    let bases = vec![a.base.clone(), b.base.clone()];
    let key = api_key(&env, "integration");
    let support = api_key(&env, "support");
    let users = users_with_totp(&a.base, &key, "totp", 150).await;
    let secrets: HashMap<String, String> = users.iter().cloned().collect();
    // Every fresh code twice, to both instances at about the same time.
    let first = step_now();
    let tickets: VecDeque<(String, i64, usize)> = [first, first + 1]
        .into_iter()
        .flat_map(|step| {
            users
                .iter()
                .flat_map(move |(u, _)| [(u.clone(), step, 0), (u.clone(), step, 1)])
        })
        .collect();
    let load = start_load(
        &bases,
        &key,
        &secrets,
        tickets,
        16,
        Duration::from_millis(40),
        4,
        false,
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The database is down from the moment pg_ctl signals it until it accepts connections
    // again; a probe connecting every 10 ms finds that moment (pg_ctl itself only polls every
    // 100 ms).
    let down = Instant::now();
    let probe_url = cluster.url("postgres");
    let restarting = Arc::new(AtomicBool::new(true));
    let probe = {
        let restarting = restarting.clone();
        std::thread::spawn(move || {
            use diesel::Connection;
            let mut last_up = None;
            let mut seen_down = false;
            loop {
                let ok = diesel::PgConnection::establish(&probe_url).is_ok();
                if !ok {
                    seen_down = true;
                    last_up = None;
                } else if seen_down && last_up.is_none() {
                    last_up = Some(Instant::now());
                }
                if !restarting.load(Ordering::SeqCst) && (last_up.is_some() || !seen_down) {
                    return last_up;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let restart = {
        let cluster = &cluster;
        tokio::task::block_in_place(|| cluster.restart_fast());
        Instant::now()
    };
    restarting.store(false, Ordering::SeqCst);
    let up = probe.join().expect("probe").unwrap_or(restart).min(restart);
    let outcomes = load.drain(Duration::from_secs(25)).await;

    // What the database's absence may excuse: requests in flight between `down` and `up`,
    // plus a margin after `up` for a request whose connection attempt was refused just
    // before the server came up (r2d2 retries a failed connect after 200 ms or more).
    let margin = Duration::from_millis(500);
    let mut by_ticket: HashMap<(String, i64), usize> = HashMap::new();
    let (mut ok, mut unavailable, mut after_up) = (0, 0, 0);
    let mut per_instance = [0; 2];
    for o in &outcomes {
        let status = o.status.unwrap_or_else(|| panic!("no answer: {o:?}"));
        assert_ne!(status, 500, "a 500 during the restart: {o:?}");
        if status >= 500 {
            assert_eq!((status, o.code.as_str()), (503, "unavailable"), "{o:?}");
            assert!(
                o.answered >= down && o.sent <= up + margin,
                "a 503 outside the outage: sent {:?} after the restart began, answered {:?} after it, the database was back {:?} after it began: {o:?}",
                o.sent.saturating_duration_since(down),
                o.answered.saturating_duration_since(down),
                up - down
            );
            unavailable += 1;
            if o.sent > up {
                after_up += 1;
            }
            if let Work::Verify { to, .. } = o.what {
                per_instance[to] += 1;
            }
        }
        if let Work::Verify { user, step, .. } = &o.what
            && status == 200
        {
            ok += 1;
            *by_ticket.entry((user.clone(), *step)).or_default() += 1;
        }
    }
    let requests_during = outcomes
        .iter()
        .filter(|o| o.answered >= down && o.sent <= up)
        .count();
    println!(
        "PostgreSQL restart: down for {:?}; {} requests ({} in flight while down), {} verifications accepted, {} answered 503 ({} of them sent after the database was back; verifications per instance {:?})",
        up - down,
        outcomes.len(),
        requests_during,
        ok,
        unavailable,
        after_up,
        per_instance
    );
    for ((user, step), n) in &by_ticket {
        assert_eq!(
            *n, 1,
            "user {user}: the code of step {step} was accepted {n} times"
        );
    }
    let after: Vec<&Outcome> = outcomes.iter().filter(|o| o.sent > up + margin).collect();
    assert!(
        after
            .iter()
            .any(|o| o.status == Some(200) || o.status == Some(201)),
        "no request succeeded after the restart"
    );
    // Nothing acknowledged is lost.
    let client = reqwest::Client::new();
    for o in &outcomes {
        if let Work::CreateUser { id: Some(id) } = &o.what {
            let r = client
                .get(format!("{}/api/v1/users/{id}", bases[0]))
                .bearer_auth(&key)
                .send()
                .await
                .expect("get user");
            assert_eq!(r.status(), 200, "user {id} was lost");
        }
    }
    for (user, step) in by_ticket.keys() {
        let r = client
            .post(format!("{}/api/v1/users/{user}/verify", bases[1]))
            .bearer_auth(&key)
            .json(&json!({ "code": totp_code(&secrets[user], step * 30) }))
            .send()
            .await
            .expect("verify");
        assert_eq!(r.status(), 422, "user {user}: step {step} accepted again");
    }
    for server in [&a, &b] {
        let log = server.log_text();
        assert!(
            !log.contains("request failed"),
            "a 500's cause in the log: {log}"
        );
    }
    audit_chain_verifies(&env, &bases[1], &support).await;
}
