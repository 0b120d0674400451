//! What every page shares: the layout (issuer, who is signed in, the role's navigation, the
//! CSRF token, the language and its words), rendering a template, and `PageError`, the page a
//! person sees when a handler cannot go on. Handlers return `Result<Response, PageError>` and
//! use `?`.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::domain::i18n::{Locale, ToArg};
use crate::domain::newtypes::Role;
use crate::error::Error;
use crate::services::sessions::Session;
use crate::state::AppState;

/// The part of every page template that the layout (`templates/portal/layout.html`) reads.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub issuer: String,
    /// The signed-in user's role; `None` before sign-in (no navigation, no sign-out button).
    pub role: Option<Role>,
    pub csrf: String,
    /// Staff pages use the width of the screen.
    pub wide: bool,
    /// The client that sent the browser here (an OpenID Connect hand-off): its name, and
    /// whether the page offers "Back to …" (the settings, in a `manage` hand-off).
    pub handoff: Option<HandoffBar>,
    /// The page's language: the user's, else the hand-off's `ui_locales`, else the browser's
    /// (switcher cookie, `Accept-Language`), else `KEYWARD_DEFAULT_LOCALE`.
    pub locale: Locale,
    /// Whether the page offers the language switcher (not when the user's account fixes it).
    pub switcher: bool,
}

/// The bar a hand-off's pages show: where the browser came from, and the way back.
#[derive(Debug, Clone, Default)]
pub struct HandoffBar {
    pub client: String,
    pub back: bool,
}

impl Layout {
    /// A page for someone who is not signed in (yet).
    pub fn anonymous(state: &AppState) -> Self {
        Self {
            issuer: state.settings.server.issuer.clone(),
            locale: Self::browser_locale(),
            switcher: true,
            ..Self::default()
        }
    }

    /// The language of the request (the switcher's cookie, `Accept-Language`, the default),
    /// as `middleware::page_scope` found it; the default outside a request.
    fn browser_locale() -> Locale {
        REQUEST_SCOPE.try_with(|s| s.locale).unwrap_or_default()
    }

    /// A hand-off's `ui_locales`, when it names a supported language and the user has none.
    pub fn prefer(&mut self, ui_locales: Option<&str>) {
        if self.switcher
            && let Some(l) = ui_locales.and_then(Locale::first_of_list)
        {
            self.locale = l;
        }
    }

    /// A page in a session: before the second step there is no navigation.
    pub fn of(state: &AppState, s: &Session) -> Self {
        let signed_in = !matches!(s.stage, crate::services::sessions::Stage::SecondStep);
        let handoff = s.handoff.as_ref().map(|h| HandoffBar {
            client: h.client_name.clone(),
            back: h.action == "manage" && matches!(s.stage, crate::services::sessions::Stage::Full),
        });
        let mut layout = Self {
            issuer: state.settings.server.issuer.clone(),
            // A hand-off's pages lead back to the client, not around Keyward.
            role: if signed_in && handoff.is_none() {
                Some(s.role)
            } else {
                None
            },
            csrf: s.csrf_token.clone(),
            wide: false,
            handoff,
            locale: Self::browser_locale(),
            switcher: true,
        };
        match s.locale.as_deref().and_then(Locale::parse) {
            Some(l) => {
                layout.locale = l;
                layout.switcher = false;
            }
            None => layout.prefer(s.handoff.as_ref().and_then(|h| h.ui_locales.as_deref())),
        }
        layout
    }

    /// A staff page: the session's navigation, laid out wide.
    pub fn staff(state: &AppState, s: &Session) -> Self {
        Self {
            wide: true,
            ..Self::of(state, s)
        }
    }

    /// A form before sign-in, protected by the double-submit cookie's token.
    pub fn with_csrf(state: &AppState, csrf: &str) -> Self {
        Self {
            csrf: csrf.to_owned(),
            ..Self::anonymous(state)
        }
    }

