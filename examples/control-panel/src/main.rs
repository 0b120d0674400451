//! An example hosting control panel: its own users and password sign-in, and Keyward (over
//! OpenID Connect) for everything about the second factor: the second step after the password,
//! "Turn on two-factor authentication", "Manage two-factor authentication", and a step-up to a
//! hardware key before "Delete server". README.md is the integration guide.

mod keyward;
mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use keyward::{Action, Keyward, Pending};
use store::Store;

/// Settings, from the environment (README.md, "Run it").
#[derive(Debug, Clone)]
pub struct Config {
    /// Keyward's issuer: `KEYWARD_BASE_URL`, no trailing slash.
    pub keyward_url: String,
    /// Where browsers reach the panel (the callback is `{panel_url}/callback`).
    pub panel_url: String,
    pub listen: String,
    pub client_id: String,
    pub client_secret: String,
    /// An `integration` API key.
    pub api_key: String,
    pub data: std::path::PathBuf,
}

impl Config {
    pub fn redirect_uri(&self) -> String {
        format!("{}/callback", self.panel_url)
    }

    fn from_env(setup: bool) -> anyhow::Result<Config> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let need =
            |k: &str| var(k).ok_or_else(|| anyhow::anyhow!("{k} must be set (see README.md)"));
        let panel_url = var("PANEL_URL")
            .unwrap_or_else(|| "http://localhost:8090".into())
            .trim_end_matches('/')
            .to_owned();
        let listen = var("PANEL_LISTEN").unwrap_or_else(|| {
            let port = url::Url::parse(&panel_url)
                .ok()
                .and_then(|u| u.port_or_known_default())
                .unwrap_or(8090);
            format!("127.0.0.1:{port}")
        });
        Ok(Config {
            keyward_url: need("KEYWARD_URL")?.trim_end_matches('/').to_owned(),
            panel_url,
            listen,
            client_id: if setup {
                String::new()
            } else {
                need("CLIENT_ID")?
            },
            client_secret: if setup {
                String::new()
            } else {
                need("CLIENT_SECRET")?
            },
            api_key: if setup {
                String::new()
            } else {
                need("KEYWARD_API_KEY")?
            },
            data: var("PANEL_DATA")
                .unwrap_or_else(|| "panel-users.json".into())
                .into(),
        })
    }
}

const PANEL: &str = "Example Hosting Panel";
const COOKIE: &str = "panel_session";
/// How long the browser may take at Keyward.
const HANDOFF_TIMEOUT: Duration = Duration::from_secs(30 * 60);

struct Session {
    username: String,
    /// `false` between the password and the second step.
    signed_in: bool,
    /// When the panel last checked the password (the request object's `auth_time`).
    password_at: u64,
    csrf: String,
    flash: Option<String>,
}

/// Why the browser went to Keyward.
#[derive(Debug, Clone)]
enum Purpose {
    SignIn,
    Enroll,
    Manage,
    DeleteServer(String),
}

struct Handoff {
    session: String,
    purpose: Purpose,
    pending: Pending,
    started: Instant,
}

struct App {
    kw: Keyward,
    store: Mutex<Store>,
    sessions: Mutex<HashMap<String, Session>>,
    /// By `state`.
    handoffs: Mutex<HashMap<String, Handoff>>,
}

