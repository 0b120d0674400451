//! Keyward's load benchmark for `POST /api/v1/users/{id}/verify` with TOTP.
//!
//! `seed`: writes N users with an active TOTP factor straight into the database named by the
//! `KEYWARD_*` variables (secrets encrypted with the data dir's master key, as the server
//! does), plus an API key, which it prints. `--groups G` also puts every user in G groups, each
//! with a policy that still allows TOTP (so every verification computes a user's effective
//! policy from the global one and G group policies).
//! `run`: drives the server over HTTP with C concurrent connections for D seconds. Every
//! request carries a valid code for a step the user has not used yet (users are taken round
//! robin), so what is measured is the full success path — lockout check, match, the durable
//! replay update, the audit event — not refusals.

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

fn seed(users_n: usize, groups_n: usize) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
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
                            password_hash: None,
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
    let (_, key) = db.with_conn(|conn| {
        keyward::services::apikeys::create(conn, chrono::Utc::now(), "bench", Scope::Integration)
    })??;
    eprintln!(
        "seeded {users_n} users in {groups_n} groups each in {:.1}s",
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

async fn run(
    url: String,
    key: String,
    users_n: usize,
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let shared = Arc::new(Shared {
        next_user: AtomicUsize::new(0),
        users: users_n,
        next_step: (0..users_n).map(|_| AtomicU64::new(0)).collect(),
    });
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let shared = shared.clone();
        let url = url.clone();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()?;
            let params = TotpParams::default();
            let mut lat: Vec<u32> = Vec::with_capacity(400_000);
            let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
            let mut skipped = 0u64;
            while Instant::now() < deadline {
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
                lat.push(t.elapsed().as_micros() as u32);
                *statuses.entry(status).or_default() += 1;
            }
            anyhow::Ok((lat, statuses, skipped))
        }));
    }
    let started = Instant::now();
    let mut all: Vec<u32> = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut skipped = 0;
    for t in tasks {
        let (lat, st, sk) = t.await??;
        all.extend(lat);
        for (k, v) in st {
            *statuses.entry(k).or_default() += v;
        }
        skipped += sk;
    }
    let elapsed = started.elapsed().as_secs_f64().max(seconds as f64);
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!("requests:     {}", all.len());
    println!(
        "throughput:   {:.0} verifications/s",
        all.len() as f64 / elapsed
    );
    println!("statuses:     {statuses:?}");
    println!(
        "latency ms:   p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    if skipped > 0 {
        println!("skipped:      {skipped} (user had no unused step left; add users)");
    }
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
        Some("seed") => seed(users, arg(&args, "--groups", "0").parse()?),
        Some("run") => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()?;
            rt.block_on(run(
                arg(&args, "--url", "http://127.0.0.1:8080"),
                std::env::var("KEYWARD_BENCH_KEY")?,
                users,
                arg(&args, "--concurrency", "32").parse()?,
                arg(&args, "--seconds", "30").parse()?,
            ))
        }
        _ => {
            eprintln!(
                "usage: loadgen seed --users N [--groups G] | loadgen run --users N [--url U] [--concurrency C] [--seconds S] (KEYWARD_BENCH_KEY)"
            );
            std::process::exit(2);
        }
    }
}
