//! The command line against a real database.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::spawn_app;

#[tokio::test]
async fn apikey_create_prints_the_key_alone_and_it_works() {
    let app = spawn_app().await;
    let out = app.cli(&[
        "apikey",
        "create",
        "control panel",
        "--scope",
        "integration",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let key = stdout.trim_end_matches('\n');
    assert!(!key.contains('\n') && key.starts_with("kw_"), "{stdout:?}");
    let r = app
        .request("GET", "/api/v1/users?email=x@example.org", Some(key), None)
        .await;
    assert_eq!(r.status, 200);
    let bad = app.cli(&["apikey", "create", "x", "--scope", "root"]);
    assert!(!bad.status.success());
}

#[tokio::test]
async fn user_create_with_password_and_role() {
    let app = spawn_app().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args([
            "user",
            "create",
            "Staff@Example.org",
            "--password-stdin",
            "--role",
            "support",
        ])
        .env_clear()
        .envs(&app.env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long enough password\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    let r = app.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(r.body["role"], "support");
    assert_eq!(r.body["email"], "Staff@Example.org");

    let dup = app.cli(&["user", "create", "staff@example.org"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));

    let role = app.cli(&["user", "role", "staff@example.org", "security"]);
    assert!(
        role.status.success(),
        "{}",
        String::from_utf8_lossy(&role.stderr)
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{id}")).await.body["role"],
        "security"
    );
}

#[tokio::test]
async fn migrate_is_idempotent() {
    let app = spawn_app().await;
    let out = app.cli(&["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied 0 migration"));
}

#[test]
fn bad_settings_stop_the_start_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (var, value, needle) in [
        ("KEYWARD_BASE_URL", "localhost:8080", "KEYWARD_BASE_URL"),
        (
            "KEYWARD_DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/none",
            "cannot connect to the database",
        ),
        ("KEYWARD_LISTEN", "somewhere", "KEYWARD_LISTEN"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .arg("serve")
            .env_clear()
            .env("KEYWARD_DATA_DIR", dir.path())
            .env(var, value)
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{var}={value} must stop the start");
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one readable line, got: {err}");
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(needle),
            "{err}"
        );
        assert!(!err.contains("panicked"));
    }
}

#[tokio::test]
async fn an_instance_with_another_master_key_refuses_to_start() {
    let app = spawn_app().await;
    app.user_with_totp("sealed@example.org").await;
    let other_key = app.dir.path().join("other.key");
    let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .arg("serve")
        .env_clear()
        .envs(&app.env)
        .env("KEYWARD_MASTER_KEY_FILE", &other_key)
        .env("KEYWARD_LISTEN", "127.0.0.1:0")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("KEYWARD_MASTER_KEY_FILE"), "{err}");
}
