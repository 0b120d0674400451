//! Yubico OTP: modhex, the AES-128 token, its CRC, and the counter order that makes a replayed
//! or older OTP detectable. An OTP is the key's public id (0–16 modhex characters) followed by
//! 32 modhex characters: one AES block holding the private id, the counters, a timestamp and
//! a CRC-16.

use aes::Aes128;
use aes::cipher::{BlockDecrypt, KeyInit, generic_array::GenericArray};

/// Modhex: the hex digits 0–f written as keys that sit in the same place on most keyboards.
pub const MODHEX: &[u8; 16] = b"cbdefghijklnrtuv";

/// The residue of a valid token's CRC-16 (ISO 13239) computed over all 16 bytes.
const CRC_OK_RESIDUE: u16 = 0xf0b8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("a YubiKey OTP is 32 to 48 modhex characters")]
    Malformed,
    #[error("the OTP does not decrypt under this key (CRC mismatch)")]
    BadCrc,
    #[error("the OTP's private id does not match the key's")]
    WrongPrivateId,
}

pub fn modhex_decode(s: &str) -> Option<Vec<u8>> {
    let digits = s
        .bytes()
        .map(|b| {
            MODHEX
                .iter()
                .position(|m| *m == b.to_ascii_lowercase())
                .map(|p| p as u8)
        })
        .collect::<Option<Vec<u8>>>()?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    Some(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

pub fn modhex_encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|b| {
            [
                MODHEX[(b >> 4) as usize] as char,
                MODHEX[(b & 15) as usize] as char,
            ]
        })
        .collect()
}

/// An OTP split into the key's public id (lowercase modhex) and its encrypted token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Otp {
    pub public_id: String,
    token: [u8; 16],
}

impl Otp {
    /// Accepts any case; the public id is kept in lowercase.
    pub fn parse(raw: &str) -> Result<Self, OtpError> {
        let s = raw.trim();
        // Modhex is ASCII: anything else is refused before any byte offset is used (a
        // multi-byte character would put `split_at` inside a character, a panic).
        if !s.is_ascii() || !(32..=48).contains(&s.len()) || !s.len().is_multiple_of(2) {
            return Err(OtpError::Malformed);
        }
        let (public, token) = s.split_at(s.len() - 32);
        let token: [u8; 16] = modhex_decode(token)
            .and_then(|t| t.try_into().ok())
            .ok_or(OtpError::Malformed)?;
        if modhex_decode(public).is_none() {
            return Err(OtpError::Malformed);
        }
        Ok(Self {
            public_id: public.to_ascii_lowercase(),
            token,
        })
    }

    /// Decrypts the token and checks its CRC and private id.
    pub fn open(&self, aes_key: &[u8; 16], private_id: &[u8; 6]) -> Result<Token, OtpError> {
        let token = decrypt(aes_key, &self.token)?;
        // The private id is secret material: compare without an early exit.
        let same = token
            .private_id
            .iter()
            .zip(private_id.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same {
            Ok(token)
        } else {
            Err(OtpError::WrongPrivateId)
        }
    }
}

/// The fields of a decrypted token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub private_id: [u8; 6],
    /// The non-volatile counter: raised at each power-up (15 bits; the top bit only flags how
    /// the OTP was triggered and is masked off).
    pub usage_counter: u16,
    /// Raised at each touch within one power-up (8 bits).
    pub session_use: u8,
    /// 8 Hz ticks since power-up (24 bits).
    pub timestamp: u32,
    pub random: u16,
}

impl Token {
    /// `(usage_counter, session_use)`, the order in which a key's OTPs are issued.
    pub fn counter_pair(&self) -> (i32, i32) {
        (i32::from(self.usage_counter), i32::from(self.session_use))
    }

    /// Whether this OTP comes after the last accepted one.
    pub fn is_after(&self, last: Option<(i32, i32)>) -> bool {
        last.is_none_or(|l| self.counter_pair() > l)
    }
}

pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xffff;
    for b in data {
        crc ^= u16::from(*b);
        for _ in 0..8 {
            let lsb = crc & 1;
            crc >>= 1;
            if lsb != 0 {
                crc ^= 0x8408;
            }
        }
    }
    crc
}

