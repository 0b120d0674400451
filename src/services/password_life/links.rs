//! Single-use mailed links: 256 random bits in the URL, stored as a SHA-256 hash; a new link of
//! one purpose replaces the user's unused ones; used by one atomic conditional `UPDATE` under
//! the user's lock.

use super::*;

/// What a mailed link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// "Forgot your password?"
    PasswordReset,
    /// After "this wasn't me" and a support reset.
    PasswordSet,
    /// A new sign-up's address.
    EmailConfirm,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::PasswordSet => "password_set",
            Self::EmailConfirm => "email_confirm",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        match s {
            "password_reset" => Some(Self::PasswordReset),
            "password_set" => Some(Self::PasswordSet),
            "email_confirm" => Some(Self::EmailConfirm),
            _ => None,
        }
    }

    pub(super) fn lifetime(self) -> Duration {
        match self {
            Self::PasswordReset => Duration::minutes(RESET_MINUTES),
            Self::PasswordSet => Duration::hours(SET_HOURS),
            Self::EmailConfirm => Duration::hours(CONFIRM_HOURS),
        }
    }

    /// The page the link opens.
    pub(super) fn path(self) -> &'static str {
        match self {
            Self::PasswordReset | Self::PasswordSet => "/account/password/",
            Self::EmailConfirm => "/account/confirm/",
        }
    }
}

/// A link token's shape: 32 random bytes in unpadded base64url.
pub(super) fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Writes a new link for `user_id` (replacing their unused ones of the same purpose) and
/// returns its full URL. In the caller's transaction.
pub fn issue_link(
    conn: &mut DbConnection,
    base_url: &str,
    now: NaiveDateTime,
    user_id: &str,
    purpose: LinkPurpose,
) -> QueryResult<String> {
    diesel::delete(
        account_links::table
            .filter(account_links::user_id.eq(user_id))
            .filter(account_links::purpose.eq(purpose.as_str()))
            .filter(account_links::used_at.is_null()),
    )
    .execute(conn)?;
    let token = random_token();
    diesel::insert_into(account_links::table)
        .values((
            account_links::id.eq(crate::domain::ids::new_id("lnk")),
            account_links::user_id.eq(user_id),
            account_links::purpose.eq(purpose.as_str()),
            account_links::token_hash.eq(hash_token(&token)),
            account_links::created_at.eq(now),
            account_links::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(format!("{base_url}{}{token}", purpose.path()))
}

/// Whether a link of `purpose` was mailed to `user_id` in the last `RESEND_SECONDS`.
pub(super) fn recently_issued(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    user_id: &str,
    purpose: LinkPurpose,
) -> QueryResult<bool> {
    let n: i64 = account_links::table
        .filter(account_links::user_id.eq(user_id))
        .filter(account_links::purpose.eq(purpose.as_str()))
        .filter(account_links::created_at.gt(now - Duration::seconds(RESEND_SECONDS)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// What a link is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Good to use, for the account shown partly hidden.
    Valid {
        account: String,
        purpose: LinkPurpose,
    },
    /// Malformed, or never issued (or replaced by a newer link).
    Invalid,
    Used,
    Expired,
}

pub(super) struct LinkRow {
    pub(super) user_id: String,
    pub(super) purpose: LinkPurpose,
    pub(super) expires_at: NaiveDateTime,
    pub(super) used_at: Option<NaiveDateTime>,
}

pub(super) fn find_link(
    conn: &mut DbConnection,
    token: &str,
    accepted: &[LinkPurpose],
) -> QueryResult<Option<LinkRow>> {
    if !well_formed(token) {
        return Ok(None);
    }
    let row: Option<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = account_links::table
        .filter(account_links::token_hash.eq(hash_token(token)))
        .select((
            account_links::user_id,
            account_links::purpose,
            account_links::expires_at,
            account_links::used_at,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.and_then(|(user_id, purpose, expires_at, used_at)| {
        let purpose = LinkPurpose::parse(&purpose).filter(|p| accepted.contains(p))?;
        Some(LinkRow {
            user_id,
            purpose,
            expires_at,
            used_at,
        })
    }))
}

pub(super) fn state_of(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    row: Option<LinkRow>,
) -> QueryResult<LinkState> {
    let Some(row) = row else {
        return Ok(LinkState::Invalid);
    };
    if row.used_at.is_some() {
        return Ok(LinkState::Used);
    }
    if row.expires_at <= now {
        return Ok(LinkState::Expired);
    }
    let email: String = users::table
        .find(&row.user_id)
        .select(users::email)
        .get_result(conn)?;
    Ok(LinkState::Valid {
        account: crate::services::report::mask(&email),
        purpose: row.purpose,
    })
}

/// What following a link shows; changes nothing.
pub async fn inspect(
    state: &AppState,
    token: String,
    accepted: &'static [LinkPurpose],
) -> Result<LinkState, Error> {
    let now = naive(state.clock.now());
    state
        .db
        .read(move |conn| {
            let row = find_link(conn, &token, accepted)?;
            Ok::<_, Error>(state_of(conn, now, row)?)
        })
        .await
}

/// Uses the link: `Some(row)` when this call took it (its single use), `None` with the state it
/// was in otherwise.
pub(super) fn take_link(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    token: &str,
    accepted: &[LinkPurpose],
) -> Result<Result<LinkRow, LinkState>, Error> {
    let Some(row) = find_link(conn, token, accepted)? else {
        return Ok(Err(LinkState::Invalid));
    };
    // The lock order (src/db/mod.rs): the user before their rows, links included.
    crate::services::users::lock_user(conn, &row.user_id)?;
    let took = diesel::update(
        account_links::table
            .filter(account_links::token_hash.eq(hash_token(token)))
            .filter(account_links::used_at.is_null())
            .filter(account_links::expires_at.gt(now)),
    )
    .set(account_links::used_at.eq(now))
    .execute(conn)?;
    if took == 1 {
        Ok(Ok(row))
    } else {
        Ok(Err(state_of(conn, now, Some(row))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_have_one_shape() {
        let t = random_token();
        assert!(well_formed(&t), "{t}");
        for bad in [
            "",
            "short",
            &"a".repeat(44),
            &format!("{}.", &t[..42]),
            "é".repeat(22).as_str(),
        ] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn purposes_round_trip_and_last_as_designed() {
        for p in [
            LinkPurpose::PasswordReset,
            LinkPurpose::PasswordSet,
            LinkPurpose::EmailConfirm,
        ] {
            assert_eq!(LinkPurpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(LinkPurpose::PasswordReset.lifetime(), Duration::minutes(30));
    }
}
