# Die Wörter von Keyward auf Deutsch (Übersetzung von locales/en/keyward.ftl; neue Sprache: docs/i18n.md).

## Dates

month-1 = Jan.
month-2 = Feb.
month-3 = März
month-4 = Apr.
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = Aug.
month-9 = Sept.
month-10 = Okt.
month-11 = Nov.
month-12 = Dez.
date = { $day }. { $month } { $year }
date-time = { $date }, { $time } UTC

## Layout

nav-label = Hauptmenü
nav-settings = Sicherheitseinstellungen
nav-support = Support-Konsole
nav-policy = Sicherheitsrichtlinie
nav-groups = Gruppen
nav-compliance = Compliance
nav-audit = Audit-Protokoll
role-support = Support
role-security = Sicherheit
sign-out = Abmelden
handoff-label = Woher Sie kommen
handoff-came-from = Sie kommen von { $client }.
handoff-back = Zurück zu { $client }
handoff-cancel = Abbrechen und zurück zu { $client }
language-label = Sprache
account-security = Kontosicherheit

## Sign-in

sign-in = Anmelden
sign-in-continue = Melden Sie sich mit Ihrem { $issuer }-Konto an, um mit { $client } fortzufahren.
field-email = E-Mail-Adresse
field-password = Passwort
forgot-link = Passwort vergessen?
new-here = Neu hier?
create-account-link = Konto erstellen
error-credentials = E-Mail-Adresse oder Passwort ist falsch.
forgot-title = Passwort zurücksetzen
forgot-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen; er funktioniert einmal und 30 Minuten lang.
forgot-send = Link senden
forgot-2fa-stays = Das Zurücksetzen des Passworts schaltet die Zwei-Faktor-Authentifizierung nicht ab: Zum Anmelden brauchen Sie weiterhin Ihren zweiten Faktor.
back-to-sign-in = Zurück zur Anmeldung
go-to-sign-in = Zur Anmeldung
signup-title = Konto erstellen
signup-button = Konto erstellen
have-account = Sie haben schon ein Konto?
password-length-hint = Mindestens 8 Zeichen.
confirm-title = E-Mail-Adresse bestätigen
confirm-intro = Bestätigen Sie, dass { $account } Ihre Adresse ist: Geben Sie das Passwort ein, das Sie beim Erstellen des Kontos gewählt haben. Melden Sie sich dann an und fügen Sie einen zweiten Faktor hinzu.
confirm-button = Adresse bestätigen
confirm-not-you = Wenn Sie kein Konto erstellt haben, schließen Sie diese Seite: Es passiert nichts, und das Konto wird gelöscht, sobald der Link abläuft.

## Second step

second-step-title = Zwei-Faktor-Authentifizierung
second-step-upgrade = Die Sicherheitsrichtlinie Ihrer Organisation akzeptiert Ihren zweiten Faktor nicht mehr. Bestätigen Sie ein letztes Mal damit (oder mit einem Backup-Code), dass Sie es sind, und fügen Sie dann einen neuen hinzu.
second-step-intro = Das Passwort stimmt. Bestätigen Sie jetzt mit einem Ihrer zweiten Faktoren, dass Sie es sind:
second-step-intro-handoff = Bestätigen Sie mit einem Ihrer zweiten Faktoren, dass Sie es sind, um mit { $client } fortzufahren:
second-step-intro-hardware = { $client } verlangt einen Hardware-Schlüssel: Bestätigen Sie mit Ihrem YubiKey oder Sicherheitsschlüssel, dass Sie es sind.
prompt-totp = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein
prompt-yubikey = Berühren Sie Ihren YubiKey
prompt-backup = Geben Sie einen Backup-Code ein
option-yubikey = Berühren Sie Ihren YubiKey (mit dem Cursor im Eingabefeld)
use-security-key = Sicherheitsschlüssel verwenden
option-backup = Einen Backup-Code verwenden
verify = Bestätigen
second-step-lost-device = Gerät verloren? Geben Sie einen Ihrer Backup-Codes in das Feld oben ein.
second-step-or-key = Oder mit Sicherheitsschlüssel
second-step-key-needs-js = Ein Sicherheitsschlüssel braucht JavaScript; geben Sie stattdessen einen Code ein.
second-step-paused = { $minutes ->
    [one] Zu viele falsche Codes. Zu Ihrer Sicherheit ist die Anmeldung pausiert: Versuchen Sie es in { $minutes } Minute erneut.
   *[other] Zu viele falsche Codes. Zu Ihrer Sicherheit ist die Anmeldung pausiert: Versuchen Sie es in { $minutes } Minuten erneut.
}
error-code = Der eingegebene Code stimmt nicht mit dem erwarteten überein. Scannen Sie den QR-Code erneut oder geben Sie den Code ein und versuchen Sie es noch einmal.

## Settings

settings-signed-in-as = Angemeldet als { $email }.
settings-reported = Sie haben Aktivitäten gemeldet, die Sie nicht kennen. Änderungen an Ihren zweiten Faktoren sind gesperrt, bis unser Support-Team Ihnen geholfen hat.
settings-factors = Zweite Faktoren
add-factor = Zweiten Faktor hinzufügen
settings-2fa-off = Die Zwei-Faktor-Authentifizierung ist aus: Zum Anmelden genügt Ihr Passwort.
settings-your-factors = Ihre zweiten Faktoren
col-name = Name
col-type = Typ
col-status = Status
col-added = Hinzugefügt
col-last-used = Zuletzt verwendet
col-actions = Aktionen
never = Nie
remove = Entfernen
remove-named = { $name } entfernen
status-active = Aktiv
status-pending = Ausstehend
settings-backup-codes = Backup-Codes
backup-codes-left = { $count ->
    [one] Noch { $count } Backup-Code übrig.
   *[other] Noch { $count } Backup-Codes übrig.
}
regenerate-codes = Neue Backup-Codes erstellen
settings-password = Passwort
password-last-changed = Zuletzt geändert am { $date }.
password-set-at-creation = Beim Erstellen des Kontos festgelegt.
change-password = Passwort ändern
notice-removed = Der Faktor wurde entfernt. Eine Bestätigung per E-Mail ist unterwegs.
notice-added = Der zweite Faktor ist aktiv. Eine Bestätigung per E-Mail ist unterwegs.
notice-password = Ihr Passwort wurde geändert und alle anderen Geräte wurden abgemeldet. Eine Bestätigung per E-Mail ist unterwegs.

## Adding a factor

