//! TOTP (RFC 6238) for authenticator apps: secrets, the otpauth URI, the QR code, and the
//! constant-time check over the ±skew window that reports the matched step.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret};

/// Characters left as they are in an otpauth label or parameter.
const URI_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// 160-bit secrets, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;

/// A TOTP seed; redacted in `Debug`.
#[derive(Clone)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding: what authenticator apps read.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0.clone())
            .to_base32()
            .trim_end_matches('=')
            .to_owned()
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl TotpAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "SHA1" => Some(Self::Sha1),
            "SHA256" => Some(Self::Sha256),
            "SHA512" => Some(Self::Sha512),
            _ => None,
        }
    }

    fn lib(self) -> Algorithm {
        match self {
            Self::Sha1 => Algorithm::SHA1,
            Self::Sha256 => Algorithm::SHA256,
            Self::Sha512 => Algorithm::SHA512,
        }
    }
}

/// The parameters of a TOTP factor. The default is what Google Authenticator, Duo Mobile and
/// Authy all read: SHA1, 6 digits, 30 seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpParams {
    pub algorithm: TotpAlgorithm,
    pub digits: u8,
    pub period: u64,
}

impl Default for TotpParams {
    fn default() -> Self {
        Self {
            algorithm: TotpAlgorithm::Sha1,
            digits: 6,
            period: 30,
        }
    }
}

/// What a successful check matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpMatch {
    /// The RFC 6238 counter (time step) the code belongs to.
    pub step: i64,
    /// `step - current step`: how far the device's clock is off, in steps.
    pub drift: i64,
}

impl TotpParams {
    fn totp(&self, secret: &TotpSecret) -> totp_rs::Totp {
        Builder::new()
            .with_algorithm(self.algorithm.lib())
            .with_digits(self.digits)
            .with_step_duration(self.period)
            .with_secret(secret.0.clone())
            .build_noncompliant()
    }

    /// The code for a given RFC 6238 counter.
    pub fn code_at_step(&self, secret: &TotpSecret, step: u64) -> String {
        self.totp(secret).generate(step * self.period).to_string()
    }

    pub fn step_of(&self, unix_seconds: i64) -> i64 {
        unix_seconds.div_euclid(self.period as i64)
    }

    /// Checks `code` against every step in `current ± skew`, comparing in constant time and
    /// without stopping at the first match, so timing does not tell which step matched.
    pub fn check(
        &self,
        secret: &TotpSecret,
        code: &str,
        unix_seconds: i64,
        skew: i64,
    ) -> Option<TotpMatch> {
        if code.len() != self.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let totp = self.totp(secret);
        let current = self.step_of(unix_seconds);
        let mut found: Option<TotpMatch> = None;
        for drift in -skew..=skew {
            let step = current + drift;
            if step < 0 {
                continue;
            }
            let expected = totp.generate(step as u64 * self.period).to_string();
            let equal: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
            if equal && found.is_none() {
                found = Some(TotpMatch { step, drift });
            }
        }
        found
    }

    /// The Key Uri Format Google Authenticator reads, with every parameter spelled out.
    pub fn otpauth_uri(&self, issuer: &str, account: &str, secret: &TotpSecret) -> String {
        let issuer_enc = utf8_percent_encode(issuer, URI_KEEP).to_string();
        let account_enc = utf8_percent_encode(account, URI_KEEP).to_string();
        format!(
            "otpauth://totp/{issuer_enc}:{account_enc}?secret={}&issuer={issuer_enc}&algorithm={}&digits={}&period={}",
            secret.to_base32(),
            self.algorithm.as_str(),
            self.digits,
            self.period
        )
    }
}

/// The QR code of `data` as an SVG document (no XML declaration, so it can be inlined).
pub fn qr_svg(data: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("cannot encode the QR code: {e}"))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// Groups of four for typing a setup key by hand: `ABCD EFGH …`.
pub fn group_by_four(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(algorithm: TotpAlgorithm, digits: u8) -> TotpParams {
        TotpParams {
            algorithm,
            digits,
            period: 30,
        }
    }

    /// RFC 6238 appendix B, all three algorithms, 8 digits.
    #[test]
    fn rfc6238_vectors() {
        let sha1 = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let sha256 = TotpSecret::from_bytes(b"12345678901234567890123456789012".to_vec());
        let sha512 = TotpSecret::from_bytes(
            b"1234567890123456789012345678901234567890123456789012345678901234".to_vec(),
        );
        let table: [(i64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, c1, c256, c512) in table {
            for (alg, secret, code) in [
                (TotpAlgorithm::Sha1, &sha1, c1),
                (TotpAlgorithm::Sha256, &sha256, c256),
                (TotpAlgorithm::Sha512, &sha512, c512),
            ] {
                let p = params(alg, 8);
                assert_eq!(
                    p.code_at_step(secret, (t / 30) as u64),
                    code,
                    "{alg:?} at {t}"
                );
                let m = p
                    .check(secret, code, t, 0)
                    .expect("accepted at its own time");
                assert_eq!(
                    m,
                    TotpMatch {
                        step: t / 30,
                        drift: 0
                    }
                );
            }
        }
    }

    /// RFC 4226 appendix D: HOTP is TOTP's function at counter = step.
    #[test]
    fn rfc4226_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        let p = TotpParams::default();
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(
                p.code_at_step(&secret, counter as u64),
                *code,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn window_is_plus_minus_one() {
        let p = TotpParams::default();
        let s = TotpSecret::generate();
        let now = 1_800_000_015;
        let step = p.step_of(now) as u64;
        for (offset, ok) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = p.code_at_step(&s, (step as i64 + offset) as u64);
            let m = p.check(&s, &code, now, 1);
            assert_eq!(m.is_some(), ok, "offset {offset}");
            if let Some(m) = m {
                assert_eq!(m.drift, offset);
            }
        }
    }

    #[test]
    fn malformed_codes_never_match() {
        let p = TotpParams::default();
        let s = TotpSecret::generate();
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６", " 123456"] {
            assert!(p.check(&s, bad, 1_800_000_000, 1).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn secrets_are_160_bits_base32_and_redacted() {
        let s = TotpSecret::generate();
        assert_eq!(s.as_bytes().len(), 20);
        let b32 = s.to_base32();
        assert_eq!(b32.len(), 32);
        assert!(
            b32.bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        assert!(!format!("{s:?}").contains(&b32));
    }

    #[test]
    fn uri_has_every_parameter() {
        let s = TotpSecret::from_bytes(vec![0u8; 20]);
        let uri = TotpParams::default().otpauth_uri("Acme Hosting", "ann@example.org", &s);
        assert_eq!(
            uri,
            "otpauth://totp/Acme%20Hosting:ann@example.org?secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&issuer=Acme%20Hosting&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn qr_is_svg() {
        let svg = qr_svg("otpauth://totp/x").expect("encodes");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("</svg>"));
    }

    #[test]
    fn groups() {
        assert_eq!(group_by_four("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
