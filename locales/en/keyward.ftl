# Keyward's words in English: the source every other locale translates (docs/i18n.md).
# A message with a $variable keeps that variable in every language; numbers pick plural forms.

## Dates

month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
# "3 Dec 2026"
date = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC

## Layout

nav-label = Main
nav-settings = Security settings
nav-support = Support console
nav-policy = Security policy
nav-groups = Groups
nav-compliance = Compliance
nav-audit = Audit log
role-support = Support
role-security = Security
sign-out = Sign out
handoff-label = Where you came from
handoff-came-from = You came here from { $client }.
handoff-back = Back to { $client }
handoff-cancel = Cancel and return to { $client }
language-label = Language
account-security = Account security

## Sign-in

sign-in = Sign in
sign-in-continue = Sign in with your { $issuer } account to continue to { $client }.
field-email = Email
field-password = Password
forgot-link = Forgot your password?
new-here = New here?
create-account-link = Create an account
error-credentials = The email or password is not correct.
forgot-title = Reset your password
forgot-intro = Enter the email address of your account. We will mail you a link to choose a new password; it works once, for 30 minutes.
forgot-send = Send the link
forgot-2fa-stays = Resetting your password does not turn off two-factor authentication: you will still need your second factor to sign in.
back-to-sign-in = Back to sign-in
go-to-sign-in = Go to sign-in
signup-title = Create an account
signup-button = Create account
have-account = Already have an account?
password-length-hint = At least 8 characters.
confirm-title = Confirm your email address
confirm-intro = Confirm that { $account } is your address: enter the password you chose when you created the account. Then sign in and add a second factor.
confirm-button = Confirm my address
confirm-not-you = If you did not create an account, close this page: nothing happens, and the account is removed when the link expires.

## Second step

second-step-title = Two-factor authentication
second-step-upgrade = Your organisation's security policy no longer accepts your second factor. Confirm it is you with it (or a backup code) one last time; then add a new one.
second-step-intro = Your password was right. Now confirm it is you with one of your second factors:
second-step-intro-handoff = Confirm it is you with one of your second factors to continue to { $client }:
second-step-intro-hardware = { $client } asks for a hardware key: confirm it is you with your YubiKey or security key.
prompt-totp = Enter the 6-digit code from your authenticator app
prompt-yubikey = Touch your YubiKey
prompt-backup = Enter a backup code
option-yubikey = Touch your YubiKey (with the cursor in the field)
use-security-key = Use your security key
option-backup = Use a backup code
verify = Verify
second-step-lost-device = Lost your device? Enter one of your backup codes in the field above.
second-step-or-key = Or use your security key
second-step-key-needs-js = Using a security key needs JavaScript; enter a code instead.
second-step-paused = { $minutes ->
    [one] Too many wrong codes. For your security, sign-in is paused: try again in { $minutes } minute.
   *[other] Too many wrong codes. For your security, sign-in is paused: try again in { $minutes } minutes.
}
error-code = The code you entered did not match what was expected. Please re-scan or enter the code and try again.

## Settings

settings-signed-in-as = Signed in as { $email }.
settings-reported = You reported activity you did not recognise. Changes to your second factors are frozen until our support team has helped you.
settings-factors = Second factors
add-factor = Add a second factor
settings-2fa-off = Two-factor authentication is off: signing in needs only your password.
settings-your-factors = Your second factors
col-name = Name
col-type = Type
col-status = Status
col-added = Added
col-last-used = Last used
col-actions = Actions
never = Never
remove = Remove
remove-named = Remove { $name }
status-active = Active
status-pending = Pending
settings-backup-codes = Backup codes
backup-codes-left = { $count ->
    [one] { $count } backup code left.
   *[other] { $count } backup codes left.
}
regenerate-codes = Regenerate backup codes
settings-password = Password
password-last-changed = Last changed on { $date }.
password-set-at-creation = Set when the account was created.
change-password = Change password
notice-removed = The factor was removed. A confirmation email is on its way.
notice-added = The second factor is active. A confirmation email is on its way.
notice-password = Your password was changed and every other device was signed out. A confirmation email is on its way.

## Adding a factor