fn decrypt(aes_key: &[u8; 16], token: &[u8; 16]) -> Result<Token, OtpError> {
    let cipher = Aes128::new(GenericArray::from_slice(aes_key));
    let mut block = GenericArray::clone_from_slice(token);
    cipher.decrypt_block(&mut block);
    let p: [u8; 16] = block.into();
    if crc16(&p) != CRC_OK_RESIDUE {
        return Err(OtpError::BadCrc);
    }
    let mut private_id = [0u8; 6];
    private_id.copy_from_slice(&p[0..6]);
    Ok(Token {
        private_id,
        usage_counter: u16::from_le_bytes([p[6], p[7]]) & 0x7fff,
        timestamp: u32::from_le_bytes([p[8], p[9], p[10], 0]),
        session_use: p[11],
        random: u16::from_le_bytes([p[12], p[13]]),
    })
}

/// A key's public id as given to the inventory: 2–16 modhex characters (1–8 bytes), so that
/// the OTP is at most 48 characters.
pub fn parse_public_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !(2..=16).contains(&s.len()) || modhex_decode(s).is_none() {
        return Err(
            "public_id: must be 2 to 16 modhex characters (cbdefghijklnrtuv), an even number"
                .into(),
        );
    }
    Ok(s.to_ascii_lowercase())
}

pub fn parse_private_id(s: &str) -> Result<[u8; 6], String> {
    hex::decode(s.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| "private_id: must be 12 hexadecimal characters (6 bytes)".into())
}

