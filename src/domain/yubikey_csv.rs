//! Reading the key logs that YubiKey programming tools write, for `keyward yubikey import`:
//! the Personalization Tool's "Yubico format" log (`ykpersonalize -l`):
//! `Yubico OTP,<date>,<slot>,<public id>,<private id>,<aes key>,…`, and yubikey-manager's
//! `ykman otp yubiotp --config-output`: `<serial>,<public id>,<private id>,<aes key>,<access code>,<date>,`.
//!
//! The file is all or nothing: every problem is reported with its line number, and one bad line
//! means no key is imported. Lines of other slot types (OATH-HOTP, static passwords,
//! challenge-response) and the log's `LOGGING START` lines are skipped and reported.

use std::collections::HashMap;

use super::yubikey_otp::{parse_aes_key, parse_private_id, parse_public_id};

#[derive(Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub line: usize,
    pub public_id: String,
    pub private_id: [u8; 6],
    pub aes_key: [u8; 16],
}

impl std::fmt::Debug for KeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRecord")
            .field("line", &self.line)
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub keys: Vec<KeyRecord>,
    /// `(line, why)` for lines that hold no Yubico OTP key.
    pub skipped: Vec<(usize, String)>,
    /// `(line, what is wrong)`; when not empty, nothing may be imported.
    pub errors: Vec<(usize, String)>,
}

pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let (public, private, aes) = match fields.first().copied().unwrap_or_default() {
            "LOGGING START" => {
                out.skipped.push((n, "log header".into()));
                continue;
            }
            "Yubico OTP" if fields.len() >= 6 => (fields[3], fields[4], fields[5]),
            "Yubico OTP" => {
                out.errors.push((n, "a `Yubico OTP` log line needs public id, private id and AES key in fields 4 to 6".into()));
                continue;
            }
            serial
                if !serial.is_empty()
                    && serial.bytes().all(|b| b.is_ascii_digit())
                    && fields.len() >= 4 =>
            {
                (fields[1], fields[2], fields[3])
            }
            kind if kind.bytes().any(|b| b.is_ascii_alphabetic())
                && !kind.contains(['=', ':'])
                && fields.len() > 2 =>
            {
                out.skipped.push((
                    n,
                    format!(
                        "`{}` is not a Yubico OTP configuration",
                        super::audit_chain::bound_text(kind, 40)
                    ),
                ));
                continue;
            }
            _ => {
                out.errors.push((n, "not a ykpersonalize (`Yubico OTP,…`) or ykman (`serial,public id,private id,key,…`) line".into()));
                continue;
            }
        };
        let parsed = (|| -> Result<KeyRecord, String> {
            Ok(KeyRecord {
                line: n,
                public_id: parse_public_id(public)?,
                private_id: parse_private_id(private)?,
                aes_key: parse_aes_key(aes)?,
            })
        })();
        match parsed {
            Err(e) => out.errors.push((n, e)),
            Ok(rec) => {
                if let Some(first) = first_seen.get(&rec.public_id) {
                    out.errors.push((
                        n,
                        format!(
                            "public id {} appears again (first on line {first})",
                            rec.public_id
                        ),
                    ));
                } else {
                    first_seen.insert(rec.public_id.clone(), n);
                    out.keys.push(rec);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSONALIZATION_LOG: &str = "LOGGING START,12/11/2013 11:10 AM\n\
Yubico OTP,12/11/2013 11:10 AM,1,vvgutbiedkvi,ab86c04de6a3,d26a7c0f85fdda28bd816e406342b214,,,0,0,0,0,0,0,0,0,0,0\n\
OATH-HOTP,12/11/2013 11:12 AM,2,,,2b7e151628aed2a6abf7158809cf4f3c2b7e1516,,,0,0,0,0,0,0,0,0,0,0\n\
Yubico OTP,12/11/2013 11:14 AM,1,vvgutbiedkvj,ab86c04de6a4,d26a7c0f85fdda28bd816e406342b215,,,0,0,0,0,0,0,0,0,0,0\n";

    const YKMAN: &str = "4711,cccccchbrbrl,a2ea42acc934,5d7ecdb7daf5d7ae25268d6b8f0cfd82,,2019-06-10T14:09:28,\n\
4712,cccccchbrbrn,a2ea42acc935,5d7ecdb7daf5d7ae25268d6b8f0cfd83,,2019-06-10T14:10:02,\n";

    #[test]
    fn personalization_tool_log() {
        let p = parse(PERSONALIZATION_LOG);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            p.keys
                .iter()
                .map(|k| (k.line, k.public_id.as_str()))
                .collect::<Vec<_>>(),
            vec![(2, "vvgutbiedkvi"), (4, "vvgutbiedkvj")]
        );
        assert_eq!(hex::encode(p.keys[0].private_id), "ab86c04de6a3");
        assert_eq!(
            hex::encode(p.keys[0].aes_key),
            "d26a7c0f85fdda28bd816e406342b214"
        );
        assert_eq!(
            p.skipped.iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![1, 3]
        );
    }

    #[test]
    fn ykman_config_output() {
        let p = parse(YKMAN);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.keys.len(), 2);
        assert_eq!(p.keys[1].public_id, "cccccchbrbrn");
    }

    #[test]
    fn broken_lines_are_reported_by_number_and_never_echo_a_key() {
        let text = "4711,cccccchbrbrl,a2ea42acc934,5d7ecdb7daf5d7ae25268d6b8f0cfd82,,2019-06-10T14:09:28,\n\
4712,cccccchbrbrl,a2ea42acc935,5d7ecdb7daf5d7ae25268d6b8f0cfd83,,x,\n\
4713,abcdefabcdef,a2ea42acc935,5d7ecdb7daf5d7ae25268d6b8f0cfd83,,x,\n\
4714,cccccchbrbrk,a2ea42acc9,5d7ecdb7daf5d7ae25268d6b8f0cfd83,,x,\n\
4715,cccccchbrbrj,a2ea42acc935,5d7ecdb7daf5d7ae25268d6b8f0cfd8z,,x,\n\
Yubico OTP,12/11/2013,1,vvgutbiedkvi\n\
garbage\n";
        let p = parse(text);
        let lines: Vec<usize> = p.errors.iter().map(|e| e.0).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7], "{:?}", p.errors);
        assert!(p.errors[0].1.contains("appears again (first on line 1)"));
        assert!(p.errors[1].1.starts_with("public_id"));
        assert!(p.errors[2].1.starts_with("private_id"));
        assert!(p.errors[3].1.starts_with("aes_key"));
        let all = format!("{:?}{:?}", p.errors, p.keys);
        assert!(
            !all.contains("5d7ecdb7"),
            "AES keys never appear in messages"
        );
    }
}