add-intro = Wählen Sie, wie Sie beim Anmelden bestätigen, dass Sie es sind.
method-app = Authenticator-App
method-app-about = Google Authenticator, Duo Mobile, Authy oder eine andere App, die 6-stellige Codes anzeigt.
method-yubikey = YubiKey
method-yubikey-about = Ein YubiKey, der bei Berührung ein Einmalpasswort eingibt.
method-key = Sicherheitsschlüssel
method-key-about = Ein FIDO2-Sicherheitsschlüssel oder ein Passkey auf diesem Gerät.
not-allowed-policy = Von der Sicherheitsrichtlinie Ihrer Organisation nicht zugelassen.
required-replace = Die Sicherheitsrichtlinie Ihrer Organisation akzeptiert Ihren zweiten Faktor nicht mehr. Fügen Sie eine der folgenden Methoden hinzu, um fortzufahren.
back-to-settings = Zurück zu den Sicherheitseinstellungen
choose-another-method = Andere Methode wählen
name-device = Name des Geräts
add-yubikey-title = YubiKey hinzufügen
add-app-title = Authenticator-App hinzufügen
add-yubikey-button = YubiKey hinzufügen
continue = Weiter
yubikey-otp-hint = Setzen Sie den Cursor in dieses Feld und berühren Sie dann den goldenen Kontakt Ihres YubiKey.
totp-title = Authenticator-App einrichten
totp-step-open = Öffnen Sie Ihre Authenticator-App: Google Authenticator (auf „+“ tippen, dann „QR-Code scannen“), Duo Mobile („Hinzufügen“, dann „QR-Code verwenden“) oder Authy („+“, dann „QR-Code scannen“).
totp-step-scan = Scannen Sie den QR-Code unten. Falls das nicht geht, wählen Sie die Eingabe eines Einrichtungsschlüssels und tippen Sie den Schlüssel über dem Code ab.
totp-step-code = Geben Sie den 6-stelligen Code ein, den die App anzeigt.
totp-setup-key = Einrichtungsschlüssel
totp-account = Konto
totp-issuer = Aussteller
totp-qr-alt = QR-Code zum Einrichten Ihrer Authenticator-App
turn-on = Einschalten
setup-expired = Diese Einrichtung ist abgelaufen
setup-expired-again = Beginnen Sie in Ihren Sicherheitseinstellungen von vorn.
key-title = Sicherheitsschlüssel hinzufügen
key-name = Name des Schlüssels
key-name-placeholder = z. B. YubiKey 5C
key-hint = Drücken Sie die Schaltfläche und berühren oder entsperren Sie dann Ihren Sicherheitsschlüssel, wenn der Browser Sie dazu auffordert.
key-button = Schlüssel hinzufügen
key-needs-js = Sicherheitsschlüssel brauchen in diesem Browser JavaScript. Schalten Sie es ein oder wählen Sie eine andere Methode.
key-codes-intro = Falls Sie Ihren Schlüssel verlieren, meldet Sie jeder dieser Codes einmal an. Sie werden nur jetzt angezeigt.
backup-codes-title = Ihre Backup-Codes
backup-codes-heading = Backup-Codes sichern
backup-codes-intro = Falls Sie Ihr Gerät verlieren, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.
download-txt = Als .txt laden
print = Drucken
codes-saved = Ich habe die Codes gesichert
sudo-title = Passwort bestätigen
sudo-intro = Geben Sie zu Ihrer Sicherheit Ihr Passwort erneut ein, bevor Sie Ihre zweiten Faktoren ändern. In den nächsten 10 Minuten fragen wir nicht noch einmal.
error-password = Das Passwort ist falsch.
no-such-factor = Diesen Faktor haben Sie nicht.

## Passwords

password-for-account = Für das Konto { $account }.
field-current-password = Aktuelles Passwort
field-new-password = Neues Passwort
field-new-password-again = Neues Passwort wiederholen

## Messages

message-reference = Wenn das wieder passiert, nennen Sie dem Support diese Referenz:
not-found = Nicht gefunden
please-try-again = Bitte versuchen Sie es erneut
form-expired = Dieses Formular ist abgelaufen oder stammt nicht von dieser Website. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
change-not-possible = Diese Änderung ist nicht möglich
request-not-valid = Diese Anfrage ist ungültig
something-wrong = Etwas ist schiefgelaufen
something-wrong-body = Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.
yubikey-otp-refused = Dieses YubiKey-Einmalpasswort wurde nicht angenommen. Berühren Sie den Schlüssel erneut.
yubikey-service-down = Der YubiKey-Prüfdienst ist nicht erreichbar. Versuchen Sie es gleich noch einmal.
oidc-error-title = Dieser Link kann nicht verwendet werden
oidc-error-hint = Wenn das wieder passiert, wenden Sie sich an den Support der Anwendung: Die Weiterleitung zu { $issuer } ist nicht richtig eingerichtet.
oidc-expired = Diese Anmeldung ist bereits beendet oder hat zu lange gedauert. Kehren Sie zur Anwendung zurück, von der Sie kamen, und beginnen Sie neu.

## "This wasn't me"

report-ask-title = Waren Sie das nicht?
report-done-title = Ihr Konto ist gesichert
report-used-title = Dieser Link wurde bereits verwendet
report-expired-title = Dieser Link ist abgelaufen
report-invalid-title = Dieser Link ist ungültig
report-followed = Sie sind dem Link „Das war ich nicht“ aus einer Sicherheitsmitteilung zu { $account } gefolgt.
report-we-will = Wenn Sie diese Änderung nicht vorgenommen haben, sichern Sie Ihr Konto jetzt. Wir werden:
report-step-sign-out = Sie überall abmelden,
report-step-password = Ihr Passwort sperren,
report-step-freeze = Änderungen an Ihren Zwei-Faktor-Einstellungen einfrieren,
report-step-alert = unser Support-Team benachrichtigen, das sich bei Ihnen meldet.
report-button = Konto sichern
report-if-yours = Wenn die Änderung von Ihnen stammt, schließen Sie diese Seite: Solange Sie die Schaltfläche nicht drücken, passiert nichts.
report-done = Ihr Konto { $account } ist gesichert: Sie sind überall abgemeldet, Änderungen an Ihren Zwei-Faktor-Einstellungen sind eingefroren und unser Support-Team ist benachrichtigt.
report-done-next = Ihr Passwort funktioniert nicht mehr, daher kann sich niemand damit anmelden, der es kennt. Der Support meldet sich bei Ihnen, um den Zugang zu Ihren zweiten Faktoren wiederherzustellen; danach senden wir Ihnen einen Link, um ein neues Passwort zu wählen.
report-used = Dieser Link wurde bereits verwendet. Ihre Meldung ist erfasst; der Support ist benachrichtigt.
report-expired = Dieser Link ist abgelaufen: Links in Sicherheitsmitteilungen gelten 7 Tage. Wenn Sie weiterhin glauben, dass jemand anderes Ihr Konto geändert hat, wenden Sie sich an den Support.
report-invalid = Dieser Link ist ungültig. Öffnen Sie den Link aus der Sicherheitsmitteilung genau so, wie er gesendet wurde, oder wenden Sie sich an den Support.

## Mail

