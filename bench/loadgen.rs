//! Keyward's load benchmark for `POST /api/v1/users/{id}/verify` with TOTP.
//!
//! `seed`: writes N users with an active TOTP factor straight into the database named by the
//! `KEYWARD_*` variables (secrets encrypted with the data dir's master key, as the server
//! does), plus an API key, which it prints. `--groups G` also puts every user in G groups, each
//! with a policy that still allows TOTP (so every verification computes a user's effective
//! policy from the global one and G group policies). `--password-users K` gives the first K
//! users a password (hashed once by the server's own argon2 function, so the parameters are
//! the real ones) for the sign-in storm.
//! `run`: drives the server over HTTP with C concurrent connections for D seconds. Every
//! request carries a valid code for a step the user has not used yet (users are taken round
//! robin), so what is measured is the full success path — lockout check, match, the durable
//! replay update, the audit event — not refusals. `--url` may list several instances
//! (comma-separated): connection c talks to instance c mod N. `--signin-storm S` adds S loops
//! signing in at the portal (`POST /signin`, argon2) the whole time; `--rate R` paces the
//! verifications to R per second in total (for small user counts).
//! `pairs`: writes fresh (step, user, code) lines for `bench/verify.lua` (the wrk mode), one
//! file per wrk thread, users partitioned between the files.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use keyward::config::Settings;
use keyward::db::models::{FactorRow, ThrottleRow, UserRow};
use keyward::db::schema::{factors, group_members, groups, throttles, users};
use keyward::domain::api_key::Scope;
use keyward::domain::keyring::Keyring;
use keyward::domain::newtypes::{FactorKind, Role};
use keyward::domain::totp::{TotpParams, TotpSecret};
use sha2::{Digest, Sha256};

fn secret_of(i: usize) -> TotpSecret {
    let digest = Sha256::digest(format!("keyward bench user {i}").as_bytes());
    TotpSecret::from_bytes(digest[..20].to_vec())
}

fn user_id(i: usize) -> String {
    format!("usr_bench{i:08}")
}