type Shared = Arc<App>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--setup") {
        let cfg = Config::from_env(true)?;
        let key = std::env::var("KEYWARD_SECURITY_KEY").map_err(|_| {
            anyhow::anyhow!("--setup needs KEYWARD_SECURITY_KEY (a security API key)")
        })?;
        let name = std::env::var("PANEL_CLIENT_NAME").unwrap_or_else(|_| PANEL.into());
        return keyward::setup(&cfg, &key, &name).await;
    }
    let cfg = Config::from_env(false)?;
    let store = Store::open(cfg.data.clone())?;
    let listener = tokio::net::TcpListener::bind(&cfg.listen).await?;
    println!("{PANEL} on {} (listening on {})", cfg.panel_url, cfg.listen);
    let app = Arc::new(App {
        kw: Keyward {
            cfg,
            http: keyward::http_client()?,
        },
        store: Mutex::new(store),
        sessions: Mutex::new(HashMap::new()),
        handoffs: Mutex::new(HashMap::new()),
    });
    let router = Router::new()
        .route("/", get(dashboard))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/2fa/enroll", post(enroll))
        .route("/2fa/manage", post(manage))
        .route("/servers/delete", post(delete_server))
        .route("/callback", get(callback))
        .with_state(app);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Pages (plain HTML strings).

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ccc;margin-bottom:1rem}\
label{display:block;margin:.6rem 0 .2rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}\
button{font-size:1rem;padding:.45rem .9rem;margin:.3rem 0;cursor:pointer}form.inline{display:inline}\
.flash{background:#e8f4ea;border:1px solid #7bb48a;padding:.6rem}.error{background:#fdecea;border:1px solid #d9534f;padding:.6rem}\
.danger{background:#b52a1c;color:#fff;border:0}";

fn page(title: &str, header_extra: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · {PANEL}</title><style>{STYLE}</style></head><body>\
<header><p><strong>{PANEL}</strong></p>{header_extra}</header><main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
    );
    let mut resp = Html(html).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn error_page(status: StatusCode, title: &str, message: &str, back: &str) -> Response {
    let body = format!(
        "<p class=\"error\" role=\"alert\">{}</p><p><a href=\"{}\">Continue</a></p>",
        esc(message),
        esc(back)
    );
    (status, page(title, "", &body)).into_response()
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(resp: &mut Response, value: &str, secure: bool) {
    // SameSite=Lax: the browser comes back from Keyward with a top-level GET and must bring it.
    let mut c = format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        c.push_str("; Secure");
    }
    if value.is_empty() {
        c.push_str("; Max-Age=0");
    }
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn new_token() -> String {
    openidconnect::CsrfToken::new_random().secret().clone()
}

impl App {
    fn secure(&self) -> bool {
        self.kw.cfg.panel_url.starts_with("https://")
    }

    /// The session token and username of a signed-in browser.
    fn signed_in(&self, headers: &HeaderMap) -> Option<(String, String)> {
        let token = cookie_of(headers)?;
        let sessions = lock(&self.sessions);
        let s = sessions.get(&token).filter(|s| s.signed_in)?;
        Some((token, s.username.clone()))
    }

    fn check_csrf(&self, token: &str, csrf: &str) -> bool {
        lock(&self.sessions)
            .get(token)
            .is_some_and(|s| !csrf.is_empty() && s.csrf == csrf)
    }

    /// The Keyward user of a panel user, created through the API the first time.
    async fn keyward_id(&self, username: &str) -> anyhow::Result<String> {
        let user = lock(&self.store)
            .get(username)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no such user"))?;
        if let Some(id) = user.keyward_user_id {
            return Ok(id);
        }
        let id = self.kw.create_user(&user.email, &user.username).await?;
        let mut store = lock(&self.store);
        if let Some(u) = store.get_mut(username) {
            u.keyward_user_id = Some(id.clone());
        }
        store.save()?;
        Ok(id)
    }

    /// Sends the browser to Keyward.
    async fn hand_off(
        &self,
        session: &str,
        username: &str,
        purpose: Purpose,
    ) -> anyhow::Result<Response> {
        let id = self.keyward_id(username).await?;
        let (action, hardware) = match &purpose {
            Purpose::SignIn => (Action::Verify, false),
            Purpose::Enroll => (Action::Enroll, false),
            Purpose::Manage => (Action::Manage, false),
            Purpose::DeleteServer(_) => (Action::Verify, true),
        };
        let password_at = lock(&self.sessions).get(session).map(|s| s.password_at);
        let (url, state, pending) = self
            .kw
            .authorization_url(&id, action, hardware, password_at)
            .await?;
        let mut handoffs = lock(&self.handoffs);
        handoffs.retain(|_, h| h.started.elapsed() < HANDOFF_TIMEOUT);
        handoffs.insert(
            state,
            Handoff {
                session: session.to_owned(),
                purpose,
                pending,
                started: Instant::now(),
            },
        );
        Ok(Redirect::to(&url).into_response())
    }
}

fn unavailable(e: anyhow::Error) -> Response {
    eprintln!("Keyward: {e:#}");
    error_page(
        StatusCode::BAD_GATEWAY,
        "Two-factor authentication is unavailable",
        "The panel could not reach the two-factor authentication service. Try again in a moment.",
        "/",
    )
}

async fn signin_page(State(app): State<Shared>, headers: HeaderMap) -> Response {
    if app.signed_in(&headers).is_some() {
        return Redirect::to("/").into_response();
    }
    page(
        "Sign in",
        "",
        "<form method=\"post\" action=\"/signin\">\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
<p><button type=\"submit\">Sign in</button></p></form>",
    )
}

#[derive(serde::Deserialize)]
struct SignIn {
    username: String,
    password: String,
}

/// The password (the panel's own), then the second step at Keyward when the user has one.
async fn signin(State(app): State<Shared>, Form(f): Form<SignIn>) -> Response {
    let user = lock(&app.store).check_password(&f.username, &f.password);
    let Some(user) = user else {
        return (
            StatusCode::UNAUTHORIZED,
            page(
                "Sign in",
                "",
                "<p class=\"error\" role=\"alert\">Wrong username or password.</p><p><a href=\"/signin\">Try again</a></p>",
            ),
        )
            .into_response();
    };
    let id = match app.keyward_id(&user.username).await {
        Ok(id) => id,
        Err(e) => return unavailable(e),
    };
    let on = match app.kw.two_factor_enabled(&id).await {
        Ok(on) => on,
        Err(e) => return unavailable(e),
    };
    let token = new_token();
    lock(&app.sessions).insert(
        token.clone(),
        Session {
            username: user.username.clone(),
            signed_in: !on,
            password_at: keyward::now(),
            csrf: new_token(),
            flash: None,
        },
    );
    let mut resp = if on {
        match app.hand_off(&token, &user.username, Purpose::SignIn).await {
            Ok(r) => r,
            Err(e) => {
                lock(&app.sessions).remove(&token);
                return unavailable(e);
            }
        }
    } else {
        Redirect::to("/").into_response()
    };
    set_cookie(&mut resp, &token, app.secure());
    resp
}

async fn dashboard(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let Some((token, username)) = app.signed_in(&headers) else {
        return Redirect::to("/signin").into_response();
    };
    let id = match app.keyward_id(&username).await {
        Ok(id) => id,
        Err(e) => return unavailable(e),
    };
    let on = match app.kw.two_factor_enabled(&id).await {
        Ok(on) => on,
        Err(e) => return unavailable(e),
    };
    let (csrf, flash) = {
        let mut sessions = lock(&app.sessions);
        let Some(s) = sessions.get_mut(&token) else {
            return Redirect::to("/signin").into_response();
        };
        (s.csrf.clone(), s.flash.take())
    };
    let servers = lock(&app.store)
        .get(&username)
        .map(|u| u.servers.clone())
        .unwrap_or_default();
    let csrf = esc(&csrf);
    let flash = flash
        .map(|f| format!("<p class=\"flash\" role=\"status\">{}</p>", esc(&f)))
        .unwrap_or_default();
    let button = if on {
        format!(
            "<form method=\"post\" action=\"/2fa/manage\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">Manage two-factor authentication</button></form>"
        )
    } else {
        format!(
            "<form method=\"post\" action=\"/2fa/enroll\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">Turn on two-factor authentication</button></form>"
        )
    };
    let rows: String = servers
        .iter()
        .map(|s| {
            let s = esc(s);
            format!("<li><span class=\"server\">{s}</span> <form class=\"inline\" method=\"post\" action=\"/servers/delete\">\
<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"server\" value=\"{s}\">\
<button type=\"submit\" class=\"danger\" aria-label=\"Delete server {s}\">Delete server</button></form></li>")
        })
        .collect();
    let signout = format!(
        "<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button type=\"submit\">Sign out</button></form>"
    );
    page(
        "Dashboard",
        &signout,
        &format!(
            "{flash}<p>Signed in as <strong id=\"username\">{}</strong>.</p>\
<h2>Security</h2><p id=\"two-factor\">Two-factor authentication: <strong>{}</strong></p>{button}\
<h2>Servers</h2><p>Deleting a server asks for your hardware key (a YubiKey or a security key).</p><ul>{rows}</ul>",
            esc(&username),
            if on { "on" } else { "off" }
        ),
    )
}

#[derive(serde::Deserialize)]
struct Csrf {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    server: String,
}

async fn signout(State(app): State<Shared>, headers: HeaderMap, Form(f): Form<Csrf>) -> Response {
    if let Some(token) = cookie_of(&headers)
        && app.check_csrf(&token, &f.csrf)
    {
        lock(&app.sessions).remove(&token);
    }
    let mut resp = Redirect::to("/signin").into_response();
    set_cookie(&mut resp, "", app.secure());
    resp
}

async fn start(app: &App, headers: &HeaderMap, f: &Csrf, purpose: Purpose) -> Response {
    let Some((token, username)) = app.signed_in(headers) else {
        return Redirect::to("/signin").into_response();
    };
    if !app.check_csrf(&token, &f.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Expired form",
            "This form has expired. Go back to the dashboard and try again.",
            "/",
        );
    }
    app.hand_off(&token, &username, purpose)
        .await
        .unwrap_or_else(unavailable)
}

async fn enroll(State(app): State<Shared>, headers: HeaderMap, Form(f): Form<Csrf>) -> Response {
    start(&app, &headers, &f, Purpose::Enroll).await
}

async fn manage(State(app): State<Shared>, headers: HeaderMap, Form(f): Form<Csrf>) -> Response {
    start(&app, &headers, &f, Purpose::Manage).await
}

async fn delete_server(
    State(app): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<Csrf>,
) -> Response {
    let server = f.server.clone();
    start(&app, &headers, &f, Purpose::DeleteServer(server)).await
}

/// What to tell the user about an error answer (`error`, `error_description`).
fn explain(purpose: &Purpose, error: &str, description: &str) -> String {
    match (error, description) {
        ("access_denied", "acr_not_met") => "Deleting a server needs a hardware key (a YubiKey or a security key), and your account has none. Add one under \u{201c}Manage two-factor authentication\u{201d}, then try again.".into(),
        ("access_denied", "too_many_attempts") => "Too many wrong codes: two-factor authentication is locked for a while. Try again later, or contact support.".into(),
        ("access_denied", "no_second_factor") => "Your account has no second factor yet. Turn on two-factor authentication first.".into(),
        ("access_denied", "enrollment_overdue") => "Your account must have two-factor authentication, and the time to set it up has passed. Contact support.".into(),
        ("access_denied", _) => match purpose {
            Purpose::SignIn => "Sign-in cancelled: the second step was not completed.".into(),
            Purpose::DeleteServer(_) => "Cancelled: the server was not deleted.".into(),
            _ => "Cancelled: nothing was changed at the panel.".into(),
        },
        ("login_required", _) => "For your security, sign in with your password again before changing two-factor authentication.".into(),
        _ => format!("The two-factor authentication service refused the request ({error}: {description})."),
    }
}

/// `GET /callback`: Keyward's answer, `?code&state&iss` or `?error&error_description&state&iss`.
async fn callback(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let token = cookie_of(&headers).unwrap_or_default();
    // `state` must be one this browser's session started (CSRF, RFC 6749 §10.12).
    let handoff = q.get("state").and_then(|s| {
        let mut handoffs = lock(&app.handoffs);
        match handoffs.get(s) {
            Some(h) if h.session == token && h.started.elapsed() < HANDOFF_TIMEOUT => {
                handoffs.remove(s)
            }
            _ => None,
        }
    });
    let Some(h) = handoff else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unexpected answer",
            "This answer does not belong to a request of this browser, or it took too long. Start again.",
            "/",
        );
    };
    let result = app.kw.finish(&h.pending, &q).await;
    let mut sessions = lock(&app.sessions);
    let Some(s) = sessions.get_mut(&token) else {
        return Redirect::to("/signin").into_response();
    };
    let verified = match result {
        Ok(v) => v,
        Err(e) => {
            let message = explain(&h.purpose, &e.error, &e.description);
            if matches!(h.purpose, Purpose::SignIn) {
                sessions.remove(&token);
                drop(sessions);
                return error_page(
                    StatusCode::FORBIDDEN,
                    "Sign-in not completed",
                    &message,
                    "/signin",
                );
            }
            drop(sessions);
            return error_page(StatusCode::FORBIDDEN, "Not done", &message, "/");
        }
    };
    let method = verified.kw_method.clone().unwrap_or_else(|| "-".into());
    let flash = match &h.purpose {
        Purpose::SignIn => {
            s.signed_in = true;
            format!("Signed in with two-factor authentication ({method}).")
        }
        Purpose::Enroll => "Two-factor authentication is set up.".to_owned(),
        Purpose::Manage => "Back from the two-factor settings.".to_owned(),
        Purpose::DeleteServer(server) => {
            // No weaker fallback: the ID token must say a hardware key was used.
            if verified.acr.as_deref() != Some("hardware") {
                drop(sessions);
                return error_page(
                    StatusCode::FORBIDDEN,
                    "Not done",
                    "Deleting a server needs a hardware key; another factor was used.",
                    "/",
                );
            }
            let username = s.username.clone();
            let mut store = lock(&app.store);
            if let Some(u) = store.get_mut(&username) {
                u.servers.retain(|x| x != server);
            }
            if let Err(e) = store.save() {
                eprintln!("saving the users: {e:#}");
            }
            format!(
                "Server {server} deleted (confirmed with your hardware key: {}).",
                verified.amr.join(", ")
            )
        }
    };
    s.flash = Some(flash);
    Redirect::to("/").into_response()
}