    pub fn signed_in(&self) -> bool {
        self.role.is_some()
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.role, Some(Role::Support | Role::Security))
    }

    pub fn is_security(&self) -> bool {
        self.role == Some(Role::Security)
    }

    pub fn is_support(&self) -> bool {
        self.role == Some(Role::Support)
    }

    /// `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.locale.t(id)
    }

    /// The message `id` with one variable.
    pub fn t1<A: ToArg>(&self, id: &str, name: &str, value: A) -> String {
        self.locale.t_args(id, &[(name, value.to_arg())])
    }

    /// The message `id` with two variables.
    pub fn t2<A: ToArg, B: ToArg>(&self, id: &str, a: &str, va: A, b: &str, vb: B) -> String {
        self.locale
            .t_args(id, &[(a, va.to_arg()), (b, vb.to_arg())])
    }

    /// The message `id` as HTML with its variable `name` in bold (`|safe` in the template):
    /// the words and the value are escaped, only the `<strong>` is markup.
    pub fn t1_strong<A: ToArg>(&self, id: &str, name: &str, value: A) -> String {
        self.strong(id, &[], name, value)
    }

    /// `t1_strong` with one more (plain) variable.
    pub fn t2_strong<A: ToArg, B: ToArg>(
        &self,
        id: &str,
        plain: &str,
        vp: A,
        name: &str,
        value: B,
    ) -> String {
        self.strong(id, &[(plain, vp.to_arg())], name, value)
    }

    fn strong<B: ToArg>(
        &self,
        id: &str,
        plain: &[(&str, crate::domain::i18n::Arg)],
        name: &str,
        value: B,
    ) -> String {
        // A private-use character stands for the value while the words are escaped.
        const MARK: &str = "\u{e000}";
        let mut args = plain.to_vec();
        args.push((name, crate::domain::i18n::Arg::Text(MARK.to_owned())));
        let text = self.locale.t_args(id, &args);
        let shown = match value.to_arg() {
            crate::domain::i18n::Arg::Text(t) => t,
            crate::domain::i18n::Arg::Number(n) => n.to_string(),
        };
        escape_html(&text).replace(MARK, &format!("<strong>{}</strong>", escape_html(&shown)))
    }

    /// A text a handler or a service wrote in English, in the page's language when the
    /// catalogue has it (see `Locale::t_english`).
    pub fn tr<A: AsRef<str> + ?Sized>(&self, english: &A) -> String {
        self.locale.t_english(english.as_ref())
    }

    /// A day in the page's language ("3 Dec 2026", "3. Dez. 2026").
    pub fn date<D: AsDay>(&self, day: D) -> String {
        self.locale.date(day.day())
    }

    /// A day with its month written out ("3 December 2026"), for a deadline in a sentence.
    pub fn date_long<D: AsDay>(&self, day: D) -> String {
        self.locale.date_long(day.day())
    }

    /// Names as a list in the page's language, each in its quotation marks:
    /// "“Sales” and “Support”", "«Sales», «Support» и «Ops»".
    pub fn quoted_list<S: AsRef<str>>(&self, names: &[S]) -> String {
        let quoted: Vec<String> = names
            .iter()
            .map(|n| self.t1("list-quoted", "name", n.as_ref()))
            .collect();
        match quoted.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, head)) => {
                self.t2("list-and", "head", head.join(", "), "last", last.as_str())
            }
        }
    }

    /// The switcher's choices: every language but the page's.
    pub fn languages(&self) -> Vec<(&'static str, &'static str)> {
        Locale::ALL
            .into_iter()
            .filter(|l| *l != self.locale)
            .map(|l| (l.tag(), l.native_name()))
            .collect()
    }
}

/// An askama template as an HTML answer with `status`.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => PageError::Trouble(Error::internal(e)).into_response(),
    }
}

/// Text made safe to put in HTML.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A moment whose day a page shows (`Layout::date`), however a template holds it.
pub trait AsDay {
    fn day(&self) -> chrono::NaiveDate;
}

impl AsDay for chrono::NaiveDateTime {
    fn day(&self) -> chrono::NaiveDate {
        self.date()
    }
}

impl<T: AsDay + ?Sized> AsDay for &T {
    fn day(&self) -> chrono::NaiveDate {
        (**self).day()
    }
}

/// `render` with 200.
pub fn ok<T: Template>(page: &T) -> Result<Response, PageError> {
    Ok(render(StatusCode::OK, page))
}

/// A page shown once (backup codes): never cached, never kept by the back button.
pub fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// What a page rendered without the state at hand (`PageError`) needs to know of its request.
#[derive(Debug, Clone)]
pub struct RequestScope {
    /// The request id, so a "something went wrong" page can name it for support.
    pub request_id: String,
    pub issuer: String,
    /// The browser's language: the switcher's cookie (or `?lang=`), `Accept-Language`, the
    /// default.
    pub locale: Locale,
}

