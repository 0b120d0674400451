//! Parse, don't validate: input becomes these types before any logic runs.

use std::fmt;

/// An email address: trimmed, bounded, one `@` with something on each side, no spaces, control
/// or invisible formatting characters. Uniqueness is on the normalised form (`normalized`).
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("email must not be empty".into());
        }
        if s.len() > 254 {
            return Err("email must be at most 254 characters".into());
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("email must not contain spaces or control characters".into());
        }
        if s.chars().any(invisible) {
            return Err("email must not contain invisible characters".into());
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("email must contain an @".into());
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') || local.len() > 64 {
            return Err("email is not a valid address".into());
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err("email domain is not valid".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form addresses are compared in: NFKC, then Unicode case folding, then NFKC again
    /// (compatibility caseless matching, Unicode §3.13), so `\u{212A}ate@example.com` (a Kelvin
    /// sign), `ＫＡＴＥ@example.com` (full-width) and `kate@example.com` are one address.
    pub fn normalized(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        let composed: String = self.0.nfkc().collect();
        caseless::default_case_fold_str(&composed).nfkc().collect()
    }
}

/// Zero-width and direction-changing characters: invisible in an address, so never allowed.
fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

/// A short human label (a factor's or a person's name): trimmed, 1..=max characters,
/// no control characters.
pub fn parse_label(field: &str, raw: &str, max: usize) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(format!("{field} must not be empty"));
    }
    if s.chars().count() > max {
        return Err(format!("{field} must be at most {max} characters"));
    }
    if s.chars().any(char::is_control) {
        return Err(format!("{field} must not contain control characters"));
    }
    Ok(s.to_owned())
}

/// A password, redacted in `Debug`.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 1024;

    pub fn parse(raw: String) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < Self::MIN {
            return Err(format!(
                "password must be at least {} characters",
                Self::MIN
            ));
        }
        if raw.len() > Self::MAX {
            return Err(format!("password must be at most {} bytes", Self::MAX));
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Support,
    Security,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Support => "support",
            Self::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "support" => Some(Self::Support),
            "security" => Some(Self::Security),
            _ => None,
        }
    }
}

/// The methods a code given to `verify` can be checked as.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CodeMethod {
    Totp,
    YubikeyOtp,
    BackupCode,
    /// Only in answers: WebAuthn is verified through `…/verify/webauthn`.
    Webauthn,
}

impl CodeMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::YubikeyOtp => "yubikey_otp",
            Self::BackupCode => "backup_code",
            Self::Webauthn => "webauthn",
        }
    }
}

/// Factor types.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Totp,
    YubikeyOtp,
    Webauthn,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::YubikeyOtp => "yubikey_otp",
            Self::Webauthn => "webauthn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "totp" => Some(Self::Totp),
            "yubikey_otp" => Some(Self::YubikeyOtp),
            "webauthn" => Some(Self::Webauthn),
            _ => None,
        }
    }
}

/// Where a factor is in its life: enrolled but not yet proven, or in use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FactorStatus {
    Pending,
    Active,
}

impl FactorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "active" => Some(Self::Active),
            _ => None,
        }
    }
}

/// The text form the database stores, and back: rows hold these enums, the columns the words.
macro_rules! stored_as_text {
    ($($ty:ident),*) => {$(
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.as_str().to_owned()
            }
        }

        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s)
                    .ok_or_else(|| format!("not a {}: {s:?}", stringify!($ty)))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

stored_as_text!(Role, FactorKind, FactorStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Ann@Example.org ").map(|e| e.normalized()),
            Ok("ann@example.org".into())
        );
        for bad in [
            "",
            "ann",
            "@example.org",
            "ann@",
            "a b@example.org",
            "ann@@example.org",
            "ann@localhost",
            "ann@example.",
            "a\u{0}@x.org",
            "ka\u{200B}te@example.com",
            "kate@exam\u{202E}ple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(300))).is_err());
    }

    #[test]
    fn lookalike_emails_normalise_to_one_address() {
        let n = |raw: &str| Email::parse(raw).map(|e| e.normalized());
        let kate = Ok("kate@example.com".to_owned());
        // A Kelvin sign, full-width letters, a capital, a mathematical bold letter.
        for raw in [
            "\u{212A}ate@example.com",
            "\u{FF2B}\u{FF21}\u{FF34}\u{FF25}@example.com",
            "KATE@EXAMPLE.COM",
            "\u{1D48C}ate@example.com",
        ] {
            assert_eq!(n(raw), kate, "{raw:?}");
        }
        // Case folding, not just lowercasing: a final sigma and a German sharp s.
        assert_eq!(n("ΟΔΥΣΣΕΥΣ@example.gr"), n("οδυσσευς@example.gr"));
        assert_eq!(n("STRASSE@example.de"), n("straße@example.de"));
        // Composed and decomposed accents are one address.
        assert_eq!(n("jos\u{E9}@example.es"), n("jose\u{301}@example.es"));
        assert_ne!(n("jose@example.es"), n("jos\u{E9}@example.es"));
    }

    #[test]
    fn labels() {
        assert_eq!(parse_label("name", " My Phone ", 64), Ok("My Phone".into()));
        assert!(parse_label("name", "   ", 64).is_err());
        assert!(parse_label("name", &"x".repeat(65), 64).is_err());
        assert!(parse_label("name", "a\nb", 64).is_err());
    }

    #[test]
    fn stored_words_round_trip() {
        for k in [
            FactorKind::Totp,
            FactorKind::YubikeyOtp,
            FactorKind::Webauthn,
        ] {
            assert_eq!(FactorKind::try_from(String::from(k)), Ok(k));
        }
        for s in [FactorStatus::Pending, FactorStatus::Active] {
            assert_eq!(FactorStatus::try_from(String::from(s)), Ok(s));
        }
        for r in [Role::Customer, Role::Support, Role::Security] {
            assert_eq!(Role::try_from(String::from(r)), Ok(r));
        }
        assert!(FactorKind::try_from(String::from("sms")).is_err());
    }

    #[test]
    fn passwords_redact() {
        let p = Password::parse("correct horse".into()).expect("valid");
        assert!(!format!("{p:?}").contains("horse"));
        assert!(Password::parse("short".into()).is_err());
    }
}