mail-hello = Guten Tag,
mail-label-account = Konto
mail-label-when = Wann
mail-label-from = IP-Adresse
mail-label-method = Methode
mail-label-device = Gerät
mail-label-reason = Grund
mail-label-agent = Support-Mitarbeiter
mail-report-heading = Waren Sie das nicht?
mail-report-body = Sagen Sie uns sofort Bescheid. Wir melden Sie überall ab, sperren Ihr Passwort, frieren Änderungen an Ihren Zwei-Faktor-Einstellungen ein und benachrichtigen unser Support-Team, das Ihnen hilft, ein neues Passwort festzulegen.
mail-report-button = Das war ich nicht
mail-report-expiry = Der Link funktioniert einmal und läuft in 7 Tagen ab.
mail-footer-notice = Dies ist eine automatische Sicherheitsmitteilung von { $issuer }. Wir fragen Sie nie per E-Mail nach Ihrem Passwort, Ihren Codes oder Backup-Codes.
mail-footer-message = Dies ist eine automatische Nachricht von { $issuer }. Wir fragen Sie nie per E-Mail nach Ihrem Passwort, Ihren Codes oder Backup-Codes.
mail-facts = { $method }, hinzugefügt am { $day } (ID endet auf { $tail })
mail-facts-yubikey = YubiKey { $public_id }, hinzugefügt am { $day } (ID endet auf { $tail })
mail-subject-enabled-first = Die Zwei-Faktor-Authentifizierung ist für Ihr { $issuer }-Konto eingeschaltet
mail-subject-enabled = Ihrem { $issuer }-Konto wurde ein neuer zweiter Faktor hinzugefügt
mail-subject-removed = Aus Ihrem { $issuer }-Konto wurde ein zweiter Faktor entfernt
mail-subject-regenerated = Für Ihr { $issuer }-Konto wurden neue Backup-Codes erstellt
mail-subject-used = Anmeldung bei Ihrem { $issuer }-Konto mit einem Backup-Code
mail-subject-lockout = Die Anmeldung bei Ihrem { $issuer }-Konto ist nach Fehlversuchen pausiert
mail-subject-support-reset = Der Support hat die Zwei-Faktor-Authentifizierung Ihres { $issuer }-Kontos zurückgesetzt
mail-subject-password-reset = Passwort Ihres { $issuer }-Kontos zurücksetzen
mail-subject-set-password = Wählen Sie ein neues Passwort für Ihr { $issuer }-Konto
mail-subject-confirm = Bestätigen Sie die E-Mail-Adresse Ihres neuen { $issuer }-Kontos
mail-subject-attempt = Sie haben bereits ein { $issuer }-Konto
mail-subject-password-was-reset = Das Passwort Ihres { $issuer }-Kontos wurde zurückgesetzt
mail-subject-password-changed = Das Passwort Ihres { $issuer }-Kontos wurde geändert
mail-enabled-first-heading = Zwei-Faktor-Authentifizierung ist eingeschaltet
mail-enabled-heading = Ein neuer zweiter Faktor wurde hinzugefügt
mail-enabled-first-body = Für Ihr { $issuer }-Konto ist die Zwei-Faktor-Authentifizierung jetzt eingeschaltet.
mail-enabled-body = Ihrem { $issuer }-Konto wurde ein neuer zweiter Faktor hinzugefügt.
mail-enabled-keep-codes = Bewahren Sie Ihre Backup-Codes sicher auf: Falls Sie dieses Gerät verlieren, meldet Sie jeder davon einmal an.
mail-removed-heading = Ein zweiter Faktor wurde entfernt
mail-removed-body = Aus Ihrem { $issuer }-Konto wurde ein zweiter Faktor entfernt.
mail-removed-none-left = Ihr Konto hat keinen zweiten Faktor mehr: Zum Anmelden genügt Ihr Passwort. Fügen Sie in Ihren Sicherheitseinstellungen wieder einen zweiten Faktor hinzu.
mail-regenerated-heading = Neue Backup-Codes wurden erstellt
mail-regenerated-body = Für Ihr { $issuer }-Konto wurden neue Backup-Codes erstellt. Ihre alten Backup-Codes funktionieren nicht mehr.
mail-regenerated-not-included = Die neuen Codes wurden einmal angezeigt, dort, wo sie erstellt wurden; diese E-Mail enthält sie nicht.
mail-used-heading = Ein Backup-Code wurde verwendet
mail-used-body = Bei Ihrem { $issuer }-Konto hat sich jemand mit einem Backup-Code angemeldet.
mail-used-left = Verbleibende Backup-Codes: { $count }
mail-used-low = Ihre Codes werden knapp: Erstellen Sie in Ihren Sicherheitseinstellungen neue Backup-Codes.
mail-lockout-heading = Anmeldung nach Fehlversuchen pausiert
mail-lockout-body = Nach mehreren falschen Zwei-Faktor-Codes ist die Anmeldung bei Ihrem { $issuer }-Konto bis { $until } pausiert. Bis dahin kann sich niemand anmelden, auch nicht mit dem richtigen Code.
mail-lockout-advice = Wenn diese Versuche nicht von Ihnen stammen, kennt jemand möglicherweise Ihr Passwort: Ändern Sie es.
mail-reset-heading = Der Support hat Ihre Zwei-Faktor-Authentifizierung zurückgesetzt
mail-reset-body = Unser Support-Team hat die Zwei-Faktor-Authentifizierung Ihres { $issuer }-Kontos zurückgesetzt. Alle Ihre zweiten Faktoren und Backup-Codes wurden entfernt und Sie wurden überall abgemeldet.
mail-reset-next = Melden Sie sich mit Ihrem Passwort an und fügen Sie wieder einen zweiten Faktor hinzu.
mail-password-reset-heading = Passwort zurücksetzen
mail-password-reset-body = { $minutes ->
    [one] Jemand möchte das Passwort Ihres { $issuer }-Kontos zurücksetzen. Wenn Sie das waren, wählen Sie innerhalb von { $minutes } Minute ein neues Passwort:
   *[other] Jemand möchte das Passwort Ihres { $issuer }-Kontos zurücksetzen. Wenn Sie das waren, wählen Sie innerhalb von { $minutes } Minuten ein neues Passwort:
}
mail-choose-password-button = Neues Passwort wählen
mail-password-reset-note = Der Link funktioniert einmal. Das Zurücksetzen des Passworts schaltet die Zwei-Faktor-Authentifizierung nicht ab: Zum Anmelden brauchen Sie weiterhin Ihren zweiten Faktor, und alle angemeldeten Geräte werden abgemeldet.
mail-password-reset-ignore = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.
mail-set-password-body = { $hours ->
    [one] Nach Ihrer Meldung unbekannter Aktivitäten funktioniert Ihr altes Passwort nicht mehr. Unser Support-Team hat die Zwei-Faktor-Authentifizierung Ihres Kontos zurückgesetzt. Wählen Sie innerhalb von { $hours } Stunde ein neues Passwort, melden Sie sich dann an und fügen Sie wieder einen zweiten Faktor hinzu:
   *[other] Nach Ihrer Meldung unbekannter Aktivitäten funktioniert Ihr altes Passwort nicht mehr. Unser Support-Team hat die Zwei-Faktor-Authentifizierung Ihres Kontos zurückgesetzt. Wählen Sie innerhalb von { $hours } Stunden ein neues Passwort, melden Sie sich dann an und fügen Sie wieder einen zweiten Faktor hinzu:
}
mail-set-password-note = Der Link funktioniert einmal. Bis Sie ihn verwenden, kann sich niemand mit einem Passwort bei Ihrem Konto anmelden oder ihm einen zweiten Faktor hinzufügen.
mail-confirm-heading = E-Mail-Adresse bestätigen
mail-confirm-body = { $hours ->
    [one] Willkommen bei { $issuer }. Bestätigen Sie innerhalb von { $hours } Stunde, dass diese Adresse Ihnen gehört:
   *[other] Willkommen bei { $issuer }. Bestätigen Sie innerhalb von { $hours } Stunden, dass diese Adresse Ihnen gehört:
}
mail-confirm-button = Adresse bestätigen
mail-confirm-note = Melden Sie sich dann an und fügen Sie einen zweiten Faktor hinzu. Wenn Sie kein Konto erstellt haben, ignorieren Sie diese E-Mail: Ohne Bestätigung kann das Konto nicht verwendet werden.
mail-attempt-heading = Sie haben bereits ein Konto
mail-attempt-body = Jemand hat versucht, mit dieser Adresse ein neues { $issuer }-Konto zu erstellen. Sie haben bereits eines, daher wurde nichts erstellt.
mail-attempt-sign-in = Wenn Sie das waren, melden Sie sich einfach an. Passwort vergessen?
mail-attempt-reset-link = Zurücksetzen
mail-attempt-ignore = Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Konto ist unverändert.
mail-changed-reset-heading = Ihr Passwort wurde zurückgesetzt
mail-changed-heading = Ihr Passwort wurde geändert
mail-changed-reset-body = Das Passwort Ihres { $issuer }-Kontos wurde über einen Link zurückgesetzt, den wir Ihnen gesendet haben. Alle bei Ihrem Konto angemeldeten Geräte wurden abgemeldet.
mail-changed-body = Das Passwort Ihres { $issuer }-Kontos wurde geändert. Alle anderen bei Ihrem Konto angemeldeten Geräte wurden abgemeldet.
mail-changed-factors-unchanged = Ihre zweiten Faktoren sind unverändert.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day }. { $month }
staff-for-example = z. B. { $example }
staff-second-factor = Zweiter Faktor
staff-role-name = { $role ->
    [customer] Kunde
    [support] Support
   *[security] Sicherheit
}
staff-actor = { $kind ->
    [user] Benutzer
    [support] Support
    [api_key] API-Schlüssel
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] Benutzer
    [support] Support
    [api_key] API-Schlüssel
   *[system] System
}
staff-required = Erforderlich
staff-not-required = Nicht erforderlich
staff-none = Keine
staff-any = Beliebig
staff-today = Heute
staff-col-key = Schlüssel
staff-col-rule = Regel
staff-col-in-force = Gilt
staff-col-from = Quelle
staff-col-when = Zeitpunkt
staff-col-when-utc = Zeitpunkt (UTC)
staff-col-event = Ereignis
staff-col-by = Akteur
staff-col-address = Adresse
staff-col-user = Benutzer
staff-col-details = Details
staff-col-members = Mitglieder
staff-col-policy = Richtlinie
staff-col-role = Rolle
staff-source-global = die globale Richtlinie
staff-source-group = die Gruppe „{ $name }“
staff-not-available = Nicht verfügbar
staff-refused-support = Die Support-Konsole ist nur für Mitarbeiter von Support und Sicherheit.
staff-refused-security = Das Audit-Protokoll ist nur für das Sicherheitsteam.