/// The cookie the language switcher sets.
pub const LANGUAGE_COOKIE: &str = "keyward_lang";

/// The browser's language for a request: `?lang=` (a click on the switcher, returned as
/// `Some` so the answer sets the cookie), the switcher's cookie, `Accept-Language`, `default`.
pub fn browser_language(
    headers: &axum::http::HeaderMap,
    query: Option<&str>,
    default: Locale,
) -> (Locale, Option<Locale>) {
    let chosen = query.and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("lang="))
            .and_then(Locale::parse)
    });
    if let Some(l) = chosen {
        return (l, Some(l));
    }
    let from_cookie = super::session::cookie(headers, LANGUAGE_COOKIE)
        .as_deref()
        .and_then(Locale::parse);
    let from_header = || {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
    };
    (from_cookie.or_else(from_header).unwrap_or(default), None)
}

/// The `Set-Cookie` that remembers the switcher's choice for a year.
pub fn language_cookie(locale: Locale) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        locale.tag()
    ))
    .unwrap_or(HeaderValue::from_static("keyward_lang=en; Path=/"))
}

tokio::task_local! {
    /// Set around each request by `middleware::page_scope`.
    pub static REQUEST_SCOPE: RequestScope;
}

/// Why a page handler stopped: where the browser goes instead, or what the person reads.
#[derive(Debug)]
pub enum PageError {
    /// Not (or no longer) in the right place: sign-in, the second step, the password page.
    Redirect(String),
    /// A message the person can act on.
    Message {
        status: StatusCode,
        heading: &'static str,
        message: String,
    },
    /// Trouble on our side: logged with its cause; the page shows the request id.
    Trouble(Error),
}

impl PageError {
    pub fn redirect(to: impl Into<String>) -> Self {
        Self::Redirect(to.into())
    }

    pub fn message(status: StatusCode, heading: &'static str, message: impl Into<String>) -> Self {
        Self::Message {
            status,
            heading,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::message(StatusCode::NOT_FOUND, "Not found", message)
    }

    /// A form whose CSRF token does not match: expired, or not from this site.
    pub fn forged() -> Self {
        Self::message(
            StatusCode::FORBIDDEN,
            "Please try again",
            "This form expired or did not come from this site. Go back, reload the page and try again.",
        )
    }

    /// A refusal a person can act on ("This change is not possible"), or trouble on our side.
    pub fn not_possible(e: Error) -> Self {
        match refusal_in(Layout::browser_locale(), &e) {
            Some(m) => Self::message(StatusCode::FORBIDDEN, "This change is not possible", m),
            None => Self::Trouble(e),
        }
    }
}

/// What to tell a person about a refusal they can act on; `None` for trouble on our side.
pub fn refusal(e: &Error) -> Option<String> {
    match e {
        Error::BadRequest(m)
        | Error::Conflict(m)
        | Error::Forbidden(m)
        | Error::PolicyViolation(m) => Some(m.trim_start_matches("otp: ").to_owned()),
        Error::InvalidCode => {
            Some("That YubiKey one-time password was not accepted. Touch the key again.".into())
        }
        Error::YubikeyServiceUnavailable => {
            Some("The YubiKey validation service is unavailable. Try again in a moment.".into())
        }
        _ => None,
    }
}

/// `refusal` in `locale`: a reason a service words in English (`services::refusals`; its API
/// answer keeps the words) becomes the page's own message in `locale`.
pub fn refusal_in(locale: Locale, e: &Error) -> Option<String> {
    use crate::services::refusals as r;
    let id = match e {
        Error::PolicyViolation(m) if is_method_not_allowed(m) => Some("refused-method-not-allowed"),
        Error::PolicyViolation(m) if m == r::LAST_COMPLIANT_FACTOR => {
            Some("refused-last-compliant-factor")
        }
        Error::Forbidden(m) if m == r::FACTORS_FROZEN => Some("refused-factors-frozen"),
        Error::Forbidden(m) if m == r::NEW_PASSWORD_FIRST => Some("refused-new-password-first"),
        Error::Forbidden(m) if m == r::CONFIRM_ADDRESS_FIRST => {
            Some("refused-confirm-address-first")
        }
        Error::Conflict(m) if m == r::YUBIKEY_TAKEN => Some("refused-yubikey-taken"),
        Error::Conflict(m) if m == r::YUBIKEY_ALREADY_YOURS => Some("refused-yubikey-yours"),
        Error::Conflict(m) if m == r::KEY_ALREADY_REGISTERED => Some("js-key-registered"),
        Error::Conflict(m) if m == r::FACTOR_ALREADY_ACTIVE => Some("refused-already-active"),
        Error::Conflict(m) if *m == r::no_room() => {
            return Some(locale.t_args(
                "refused-no-room",
                &[(
                    "count",
                    crate::domain::i18n::Arg::Number(
                        crate::services::factors::MAX_FACTORS_PER_USER,
                    ),
                )],
            ));
        }
        _ => None,
    };
    match id {
        Some(id) => Some(locale.t(id)),
        None => refusal(e).map(|m| locale.t_english(&m)),
    }
}

/// The policy's refusal of a new factor of a kind it leaves out (`MethodNotAllowed`, which the
/// services may follow with the policies that leave it out).
fn is_method_not_allowed(message: &str) -> bool {
    use crate::domain::newtypes::FactorKind;
    use crate::domain::policy::MethodNotAllowed;
    [
        FactorKind::Totp,
        FactorKind::YubikeyOtp,
        FactorKind::Webauthn,
    ]
    .into_iter()
    .any(|k| message.starts_with(&MethodNotAllowed(k).to_string()))
}

/// A message page in `layout`'s language: the user's or a hand-off's, where `PageError::message`
/// can only speak the browser's.
pub fn message_page(layout: Layout, status: StatusCode, heading: &str, message: &str) -> Response {
    message_response(
        status,
        &MessagePage {
            layout,
            heading,
            message,
            request_id: None,
            link: "/signin",
            link_text: "Go to sign-in",
        },
    )
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        Self::Trouble(e)
    }
}