pub fn parse_aes_key(s: &str) -> Result<[u8; 16], String> {
    hex::decode(s.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| "aes_key: must be 32 hexadecimal characters (16 bytes)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(h: &str) -> [u8; 16] {
        parse_aes_key(h).expect("key")
    }

    #[test]
    fn modhex_round_trip_and_vectors() {
        assert_eq!(
            modhex_decode("dteffuje").map(hex::encode).as_deref(),
            Some("2d344e83")
        );
        assert_eq!(
            modhex_decode("hknhfjbrjnlnldnhcujvddbikngjrtgh")
                .map(hex::encode)
                .as_deref(),
            Some("69b6481c8baba2b60e8f22179b58cd56")
        );
        assert_eq!(
            modhex_decode("ifhgieif").map(hex::encode).as_deref(),
            Some("74657374")
        );
        assert_eq!(
            modhex_encode(&hex::decode("ecde18dbe76fbd0c33330f1c354871db").expect("hex")),
            "urtubjtnuihvntcreeeecvbregfjibtn"
        );
        for bad in ["abc", "zz", "c"] {
            assert!(modhex_decode(bad).is_none(), "{bad}");
        }
    }

    /// yubico-c's test-vectors.txt.
    #[test]
    fn published_vector() {
        let otp = Otp::parse("dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh").expect("parses");
        assert_eq!(otp.public_id, "dteffuje");
        let private_id = parse_private_id("8792ebfe26cc").expect("pid");
        let t = otp
            .open(&key("ecde18dbe76fbd0c33330f1c354871db"), &private_id)
            .expect("valid");
        assert_eq!(t.usage_counter, 0x13);
        assert_eq!(t.session_use, 0x11);
    }

    /// yubico-c's selftest.c: tokens without a public id.
    #[test]
    fn selftest_vectors() {
        for (k, otp, uid, ctr, use_) in [
            (
                "000102030405060708090a0b0c0d0e0f",
                "dvgtiblfkbgturecfllberrvkinnctnn",
                "010203040506",
                1u16,
                1u8,
            ),
            (
                "000102030405060708090a0b0c0d0e0f",
                "rnibcnfhdninbrdebccrndfhjgnhftee",
                "010203040506",
                1,
                2,
            ),
            (
                "000102030405060708090a0b0c0d0e0f",
                "iikkijbdknrrdhfdrjltvgrbkkjblcbh",
                "010203040506",
                0xfff,
                1,
            ),
            (
                "c4422890653076cde73d449b191b416a",
                "iucvrkjiegbhidrcicvlgrcgkgurhjnj",
                "33c69e7f249e",
                1,
                0,
            ),
        ] {
            let parsed = Otp::parse(otp).expect("parses");
            assert_eq!(parsed.public_id, "");
            let t = parsed
                .open(&key(k), &parse_private_id(uid).expect("uid"))
                .expect(otp);
            assert_eq!((t.usage_counter, t.session_use), (ctr, use_), "{otp}");
        }
    }

    #[test]
    fn wrong_key_wrong_private_id_and_malformed() {
        let otp = Otp::parse("dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh").expect("parses");
        let pid = parse_private_id("8792ebfe26cc").expect("pid");
        assert_eq!(
            otp.open(&key("000102030405060708090a0b0c0d0e0f"), &pid),
            Err(OtpError::BadCrc)
        );
        let other = parse_private_id("000000000000").expect("pid");
        assert_eq!(
            otp.open(&key("ecde18dbe76fbd0c33330f1c354871db"), &other),
            Err(OtpError::WrongPrivateId)
        );
        // Upper case is the same OTP.
        assert_eq!(
            Otp::parse("DTEFFUJEHKNHFJBRJNLNLDNHCUJVDDBIKNGJRTGH").expect("parses"),
            otp
        );
        for bad in [
            "",
            "dvgtiblfkbgturecfllberrvkinnctn",
            "dvgtiblfkbgturecfllberrvkinnctnnx",
            "ccccccccccccccccccccdvgtiblfkbgturecfllberrvkinnctnn",
            "dteffujehknhfjbrjnlnldnhcujvddbikngjrtga",
            "123456789012345678901234567890123456",
        ] {
            assert_eq!(Otp::parse(bad), Err(OtpError::Malformed), "{bad}");
        }
    }

    #[test]
    fn anything_but_ascii_modhex_is_malformed_without_a_panic() {
        let valid = format!("{}{}", "cccccccccccb", "cbdefghijklnrtuv".repeat(2));
        assert!(Otp::parse(&valid).is_ok());
        let nasty = [
            "é".repeat(44),
            "é".repeat(22),
            "€".repeat(14),
            "€".repeat(16),
            "🔑".repeat(11),
            "🔑".repeat(12),
            // A multi-byte character where the public id ends, and across it.
            format!("{}é{}", &valid[..11], &valid[13..]),
            format!("{}é{}", &valid[..12], &valid[14..]),
            format!("{}€{}", &valid[..10], &valid[13..]),
            format!("{}\u{0}", &valid[..43]),
            format!("{}Ｃ", &valid[..41]),
            String::new(),
            " ".repeat(44),
            "c".repeat(31),
            "c".repeat(33),
            "c".repeat(50),
            "c".repeat(100_000),
            "x".repeat(44),
        ];
        for input in &nasty {
            assert_eq!(Otp::parse(input), Err(OtpError::Malformed), "{input:?}");
        }
        // Every mix of ASCII and multi-byte characters of lengths around the limits.
        let alphabet = ["c", "b", "é", "€", "🔑", "\u{301}", " "];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 28 + (seed % 24) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 60)) as usize + i) % alphabet.len()])
                .collect();
            let parsed = Otp::parse(&s);
            if !s.trim().is_ascii() {
                assert_eq!(parsed, Err(OtpError::Malformed), "{s:?}");
            }
        }
        assert_eq!(
            parse_public_id("é€"),
            Err(parse_public_id("x").expect_err("not modhex"))
        );
    }

    #[test]
    fn counter_order() {
        let t = |c: u16, u: u8| Token {
            private_id: [0; 6],
            usage_counter: c,
            session_use: u,
            timestamp: 0,
            random: 0,
        };
        assert!(t(1, 0).is_after(None));
        assert!(t(2, 0).is_after(Some((1, 200))));
        assert!(t(1, 5).is_after(Some((1, 4))));
        assert!(!t(1, 4).is_after(Some((1, 4))), "identical is a replay");
        assert!(!t(0, 9).is_after(Some((1, 0))), "older is refused");
    }

    #[test]
    fn inventory_fields() {
        assert_eq!(
            parse_public_id(" VVCCCCFHCTTR ").as_deref(),
            Ok("vvccccfhcttr")
        );
        assert!(parse_public_id("vvccccfhctt").is_err());
        assert!(parse_public_id("abcdefghijkl").is_err());
        assert!(parse_public_id(&"c".repeat(18)).is_err());
        assert!(parse_private_id("7b1a9c81f8e").is_err());
        assert!(parse_private_id("zz1a9c81f8ef").is_err());
        assert!(parse_aes_key("9b4d6f7a1c4b94e4f6c9fa2cd75b1f1").is_err());
        assert!(parse_aes_key("9b4d6f7a1c4b94e4f6c9fa2cd75b1f10").is_ok());
    }
}