staff-find-label = Kunden per E-Mail-Adresse suchen
staff-find = Suchen
staff-no-customer = Kein Kunde hat diese E-Mail-Adresse.
staff-no-such-customer = Diesen Kunden gibt es nicht.
staff-customer-reported = Dieser Kunde hat Aktivitäten gemeldet, die er nicht kennt („Das war ich nicht“). Änderungen an seinen Faktoren sind bis zu einem Zurücksetzen gesperrt.
staff-role = Rolle: { $role }
staff-backup-codes-left = { $count ->
    [one] noch { $count } Backup-Code
   *[other] noch { $count } Backup-Codes
}
staff-factors = Faktoren
staff-no-factor = Kein zweiter Faktor.
staff-customer-factors = Die Faktoren des Kunden
staff-groups-and-policy = Gruppen und Richtlinie
staff-in-no-group = In keiner Gruppe: Es gilt die globale Richtlinie.
staff-groups-label = Gruppen:
staff-effective-policy-caption = Die wirksame Richtlinie des Kunden und woher jede Regel stammt
staff-rule-two-factor = Zwei-Faktor-Authentifizierung
staff-rule-methods = Erlaubte Methoden
staff-all-policies = alle Richtlinien zusammen
staff-not-allowed = Nicht erlaubt
staff-not-allowed-no-common-model = Nicht erlaubt: Die erlaubten Schlüsselmodelle haben nichts gemeinsam
staff-rule-uv = Benutzerverifizierung
staff-uv-value = { $uv ->
    [required] erforderlich
    [discouraged] nicht gewünscht
   *[preferred] bevorzugt
}
staff-rule-attestation = Attestierung
staff-rule-key-models = Modelle von Sicherheitsschlüsseln
staff-rule-days = Tage zum Einrichten
staff-timeline = Verlauf
staff-timeline-caption = Letzte Ereignisse dieses Kunden
staff-reset-title = Zwei-Faktor-Authentifizierung zurücksetzen
staff-reset-button = 2FA zurücksetzen
staff-reset-staff-only = { $role ->
    [support] Dies ist ein Support-Konto: Nur das Sicherheitsteam kann es zurücksetzen.
   *[security] Dies ist ein Konto des Sicherheitsteams: Nur das Sicherheitsteam kann es zurücksetzen.
}
staff-reset-hint = Entfernt alle Faktoren, Backup-Codes und Sitzungen dieses Kunden und benachrichtigt ihn per E-Mail. Prüfen Sie zuerst, wer er ist.
staff-reason = Grund
staff-identity-check = Identitätsprüfung
staff-check-backup-code = Der Kunde hat einen Backup-Code vorgelesen
staff-backup-code = Backup-Code
staff-check-out-of-band = Außerhalb von Keyward geprüft (Rückruf, Videoanruf, Ticket)
staff-check-reference = Referenz dieser Prüfung
staff-reset-done = Die Zwei-Faktor-Authentifizierung wurde zurückgesetzt. Der Kunde wurde per E-Mail benachrichtigt.
staff-reset-wrong-code = Der Backup-Code stimmte nicht: Es wurde nichts zurückgesetzt.
staff-nothing-reset = Es wurde nichts zurückgesetzt: { $reason }.

staff-chain-intact = { $count ->
    [one] Die Kette ist intakt: { $count } Ereignis geprüft, keines bearbeitet oder gelöscht.
   *[other] Die Kette ist intakt: { $count } Ereignisse geprüft, keines bearbeitet oder gelöscht.
}
staff-chain-broken-at = Die Kette ist bei Ereignis { $event } unterbrochen: { $problem }. Ereignisse wurden bearbeitet oder gelöscht; vergleichen Sie mit Ihren exportierten Kopien.
staff-chain-broken = Die Kette ist unterbrochen: { $problem }. Ereignisse wurden bearbeitet oder gelöscht; vergleichen Sie mit Ihren exportierten Kopien.
staff-filter-email = E-Mail-Adresse des Kunden
staff-filter-since = Von (UTC)
staff-filter-until = Bis (UTC)
staff-filter = Filtern
staff-export-jsonl = Als JSON Lines exportieren
staff-export-csv = Als CSV exportieren
staff-audit-caption = Audit-Ereignisse, neueste zuerst
staff-older-events = Ältere Ereignisse
staff-bad-time = { $field ->
    [since] Von
   *[until] Bis
}: Geben Sie eine Zeit wie { $example } an
staff-bad-email = E-Mail-Adresse des Kunden: keine gültige E-Mail-Adresse
staff-no-user-email = Kein Benutzer hat diese E-Mail-Adresse.
staff-cannot-export = Export nicht möglich

staff-policy-saved = Die Richtlinie wurde gespeichert und im Audit-Protokoll festgehalten.
staff-save-policy = Richtlinie speichern
staff-nothing-saved = Es wurde nichts gespeichert: { $reason }.
staff-require-two-factor = Zwei-Faktor-Authentifizierung verlangen
staff-grace-days = Tage, die Benutzern danach zum Einrichten bleiben
staff-methods-that-count = Zulässige Methoden
staff-hardware-only-hint = Nur Hardware-Schlüssel: YubiKey und Sicherheitsschlüssel, mit verpflichtender Attestierung.
staff-security-keys = Sicherheitsschlüssel
staff-uv-label = Benutzerverifizierung (PIN oder Biometrie am Schlüssel)
staff-uv-preferred = Bevorzugt
staff-uv-required = Erforderlich
staff-uv-discouraged = Nicht gewünscht (Berühren genügt)
staff-require-attestation = Attestierung verlangen (nur Schlüssel, die ihr Modell nachweisen)
staff-allowed-models = Erlaubte Modelle (keines angekreuzt: jedes Modell):
staff-other-aaguids = Weitere AAGUIDs, eine pro Zeile
staff-form-unknown-method = unbekannte Methode { $value }
staff-form-unknown-uv = unbekannte Benutzerverifizierung { $value }
staff-form-not-aaguid = { $value } ist keine AAGUID (UUID)
staff-form-grace-not-number = Die Frist muss eine ganze Zahl von Tagen sein

