//! The middleware every request passes through, outermost first: a request id, the request's
//! span and access log line, security headers, panics caught as 500s, latency metrics, a
//! deadline, the client address behind trusted proxies, the body limit, and the scope that
//! lets an error page name its request.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::Error;
use crate::state::AppState;

pub const BODY_LIMIT: usize = 64 * 1024;

/// `router` wrapped in the middleware stack.
pub fn stack(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    let timeout = Duration::from_secs(state.settings.server.request_timeout_seconds);
    let issuer = std::sync::Arc::new((
        state.settings.server.issuer.clone(),
        state.settings.portal.default_locale,
    ));
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(issuer, page_scope))
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new(state.settings.server.trusted_proxies.clone()),
            forwarded_client,
        ))
        .layer(middleware::from_fn_with_state(timeout, deadline))
        .layer(middleware::from_fn(record_latency))
        .layer(CatchPanicLayer::custom(|_| {
            Error::internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .layer(middleware::from_fn(security_headers))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .extensions()
                .get::<RequestId>()
                .and_then(|r| r.header_value().to_str().ok())
                .unwrap_or("-");
            // Mailed links ("this wasn't me", password, confirmation) are bearer secrets: their
            // tokens stay out of the logs.
            let path = redact_path(req.uri().path());
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path, api_key = tracing::field::Empty)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO))
        // A 5xx is logged with its cause where it arises (`Error::into_response`: ERROR for a
        // 500, WARN for a 503 while the database is away); this layer's own line about it is a
        // warning, so a PostgreSQL restart does not fill the log with ERROR lines.
        .on_failure(DefaultOnFailure::new().level(Level::WARN)))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // Outermost: a client's `X-Request-Id` is kept only when it is a plain token.
        .layer(middleware::from_fn(drop_forged_request_id))
}

/// Whether a client's request id may be used as ours: 1–64 characters of `[A-Za-z0-9._-]`.
/// Anything else (spaces, `=`, quotes, line breaks, non-ASCII) could forge fields in text logs.
pub fn acceptable_request_id(value: &[u8]) -> bool {
    (1..=64).contains(&value.len())
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Removes every `X-Request-Id` header unless there is exactly one and it is acceptable, so
/// `SetRequestIdLayer` makes a fresh one.
async fn drop_forged_request_id(mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let values: Vec<&HeaderValue> = headers.get_all("x-request-id").iter().collect();
    let keep = values.len() == 1 && acceptable_request_id(values[0].as_bytes());
    if !values.is_empty() && !keep {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// A path as the access log may show it: a mailed link's token replaced by `{token}`.
pub fn redact_path(path: &str) -> &str {
    for (prefix, shown) in [
        ("/account/report/", "/account/report/{token}"),
        ("/account/password/", "/account/password/{token}"),
        ("/account/confirm/", "/account/confirm/{token}"),
    ] {
        if path.starts_with(prefix) {
            return shown;
        }
    }
    path
}

/// Runs the request inside `page::REQUEST_SCOPE`, so a page that fails can name its request id
/// and every page knows the browser's language (a switcher click also sets its cookie).
async fn page_scope(
    State(site): State<std::sync::Arc<(String, crate::domain::i18n::Locale)>>,
    req: Request,
    next: Next,
) -> Response {
    let (locale, chosen) =
        crate::web::page::browser_language(req.headers(), req.uri().query(), site.1);
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|r| r.header_value().to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let scope = crate::web::page::RequestScope {
        request_id,
        issuer: site.0.clone(),
        locale,
    };
    let mut resp = crate::web::page::REQUEST_SCOPE
        .scope(scope, next.run(req))
        .await;
    if let Some(l) = chosen {
        resp.headers_mut().append(
            axum::http::header::SET_COOKIE,
            crate::web::page::language_cookie(l),
        );
    }
    resp
}

/// Behind a trusted reverse proxy (`KEYWARD_TRUSTED_PROXIES`), the client is the address the
/// proxies put in `X-Forwarded-For`: the request's `ConnectInfo` is replaced by it, so the
/// per-address sign-in throttle and the audit log see clients, not the proxy. From any other
/// peer the header is ignored (a client could write anything in it).
async fn forwarded_client(
    State(trusted): State<std::sync::Arc<Vec<ipnet::IpNet>>>,
    mut req: Request,
    next: middleware::Next,
) -> axum::response::Response {
    if !trusted.is_empty() {
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        if let Some(peer) = peer {
            let values: Vec<&str> = req
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            if let Some(client) = client_behind_proxies(&trusted, peer.ip(), &values) {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                        client, 0,
                    )));
            }
        }
    }
    next.run(req).await
}

