//! WebAuthn facts that webauthn-rs leaves to the relying party: the trusted attestation roots
//! (a PEM bundle), the names of common authenticator models, and the AAGUID and flags an
//! attestation object carries.

use webauthn_rs::prelude::{AttestationCaList, Uuid};

/// The root that YubiKeys' FIDO attestation certificates chain to (Yubico U2F Root CA Serial
/// 457200631), shipped as the default trust list.
pub const YUBICO_ROOT_PEM: &str =
    include_str!("../../assets/attestation/yubico-u2f-root-ca-serial-457200631.pem");

/// Builds a trust list from a PEM bundle: every `CERTIFICATE` block is a trusted root for every
/// authenticator model it signs.
pub fn ca_list_from_pem_bundle(pem: &str) -> Result<AttestationCaList, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut list = AttestationCaList::default();
    let mut rest = pem;
    let mut n = 0;
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start..];
        let end = after
            .find(END)
            .ok_or_else(|| format!("certificate {} has no END line", n + 1))?;
        let block = &after[..end + END.len()];
        n += 1;
        let one = AttestationCaList::try_from(block.as_bytes())
            .map_err(|e| format!("certificate {n} is not a valid X.509 certificate: {e:?}"))?;
        list.union(&one);
        rest = &after[end + END.len()..];
    }
    if n == 0 {
        return Err("no PEM CERTIFICATE block found".into());
    }
    Ok(list)
}

/// Names of common authenticator models by AAGUID, as the FIDO Metadata Service lists them.
pub const KNOWN_AUTHENTICATORS: &[(&str, &str)] = &[
    ("cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series"),
    ("ee882879-721c-4913-9775-3dfcce97072a", "YubiKey 5 Series"),
    (
        "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
        "YubiKey 5 Series with NFC",
    ),
    (
        "2fc0579f-8113-47ea-b116-bb5a8db9202a",
        "YubiKey 5 Series with NFC",
    ),
    ("c5ef55ff-ad9a-4b9f-b580-adebafe026d0", "YubiKey 5Ci"),
    (
        "73bb0cd4-e502-49b8-9c6f-b59445bf720b",
        "YubiKey 5 FIPS Series",
    ),
    (
        "c1f9a0bc-1dd2-404a-b27f-8e29047a43fd",
        "YubiKey 5 FIPS Series with NFC",
    ),
    ("d8522d9f-575b-4866-88a9-ba99fa02f35b", "YubiKey Bio Series"),
    (
        "f8a011f3-8c0a-4d15-8006-17111f9edc7d",
        "Security Key by Yubico",
    ),
    (
        "b92c3f9a-c014-4056-887f-140a2501163b",
        "Security Key by Yubico",
    ),
    (
        "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73",
        "Security Key NFC by Yubico",
    ),
    (
        "149a2021-8ef6-4133-96b8-81f8d5b7f1f5",
        "Security Key NFC by Yubico",
    ),
    (
        "a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa",
        "Security Key NFC by Yubico",
    ),
    (
        "0bb43545-fd2c-4185-87dd-feb0b2916ace",
        "Security Key NFC by Yubico - Enterprise Edition",
    ),
    ("08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello"),
    ("9ddd1817-af5a-4672-a2b9-3e3dd95000a9", "Windows Hello"),
    ("6028b017-b1d4-4c02-b4b3-afcdafc96bb2", "Windows Hello"),
    ("fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain"),
    (
        "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
        "Google Password Manager",
    ),
    ("adce0002-35bc-c60a-648b-0b25f1f05503", "Chrome on Mac"),
];

/// The model name for an AAGUID, when it is a common one.
pub fn authenticator_name(aaguid: &Uuid) -> Option<&'static str> {
    let text = aaguid.hyphenated().to_string();
    KNOWN_AUTHENTICATORS
        .iter()
        .find(|(id, _)| *id == text)
        .map(|(_, name)| *name)
}

/// What the authenticator data of a registration says about the authenticator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationFacts {
    /// All zeros when the authenticator (or the browser, for `none` attestation) withholds it.
    pub aaguid: Uuid,
    pub backup_eligible: bool,
    pub backup_state: bool,
}