staff-groups-hint = Die Richtlinie einer Gruppe verschärft die ihrer Mitglieder: Jedes Mitglied erhält die strengste Kombination aus der globalen Richtlinie und den Richtlinien all seiner Gruppen.
staff-no-group = Noch keine Gruppe.
staff-delete-group-named = Gruppe { $name } löschen
staff-delete = Löschen
staff-new-group = Neue Gruppe
staff-create-group = Gruppe anlegen
staff-summary-no-policy = Keine Richtlinie: fügt nichts hinzu
staff-summary-two-factor = Zwei-Faktor-Pflicht
staff-summary-no-method = keine Methode
staff-summary-attestation = Attestierung erforderlich
staff-group-deleted = Die Gruppe wurde gelöscht; ihre Mitglieder gehören ihr nicht mehr an.
staff-group-created = Die Gruppe wurde angelegt. Legen Sie unten ihre Richtlinie und ihre Mitglieder fest.
staff-group-policy-saved = Die Richtlinie der Gruppe wurde gespeichert und im Audit-Protokoll festgehalten.
staff-group-policy-removed = Die Richtlinie der Gruppe wurde entfernt: Die Gruppe fügt der Richtlinie ihrer Mitglieder nichts hinzu.
staff-group-member-added = Der Benutzer wurde der Gruppe hinzugefügt.
staff-group-member-removed = Der Benutzer wurde aus der Gruppe entfernt.
staff-nothing-created = Es wurde nichts angelegt: { $reason }.
staff-nothing-changed = Es wurde nichts geändert: { $reason }.
staff-no-user-with-email = Kein Benutzer hat diese E-Mail-Adresse
staff-group-title = Gruppe { $name }
staff-group-heading = Gruppe „{ $name }“
staff-all-groups = Alle Gruppen
staff-group-has-policy = Mitglieder erhalten die strengste Kombination aus dieser Richtlinie, der globalen Richtlinie und den Richtlinien ihrer anderen Gruppen.
staff-group-no-policy = Diese Gruppe hat keine Richtlinie: Sie fügt der Richtlinie ihrer Mitglieder nichts hinzu. Speichern Sie das Formular, um ihr eine zu geben.
staff-save-group-policy = Gruppenrichtlinie speichern
staff-remove-group-policy = Gruppenrichtlinie entfernen
staff-no-member = Noch keine Mitglieder.
staff-remove-member-named = { $email } aus der Gruppe entfernen
staff-add-member-label = Benutzer per E-Mail-Adresse hinzufügen
staff-add-to-group = Hinzufügen
staff-delete-this-group = Diese Gruppe löschen

staff-refusal-group-exists = Eine Gruppe mit diesem Namen gibt es bereits
staff-refusal-group-name = Der Name muss 1 bis 100 Zeichen lang sein und darf keine Steuerzeichen enthalten
staff-refusal-no-group = Diese Gruppe gibt es nicht
staff-refusal-not-member = Dieser Benutzer ist nicht in dieser Gruppe
staff-refusal-no-user = Diesen Benutzer gibt es nicht
staff-refusal-groups-no-method = Nach dieser Änderung hätten Mitglieder der Gruppen { $groups } keine erlaubte Methode mehr
staff-refusal-member-no-method = In der Gruppe „{ $group }“ hätte dieser Benutzer keine erlaubte Methode mehr
staff-refusal-grace-range = Die Frist muss zwischen 0 und 3650 Tagen liegen
staff-refusal-no-method-allowed = Zwei-Faktor-Authentifizierung kann nicht verlangt werden, wenn keine Methode erlaubt ist
staff-refusal-too-many-aaguids = Höchstens 500 AAGUIDs sind möglich
staff-refusal-reason-empty = Geben Sie einen Grund an
staff-refusal-reason-long = Der Grund darf höchstens 500 Zeichen lang sein
staff-refusal-reason-control = Der Grund darf keine Steuerzeichen enthalten
staff-refusal-reference-empty = Geben Sie eine Referenz der Identitätsprüfung an
staff-refusal-reference-long = Die Referenz darf höchstens 200 Zeichen lang sein
staff-refusal-reference-control = Die Referenz darf keine Steuerzeichen enthalten
staff-refusal-own-account = Niemand kann die Zwei-Faktor-Authentifizierung des eigenen Kontos zurücksetzen: Bitten Sie eine Kollegin oder einen Kollegen
staff-refusal-staff-account = Nur das Sicherheitsteam kann die Zwei-Faktor-Authentifizierung eines Support- oder Sicherheitskontos zurücksetzen
staff-chain-edited = Sein Inhalt passt nicht zu seinem Hash (es wurde bearbeitet)
staff-chain-unlinked = Sein prev_hash ist nicht der Hash des Ereignisses davor (ein Ereignis wurde bearbeitet, eingefügt oder gelöscht)
staff-chain-no-heads = Die Kopfzeilen der Ketten fehlen
staff-chain-unknown-chains = Der neueste Prüfpunkt nennt Ketten, die das Protokoll nicht hat (die Kopfzeile einer Kette wurde gelöscht)

staff-compliance-heading = Einhaltung der Sicherheitsrichtlinie
staff-adoption-title = { $days ->
    [one] Zweite Faktoren am letzten Tag
   *[other] Zweite Faktoren in den letzten { $days } Tagen
}
staff-chart-note = Gezählt wird pro Benutzer: Wer eine Authenticator-App und einen Sicherheitsschlüssel hat, zählt bei beiden, daher können die Linien zusammen mehr ergeben als alle Benutzer. Ein als Sicherheitsschlüssel registrierter YubiKey zählt als Sicherheitsschlüssel; Backup-Codes werden nicht gezählt. Jeder Tag wird zu seinem Beginn gezählt (UTC), der heutige zum jetzigen Zeitpunkt.
staff-chart-gaps = { $count ->
    [one] Für { $count } Tag gibt es keine Aufzeichnung (kein Server lief); er erscheint als Lücke.
   *[other] Für { $count } Tage gibt es keine Aufzeichnung (kein Server lief); sie erscheinen als Lücken.
}
staff-chart-summary = { $days ->
    [one] Benutzer nach Art des zweiten Faktors am letzten Tag.
   *[other] Benutzer nach Art des zweiten Faktors in den letzten { $days } Tagen.
}
staff-chart-today = Heute haben von { $users ->
    [one] { $users } Benutzer
   *[other] { $users } Benutzern
} { $totp } eine Authenticator-App, { $yubikey } einen YubiKey, { $key } einen Sicherheitsschlüssel und { $none } keinen zweiten Faktor.
staff-no-second-factor = Kein zweiter Faktor
staff-all-users = Alle Benutzer
staff-axis-day = Tag (UTC)
staff-axis-users = Benutzer
staff-trend-caption = Benutzer nach Art des zweiten Faktors
staff-col-kind = Art
staff-col-change = Änderung
staff-every-day = Alle aufgezeichneten Tage
staff-daily-caption = Benutzer nach Art des zweiten Faktors, jeder aufgezeichnete Tag, neueste zuerst
staff-col-day = Tag
staff-col-app = App
staff-col-no-factor = Keiner
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Schlüssel
staff-col-all = Alle
staff-noncompliant-title = Benutzer, die die Richtlinie nicht erfüllen
staff-nothing-required = Die Richtlinie verlangt keine Zwei-Faktor-Authentifizierung (und auch keine Gruppenrichtlinie), daher erfüllen alle Benutzer sie.
staff-change-policy = Richtlinie ändern
staff-all-compliant = Jeder Benutzer hat einen zweiten Faktor, den die Richtlinie akzeptiert.
staff-noncompliant-count = { $count ->
    [one] { $count } Benutzer erfüllt die Richtlinie nicht.
   *[other] { $count } Benutzer erfüllen die Richtlinie nicht.
}
staff-judged-by-effective = { $days ->
    [one] Jeder wird nach seiner wirksamen Richtlinie beurteilt: der globalen Richtlinie zusammen mit den Richtlinien seiner Gruppen, deren Frist kürzer sein kann als die globale Frist von { $days } Tag.
   *[other] Jeder wird nach seiner wirksamen Richtlinie beurteilt: der globalen Richtlinie zusammen mit den Richtlinien seiner Gruppen, deren Frist kürzer sein kann als die globale Frist von { $days } Tagen.
}
staff-none-overdue = { $days ->
    [one] Noch niemand hat die Frist von { $days } Tag überschritten: Alle werden nach dem Passwort aufgefordert, einen zweiten Faktor hinzuzufügen.
   *[other] Noch niemand hat die Frist von { $days } Tagen überschritten: Alle werden nach dem Passwort aufgefordert, einen zweiten Faktor hinzuzufügen.
}
staff-none-overdue-groups = Noch niemand hat seine Frist überschritten: Alle werden nach dem Passwort aufgefordert, einen zweiten Faktor hinzuzufügen.
staff-overdue-count = { $count ->
    [one] { $count } Benutzer hat die Frist von { $days ->
        [one] { $days } Tag
       *[other] { $days } Tagen
    } überschritten: Die Anmeldung wird abgelehnt, bis der Support zurücksetzt; damit beginnt eine neue Frist.
   *[other] { $count } Benutzer haben die Frist von { $days ->
        [one] { $days } Tag
       *[other] { $days } Tagen
    } überschritten: Ihre Anmeldung wird abgelehnt, bis der Support sie zurücksetzt; damit beginnt eine neue Frist.
}
staff-overdue-groups = { $count ->
    [one] { $count } Benutzer hat seine Frist überschritten: Die Anmeldung wird abgelehnt, bis der Support zurücksetzt; damit beginnt eine neue Frist.
   *[other] { $count } Benutzer haben ihre Frist überschritten: Ihre Anmeldung wird abgelehnt, bis der Support sie zurücksetzt; damit beginnt eine neue Frist.
}
staff-noncompliant-caption = Benutzer ohne einen Faktor, den die Richtlinie akzeptiert, am längsten zuerst
staff-col-since = Nicht konform seit
staff-col-enroll-by = Einrichten bis
staff-col-not-accepted = Nicht akzeptierte Faktoren
staff-overdue = Überfällig
staff-overdue-since = (seit { $date })
staff-global-policy = Globale Richtlinie
staff-previous = Zurück
staff-next = Weiter
staff-api-hint = Dieselbe Liste: { $call } mit einem API-Schlüssel des Sicherheitsteams.

staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Registriert und angemeldet
staff-event-signed-in-password = Mit dem Passwort angemeldet
staff-event-signed-in-enrolled = Nach dem Hinzufügen eines zweiten Faktors angemeldet
staff-event-signed-in-with = { $method ->
    [totp] Mit einer Authenticator-App angemeldet
    [yubikey_otp] Mit einem YubiKey angemeldet
    [webauthn] Mit einem Sicherheitsschlüssel angemeldet
    [backup_code] Mit einem Backup-Code angemeldet
   *[other] Mit einem zweiten Faktor angemeldet
}
staff-event-asked-to-enroll = { $sentence }; zum Hinzufügen eines zweiten Faktors aufgefordert
staff-event-sudo-failed = Passwortbestätigung fehlgeschlagen
staff-event-sign-in-failed = Anmeldung fehlgeschlagen
staff-event-sign-in-refused = Anmeldung abgelehnt
staff-event-verified-with = { $method ->
    [totp] Mit einer Authenticator-App bestätigt
    [yubikey_otp] Mit einem YubiKey bestätigt
    [webauthn] Mit einem Sicherheitsschlüssel bestätigt
    [backup_code] Mit einem Backup-Code bestätigt
   *[other] Mit einem zweiten Faktor bestätigt
}
staff-event-verify-failed = Bestätigung fehlgeschlagen
staff-event-verify-refused = Bestätigung abgelehnt
staff-event-lockout-attempt = Versuch während einer Sperre abgelehnt
staff-event-locked-out = Nach zu vielen falschen Codes gesperrt
staff-event-codes-generated = Backup-Codes erstellt
staff-event-codes-replaced = Backup-Codes erstellt (die alten gelten nicht mehr)
staff-event-code-used = Backup-Code verwendet
staff-event-code-used-left = Backup-Code verwendet (noch { $count })
staff-event-mail-sent = Sicherheitsmitteilung gesendet
staff-event-mail-failed = Sicherheitsmitteilung nicht zustellbar
staff-event-mail-delayed = Sicherheitsmitteilung verzögert
staff-mail-about-enabled = Zwei-Faktor-Authentifizierung eingeschaltet
staff-mail-about-removed = zweiter Faktor entfernt
staff-mail-about-regenerated = neue Backup-Codes
staff-mail-about-code-used = Backup-Code verwendet
staff-mail-about-lockout = Anmeldung nach Fehlversuchen pausiert
staff-mail-about-reset = Zwei-Faktor-Authentifizierung vom Support zurückgesetzt
staff-event-started-adding = { $kind ->
    [totp] Hinzufügen einer Authenticator-App begonnen
    [yubikey_otp] Hinzufügen eines YubiKeys begonnen
    [webauthn] Hinzufügen eines Sicherheitsschlüssels begonnen
    [backup_code] Hinzufügen eines Backup-Codes begonnen
   *[other] Hinzufügen eines zweiten Faktors begonnen
}
staff-event-adding-failed = { $kind ->
    [totp] Hinzufügen einer Authenticator-App fehlgeschlagen
    [yubikey_otp] Hinzufügen eines YubiKeys fehlgeschlagen
    [webauthn] Hinzufügen eines Sicherheitsschlüssels fehlgeschlagen
    [backup_code] Hinzufügen eines Backup-Codes fehlgeschlagen
   *[other] Hinzufügen eines zweiten Faktors fehlgeschlagen
}
staff-event-factor-added = { $kind ->
    [totp] Authenticator-App hinzugefügt
    [yubikey_otp] YubiKey hinzugefügt
    [webauthn] Sicherheitsschlüssel hinzugefügt
    [backup_code] Backup-Code hinzugefügt
   *[other] Zweiter Faktor hinzugefügt
}
staff-event-factor-removed = { $kind ->
    [totp] Authenticator-App entfernt
    [yubikey_otp] YubiKey entfernt
    [webauthn] Sicherheitsschlüssel entfernt
    [backup_code] Backup-Code entfernt
   *[other] Zweiter Faktor entfernt
}
staff-event-factor-abandoned = { $kind ->
    [totp] Authenticator-App vor Abschluss der Einrichtung entfernt
    [yubikey_otp] YubiKey vor Abschluss der Einrichtung entfernt
    [webauthn] Sicherheitsschlüssel vor Abschluss der Einrichtung entfernt
    [backup_code] Backup-Code vor Abschluss der Einrichtung entfernt
   *[other] Zweiter Faktor vor Abschluss der Einrichtung entfernt
}
staff-event-reset = { $check ->
    [backup_code] Zwei-Faktor-Authentifizierung vom Support zurückgesetzt, nachdem der Kunde einen Backup-Code vorgelesen hat
    [out_of_band] Zwei-Faktor-Authentifizierung vom Support zurückgesetzt, nach einer Identitätsprüfung außerhalb von Keyward
    [operator_cli] Zwei-Faktor-Authentifizierung vom Support über die Kommandozeile zurückgesetzt
   *[other] Zwei-Faktor-Authentifizierung vom Support zurückgesetzt
}: { $factors ->
    [one] { $factors } Faktor
   *[other] { $factors } Faktoren
} und { $codes ->
    [one] { $codes } Backup-Code
   *[other] { $codes } Backup-Codes
} entfernt
staff-event-reset-refused = Zurücksetzen durch den Support abgelehnt
staff-event-reported = Der Benutzer hat Aktivitäten gemeldet, die er nicht kennt („Das war ich nicht“)
staff-event-access-denied = Zugriff auf eine Mitarbeiterseite verweigert
staff-event-policy-changed = Sicherheitsrichtlinie geändert
staff-event-group-created = Gruppe angelegt
staff-event-group-created-named = Gruppe „{ $name }“ angelegt
staff-event-group-deleted = Gruppe gelöscht
staff-event-group-deleted-named = Gruppe „{ $name }“ gelöscht
staff-event-group-policy-changed = Sicherheitsrichtlinie der Gruppe geändert
staff-event-group-policy-changed-named = Sicherheitsrichtlinie der Gruppe „{ $name }“ geändert
staff-event-member-added = Zur Gruppe hinzugefügt
staff-event-member-added-named = Zur Gruppe „{ $name }“ hinzugefügt
staff-event-member-removed = Aus der Gruppe entfernt
staff-event-member-removed-named = Aus der Gruppe „{ $name }“ entfernt
staff-event-account-created = Konto angelegt
staff-event-account-updated = Kontodaten geändert
staff-event-role-changed = Rolle geändert
staff-event-role-changed-from = Rolle geändert: { $before } → { $after }
staff-event-api-key-created = API-Schlüssel erstellt
staff-event-yubikey-added = YubiKey zum Schlüsselspeicher hinzugefügt
staff-event-yubikeys-imported = { $count ->
    [one] { $count } YubiKey in den Schlüsselspeicher importiert
   *[other] { $count } YubiKeys in den Schlüsselspeicher importiert
}
staff-event-yubikeys-imported-some = YubiKeys in den Schlüsselspeicher importiert
staff-event-yubikey-removed = YubiKey aus dem Schlüsselspeicher entfernt
staff-event-wsapi-client = Validierungsclient für YubiKeys angelegt
staff-event-wsapi-verify = YubiKey-Code für einen Validierungsclient geprüft
staff-event-cloned-key = Möglicherweise geklonter Sicherheitsschlüssel: Sein Zähler ist nicht gestiegen
staff-reason-wrong-password = falsches Passwort
staff-reason-no-match = Der Code stimmte nicht
staff-reason-replay = ein bereits verwendeter Code
staff-reason-overdue = Die Frist zum Hinzufügen eines zweiten Faktors ist abgelaufen
staff-reason-yubicloud-down = Der YubiKey-Validierungsdienst hat nicht geantwortet
staff-reason-challenge = Die Challenge des Sicherheitsschlüssels war abgelaufen oder schon verwendet
staff-reason-bad-signature = Die Signatur des Sicherheitsschlüssels war ungültig
staff-reason-counter = Der Zähler des Sicherheitsschlüssels ist zurückgegangen
staff-reason-attestation = Dem Modell des Sicherheitsschlüssels wird nicht vertraut
staff-reason-backup-code = Der Backup-Code stimmte nicht
staff-reason-own-account = Niemand kann das eigene Konto zurücksetzen
staff-reason-staff-account = Ein Mitarbeiterkonto braucht das Sicherheitsteam
staff-reason-too-many = zu viele falsche Codes