add-intro = Choose how you want to confirm it is you when you sign in.
method-app = Authenticator app
method-app-about = Google Authenticator, Duo Mobile, Authy or another app that shows 6-digit codes.
method-yubikey = YubiKey
method-yubikey-about = A YubiKey that types a one-time password when you touch it.
method-key = Security key
method-key-about = A FIDO2 security key or a passkey on this device.
not-allowed-policy = Not allowed by your organisation's security policy.
required-replace = Your organisation's security policy no longer accepts your second factor. Add one of the methods below to continue.
back-to-settings = Back to security settings
choose-another-method = Choose another method
name-device = Name this device
add-yubikey-title = Add a YubiKey
add-app-title = Add an authenticator app
add-yubikey-button = Add YubiKey
continue = Continue
yubikey-otp-hint = Put the cursor in this field, then touch the gold contact on your YubiKey.
totp-title = Set up your authenticator app
totp-step-open = Open your authenticator app: Google Authenticator (tap +, then "Scan a QR code"), Duo Mobile (tap "Add", then "Use QR code") or Authy (tap +, then "Scan QR code").
totp-step-scan = Scan the QR code below. If you cannot scan it, choose to enter a setup key and type the key shown above the code.
totp-step-code = Enter the 6-digit code the app shows.
totp-setup-key = Setup key
totp-account = Account
totp-issuer = Issuer
totp-qr-alt = QR code for setting up your authenticator app
turn-on = Turn on
setup-expired = This setup has expired
setup-expired-again = Start again from your security settings.
key-title = Add a security key
key-name = Name this key
key-name-placeholder = e.g. YubiKey 5C
key-hint = Press the button, then touch or unlock your security key when your browser asks.
key-button = Add security key
key-needs-js = Security keys need JavaScript in this browser. Turn it on, or choose another method.
key-codes-intro = If you lose your key, each of these codes signs you in once. They are shown only now.
backup-codes-title = Your backup codes
backup-codes-heading = Save your backup codes
backup-codes-intro = If you lose your device, each of these codes signs you in once. Keep them somewhere safe: they are shown only now.
download-txt = Download as .txt
print = Print
codes-saved = I have saved these codes
sudo-title = Confirm your password
sudo-intro = For your security, enter your password again before changing your second factors. You will not be asked again for 10 minutes.
error-password = The password is not correct.
no-such-factor = You have no such factor.

## Passwords

password-for-account = For the account { $account }.
field-current-password = Current password
field-new-password = New password
field-new-password-again = New password again

## Messages

message-reference = If this keeps happening, tell support this reference:
not-found = Not found
please-try-again = Please try again
form-expired = This form expired or did not come from this site. Go back, reload the page and try again.
change-not-possible = This change is not possible
request-not-valid = This request is not valid
something-wrong = Something went wrong
something-wrong-body = Something went wrong on our side. Please try again in a moment.
yubikey-otp-refused = That YubiKey one-time password was not accepted. Touch the key again.
yubikey-service-down = The YubiKey validation service is unavailable. Try again in a moment.
oidc-error-title = This link cannot be used
oidc-error-hint = If it keeps happening, tell the application's support team: the way it sends you to { $issuer } is not set up correctly.
oidc-expired = This sign-in has already ended or took too long. Go back to the application you came from and start again.

## "This wasn't me"

report-ask-title = Was this not you?
report-done-title = Your account is secured
report-used-title = This link was already used
report-expired-title = This link has expired
report-invalid-title = This link is not valid
report-followed = You followed the "This wasn't me" link from a security notice about { $account }.
report-we-will = If you did not make that change, secure your account now. We will:
report-step-sign-out = sign you out everywhere,
report-step-password = stop your password from working,
report-step-freeze = freeze changes to your two-factor settings,
report-step-alert = alert our support team, who will contact you.
report-button = Secure my account
report-if-yours = If the change was yours, close this page: nothing happens until you press the button.
report-done = Your account { $account } is secured: you are signed out everywhere, changes to your two-factor settings are frozen, and our support team has been alerted.
report-done-next = Your password no longer works, so whoever knows it cannot sign in. Support will contact you to restore access to your second factors; then we will mail you a link to choose a new password.
report-used = This link was already used. Your report was recorded; support has been alerted.
report-expired = This link has expired: links in security notices work for 7 days. If you still think someone else changed your account, contact support.
report-invalid = This link is not valid. Open the link from the security notice exactly as it was sent, or contact support.

## Mail