/// The client address for a request from `peer` with these `X-Forwarded-For` values: walking the
/// chain from the nearest hop, the first address that is not a trusted proxy. `None` when the
/// peer is not trusted or the header names no address.
fn client_behind_proxies(
    trusted: &[ipnet::IpNet],
    peer: std::net::IpAddr,
    forwarded_for: &[&str],
) -> Option<std::net::IpAddr> {
    // An IPv4 peer of a dual-stack listener arrives as `::ffff:a.b.c.d`: compared as IPv4.
    let is_trusted = |ip: &std::net::IpAddr| {
        let ip = ip.to_canonical();
        trusted.iter().any(|n| n.contains(&ip))
    };
    if !is_trusted(&peer) {
        return None;
    }
    let hops: Vec<std::net::IpAddr> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().trim_start_matches('[').to_owned())
        .filter_map(|h| {
            h.parse::<std::net::IpAddr>()
                .ok()
                .or_else(|| h.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
                .or_else(|| {
                    // "[v6]:port" after the bracket was trimmed.
                    h.rsplit_once("]:")
                        .and_then(|(ip, _)| ip.parse::<std::net::IpAddr>().ok())
                })
        })
        .collect();
    hops.iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or_else(|| hops.first())
        .map(|ip| ip.to_canonical())
}

/// Every handler has a deadline; past it the client gets a 503 in the API's error shape.
async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => Error::Unavailable("the request took too long".into()).into_response(),
    }
}

async fn record_latency(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::histogram!("keyward_http_request_duration_seconds", "method" => method, "path" => path, "status" => status)
        .record(started.elapsed().as_secs_f64());
    resp
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod request_id_tests {
    use super::acceptable_request_id;

    #[test]
    fn only_plain_tokens_are_kept() {
        for good in ["a", "req-123", "A.b_c-9", &"x".repeat(64)] {
            assert!(acceptable_request_id(good.as_bytes()), "{good}");
        }
        for bad in [
            "",
            "a b",
            "a\nb",
            "a\r\nlevel=ERROR",
            "id=1",
            "\"q\"",
            "a\tb",
            "é",
            "a/b",
            &"x".repeat(65),
        ] {
            assert!(!acceptable_request_id(bad.as_bytes()), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod forwarded_tests {
    use super::client_behind_proxies;

    fn net(s: &str) -> ipnet::IpNet {
        s.parse().expect("net")
    }

    #[test]
    fn only_trusted_proxies_are_believed() {
        let trusted = [net("10.0.0.0/8"), net("::1/128")];
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        // From a proxy: the nearest untrusted hop.
        assert_eq!(
            client_behind_proxies(&trusted, ip("10.0.0.2"), &["203.0.113.9"]),
            Some(ip("203.0.113.9"))
        );
        // A client cannot prepend an address of its choice: the proxy appends the real one.
        assert_eq!(
            client_behind_proxies(
                &trusted,
                ip("10.0.0.2"),
                &["1.2.3.4, 203.0.113.9, 10.0.0.7"]
            ),
            Some(ip("203.0.113.9"))
        );
        // Several header lines, ports, IPv6 with brackets.
        assert_eq!(
            client_behind_proxies(
                &trusted,
                ip("::1"),
                &["198.51.100.1:4711", "[2001:db8::5]:443"]
            ),
            Some(ip("2001:db8::5"))
        );
        // An IPv4 proxy seen through a dual-stack listener.
        assert_eq!(
            client_behind_proxies(&trusted, ip("::ffff:10.0.0.2"), &["::ffff:203.0.113.9"]),
            Some(ip("203.0.113.9"))
        );
        // Only proxies in the chain: the first one.
        assert_eq!(
            client_behind_proxies(&trusted, ip("10.0.0.2"), &["10.1.1.1, 10.0.0.3"]),
            Some(ip("10.1.1.1"))
        );
        // Not from a trusted proxy, no header, or garbage: the peer stays the client.
        assert_eq!(
            client_behind_proxies(&trusted, ip("192.0.2.1"), &["203.0.113.9"]),
            None
        );
        assert_eq!(client_behind_proxies(&trusted, ip("10.0.0.2"), &[]), None);
        assert_eq!(
            client_behind_proxies(&trusted, ip("10.0.0.2"), &["unknown, <script>"]),
            None
        );
        assert_eq!(
            client_behind_proxies(&[], ip("10.0.0.2"), &["203.0.113.9"]),
            None
        );
    }
}