## Notices, scripts and the way back

month-long-1 = Januar
month-long-2 = Februar
month-long-3 = März
month-long-4 = April
month-long-5 = Mai
month-long-6 = Juni
month-long-7 = Juli
month-long-8 = August
month-long-9 = September
month-long-10 = Oktober
month-long-11 = November
month-long-12 = Dezember
date-long = { $day }. { $month } { $year }
list-quoted = „{ $name }“
list-and = { $head } und { $last }

return-title = Zurück zu { $client }
return-done = Fertig. Sie werden zu { $client } zurückgebracht…
return-going = Sie werden zu { $client } zurückgebracht…
return-continue = Weiter zu { $client }

js-name-first = Geben Sie dem Schlüssel zuerst einen Namen.
js-touch-key = Berühren oder entsperren Sie jetzt Ihren Sicherheitsschlüssel.
js-key-no-answer = Der Sicherheitsschlüssel hat nicht reagiert, oder die Anfrage wurde abgebrochen. Versuchen Sie es erneut.
js-key-registered = Dieser Sicherheitsschlüssel ist bereits registriert.
js-key-unsupported = Dieser Browser kann keine Sicherheitsschlüssel verwenden. Nehmen Sie einen anderen Browser oder wählen Sie eine andere Methode.
js-failed = Etwas ist schiefgelaufen. Versuchen Sie es erneut.
js-session-ended = Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.
js-page-expired = Diese Seite ist abgelaufen. Laden Sie sie neu und versuchen Sie es erneut.
js-too-many-attempts = Zu viele Fehlversuche. Zu Ihrer Sicherheit ist die Anmeldung pausiert: Versuchen Sie es in einigen Minuten erneut.
js-key-refused = Die Antwort Ihres Sicherheitsschlüssels wurde nicht angenommen. Versuchen Sie es erneut.
js-key-policy = Die Sicherheitsrichtlinie Ihrer Organisation akzeptiert diesen Sicherheitsschlüssel nicht.
js-no-key = Für Ihr Konto ist kein Sicherheitsschlüssel registriert. Wählen Sie eine andere Methode.
codes-file-header = Backup-Codes für { $issuer }. Jeder Code meldet Sie einmal an.

wait-sign-ins = { $count ->
    [one] Zu viele fehlgeschlagene Anmeldungen. Versuchen Sie es in { $count } Minute erneut, melden Sie sich in einem Browser an, den Sie schon verwendet haben, oder setzen Sie Ihr Passwort zurück.
   *[other] Zu viele fehlgeschlagene Anmeldungen. Versuchen Sie es in { $count } Minuten erneut, melden Sie sich in einem Browser an, den Sie schon verwendet haben, oder setzen Sie Ihr Passwort zurück.
}
wait-network = { $count ->
    [one] Zu viele Versuche aus Ihrem Netzwerk. Versuchen Sie es in { $count } Minute erneut.
   *[other] Zu viele Versuche aus Ihrem Netzwerk. Versuchen Sie es in { $count } Minuten erneut.
}
wait-passwords = { $count ->
    [one] Zu viele falsche Passwörter. Versuchen Sie es in { $count } Minute erneut.
   *[other] Zu viele falsche Passwörter. Versuchen Sie es in { $count } Minuten erneut.
}
please-wait = Bitte warten Sie

signin-confirm-first-title = Bestätigen Sie zuerst Ihre E-Mail-Adresse
signin-confirm-first = Ihr Konto ist noch nicht bestätigt. Wir haben einen Bestätigungslink an { $account } gesendet: Öffnen Sie ihn und melden Sie sich dann erneut an.
signin-overdue-title = Zwei-Faktor-Authentifizierung erforderlich
signin-overdue = Ihre Organisation verlangt für Ihr Konto einen zweiten Faktor ({ $methods }), und die Frist dafür ist am { $date } abgelaufen. Wenden Sie sich an den Support, um wieder Zugang zu erhalten.

