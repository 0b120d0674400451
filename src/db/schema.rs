//! The Diesel schema, shared by both backends (the migrations keep the two in step).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        email_normalized -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        totp_last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
        reported_at -> Nullable<Timestamp>,
        factors_frozen_at -> Nullable<Timestamp>,
        sessions_valid_after -> Nullable<Timestamp>,
        noncompliant_since -> Nullable<Timestamp>,
        email_verified_at -> Nullable<Timestamp>,
        created_via -> Text,
        password_reset_required_at -> Nullable<Timestamp>,
        password_changed_at -> Nullable<Timestamp>,
        locale -> Nullable<Text>,
    }
}

diesel::table! {
    account_links (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_throttle (account_key) {
        account_key -> Text,
        failures -> Integer,
        window_start -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    known_devices (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        claim_token -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        stage -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        sudo_until -> Nullable<Timestamp>,
        oidc_authorization -> Nullable<Text>,
    }
}

diesel::table! {
    oidc_clients (client_id) {
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        secret_ciphertext -> Nullable<Binary>,
        secret_key_id -> Nullable<Text>,
        redirect_uris -> Text,
        trusted_first_factor -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oidc_signing_keys (kid) {
        kid -> Text,
        private_ciphertext -> Binary,
        private_key_id -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oidc_authorizations (id) {
        id -> Text,
        client_id -> Text,
        user_id -> Nullable<Text>,
        way -> Text,
        action -> Text,
        redirect_uri -> Text,
        state -> Nullable<Text>,
        nonce -> Text,
        code_challenge -> Text,
        scope -> Text,
        hardware -> Bool,
        ui_locales -> Nullable<Text>,
        browser_hash -> Nullable<Text>,
        auth_time -> Nullable<Timestamp>,
        password_checked -> Bool,
        method -> Nullable<Text>,
        user_verified -> Bool,
        enrolled -> Bool,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        code_hash -> Nullable<Text>,
        code_expires_at -> Nullable<Timestamp>,
        code_used_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    oidc_request_ids (client_id, jti) {
        client_id -> Text,
        jti -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oidc_tokens (token_hash) {
        token_hash -> Text,
        authorization_id -> Text,
        client_id -> Text,
        user_id -> Text,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signin_throttle (ip) {
        ip -> Text,
        failures -> Integer,
        window_start -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    report_tokens (id) {
        id -> Text,
        user_id -> Text,
        key_id -> Text,
        mail_kind -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        scope -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    factors (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        name -> Text,
        status -> Text,
        created_at -> Timestamp,
        activated_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        secret_ciphertext -> Nullable<Binary>,
        secret_key_id -> Nullable<Text>,
        totp_digits -> Nullable<Integer>,
        totp_period -> Nullable<Integer>,
        totp_algorithm -> Nullable<Text>,
        last_step -> Nullable<BigInt>,
        last_drift -> Nullable<Integer>,
        yubikey_public_id -> Nullable<Text>,
        webauthn_credential_id -> Nullable<Text>,
        webauthn_credential -> Nullable<Text>,
        webauthn_aaguid -> Nullable<Text>,
        webauthn_authenticator -> Nullable<Text>,
        webauthn_sign_count -> Nullable<BigInt>,
        webauthn_backup_eligible -> Nullable<Bool>,
        webauthn_backup_state -> Nullable<Bool>,
        webauthn_attested -> Nullable<Bool>,
    }
}

diesel::table! {
    webauthn_challenges (id) {
        id -> Text,
        user_id -> Text,
        factor_id -> Nullable<Text>,
        purpose -> Text,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    policy (id) {
        id -> Integer,
        document -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    yubikeys (public_id) {
        public_id -> Text,
        secret_ciphertext -> Binary,
        secret_key_id -> Text,
        usage_counter -> Nullable<Integer>,
        session_use -> Nullable<Integer>,
        last_nonce -> Nullable<Text>,
        created_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    validation_clients (id) {
        id -> Integer,
        name -> Text,
        secret_ciphertext -> Binary,
        secret_key_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    backup_codes (id) {
        id -> BigInt,
        user_id -> Text,
        code_hash -> Text,
        key_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    throttles (user_id) {
        user_id -> Text,
        failures -> Integer,
        lockouts -> Integer,
        locked_until -> Nullable<Timestamp>,
        locked_refusals -> Integer,
        last_failure_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        last_id -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        event -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        factor_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
        shard -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    audit_checkpoints (id) {
        id -> BigInt,
        at -> Timestamp,
        heads -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    factor_adoption (day) {
        day -> Date,
        users -> BigInt,
        totp -> BigInt,
        yubikey_otp -> BigInt,
        webauthn -> BigInt,
        no_factor -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    groups (id) {
        id -> Text,
        name -> Text,
        policy -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(group_members -> groups (group_id));
diesel::joinable!(group_members -> users (user_id));
diesel::joinable!(factors -> users (user_id));
diesel::joinable!(backup_codes -> users (user_id));
diesel::joinable!(throttles -> users (user_id));
diesel::joinable!(oidc_authorizations -> oidc_clients (client_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_keys,
    factors,
    backup_codes,
    throttles,
    audit_head,
    audit_events,
    audit_checkpoints,
    yubikeys,
    validation_clients,
    webauthn_challenges,
    policy,
    mail_outbox,
    report_tokens,
    sessions,
    signin_throttle,
    factor_adoption,
    account_links,
    password_throttle,
    known_devices,
    oidc_clients,
    oidc_signing_keys,
    oidc_authorizations,
    oidc_request_ids,
    oidc_tokens,
    groups,
    group_members,
);
