//! Refusals the services word in English, named: an API answer carries the words as they are
//! (its `code` is the contract), and a page recognises them here to say them in its reader's
//! language (`web::page::refusal_in`).

use super::factors::MAX_FACTORS_PER_USER;

/// A report of activity the user did not recognise froze their second factors.
pub const FACTORS_FROZEN: &str = "changes to this account's second factors are frozen: the user reported activity they did not recognise, and support must reset the account first";
/// After such a report, a new password comes before any change to the second factors.
pub const NEW_PASSWORD_FIRST: &str = "the user reported activity they did not recognise: they must choose a new password with the link mailed to them before a second factor can be added or changed";
/// A sign-up's address is not confirmed yet.
pub const CONFIRM_ADDRESS_FIRST: &str = "this account has not confirmed its email address yet: open the confirmation link mailed to it first";
/// The YubiKey belongs to someone else.
pub const YUBIKEY_TAKEN: &str = "this YubiKey is registered to another account";
/// The YubiKey is already one of the user's factors.
pub const YUBIKEY_ALREADY_YOURS: &str = "this YubiKey is already registered for this user";
/// The security key is registered already (to this user or another).
pub const KEY_ALREADY_REGISTERED: &str = "this security key is already registered";
/// A second activation of the same factor (the back button, a second tab).
pub const FACTOR_ALREADY_ACTIVE: &str = "this factor is already active";
/// Removing the last factor the policy accepts while it requires two-factor authentication.
pub const LAST_COMPLIANT_FACTOR: &str = "the security policy requires two-factor authentication: this is the user's last factor the policy accepts, add another before removing it";

/// The user has as many factors as one account may have.
pub fn no_room() -> String {
    format!("this user already has {MAX_FACTORS_PER_USER} factors: remove one first")
}
