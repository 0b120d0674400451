//! The hand-off from a control panel, end to end: the example panel (examples/control-panel, a
//! separate binary built by `cargo build -p control-panel`) against this server, driven by
//! headless Chromium (tests/browser/handoff.mjs; screenshots in
//! tests/browser/screenshots/handoff-*.png).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::helpers::{free_port, spawn_app_with};

/// The example panel's binary, beside this test binary's directory (`target/debug`), which
/// follows `CARGO_TARGET_DIR`.
fn panel_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let mut candidates = Vec::new();
    if let Some(debug) = exe.parent().and_then(|deps| deps.parent()) {
        candidates.push(debug.join("control-panel"));
    }
    if let Ok(dir) = std::env::var("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(dir).join("debug/control-panel"));
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/debug/control-panel"
    )));
    candidates.into_iter().find(|p| p.exists())
}

struct Panel(Child);

impl Drop for Panel {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_for(url: &str) {
    for _ in 0..100 {
        if reqwest::get(url).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the example panel does not answer at {url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_panel_hands_off_to_keyward_in_chromium() {
    if !crate::webauthn::require_browser() || !crate::helpers::require_tool("oathtool") {
        return;
    }
    let Some(binary) = panel_binary() else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "the example panel is required in CI (.ci/run runs cargo build -p control-panel)"
            );
        }
        println!("SKIPPED: run `cargo build -p control-panel` for the hand-off journey");
        return;
    };
    let port = free_port();
    let keyward = format!("http://localhost:{port}");
    let app = spawn_app_with(&[
        ("KEYWARD_LISTEN", &format!("127.0.0.1:{port}")),
        ("KEYWARD_BASE_URL", &keyward),
    ])
    .await;
    let panel_port = free_port();
    let panel = format!("http://localhost:{panel_port}");
    let r = app
        .request(
            "POST",
            "/api/v1/clients",
            Some(&app.security_key),
            Some(json!({
                "name": "Example Hosting Panel",
                "redirect_uris": [format!("{panel}/callback")],
                "trusted_first_factor": true,
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let data = app.dir.path().join("panel-users.json");
    let _panel = Panel(
        Command::new(&binary)
            .env("KEYWARD_URL", &keyward)
            .env("PANEL_URL", &panel)
            .env("PANEL_LISTEN", format!("127.0.0.1:{panel_port}"))
            .env(
                "CLIENT_ID",
                r.body["client_id"].as_str().expect("client_id"),
            )
            .env(
                "CLIENT_SECRET",
                r.body["client_secret"].as_str().expect("client_secret"),
            )
            .env("KEYWARD_API_KEY", &app.integration_key)
            .env("PANEL_DATA", &data)
            .stdout(Stdio::null())
            .spawn()
            .expect("the example panel starts"),
    );
    wait_for(&format!("{panel}/signin")).await;

    let r = crate::helpers::run_browser_script(
        "handoff.mjs",
        port,
        vec![("PANEL_BASE", panel.clone())],
    )
    .await;
    assert_eq!(r["before"], "Two-factor authentication: off");
    assert!(
        r["bar"]
            .as_str()
            .is_some_and(|b| b.contains("You came here from Example Hosting Panel")
                && b.contains("Cancel and return to Example Hosting Panel")),
        "{}",
        r["bar"]
    );
    assert_eq!(
        r["wrong_code_message"],
        keyward::error::INVALID_CODE_MESSAGE
    );
    assert_eq!(r["backup_codes"], 10);
    assert_eq!(r["after_enroll"], "Two-factor authentication: on");
    assert_eq!(
        r["signin_flash"],
        "Signed in with two-factor authentication (totp)."
    );
    assert_eq!(r["factors"], json!(["My Phone", "Chromium key"]));
    assert_eq!(
        r["stepup_options"],
        json!(["Use your security key"]),
        "a step-up offers only hardware keys"
    );
    assert!(
        r["delete_flash"]
            .as_str()
            .is_some_and(|f| f.starts_with("Server web-01 deleted")),
        "{}",
        r["delete_flash"]
    );
    assert_eq!(r["servers_left"], json!(["db-01"]));
    assert!(
        r["refused_message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Deleting a server needs a hardware key")),
        "{}",
        r["refused_message"]
    );
    let axe = r["axe"].as_object().expect("axe results");
    assert!(axe.len() >= 8, "{axe:?}");
    for (page, violations) in axe {
        assert_eq!(
            violations.as_array().map(Vec::len),
            Some(0),
            "{page}: {violations}"
        );
    }
}