/// Reads the AAGUID and backup flags from a CBOR attestation object (`fmt`, `attStmt`,
/// `authData`). Only for display and policy after webauthn-rs has accepted the object.
pub fn registration_facts(attestation_object: &[u8]) -> Result<RegistrationFacts, String> {
    use serde_cbor_2::Value;
    let value: Value = serde_cbor_2::from_slice(attestation_object)
        .map_err(|_| "the attestation object is not valid CBOR".to_string())?;
    let Value::Map(map) = value else {
        return Err("the attestation object is not a CBOR map".into());
    };
    let auth_data = map
        .iter()
        .find_map(|(k, v)| match (k, v) {
            (Value::Text(k), Value::Bytes(b)) if k == "authData" => Some(b),
            _ => None,
        })
        .ok_or_else(|| "the attestation object has no authData".to_string())?;
    // rpIdHash (32) · flags (1) · signCount (4) · attested credential data: aaguid (16) …
    let flags = *auth_data
        .get(32)
        .ok_or_else(|| "authData is truncated".to_string())?;
    const AT: u8 = 0x40;
    const BE: u8 = 0x08;
    const BS: u8 = 0x10;
    if flags & AT == 0 {
        return Err("authData carries no attested credential data".into());
    }
    let aaguid: [u8; 16] = auth_data
        .get(37..53)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| "authData is truncated".to_string())?;
    Ok(RegistrationFacts {
        aaguid: Uuid::from_bytes(aaguid),
        backup_eligible: flags & BE != 0,
        backup_state: flags & BS != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_root_parses() {
        let list = ca_list_from_pem_bundle(YUBICO_ROOT_PEM).expect("Yubico root");
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn bundles_union_and_refuse_garbage() {
        let two = format!("{YUBICO_ROOT_PEM}\n{YUBICO_ROOT_PEM}");
        assert_eq!(ca_list_from_pem_bundle(&two).expect("bundle").len(), 1);
        assert!(ca_list_from_pem_bundle("").is_err());
        assert!(
            ca_list_from_pem_bundle("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .is_err()
        );
        assert!(ca_list_from_pem_bundle("-----BEGIN CERTIFICATE-----\nAAAA").is_err());
    }

    #[test]
    fn names_of_known_models() {
        let yk5 = Uuid::parse_str("cb69481e-8ff7-4039-93ec-0a2729a154a8").expect("uuid");
        assert_eq!(authenticator_name(&yk5), Some("YubiKey 5 Series"));
        assert_eq!(authenticator_name(&Uuid::nil()), None);
        for (id, _) in KNOWN_AUTHENTICATORS {
            assert!(Uuid::parse_str(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn facts_from_an_attestation_object() {
        use serde_cbor_2::Value;
        let mut auth_data = vec![0u8; 32];
        auth_data.push(0x41 | 0x08); // UP, AT, BE
        auth_data.extend_from_slice(&[0, 0, 0, 7]);
        let aaguid = Uuid::parse_str("ee882879-721c-4913-9775-3dfcce97072a").expect("uuid");
        auth_data.extend_from_slice(aaguid.as_bytes());
        auth_data.extend_from_slice(&[0, 0]);
        let obj = Value::Map(
            [
                (Value::Text("fmt".into()), Value::Text("none".into())),
                (
                    Value::Text("attStmt".into()),
                    Value::Map(Default::default()),
                ),
                (
                    Value::Text("authData".into()),
                    Value::Bytes(auth_data.clone()),
                ),
            ]
            .into_iter()
            .collect(),
        );
        let bytes = serde_cbor_2::to_vec(&obj).expect("cbor");
        let facts = registration_facts(&bytes).expect("facts");
        assert_eq!(facts.aaguid, aaguid);
        assert!(facts.backup_eligible && !facts.backup_state);
        // Truncated objects and non-CBOR are refused, never a panic.
        for cut in [0, 1, 10, bytes.len() / 2, bytes.len() - 20] {
            assert!(registration_facts(&bytes[..cut]).is_err());
        }
        assert!(registration_facts(b"\xff\xfe").is_err());
    }
}
