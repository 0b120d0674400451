//! What the server talks to besides its database, set up once at start from the settings and
//! held in `AppState`: the WebAuthn relying party and the YubiCloud validation servers. Below
//! `state` and `services`, so both depend on it and neither on the other in a circle.

pub mod webauthn;
pub mod yubicloud;