mail-hello = Hello,
mail-label-account = Account
mail-label-when = When
mail-label-from = From address
mail-label-method = Method
mail-label-device = Device
mail-label-reason = Reason
mail-label-agent = Support agent
mail-report-heading = Wasn't you?
mail-report-body = Tell us right away. We will sign you out everywhere, stop your password from working, freeze changes to your two-factor settings and alert our support team, who will help you set a new password.
mail-report-button = This wasn't me
mail-report-expiry = The link works once and expires in 7 days.
mail-footer-notice = This is an automatic security notice from { $issuer }. We never ask for your password, codes or backup codes by email.
mail-footer-message = This is an automatic message from { $issuer }. We never ask for your password, codes or backup codes by email.
mail-facts = { $method } added on { $day } (id ending { $tail })
mail-facts-yubikey = YubiKey { $public_id }, added on { $day } (id ending { $tail })
mail-subject-enabled-first = Two-factor authentication is on for your { $issuer } account
mail-subject-enabled = A new second factor was added to your { $issuer } account
mail-subject-removed = A second factor was removed from your { $issuer } account
mail-subject-regenerated = New backup codes were created for your { $issuer } account
mail-subject-used = A backup code was used to sign in to your { $issuer } account
mail-subject-lockout = Sign-in to your { $issuer } account is paused after failed attempts
mail-subject-support-reset = Support reset two-factor authentication on your { $issuer } account
mail-subject-password-reset = Reset the password of your { $issuer } account
mail-subject-set-password = Choose a new password for your { $issuer } account
mail-subject-confirm = Confirm the email address of your new { $issuer } account
mail-subject-attempt = You already have a { $issuer } account
mail-subject-password-was-reset = The password of your { $issuer } account was reset
mail-subject-password-changed = The password of your { $issuer } account was changed
mail-enabled-first-heading = Two-factor authentication is on
mail-enabled-heading = A new second factor was added
mail-enabled-first-body = Two-factor authentication is now on for your { $issuer } account.
mail-enabled-body = A new second factor was added to your { $issuer } account.
mail-enabled-keep-codes = Keep your backup codes somewhere safe: each one signs you in once if you lose this device.
mail-removed-heading = A second factor was removed
mail-removed-body = A second factor was removed from your { $issuer } account.
mail-removed-none-left = Your account no longer has a second factor: signing in needs only your password. Add a second factor again in your security settings.
mail-regenerated-heading = New backup codes were created
mail-regenerated-body = New backup codes were created for your { $issuer } account. Your old backup codes no longer work.
mail-regenerated-not-included = The new codes were shown once, where they were created; this mail does not contain them.
mail-used-heading = A backup code was used
mail-used-body = A backup code was used to sign in to your { $issuer } account.
mail-used-left = Backup codes left: { $count }
mail-used-low = You are running low: create new backup codes in your security settings.
mail-lockout-heading = Sign-in is paused after failed attempts
mail-lockout-body = After several wrong two-factor codes, sign-in to your { $issuer } account is paused until { $until }. Nobody can sign in until then, even with the right code.
mail-lockout-advice = If these attempts were not yours, someone may know your password: change it.
mail-reset-heading = Support reset your two-factor authentication
mail-reset-body = Our support team reset two-factor authentication on your { $issuer } account. All your second factors and backup codes were removed and you were signed out everywhere.
mail-reset-next = Sign in with your password and add a second factor again.
mail-password-reset-heading = Reset your password
mail-password-reset-body = Someone asked to reset the password of your { $issuer } account. If it was you, choose a new password within { $minutes } minutes:
mail-choose-password-button = Choose a new password
mail-password-reset-note = The link works once. Resetting your password does not turn off two-factor authentication: you will still need your second factor to sign in, and every device signed in to your account will be signed out.
mail-password-reset-ignore = If you did not ask for this, ignore this mail: your password stays as it is.
mail-set-password-body = After your report of activity you did not recognise, your old password no longer works. Our support team has reset your account's two-factor authentication. Choose a new password within { $hours } hours, then sign in and add a second factor again:
mail-set-password-note = The link works once. Until you use it, nobody can sign in to your account with a password or add a second factor to it.
mail-confirm-heading = Confirm your email address
mail-confirm-body = Welcome to { $issuer }. Confirm within { $hours } hours that this address is yours:
mail-confirm-button = Confirm my address
mail-confirm-note = Then sign in and add a second factor. If you did not create an account, ignore this mail: without the confirmation the account cannot be used.
mail-attempt-heading = You already have an account
mail-attempt-body = Someone tried to create a new { $issuer } account with this address. You already have one, so nothing was created.
mail-attempt-sign-in = If it was you, sign in instead. Forgot your password?
mail-attempt-reset-link = Reset it
mail-attempt-ignore = If it was not you, ignore this mail: your account is unchanged.
mail-changed-reset-heading = Your password was reset
mail-changed-heading = Your password was changed
mail-changed-reset-body = The password of your { $issuer } account was reset with a link we mailed to you. Every device signed in to your account was signed out.
mail-changed-body = The password of your { $issuer } account was changed. Every other device signed in to your account was signed out.
mail-changed-factors-unchanged = Your second factors are unchanged.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day } { $month }
staff-for-example = e.g. { $example }
staff-second-factor = Second factor
staff-role-name = { $role ->
    [customer] customer
    [support] support
   *[security] security
}
staff-actor = { $kind ->
    [user] The user
    [support] Support
    [api_key] API key
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] user
    [support] support
    [api_key] api_key
   *[system] system
}
staff-required = Required
staff-not-required = Not required
staff-none = None
staff-any = Any
staff-today = Today
staff-col-key = Key
staff-col-rule = Rule
staff-col-in-force = In force
staff-col-from = From
staff-col-when = When
staff-col-when-utc = When (UTC)
staff-col-event = Event
staff-col-by = By
staff-col-address = Address
staff-col-user = User
staff-col-details = Details
staff-col-members = Members
staff-col-policy = Policy
staff-col-role = Role
staff-source-global = the global policy
staff-source-group = the group “{ $name }”
# A page only staff may see, refused to someone else (the heading, then the message).
staff-not-available = Not available
staff-refused-support = The support console is for support and security staff.
staff-refused-security = The audit log is for the security team.