#[derive(Template)]
#[template(path = "portal/message.html")]
pub struct MessagePage<'a> {
    pub layout: Layout,
    pub heading: &'a str,
    pub message: &'a str,
    pub request_id: Option<String>,
    pub link: &'a str,
    pub link_text: &'a str,
}

fn message_response(status: StatusCode, page: &MessagePage<'_>) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "message page render failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>Something went wrong.</p>".to_owned()),
            )
                .into_response()
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let layout = Layout {
            issuer: REQUEST_SCOPE
                .try_with(|s| s.issuer.clone())
                .unwrap_or_else(|_| "Keyward".into()),
            locale: Layout::browser_locale(),
            switcher: true,
            ..Layout::default()
        };
        match self {
            Self::Redirect(to) => Redirect::to(&to).into_response(),
            Self::Message {
                status,
                heading,
                message,
            } => message_response(
                status,
                &MessagePage {
                    layout,
                    heading,
                    message: &message,
                    request_id: None,
                    link: "/signin",
                    link_text: "Go to sign-in",
                },
            ),
            // A request the page cannot serve as given (a parameter out of range, say) is the
            // visitor's to fix, not trouble on our side: a 400 page that says what is wrong.
            Self::Trouble(Error::BadRequest(message)) => message_response(
                StatusCode::BAD_REQUEST,
                &MessagePage {
                    layout,
                    heading: "This request is not valid",
                    message: &message,
                    request_id: None,
                    link: "/signin",
                    link_text: "Go to sign-in",
                },
            ),
            Self::Trouble(e) => {
                tracing::error!(error = %e, code = e.code(), "page failed");
                message_response(
                    // A database outage or a lost race: worth trying again.
                    StatusCode::SERVICE_UNAVAILABLE,
                    &MessagePage {
                        layout,
                        heading: "Something went wrong",
                        message: "Something went wrong on our side. Please try again in a moment.",
                        request_id: REQUEST_SCOPE.try_with(|s| s.request_id.clone()).ok(),
                        link: "/signin",
                        link_text: "Go to sign-in",
                    },
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(resp: Response) -> String {
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn trouble_names_the_request_and_hides_the_cause() {
        let scope = RequestScope {
            request_id: "req-1234".into(),
            issuer: "Example Hosting".into(),
            locale: Locale::En,
        };
        let resp = REQUEST_SCOPE
            .scope(scope, async {
                PageError::from(Error::internal(anyhow::anyhow!("secret detail"))).into_response()
            })
            .await;
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = body_of(resp).await;
        assert!(body.contains("req-1234"), "{body}");
        assert!(body.contains("Example Hosting"), "{body}");
        assert!(!body.contains("secret detail"), "{body}");
    }

    #[test]
    fn a_bold_value_is_escaped_and_only_the_strong_is_markup() {
        let layout = Layout {
            locale: Locale::De,
            ..Layout::default()
        };
        assert_eq!(
            layout.t1_strong("handoff-came-from", "client", "<Panel & Co>"),
            "Sie kommen von <strong>&lt;Panel &amp; Co&gt;</strong>."
        );
        assert_eq!(
            Layout::default().t2_strong("sign-in-continue", "issuer", "A&B", "client", "X"),
            "Sign in with your A&amp;B account to continue to <strong>X</strong>."
        );
    }

    #[test]
    fn names_are_listed_the_way_the_language_writes_them() {
        let en = Layout::default();
        assert_eq!(en.quoted_list(&["Sales"]), "“Sales”");
        assert_eq!(en.quoted_list(&["Sales", "Ops"]), "“Sales” and “Ops”");
        assert_eq!(en.quoted_list(&["A", "B", "C"]), "“A”, “B” and “C”");
        let ru = Layout {
            locale: Locale::Ru,
            ..Layout::default()
        };
        assert_eq!(ru.quoted_list(&["A", "B"]), "«A» и «B»");
        assert_eq!(en.quoted_list::<&str>(&[]), "");
    }

    #[test]
    fn a_services_refusal_is_said_in_the_pages_language() {
        use crate::domain::newtypes::FactorKind;
        use crate::domain::policy::MethodNotAllowed;
        use crate::services::refusals;
        let policy = Error::from(MethodNotAllowed(FactorKind::Totp));
        assert_eq!(
            refusal_in(Locale::De, &policy).as_deref(),
            Some("Die Sicherheitsrichtlinie Ihrer Organisation lässt diese Methode nicht zu.")
        );
        // With the policies that leave the method out, as `services::policy` words it.
        let named = Error::PolicyViolation(format!(
            "{} (set by group “Hardware”)",
            MethodNotAllowed(FactorKind::YubikeyOtp)
        ));
        assert_eq!(
            refusal_in(Locale::En, &named).as_deref(),
            Some("Your organisation's security policy does not allow this method.")
        );
        let frozen = Error::Forbidden(refusals::FACTORS_FROZEN.into());
        assert_eq!(
            refusal_in(Locale::Ru, &frozen),
            Some(Locale::Ru.t("refused-factors-frozen"))
        );
        let full = Error::Conflict(refusals::no_room());
        assert!(refusal_in(Locale::En, &full).is_some_and(|m| {
            m.contains(&crate::services::factors::MAX_FACTORS_PER_USER.to_string())
        }),);
        // Refusals the catalogue has word for word, and the rest as the service said them.
        assert_eq!(
            refusal_in(Locale::De, &Error::InvalidCode),
            Some(Locale::De.t("yubikey-otp-refused"))
        );
        assert_eq!(
            refusal_in(Locale::De, &Error::Conflict("something else".into())).as_deref(),
            Some("something else")
        );
        assert_eq!(
            refusal_in(Locale::De, &Error::Unavailable("db".into())),
            None
        );
    }

    #[tokio::test]
    async fn refusals_are_shown_and_redirects_redirect() {
        let resp = PageError::not_possible(Error::Conflict("the last factor stays".into()))
            .into_response();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(body_of(resp).await.contains("the last factor stays"));
        let resp = PageError::redirect("/signin").into_response();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            resp.headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some("/signin")
        );
        // A request the page cannot serve is a 400 that says why, not trouble.
        let resp = PageError::from(Error::BadRequest("offset: too large".into())).into_response();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        assert!(body_of(resp).await.contains("offset: too large"));
        // Outside a request (no scope) the page still renders, without a reference.
        let resp = PageError::from(Error::Unavailable("db".into())).into_response();
        assert!(!body_of(resp).await.contains("reference"));
    }
}