check-inbox-title = Prüfen Sie Ihr Postfach
signup-check-inbox = { $count ->
    [one] Wir haben eine Nachricht an { $email } gesendet. Öffnen Sie den Link darin innerhalb von { $count } Stunde, um Ihre Adresse zu bestätigen; melden Sie sich dann an und fügen Sie einen zweiten Faktor hinzu.
   *[other] Wir haben eine Nachricht an { $email } gesendet. Öffnen Sie den Link darin innerhalb von { $count } Stunden, um Ihre Adresse zu bestätigen; melden Sie sich dann an und fügen Sie einen zweiten Faktor hinzu.
}
signup-no-mail = Nach einigen Minuten noch keine E-Mail? Sehen Sie im Spam-Ordner nach. Wenn Sie mit dieser Adresse schon ein Konto hatten, steht in der Nachricht, wie Sie wieder hineinkommen.
signup-email-missing = Geben Sie Ihre E-Mail-Adresse ein.
signup-email-invalid = Das ist keine gültige E-Mail-Adresse. Prüfen Sie sie auf Tippfehler.
signup-closed-title = Die Registrierung ist geschlossen
signup-closed = Konten auf diesem Server legen die Betreiber an. Bitten Sie sie um eines.
forgot-check-inbox = { $count ->
    [one] Wenn { $email } die Adresse eines Kontos mit Passwort ist, ist ein Link zum Wählen eines neuen Passworts unterwegs. Er funktioniert einmal, { $count } Minute lang.
   *[other] Wenn { $email } die Adresse eines Kontos mit Passwort ist, ist ein Link zum Wählen eines neuen Passworts unterwegs. Er funktioniert einmal, { $count } Minuten lang.
}
forgot-no-mail = Nach einigen Minuten noch keine E-Mail? Sehen Sie im Spam-Ordner nach oder fordern Sie den Link erneut an.
link-ask-again = Neuen Link anfordern
link-sign-in-again = Anmelden und neuen Link erhalten
link-used = Jeder Link funktioniert nur einmal. Wenn Sie ihn noch brauchen, fordern Sie einen neuen an.
link-expired-password = Ein Link zum Zurücksetzen des Passworts gilt { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
} (ein Link nach einem Zurücksetzen durch den Support { $hours ->
    [one] { $hours } Stunde
   *[other] { $hours } Stunden
}). Fordern Sie einen neuen an.
link-expired-confirm = Ein Bestätigungslink gilt { $count ->
    [one] { $count } Stunde
   *[other] { $count } Stunden
}. Melden Sie sich mit E-Mail-Adresse und Passwort an: Wir senden Ihnen einen neuen.
link-invalid = Öffnen Sie den Link aus der neuesten E-Mail genau so, wie er gesendet wurde: Ein neuerer Link ersetzt die älteren.
confirm-wrong-password = Das ist nicht das Passwort, das beim Erstellen des Kontos gewählt wurde. Wenn Sie das Konto nicht erstellt haben, schließen Sie diese Seite: Ohne Bestätigung kann das Konto nicht verwendet werden.
confirm-done-title = Ihre Adresse ist bestätigt
confirm-done = Vielen Dank: { $account } ist bestätigt. Melden Sie sich mit E-Mail-Adresse und Passwort an, um einen zweiten Faktor hinzuzufügen.

password-set-title = Neues Passwort wählen
password-set-button = Passwort festlegen
password-set-hint-sign-out = Alle bei Ihrem Konto angemeldeten Geräte werden abgemeldet.
password-set-hint-2fa = Die Zwei-Faktor-Authentifizierung bleibt eingeschaltet: Zum Anmelden brauchen Sie weiterhin Ihren zweiten Faktor.
password-set-done-title = Ihr neues Passwort ist festgelegt
password-set-done = Alle Geräte wurden abgemeldet. Melden Sie sich mit Ihrem neuen Passwort an.
password-set-done-2fa = Die Zwei-Faktor-Authentifizierung ist unverändert: Sie brauchen weiterhin Ihren zweiten Faktor. Eine Bestätigung per E-Mail ist unterwegs.
password-change-title = Passwort ändern
password-change-hint = Alle anderen bei Ihrem Konto angemeldeten Geräte werden abgemeldet.
password-mismatch = Die beiden neuen Passwörter stimmen nicht überein.
password-too-short = Das Passwort muss mindestens { $count } Zeichen lang sein.
password-too-long = Das Passwort darf höchstens { $count } Byte lang sein.
password-current-wrong = Das aktuelle Passwort ist falsch.
password-same = Das neue Passwort ist Ihr jetziges: Wählen Sie ein anderes.

name-missing = Geben Sie einen Namen ein.
name-too-long = Der Name darf höchstens { $count } Zeichen lang sein.
name-control-characters = Der Name darf keine Steuerzeichen enthalten.
placeholder-app = z. B. Mein Handy
placeholder-yubikey = z. B. YubiKey im Büro
setup-expired-after = { $count ->
    [one] Beginnen Sie in Ihren Sicherheitseinstellungen von vorn: Angefangene Einrichtungen verfallen nach { $count } Minute.
   *[other] Beginnen Sie in Ihren Sicherheitseinstellungen von vorn: Angefangene Einrichtungen verfallen nach { $count } Minuten.
}
no-such-setup = Diese Einrichtung gibt es nicht.
policy-no-common-key-model = Die Sicherheitsrichtlinien Ihrer Gruppen { $groups } lassen zusammen kein einziges Sicherheitsschlüssel-Modell zu.
policy-not-allowed-groups = { $count ->
    [one] Von der Sicherheitsrichtlinie Ihrer Gruppe { $groups } nicht zugelassen.
   *[other] Von den Sicherheitsrichtlinien Ihrer Gruppen { $groups } nicht zugelassen.
}
required-enroll-by = Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung. Fügen Sie bis zum { $date } eine der folgenden Methoden hinzu, um den Zugang zu Ihrem Konto zu behalten.
second-step-hardware-only = { $client } verlangt hier einen Hardware-Schlüssel: Berühren Sie Ihren YubiKey oder verwenden Sie Ihren Sicherheitsschlüssel.
second-step-not-allowed = Die Sicherheitsrichtlinie Ihrer Organisation akzeptiert diese Methode nicht mehr. Verwenden Sie einen anderen zweiten Faktor oder einen Backup-Code.

refused-method-not-allowed = Die Sicherheitsrichtlinie Ihrer Organisation lässt diese Methode nicht zu.
refused-last-compliant-factor = Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung, und dies ist Ihr letzter zweiter Faktor, den ihre Sicherheitsrichtlinie akzeptiert. Fügen Sie einen weiteren hinzu, bevor Sie diesen entfernen.
refused-factors-frozen = Änderungen an Ihren zweiten Faktoren sind gesperrt, weil Sie Aktivitäten gemeldet haben, die Sie nicht kennen. Unser Support-Team hilft Ihnen weiter.
refused-new-password-first = Sie haben Aktivitäten gemeldet, die Sie nicht kennen: Wählen Sie mit dem Link aus unserer E-Mail ein neues Passwort, bevor Sie einen zweiten Faktor hinzufügen oder ändern.
refused-confirm-address-first = Ihre E-Mail-Adresse ist noch nicht bestätigt: Öffnen Sie zuerst den Bestätigungslink aus unserer E-Mail.
refused-yubikey-taken = Dieser YubiKey ist für ein anderes Konto registriert.
refused-yubikey-yours = Dieser YubiKey ist bereits einer Ihrer zweiten Faktoren.
refused-already-active = Dieser zweite Faktor ist bereits aktiv.
refused-no-room = Ihr Konto hat bereits die Höchstzahl an zweiten Faktoren und angefangenen Einrichtungen ({ $count }). Entfernen Sie zuerst einen davon.

access-not-available = Nicht verfügbar
form-too-large-title = Dieses Formular ist zu groß
form-too-large = Gehen Sie zurück und versuchen Sie es erneut.
form-unreadable-title = Dieses Formular konnte nicht gelesen werden
oidc-no-client = Die Anfrage nennt keinen Client (client_id fehlt).
oidc-client-lookup = Der Client konnte nicht nachgeschlagen werden. Versuchen Sie es erneut.
oidc-unknown-client = Die Anwendung, die Sie hierher geschickt hat, ist diesem Server nicht bekannt.
oidc-redirect-unregistered = Diese Weiterleitungsadresse (Redirect-URI) ist für diesen Client nicht registriert.