# Support console
staff-find-label = Find a customer by email
staff-find = Find
staff-no-customer = No customer has this email.
staff-no-such-customer = No such customer.
staff-customer-reported = This customer reported activity they did not recognise ("this wasn't me"). Their factor changes are frozen until a reset.
staff-role = Role: { $role }
staff-backup-codes-left = { $count ->
    [one] { $count } backup code left
   *[other] { $count } backup codes left
}
staff-factors = Factors
staff-no-factor = No second factor.
staff-customer-factors = The customer's factors
staff-groups-and-policy = Groups and policy
staff-in-no-group = In no group: the global policy applies.
staff-groups-label = Groups:
staff-effective-policy-caption = The customer's effective policy and where each rule comes from
staff-rule-two-factor = Two-factor authentication
staff-rule-methods = Methods allowed
staff-all-policies = all policies together
staff-not-allowed = Not allowed
staff-not-allowed-no-common-model = Not allowed: the allowed key models have nothing in common
staff-rule-uv = User verification
staff-uv-value = { $uv ->
    [required] required
    [discouraged] discouraged
   *[preferred] preferred
}
staff-rule-attestation = Attestation
staff-rule-key-models = Security key models
staff-rule-days = Days to enroll
staff-timeline = Timeline
staff-timeline-caption = Recent events of this customer
staff-reset-title = Reset two-factor authentication
staff-reset-button = Reset two-factor authentication
staff-reset-staff-only = { $role ->
    [support] This is a support account: only the security team can reset it.
   *[security] This is a security account: only the security team can reset it.
}
staff-reset-hint = Removes every factor, backup code and session of this customer and emails them. First check who they are.
staff-reason = Reason
staff-identity-check = Identity check
staff-check-backup-code = The customer read out a backup code
staff-backup-code = Backup code
staff-check-out-of-band = Checked outside Keyward (call back, video call, ticket)
staff-check-reference = Reference of that check
staff-reset-done = Two-factor authentication was reset. The customer has been emailed.
staff-reset-wrong-code = The backup code did not match: nothing was reset.
staff-nothing-reset = Nothing was reset: { $reason }.

# Audit log
staff-chain-intact = { $count ->
    [one] The chain is intact: { $count } event checked, none edited or deleted.
   *[other] The chain is intact: { $count } events checked, none edited or deleted.
}
staff-chain-broken-at = The chain is broken at event { $event }: { $problem }. Events were edited or deleted; compare with your exported copies.
staff-chain-broken = The chain is broken: { $problem }. Events were edited or deleted; compare with your exported copies.
staff-filter-email = Customer email
staff-filter-since = From (UTC)
staff-filter-until = Until (UTC)
staff-filter = Filter
staff-export-jsonl = Export JSON lines
staff-export-csv = Export CSV
staff-audit-caption = Audit events, newest first
staff-older-events = Older events
staff-bad-time = { $field ->
    [since] From
   *[until] Until
}: use a time like { $example }
staff-bad-email = Customer email: not an email address
staff-no-user-email = No user has this email.
staff-cannot-export = Cannot export

# Security policy (the global policy and a group's)
staff-policy-saved = The policy was saved and recorded in the audit log.
staff-save-policy = Save policy
staff-nothing-saved = Nothing was saved: { $reason }.
staff-require-two-factor = Require two-factor authentication
staff-grace-days = Days a user has to enroll after that
staff-methods-that-count = Methods that count
staff-hardware-only-hint = Hardware keys only: YubiKey and Security key, with attestation required.
staff-security-keys = Security keys
staff-uv-label = User verification (PIN or biometric on the key)
staff-uv-preferred = Preferred
staff-uv-required = Required
staff-uv-discouraged = Discouraged (a touch is enough)
staff-require-attestation = Require attestation (only keys that prove their make)
staff-allowed-models = Allowed models (none ticked: any model):
staff-other-aaguids = Other AAGUIDs, one per line
staff-form-unknown-method = unknown method { $value }
staff-form-unknown-uv = unknown user verification { $value }
staff-form-not-aaguid = { $value } is not an AAGUID (a UUID)
staff-form-grace-not-number = the grace period is a whole number of days

