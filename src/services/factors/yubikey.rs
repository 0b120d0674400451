//! YubiKeys (Yubico OTP): enrollment by one OTP, which proves possession, is consumed, and
//! binds the key's public id to the user; the factor is active at once.

use diesel::prelude::*;

use super::{ActivationRecord, Factor, ensure_room, record_activation};
use crate::db::models::{FactorRow, YubikeyRow};
use crate::db::schema::factors;
use crate::domain::clock::naive;
use crate::domain::ids::new_id;
use crate::domain::newtypes::FactorKind;
use crate::domain::yubikey_otp::Otp;
use crate::error::Error;
use crate::seams::yubicloud::CloudOutcome;
use crate::services::RequestContext;
use crate::services::audit::{AuditRecord, record_audit_event};
use crate::services::yubikeys::{LocalCheck, advance_counter, check_local};
use crate::state::AppState;

enum YubikeyEnrollment {
    Done(Box<Factor>, Option<Vec<String>>),
    Refused,
    ServiceUnavailable,
}

/// Enrolls a YubiKey: the OTP proves possession, is consumed, and binds the key's public id to
/// the user. The factor is active at once.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn enroll_yubikey(
    state: &AppState,
    ctx: RequestContext,
    user_id: String,
    name: String,
    otp_raw: String,
) -> Result<(Factor, Option<Vec<String>>), Error> {
    let otp = Otp::parse(&otp_raw).map_err(|_| {
        Error::BadRequest("otp: a YubiKey OTP is 32 to 48 modhex characters; touch the key with the cursor in the field".into())
    })?;
    if otp.public_id.is_empty() {
        return Err(Error::BadRequest(
            "otp: this OTP carries no public id, so it cannot name a key".into(),
        ));
    }
    // A key that is not in the inventory is asked about over the network first, outside any
    // transaction.
    let cloud = match &state.yubicloud {
        Some(yc) => {
            let public_id = otp.public_id.clone();
            let in_inventory = state
                .db
                .read(move |conn| Ok::<_, Error>(YubikeyRow::find(conn, &public_id)?.is_some()))
                .await?;
            if in_inventory {
                None
            } else {
                Some(yc.validate(otp_raw.trim()).await)
            }
        }
        None => None,
    };
    let now = naive(state.clock.now());
    let keyring = state.keyring.clone();
    let mail = state.mail.clone();
    let outcome = state
        .db
        .write(move |conn| {
            let user = crate::services::users::lock_for_factor_change(conn, &ctx, &user_id)?;
            crate::services::policy::require_allowed(conn, &user.id, FactorKind::YubikeyOtp)?;
            let bound: Option<String> = factors::table
                .filter(factors::yubikey_public_id.eq(&otp.public_id))
                .select(factors::user_id)
                .get_result(conn)
                .optional()?;
            match bound {
                Some(owner) if owner != user.id => {
                    return Err(Error::Conflict(crate::services::refusals::YUBIKEY_TAKEN.into()));
                }
                Some(_) => return Err(Error::Conflict(crate::services::refusals::YUBIKEY_ALREADY_YOURS.into())),
                None => {}
            }
            ensure_room(conn, &user.id, now)?;
            // (reason, what the validation server said when it gave no answer)
            let refusal: Option<(&str, Option<&str>)> = match check_local(conn, &keyring, &otp)? {
                LocalCheck::Unknown => match &cloud {
                    None => {
                        return Err(Error::BadRequest(
                            "otp: this YubiKey is not in the hardware key inventory, and no validation server is configured"
                                .into(),
                        ));
                    }
                    Some(CloudOutcome::Valid) => None,
                    Some(CloudOutcome::Refused(reason)) => Some((*reason, None)),
                    Some(CloudOutcome::Unavailable(why)) => Some(("validation_service_unavailable", Some(why.as_str()))),
                },
                LocalCheck::Invalid(reason) => Some((reason, None)),
                LocalCheck::Valid(token) if !advance_counter(conn, &otp.public_id, &token, None)? => Some(("replay", None)),
                LocalCheck::Valid(_) => None,
            };
            if let Some((reason, detail)) = refusal {
                record_audit_event(
                    conn,
                    now,
                    AuditRecord {
                        event: "factor.activation_failed",
                        ctx: &ctx,
                        user_id: Some(&user.id),
                        factor_id: None,
                        details: serde_json::json!({
                            "type": "yubikey_otp",
                            "public_id": otp.public_id,
                            "reason": reason,
                            "detail": detail,
                        }),
                    },
                )?;
                return Ok(if detail.is_some() {
                    YubikeyEnrollment::ServiceUnavailable
                } else {
                    YubikeyEnrollment::Refused
                });
            }
            let first_factor = FactorRow::count_active(conn, &user.id)? == 0;
            let row = FactorRow {
                yubikey_public_id: Some(otp.public_id.clone()),
                ..FactorRow::active(new_id("fac"), user.id.clone(), FactorKind::YubikeyOtp, name, now)
            };
            match diesel::insert_into(factors::table).values(row.clone()).execute(conn) {
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    return Err(Error::Conflict(crate::services::refusals::YUBIKEY_TAKEN.into()));
                }
                other => other?,
            };
            let backup_codes = record_activation(
                conn,
                &keyring,
                &mail,
                now,
                ActivationRecord {
                    ctx: &ctx,
                    user_id: &user.id,
                    factor: &row,
                    first_factor,
                    details: serde_json::json!({ "type": "yubikey_otp", "name": row.name, "public_id": otp.public_id }),
                },
            )?;
            Ok(YubikeyEnrollment::Done(Box::new(Factor::from(&row)), backup_codes))
        })
        .await?;
    match outcome {
        YubikeyEnrollment::Done(f, codes) => {
            state.mail_wakeup.notify_one();
            Ok((*f, codes))
        }
        YubikeyEnrollment::Refused => Err(Error::InvalidCode),
        YubikeyEnrollment::ServiceUnavailable => Err(Error::YubikeyServiceUnavailable),
    }
}