/// G groups whose policies allow TOTP and tighten something else (the grace period, user
/// verification, an AAGUID list), so the combination has work to do.
fn seed_groups(db: &keyward::db::Db, groups_n: usize) -> anyhow::Result<Vec<String>> {
    let now = chrono::Utc::now().naive_utc();
    let ids: Vec<String> = (0..groups_n).map(|g| format!("grp_bench{g:04}")).collect();
    db.with_conn(|conn| {
        for (g, id) in ids.iter().enumerate() {
            let mut policy = keyward::domain::policy::Policy {
                enrollment_grace_days: 14 - g as i64,
                ..Default::default()
            };
            policy.webauthn.allowed_aaguids = vec![
                uuid::Uuid::from_u128(g as u128 + 1),
                uuid::Uuid::from_u128(1),
            ];
            diesel::insert_into(groups::table)
                .values((
                    groups::id.eq(id),
                    groups::name.eq(format!("Bench group {g}")),
                    groups::policy.eq(Some(serde_json::to_string(&policy).expect("json"))),
                    groups::created_at.eq(now),
                    groups::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok::<_, diesel::result::Error>(())
    })??;
    Ok(ids)
}

/// The password of the users `seed --password-users` gives one (the sign-in storm's).
const BENCH_PASSWORD: &str = "bench password 0123";

fn seed(users_n: usize, groups_n: usize, password_users: usize) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    // One hash for all of them: each sign-in still runs the full argon2 check.
    let password_hash = if password_users > 0 {
        let pw = keyward::domain::newtypes::Password::parse(BENCH_PASSWORD.into())
            .map_err(|e| anyhow::anyhow!(e))?;
        Some(keyward::services::passwords::hash_blocking(&pw)?)
    } else {
        None
    };
    let db = keyward::startup::open_database(&settings)?;
    let keyring = Keyring::load_or_create(&settings.database.master_key_file())?;
    let now = chrono::Utc::now().naive_utc();
    let started = Instant::now();
    let group_ids = seed_groups(&db, groups_n)?;
    for chunk_start in (0..users_n).step_by(5000) {
        let end = (chunk_start + 5000).min(users_n);
        let keyring = &keyring;
        db.with_conn(|conn| {
            keyward::db::in_write_transaction::<_, keyward::db::DbError, _>(conn, |conn| {
                for i in chunk_start..end {
                    let uid = user_id(i);
                    diesel::insert_into(users::table)
                        .values(UserRow {
                            id: uid.clone(),
                            email: format!("bench{i}@example.org"),
                            email_normalized: format!("bench{i}@example.org"),
                            display_name: format!("Bench {i}"),
                            role: Role::Customer,
                            password_hash: password_hash.clone().filter(|_| i < password_users),
                            totp_last_step: None,
                            created_at: now,
                            reported_at: None,
                            factors_frozen_at: None,
                            sessions_valid_after: None,
                            noncompliant_since: None,
                            email_verified_at: None,
                            created_via: "api".into(),
                            password_reset_required_at: None,
                            password_changed_at: None,
                        })
                        .execute(conn)?;
                    diesel::insert_into(throttles::table)
                        .values(&ThrottleRow {
                            user_id: uid.clone(),
                            failures: 0,
                            lockouts: 0,
                            locked_until: None,
                            locked_refusals: 0,
                            last_failure_at: None,
                        })
                        .execute(conn)?;
                    let fid = format!("fac_bench{i:08}");
                    let sealed = keyring.seal(secret_of(i).as_bytes(), fid.as_bytes());
                    diesel::insert_into(factors::table)
                        .values(FactorRow {
                            secret_ciphertext: Some(sealed.blob),
                            secret_key_id: Some(sealed.key_id),
                            totp_digits: Some(6),
                            totp_period: Some(30),
                            totp_algorithm: Some("SHA1".into()),
                            ..FactorRow::active(
                                fid,
                                uid.clone(),
                                FactorKind::Totp,
                                "Bench phone".into(),
                                now,
                            )
                        })
                        .execute(conn)?;
                    for gid in &group_ids {
                        diesel::insert_into(group_members::table)
                            .values((
                                group_members::group_id.eq(gid),
                                group_members::user_id.eq(&uid),
                                group_members::created_at.eq(now),
                            ))
                            .execute(conn)?;
                    }
                }
                Ok(())
            })
        })??;
    }
    // Rows written straight into a fresh database have no planner statistics yet; a server
    // that has been running has them (autovacuum). Without them PostgreSQL may plan the factor
    // lookup through `factors_status_kind_user`, scanning every active factor.
    if db.backend() == keyward::db::Backend::Postgres {
        use diesel::connection::SimpleConnection;
        db.with_conn(|conn| conn.batch_execute("ANALYZE"))??;
    }
    let (_, key) = db.with_conn(|conn| {
        keyward::services::apikeys::create(conn, chrono::Utc::now(), "bench", Scope::Integration)
    })??;
    eprintln!(
        "seeded {users_n} users ({password_users} with a password) in {groups_n} groups each in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    println!("{key}");
    Ok(())
}

struct Shared {
    next_user: AtomicUsize,
    users: usize,
    /// Per user, the next step to use (0 = not used yet).
    next_step: Vec<AtomicU64>,
}

/// Latencies (µs) and status counts of one kind of request.
#[derive(Default)]
struct Tally {
    lat: Vec<u32>,
    statuses: BTreeMap<u16, u64>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.lat.extend(other.lat);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
    }

    /// Answers other than `success` (200 for verify, 303 for a sign-in's password step).
    fn failures(&self, success: u16) -> u64 {
        self.statuses
            .iter()
            .filter(|(s, _)| **s != success)
            .map(|(_, n)| n)
            .sum()
    }

    /// Sorts the latencies, then prints count, rate, statuses and percentiles.
    fn report(&mut self, what: &str, elapsed: f64) {
        self.lat.sort_unstable();
        let all = &self.lat;
        let pct = |p: f64| {
            all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0) as f64
                / 1000.0
        };
        println!("{what} requests: {}", all.len());
        println!(
            "{what} throughput: {:.0}/s",
            all.len() as f64 / elapsed.max(f64::EPSILON)
        );
        println!("{what} statuses: {:?}", self.statuses);
        println!(
            "{what} latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
            pct(0.50),
            pct(0.90),
            pct(0.99),
            pct(1.0)
        );
    }
}

struct RunOptions {
    urls: Vec<String>,
    key: String,
    users: usize,
    concurrency: usize,
    seconds: u64,
    /// Verifications per second in total; 0: as fast as the connections go.
    rate: f64,
    signin_storm: usize,
    signin_users: usize,
}

/// One verifying connection: users round robin, each at the current then the next step.
async fn verify_loop(
    shared: Arc<Shared>,
    url: String,
    key: String,
    deadline: Instant,
    interval: Option<Duration>,
) -> anyhow::Result<(Tally, u64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()?;
    let params = TotpParams::default();
    let mut tally = Tally {
        lat: Vec::with_capacity(400_000),
        ..Tally::default()
    };
    let mut skipped = 0u64;
    let mut next_at = Instant::now();
    while Instant::now() < deadline {
        if let Some(every) = interval {
            tokio::time::sleep_until(next_at.into()).await;
            next_at += every;
        }
        let i = shared.next_user.fetch_add(1, Ordering::Relaxed) % shared.users;
        let now_step = (chrono::Utc::now().timestamp() / 30) as u64;
        let slot = &shared.next_step[i];
        let prev = slot.load(Ordering::Relaxed);
        // The current step, then the next: never one that may age out in flight.
        let step = prev.max(now_step);
        if step > now_step + 1
            || slot
                .compare_exchange(prev, step + 1, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            // Paced, the slot is lost; unpaced, the next user is tried at once.
            skipped += 1;
            continue;
        }
        let code = params.code_at_step(&secret_of(i), step);
        let t = Instant::now();
        let resp = client
            .post(format!("{url}/api/v1/users/{}/verify", user_id(i)))
            .bearer_auth(&key)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await?;
        let status = resp.status().as_u16();
        let _ = resp.bytes().await?;
        tally.lat.push(t.elapsed().as_micros() as u32);
        *tally.statuses.entry(status).or_default() += 1;
    }
    Ok((tally, skipped))
}

/// The CSRF token in a form (`name="csrf" value="…"`).
fn csrf_field(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    body[start..].split('"').next().map(str::to_owned)
}

/// One browser signing in again and again, as `users` in turn (each loop has its own users,
/// so no account is paused by concurrent attempts) from its own address (`X-Forwarded-For`,
/// believed when the server trusts 127.0.0.1 as a proxy). Each sign-in is the password step
/// with the CSRF token of the form: a 303 to the second step is a success.
async fn signin_loop(
    url: String,
    users: Vec<usize>,
    address: String,
    deadline: Instant,
) -> anyhow::Result<Tally> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .build()?;
    let form = client
        .get(format!("{url}/signin"))
        .header("x-forwarded-for", &address)
        .send()
        .await?;
    let csrf_cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("kw_csrf="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("GET /signin set no kw_csrf cookie"))?;
    let csrf = csrf_field(&form.text().await?)
        .ok_or_else(|| anyhow::anyhow!("GET /signin has no csrf field"))?;
    let mut tally = Tally::default();
    let mut n = 0usize;
    while Instant::now() < deadline {
        let i = users[n % users.len()];
        n += 1;
        let body = format!(
            "csrf={csrf}&email=bench{i}%40example.org&password={}",
            BENCH_PASSWORD.replace(' ', "+")
        );
        let t = Instant::now();
        // Only the CSRF cookie: every sign-in starts a new session, as a new browser would.
        let resp = client
            .post(format!("{url}/signin"))
            .header("cookie", format!("kw_csrf={csrf_cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", &address)
            .body(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        let _ = resp.bytes().await?;
        tally.lat.push(t.elapsed().as_micros() as u32);
        *tally.statuses.entry(status).or_default() += 1;
    }
    Ok(tally)
}

async fn run(o: RunOptions) -> anyhow::Result<()> {
    anyhow::ensure!(!o.urls.is_empty(), "--url names no instance");
    let shared = Arc::new(Shared {
        next_user: AtomicUsize::new(0),
        users: o.users,
        next_step: (0..o.users).map(|_| AtomicU64::new(0)).collect(),
    });
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let interval = (o.rate > 0.0).then(|| Duration::from_secs_f64(o.concurrency as f64 / o.rate));
    let mut tasks = Vec::new();
    for c in 0..o.concurrency {
        let instance = c % o.urls.len();
        let task = tokio::spawn(verify_loop(
            shared.clone(),
            o.urls[instance].clone(),
            o.key.clone(),
            deadline,
            interval,
        ));
        tasks.push((instance, task));
    }
    let mut storm = Vec::new();
    let signin_users = o.signin_users.min(o.users);
    if o.signin_storm > 0 {
        anyhow::ensure!(
            signin_users >= o.signin_storm,
            "the sign-in storm needs at least one user with a password per loop (seed --password-users)"
        );
        for s in 0..o.signin_storm {
            let users: Vec<usize> = (s..signin_users).step_by(o.signin_storm).collect();
            let address = format!("10.77.{}.{}", s / 250, s % 250 + 1);
            storm.push(tokio::spawn(signin_loop(
                o.urls[s % o.urls.len()].clone(),
                users,
                address,
                deadline,
            )));
        }
    }
    let started = Instant::now();
    let mut verify = Tally::default();
    let mut per_instance = vec![0u64; o.urls.len()];
    let mut skipped = 0;
    for (instance, t) in tasks {
        let (tally, sk) = t.await??;
        per_instance[instance] += tally.lat.len() as u64;
        verify.add(tally);
        skipped += sk;
    }
    let mut signins = Tally::default();
    for t in storm {
        signins.add(t.await??);
    }
    let elapsed = started.elapsed().as_secs_f64().max(o.seconds as f64);
    if o.concurrency > 0 {
        verify.report("verify", elapsed);
    }
    if o.urls.len() > 1 && o.concurrency > 0 {
        for (url, n) in o.urls.iter().zip(&per_instance) {
            println!("verify at {url}: {n} requests");
        }
    }
    if o.signin_storm > 0 {
        signins.report("sign-in", elapsed);
    }
    if skipped > 0 {
        if o.rate > 0.0 {
            println!("skipped:      {skipped} paced slots (user had no unused step left)");
        } else {
            println!("skipped:      {skipped} (user had no unused step left; add users)");
        }
    }
    if verify.failures(200) > 0 || signins.failures(303) > 0 {
        println!("DEFECT: answers other than success above (verify: 200, sign-in: 303)");
    }
    Ok(())
}

/// Writes `DIR/slice-K.txt` for K in 0..slices: lines `step user_id code` for every user of
/// the slice (users i with i mod slices = K) and every step from the current one to the one
/// after the run ends, grouped by step. `bench/verify.lua` takes each thread's slice.
fn pairs(users_n: usize, seconds: u64, slices: usize, dir: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    anyhow::ensure!(slices > 0, "--slices must be at least 1");
    std::fs::create_dir_all(dir)?;
    let now = chrono::Utc::now().timestamp();
    let first = (now / 30) as u64;
    // Generation, start-up and the run: the last step the run may still be in, plus the next.
    let last = ((now + seconds as i64 + 15) / 30) as u64 + 1;
    let params = TotpParams::default();
    let started = Instant::now();
    for k in 0..slices {
        let path = format!("{dir}/slice-{k}.txt");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for step in first..=last {
            for i in (k..users_n).step_by(slices) {
                let code = params.code_at_step(&secret_of(i), step);
                writeln!(out, "{step} {} {code}", user_id(i))?;
            }
        }
        out.flush()?;
    }
    let steps = last - first + 1;
    eprintln!(
        "wrote {} pairs ({users_n} users x {steps} steps) in {slices} slices in {:.1}s",
        users_n as u64 * steps,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|p| args.get(p + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let users: usize = arg(&args, "--users", "100000").parse()?;
    match args.get(1).map(String::as_str) {
        Some("seed") => seed(
            users,
            arg(&args, "--groups", "0").parse()?,
            arg(&args, "--password-users", "0").parse()?,
        ),
        Some("pairs") => pairs(
            users,
            arg(&args, "--seconds", "30").parse()?,
            arg(&args, "--slices", "1").parse()?,
            &arg(&args, "--out", "bench-pairs"),
        ),
        Some("run") => {
            let signin_storm: usize = arg(&args, "--signin-storm", "0").parse()?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(if signin_storm > 0 { 2 } else { 1 })
                .enable_all()
                .build()?;
            rt.block_on(run(RunOptions {
                urls: arg(&args, "--url", "http://127.0.0.1:8080")
                    .split(',')
                    .map(|u| u.trim().trim_end_matches('/').to_owned())
                    .filter(|u| !u.is_empty())
                    .collect(),
                key: std::env::var("KEYWARD_BENCH_KEY")?,
                users,
                concurrency: arg(&args, "--concurrency", "32").parse()?,
                seconds: arg(&args, "--seconds", "30").parse()?,
                rate: arg(&args, "--rate", "0").parse()?,
                signin_storm,
                signin_users: arg(&args, "--signin-users", "0").parse()?,
            }))
        }
        _ => {
            eprintln!(
                "usage: loadgen seed --users N [--groups G] [--password-users K]\n\
                 \x20      loadgen run --users N [--url U[,U…]] [--concurrency C] [--seconds S] [--rate R]\n\
                 \x20                  [--signin-storm L --signin-users K]   (KEYWARD_BENCH_KEY)\n\
                 \x20      loadgen pairs --users N --seconds S --slices T --out DIR"
            );
            std::process::exit(2);
        }
    }
}