# Groups
staff-groups-hint = A group's policy tightens its members' policy: each member gets the strictest combination of the global policy and the policies of all their groups.
staff-no-group = No group yet.
staff-delete-group-named = Delete the group { $name }
staff-delete = Delete
staff-new-group = New group
staff-create-group = Create group
staff-summary-no-policy = No policy: adds nothing
staff-summary-two-factor = Two-factor required
staff-summary-no-method = no method
staff-summary-attestation = attestation required
staff-group-deleted = The group was deleted; its members left it.
staff-group-created = The group was created. Give it a policy and members below.
staff-group-policy-saved = The group's policy was saved and recorded in the audit log.
staff-group-policy-removed = The group's policy was removed: the group adds nothing to its members' policy.
staff-group-member-added = The user was added to the group.
staff-group-member-removed = The user was removed from the group.
staff-nothing-created = Nothing was created: { $reason }.
staff-nothing-changed = Nothing was changed: { $reason }.
staff-no-user-with-email = no user has this email
staff-group-title = Group { $name }
staff-group-heading = Group “{ $name }”
staff-all-groups = All groups
staff-group-has-policy = Members get the strictest combination of this policy, the global policy and their other groups' policies.
staff-group-no-policy = This group has no policy: it adds nothing to its members' policy. Save the form to give it one.
staff-save-group-policy = Save the group's policy
staff-remove-group-policy = Remove the group's policy
staff-no-member = No member yet.
staff-remove-member-named = Remove { $email } from the group
staff-add-member-label = Add a user by email
staff-add-to-group = Add to group
staff-delete-this-group = Delete this group

# Refusals the services write in English (the API's messages), shown on the staff pages
staff-refusal-group-exists = a group with this name already exists
staff-refusal-group-name = name: must be 1 to 100 characters, without control characters
staff-refusal-no-group = no group with this id
staff-refusal-not-member = this user is not in this group
staff-refusal-no-user = no user with this id
staff-refusal-groups-no-method = this change would leave members of the groups { $groups } with no allowed method; no change was made
staff-refusal-member-no-method = adding this user to the group “{ $group }” would leave them with no allowed method; no change was made
staff-refusal-grace-range = enrollment_grace_days: must be between 0 and 3650
staff-refusal-no-method-allowed = allowed_methods: two-factor cannot be required with no method allowed
staff-refusal-too-many-aaguids = webauthn.allowed_aaguids: at most 500 entries
staff-refusal-reason-empty = reason must not be empty
staff-refusal-reason-long = reason must be at most 500 characters
staff-refusal-reason-control = reason must not contain control characters
staff-refusal-reference-empty = verification.reference must not be empty
staff-refusal-reference-long = verification.reference must be at most 200 characters
staff-refusal-reference-control = verification.reference must not contain control characters
staff-refusal-own-account = nobody can reset their own two-factor authentication: ask a colleague
staff-refusal-staff-account = only the security team can reset the two-factor authentication of a support or security account
# What the audit chain's check found (the API's words), on the audit log
staff-chain-edited = its content does not match its hash (it was edited)
staff-chain-unlinked = its prev_hash is not the hash of the event before it (an event was edited, inserted or deleted)
staff-chain-no-heads = the chain head rows are missing
staff-chain-unknown-chains = the newest checkpoint names chains the log does not have (a chain's head row was deleted)

# Compliance
staff-compliance-heading = Compliance with the security policy
staff-adoption-title = { $days ->
    [one] Second factors over the last day
   *[other] Second factors over the last { $days } days
}
staff-chart-note = Counted per user: someone with an authenticator app and a security key counts under both, so the lines can add up to more than all users. A YubiKey registered as a security key counts as a security key; backup codes are not counted. Each day is counted at its start (UTC); today is counted now.
staff-chart-gaps = { $count ->
    [one] { $count } day has no record (no server was running) and shows as a gap.
   *[other] { $count } days have no record (no server was running) and show as a gap.
}
staff-chart-summary = { $days ->
    [one] Users by kind of second factor over the last { $days } day.
   *[other] Users by kind of second factor over the last { $days } days.
}
staff-chart-today = Today, of { $users } users: { $totp } with an authenticator app, { $yubikey } with a YubiKey, { $key } with a security key, { $none } without a second factor.
staff-no-second-factor = No second factor
staff-all-users = All users
staff-axis-day = Day (UTC)
staff-axis-users = Users
staff-trend-caption = Users by kind of second factor
staff-col-kind = Kind
staff-col-change = Change
staff-every-day = Every recorded day
staff-daily-caption = Users by kind of second factor, each recorded day, newest first
staff-col-day = Day
staff-col-app = App
staff-col-no-factor = None
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Security key
staff-col-all = All users
staff-noncompliant-title = Users who do not meet the policy
staff-nothing-required = The policy does not require two-factor authentication (nor does any group's), so every user meets it.
staff-change-policy = Change the policy
staff-all-compliant = Every user has a second factor the policy accepts.
staff-noncompliant-count = { $count ->
    [one] { $count } user does not meet the policy.
   *[other] { $count } users do not meet the policy.
}
staff-judged-by-effective = { $days ->
    [one] Each is judged by their effective policy: the global policy with their groups' policies, whose grace period may be shorter than the global { $days } day.
   *[other] Each is judged by their effective policy: the global policy with their groups' policies, whose grace period may be shorter than the global { $days } days.
}
staff-none-overdue = None is past the { $days }-day grace period yet: each is asked to add a second factor after their password.
staff-none-overdue-groups = None is past their grace period yet: each is asked to add a second factor after their password.
staff-overdue-count = { $count ->
    [one] { $count } is past the { $days }-day grace period: their sign-in is refused until support resets them, which gives a fresh grace period.
   *[other] { $count } are past the { $days }-day grace period: their sign-in is refused until support resets them, which gives a fresh grace period.
}
staff-overdue-groups = { $count ->
    [one] { $count } is past their grace period: their sign-in is refused until support resets them, which gives a fresh grace period.
   *[other] { $count } are past their grace period: their sign-in is refused until support resets them, which gives a fresh grace period.
}
staff-noncompliant-caption = Users without a factor the policy accepts, longest first
staff-col-since = Out of compliance since
staff-col-enroll-by = Must enroll by
staff-col-not-accepted = Factors not accepted
staff-overdue = Overdue
staff-overdue-since = (since { $date })
staff-global-policy = Global policy
staff-previous = Previous
staff-next = Next
staff-api-hint = The same list: { $call } with a security key.

# Audit events in words (the raw event name stays beside them)
staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Signed up and signed in
staff-event-signed-in-password = Signed in with the password
staff-event-signed-in-enrolled = Signed in after adding a second factor
staff-event-signed-in-with = { $method ->
    [totp] Signed in with an authenticator app
    [yubikey_otp] Signed in with a YubiKey
    [webauthn] Signed in with a security key
    [backup_code] Signed in with a backup code
   *[other] Signed in with a second factor
}
staff-event-asked-to-enroll = { $sentence }; asked to add a second factor
staff-event-sudo-failed = Password confirmation failed
staff-event-sign-in-failed = Sign-in failed
staff-event-sign-in-refused = Sign-in refused
staff-event-verified-with = { $method ->
    [totp] Verified with an authenticator app
    [yubikey_otp] Verified with a YubiKey
    [webauthn] Verified with a security key
    [backup_code] Verified with a backup code
   *[other] Verified with a second factor
}
staff-event-verify-failed = Verification failed
staff-event-verify-refused = Verification refused
staff-event-lockout-attempt = Attempt refused during a lockout
staff-event-locked-out = Locked out after too many wrong codes
staff-event-codes-generated = Backup codes generated
staff-event-codes-replaced = Backup codes generated (the old ones stopped working)
staff-event-code-used = Backup code used
staff-event-code-used-left = Backup code used ({ $count } left)
staff-event-mail-sent = Security mail sent
staff-event-mail-failed = Security mail could not be delivered
staff-event-mail-delayed = Security mail delayed
staff-mail-about-enabled = two-factor turned on
staff-mail-about-removed = a second factor removed
staff-mail-about-regenerated = new backup codes
staff-mail-about-code-used = a backup code used
staff-mail-about-lockout = sign-in paused after failed attempts
staff-mail-about-reset = two-factor reset by support
staff-event-started-adding = { $kind ->
    [totp] Started adding an authenticator app
    [yubikey_otp] Started adding a YubiKey
    [webauthn] Started adding a security key
    [backup_code] Started adding a backup code
   *[other] Started adding a second factor
}
staff-event-adding-failed = { $kind ->
    [totp] Adding an authenticator app failed
    [yubikey_otp] Adding a YubiKey failed
    [webauthn] Adding a security key failed
    [backup_code] Adding a backup code failed
   *[other] Adding a second factor failed
}
staff-event-factor-added = { $kind ->
    [totp] Authenticator app added
    [yubikey_otp] YubiKey added
    [webauthn] Security key added
    [backup_code] Backup code added
   *[other] Second factor added
}
staff-event-factor-removed = { $kind ->
    [totp] Authenticator app removed
    [yubikey_otp] YubiKey removed
    [webauthn] Security key removed
    [backup_code] Backup code removed
   *[other] Second factor removed
}
staff-event-factor-abandoned = { $kind ->
    [totp] Authenticator app removed before it was finished
    [yubikey_otp] YubiKey removed before it was finished
    [webauthn] Security key removed before it was finished
    [backup_code] Backup code removed before it was finished
   *[other] Second factor removed before it was finished
}
staff-event-reset = { $check ->
    [backup_code] Two-factor reset by support after the customer read out a backup code
    [out_of_band] Two-factor reset by support after an identity check outside Keyward
    [operator_cli] Two-factor reset by support from the command line
   *[other] Two-factor reset by support
}: { $factors ->
    [one] { $factors } factor
   *[other] { $factors } factors
} and { $codes ->
    [one] { $codes } backup code
   *[other] { $codes } backup codes
} removed
staff-event-reset-refused = Support reset refused
staff-event-reported = The user reported activity they did not recognise ("this wasn't me")
staff-event-access-denied = Refused a staff page
staff-event-policy-changed = Security policy changed
staff-event-group-created = Group created
staff-event-group-created-named = Group created “{ $name }”
staff-event-group-deleted = Group deleted
staff-event-group-deleted-named = Group deleted “{ $name }”
staff-event-group-policy-changed = Group's security policy changed
staff-event-group-policy-changed-named = Group's security policy changed “{ $name }”
staff-event-member-added = Added to the group
staff-event-member-added-named = Added to the group “{ $name }”
staff-event-member-removed = Removed from the group
staff-event-member-removed-named = Removed from the group “{ $name }”
staff-event-account-created = Account created
staff-event-account-updated = Account details changed
staff-event-role-changed = Role changed
staff-event-role-changed-from = Role changed from { $before } to { $after }
staff-event-api-key-created = API key created
staff-event-yubikey-added = YubiKey added to the key store
staff-event-yubikeys-imported = { $count ->
    [one] { $count } YubiKey imported into the key store
   *[other] { $count } YubiKeys imported into the key store
}
staff-event-yubikeys-imported-some = YubiKeys imported into the key store
staff-event-yubikey-removed = YubiKey removed from the key store
staff-event-wsapi-client = YubiKey validation client created
staff-event-wsapi-verify = YubiKey code checked for a validation client
staff-event-cloned-key = Possible cloned security key: its counter did not increase
staff-reason-wrong-password = wrong password
staff-reason-no-match = the code did not match
staff-reason-replay = a code that was already used
staff-reason-overdue = the grace period to add a second factor is over
staff-reason-yubicloud-down = the YubiKey validation service did not answer
staff-reason-challenge = the security key's challenge expired or was used
staff-reason-bad-signature = the security key's signature was not valid
staff-reason-counter = the security key's counter went backwards
staff-reason-attestation = the security key's make is not trusted
staff-reason-backup-code = the backup code did not match
staff-reason-own-account = nobody can reset their own account
staff-reason-staff-account = a staff account needs the security team
staff-reason-too-many = too many wrong codes

## Notices, scripts and the way back

# Months written out, in the form used after a day number ("3 December 2026"), and such a date.
month-long-1 = January
month-long-2 = February
month-long-3 = March
month-long-4 = April
month-long-5 = May
month-long-6 = June
month-long-7 = July
month-long-8 = August
month-long-9 = September
month-long-10 = October
month-long-11 = November
month-long-12 = December
date-long = { $day } { $month } { $year }
# A name in quotation marks, and a list: $head is the names but the last, joined with ", ".
list-quoted = “{ $name }”
list-and = { $head } and { $last }

# The page that returns the browser to the application after a hand-off.
return-title = Returning to { $client }
return-done = Done. Taking you back to { $client }…
return-going = Taking you back to { $client }…
return-continue = Continue to { $client }

# What the pages' script says while a security key is added or used.
js-name-first = Give the key a name first.
js-touch-key = Touch or unlock your security key now.
js-key-no-answer = The security key did not respond, or the request was cancelled. Try again.
js-key-registered = This security key is already registered.
js-key-unsupported = This browser cannot use security keys. Try another browser, or choose another method.
js-failed = Something went wrong. Try again.
js-session-ended = Your session has ended. Sign in again.
js-page-expired = This page has expired. Reload it and try again.
js-too-many-attempts = Too many failed attempts. For your security, sign-in is paused: try again in a few minutes.
js-key-refused = Your security key's answer was not accepted. Try again.
js-key-policy = Your organisation's security policy does not accept this security key.
js-no-key = Your account has no security key. Choose another method.
# The first line of the downloaded backup codes file.
codes-file-header = { $issuer } backup codes. Each one signs you in once.

# Waits after too many attempts ($count: minutes).
wait-sign-ins = { $count ->
    [one] Too many failed sign-ins. Try again in { $count } minute, sign in from a browser you used before, or reset your password.
   *[other] Too many failed sign-ins. Try again in { $count } minutes, sign in from a browser you used before, or reset your password.
}
wait-network = { $count ->
    [one] Too many attempts from your network. Try again in { $count } minute.
   *[other] Too many attempts from your network. Try again in { $count } minutes.
}
wait-passwords = { $count ->
    [one] Too many wrong passwords. Try again in { $count } minute.
   *[other] Too many wrong passwords. Try again in { $count } minutes.
}
please-wait = Please wait

# Sign-in refused.
signin-confirm-first-title = Confirm your email address first
signin-confirm-first = Your account is not confirmed yet. We have mailed a confirmation link to { $account }: open it, then sign in again.
signin-overdue-title = Two-factor authentication is required
# $methods: the methods the policy accepts, e.g. "YubiKey, Security key".
signin-overdue = Your organisation requires a second factor ({ $methods }) for your account, and the time to add one ended on { $date }. Contact support to get access again.

# Sign-up and the mailed links ($count: hours or minutes, as the text says).
check-inbox-title = Check your inbox
signup-check-inbox = { $count ->
    [one] We have sent a message to { $email }. Open the link in it within { $count } hour to confirm your address, then sign in and add a second factor.
   *[other] We have sent a message to { $email }. Open the link in it within { $count } hours to confirm your address, then sign in and add a second factor.
}
signup-no-mail = No mail after a few minutes? Check your spam folder. If you already had an account with this address, the message tells you how to get back into it.
signup-email-missing = Enter your email address.
signup-email-invalid = This is not a valid email address. Check it for typos.
signup-closed-title = Sign-up is closed
signup-closed = Accounts on this server are created by its operators. Ask them for one.
forgot-check-inbox = { $count ->
    [one] If { $email } is the address of an account with a password, a link to choose a new password is on its way. It works once, for { $count } minute.
   *[other] If { $email } is the address of an account with a password, a link to choose a new password is on its way. It works once, for { $count } minutes.
}
forgot-no-mail = No mail after a few minutes? Check your spam folder, or ask again.
link-ask-again = Ask for a new link
link-sign-in-again = Sign in to get a new link
link-used = Each link works once. If you still need it, ask for a new one.
# $count: minutes, $hours: hours.
link-expired-password = A link to reset a password works for { $count } minutes (a link sent after a support reset for { $hours } hours). Ask for a new one.
link-expired-confirm = A confirmation link works for { $count } hours. Sign in with your email and password: we will send you a new one.
link-invalid = Open the link from the most recent mail exactly as it was sent: a newer link replaces the older ones.
confirm-wrong-password = That is not the password chosen when the account was created. If you did not create it, close this page: without the confirmation the account cannot be used.
confirm-done-title = Your address is confirmed
confirm-done = Thank you: { $account } is confirmed. Sign in with your email and password to add a second factor.

# Setting and changing the password.
password-set-title = Choose a new password
password-set-button = Set new password
password-set-hint-sign-out = Every device signed in to your account will be signed out.
password-set-hint-2fa = Two-factor authentication stays on: you will still need your second factor to sign in.
password-set-done-title = Your new password is set
password-set-done = Every device was signed out. Sign in with your new password.
password-set-done-2fa = Two-factor authentication is unchanged: you will still need your second factor. A confirmation email is on its way.
password-change-title = Change your password
password-change-hint = Every other device signed in to your account will be signed out.
password-mismatch = The two new passwords are not the same.
password-too-short = Password must be at least { $count } characters.
password-too-long = Password must be at most { $count } bytes.
password-current-wrong = The current password is not correct.
password-same = The new password is the one you have now: choose a different one.

# Adding a factor.
name-missing = Enter a name.
name-too-long = The name can be at most { $count } characters.
name-control-characters = The name cannot contain control characters.
placeholder-app = e.g. My Phone
placeholder-yubikey = e.g. Office YubiKey
setup-expired-after = { $count ->
    [one] Start again from your security settings: unfinished setups expire after { $count } minute.
   *[other] Start again from your security settings: unfinished setups expire after { $count } minutes.
}
no-such-setup = There is no such setup.
# $groups: the groups' names in quotation marks, as a list; $count: how many.
policy-no-common-key-model = No security key model is allowed by the security policies of your groups { $groups } together.
policy-not-allowed-groups = { $count ->
    [one] Not allowed by the security policy of your group { $groups }.
   *[other] Not allowed by the security policies of your groups { $groups }.
}
required-enroll-by = Your organisation requires two-factor authentication. Add one of the methods below by { $date } to keep access to your account.
second-step-hardware-only = { $client } asks for a hardware key here: touch your YubiKey or use your security key.
second-step-not-allowed = Your organisation's security policy does not accept this method any more. Use another second factor or a backup code.

# Refusals of a change to the second factors.
refused-method-not-allowed = Your organisation's security policy does not allow this method.
refused-last-compliant-factor = Your organisation requires two-factor authentication, and this is your last second factor its security policy accepts. Add another before you remove this one.
refused-factors-frozen = Changes to your second factors are frozen because you reported activity you did not recognise. Our support team will help you.
refused-new-password-first = You reported activity you did not recognise: choose a new password with the link we mailed to you before you add or change a second factor.
refused-confirm-address-first = Your email address is not confirmed yet: first open the confirmation link we mailed to you.
refused-yubikey-taken = This YubiKey is registered to another account.
refused-yubikey-yours = This YubiKey is already one of your second factors.
refused-already-active = This second factor is already active.
refused-no-room = Your account already has { $count } second factors and unfinished setups, as many as it can have. Remove one first.

# Pages a person reaches by mistake.
access-not-available = Not available
form-too-large-title = This form is too large
form-too-large = Go back and try again.
form-unreadable-title = This form could not be read
oidc-no-client = The request names no client (client_id is missing).
oidc-client-lookup = The client could not be looked up. Try again.
oidc-unknown-client = The client that sent you here is not known to this server.
oidc-redirect-unregistered = The redirect URI is not registered for this client.
