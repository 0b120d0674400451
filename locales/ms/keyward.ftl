# Perkataan Keyward dalam Bahasa Melayu (terjemahan locales/en/keyward.ftl; cara menambah bahasa: docs/i18n.md).

## Dates

month-1 = Jan
month-2 = Feb
month-3 = Mac
month-4 = Apr
month-5 = Mei
month-6 = Jun
month-7 = Jul
month-8 = Ogo
month-9 = Sep
month-10 = Okt
month-11 = Nov
month-12 = Dis
date = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC

## Layout

nav-label = Menu utama
nav-settings = Tetapan keselamatan
nav-support = Konsol sokongan
nav-policy = Dasar keselamatan
nav-groups = Kumpulan
nav-compliance = Pematuhan
nav-audit = Log audit
role-support = Sokongan
role-security = Keselamatan
sign-out = Log keluar
handoff-label = Dari mana anda datang
handoff-came-from = Anda datang ke sini dari { $client }.
handoff-back = Kembali ke { $client }
handoff-cancel = Batal dan kembali ke { $client }
language-label = Bahasa
account-security = Keselamatan akaun

## Sign-in

sign-in = Log masuk
sign-in-continue = Log masuk dengan akaun { $issuer } anda untuk meneruskan ke { $client }.
field-email = E-mel
field-password = Kata laluan
forgot-link = Lupa kata laluan?
new-here = Baru di sini?
create-account-link = Cipta akaun
error-credentials = E-mel atau kata laluan tidak betul.
forgot-title = Tetapkan semula kata laluan
forgot-intro = Masukkan alamat e-mel akaun anda. Kami akan menghantar pautan untuk memilih kata laluan baharu; pautan itu berfungsi sekali sahaja, selama 30 minit.
forgot-send = Hantar pautan
forgot-2fa-stays = Menetapkan semula kata laluan tidak mematikan pengesahan dua faktor: anda masih memerlukan faktor kedua untuk log masuk.
back-to-sign-in = Kembali ke log masuk
go-to-sign-in = Pergi ke log masuk
signup-title = Cipta akaun
signup-button = Cipta akaun
have-account = Sudah mempunyai akaun?
password-length-hint = Sekurang-kurangnya 8 aksara.
confirm-title = Sahkan alamat e-mel anda
confirm-intro = Sahkan bahawa { $account } ialah alamat anda: masukkan kata laluan yang anda pilih semasa mencipta akaun. Kemudian log masuk dan tambah faktor kedua.
confirm-button = Sahkan alamat saya
confirm-not-you = Jika anda tidak mencipta akaun, tutup halaman ini: tiada apa-apa berlaku, dan akaun itu akan dipadam apabila pautan tamat tempoh.

## Second step

second-step-title = Pengesahan dua faktor
second-step-upgrade = Dasar keselamatan organisasi anda tidak lagi menerima faktor kedua anda. Sahkan identiti anda dengannya (atau dengan kod sandaran) buat kali terakhir, kemudian tambah yang baharu.
second-step-intro = Kata laluan anda betul. Sekarang sahkan identiti anda dengan salah satu faktor kedua anda:
second-step-intro-handoff = Sahkan identiti anda dengan salah satu faktor kedua anda untuk meneruskan ke { $client }:
second-step-intro-hardware = { $client } meminta kunci perkakasan: sahkan identiti anda dengan YubiKey atau kunci keselamatan anda.
prompt-totp = Masukkan kod 6 digit daripada aplikasi pengesah anda
prompt-yubikey = Sentuh YubiKey anda
prompt-backup = Masukkan kod sandaran
option-yubikey = Sentuh YubiKey anda (dengan kursor di dalam medan)
use-security-key = Guna kunci keselamatan
option-backup = Guna kod sandaran
verify = Sahkan
second-step-lost-device = Peranti hilang? Masukkan salah satu kod sandaran anda dalam medan di atas.
second-step-or-key = Atau guna kunci keselamatan anda
second-step-key-needs-js = Kunci keselamatan memerlukan JavaScript; masukkan kod sebagai gantinya.
second-step-paused = { $minutes ->
   *[other] Terlalu banyak kod yang salah. Demi keselamatan anda, log masuk dijeda: cuba lagi dalam { $minutes } minit.
}
error-code = Kod yang anda masukkan tidak sepadan dengan yang dijangka. Imbas semula atau masukkan kod dan cuba lagi.

## Settings

settings-signed-in-as = Log masuk sebagai { $email }.
settings-reported = Anda telah melaporkan aktiviti yang tidak anda kenali. Perubahan pada faktor kedua anda dibekukan sehingga pasukan sokongan kami membantu anda.
settings-factors = Faktor kedua
add-factor = Tambah faktor kedua
settings-2fa-off = Pengesahan dua faktor dimatikan: log masuk hanya memerlukan kata laluan anda.
settings-your-factors = Faktor kedua anda
col-name = Nama
col-type = Jenis
col-status = Status
col-added = Ditambah
col-last-used = Kali terakhir digunakan
col-actions = Tindakan
never = Tidak pernah
remove = Buang
remove-named = Buang { $name }
status-active = Aktif
status-pending = Belum selesai
settings-backup-codes = Kod sandaran
backup-codes-left = { $count ->
   *[other] Tinggal { $count } kod sandaran.
}
regenerate-codes = Jana semula kod sandaran
settings-password = Kata laluan
password-last-changed = Kali terakhir ditukar pada { $date }.
password-set-at-creation = Ditetapkan semasa akaun dicipta.
change-password = Tukar kata laluan
notice-removed = Faktor telah dibuang. E-mel pengesahan sedang dihantar.
notice-added = Faktor kedua kini aktif. E-mel pengesahan sedang dihantar.
notice-password = Kata laluan anda telah ditukar dan semua peranti lain telah dilog keluar. E-mel pengesahan sedang dihantar.

## Adding a factor

add-intro = Pilih cara anda mahu mengesahkan identiti anda semasa log masuk.
method-app = Aplikasi pengesah
method-app-about = Google Authenticator, Duo Mobile, Authy atau aplikasi lain yang memaparkan kod 6 digit.
method-yubikey = YubiKey
method-yubikey-about = YubiKey yang menaip kata laluan sekali guna apabila anda menyentuhnya.
method-key = Kunci keselamatan
method-key-about = Kunci keselamatan FIDO2 atau kunci laluan (passkey) pada peranti ini.
not-allowed-policy = Tidak dibenarkan oleh dasar keselamatan organisasi anda.
required-replace = Dasar keselamatan organisasi anda tidak lagi menerima faktor kedua anda. Tambah salah satu kaedah di bawah untuk meneruskan.
back-to-settings = Kembali ke tetapan keselamatan
choose-another-method = Pilih kaedah lain
name-device = Namakan peranti ini
add-yubikey-title = Tambah YubiKey
add-app-title = Tambah aplikasi pengesah
add-yubikey-button = Tambah YubiKey
continue = Teruskan
yubikey-otp-hint = Letakkan kursor dalam medan ini, kemudian sentuh sesentuh emas pada YubiKey anda.
totp-title = Sediakan aplikasi pengesah anda
totp-step-open = Buka aplikasi pengesah anda: Google Authenticator (ketik +, kemudian "Imbas kod QR"), Duo Mobile (ketik "Tambah", kemudian "Guna kod QR") atau Authy (ketik +, kemudian "Imbas kod QR").
totp-step-scan = Imbas kod QR di bawah. Jika tidak dapat mengimbasnya, pilih untuk memasukkan kunci persediaan dan taip kunci yang dipaparkan di atas kod.
totp-step-code = Masukkan kod 6 digit yang dipaparkan oleh aplikasi.
totp-setup-key = Kunci persediaan
totp-account = Akaun
totp-issuer = Pengeluar
totp-qr-alt = Kod QR untuk menyediakan aplikasi pengesah anda
turn-on = Hidupkan
setup-expired = Persediaan ini telah tamat tempoh
setup-expired-again = Mula semula dari tetapan keselamatan anda.
key-title = Tambah kunci keselamatan
key-name = Namakan kunci ini
key-name-placeholder = cth. YubiKey 5C
key-hint = Tekan butang, kemudian sentuh atau buka kunci keselamatan anda apabila pelayar meminta.
key-button = Tambah kunci
key-needs-js = Kunci keselamatan memerlukan JavaScript dalam pelayar ini. Hidupkannya, atau pilih kaedah lain.
key-codes-intro = Jika kunci anda hilang, setiap kod ini membolehkan anda log masuk sekali. Kod ini hanya dipaparkan sekarang.
backup-codes-title = Kod sandaran anda
backup-codes-heading = Simpan kod sandaran anda
backup-codes-intro = Jika peranti anda hilang, setiap kod ini membolehkan anda log masuk sekali. Simpan di tempat yang selamat: kod ini hanya dipaparkan sekarang.
download-txt = Muat turun .txt
print = Cetak
codes-saved = Saya sudah simpan kod ini
sudo-title = Sahkan kata laluan anda
sudo-intro = Demi keselamatan anda, masukkan kata laluan sekali lagi sebelum menukar faktor kedua anda. Anda tidak akan ditanya lagi selama 10 minit.
error-password = Kata laluan tidak betul.
no-such-factor = Anda tiada faktor sedemikian.

## Passwords

password-for-account = Untuk akaun { $account }.
field-current-password = Kata laluan semasa
field-new-password = Kata laluan baharu
field-new-password-again = Ulang kata laluan baharu

## Messages

message-reference = Jika ini berulang, berikan rujukan ini kepada pasukan sokongan:
not-found = Tidak dijumpai
please-try-again = Sila cuba lagi
form-expired = Borang ini telah tamat tempoh atau bukan daripada laman ini. Kembali, muat semula halaman dan cuba lagi.
change-not-possible = Perubahan ini tidak dapat dibuat
request-not-valid = Permintaan ini tidak sah
something-wrong = Berlaku masalah
something-wrong-body = Berlaku masalah di pihak kami. Sila cuba lagi sebentar lagi.
yubikey-otp-refused = Kata laluan sekali guna YubiKey itu tidak diterima. Sentuh kunci sekali lagi.
yubikey-service-down = Perkhidmatan pengesahan YubiKey tidak tersedia. Cuba lagi sebentar lagi.
oidc-error-title = Pautan ini tidak boleh digunakan
oidc-error-hint = Jika ini berulang, maklumkan pasukan sokongan aplikasi tersebut: cara aplikasi itu menghantar anda ke { $issuer } tidak disediakan dengan betul.
oidc-expired = Log masuk ini sudah tamat atau mengambil masa terlalu lama. Kembali ke aplikasi asal anda dan mula semula.

## "This wasn't me"

report-ask-title = Bukan anda?
report-done-title = Akaun anda telah dilindungi
report-used-title = Pautan ini sudah digunakan
report-expired-title = Pautan ini telah tamat tempoh
report-invalid-title = Pautan ini tidak sah
report-followed = Anda mengikuti pautan "Ini bukan saya" daripada notis keselamatan tentang { $account }.
report-we-will = Jika anda tidak membuat perubahan itu, lindungi akaun anda sekarang. Kami akan:
report-step-sign-out = melog keluar anda di semua peranti,
report-step-password = menyekat kata laluan anda,
report-step-freeze = membekukan perubahan pada tetapan dua faktor anda,
report-step-alert = memaklumkan pasukan sokongan kami, yang akan menghubungi anda.
report-button = Lindungi akaun saya
report-if-yours = Jika perubahan itu dibuat oleh anda, tutup halaman ini: tiada apa-apa berlaku selagi anda tidak menekan butang.
report-done = Akaun anda { $account } telah dilindungi: anda dilog keluar di semua peranti, perubahan pada tetapan dua faktor anda dibekukan, dan pasukan sokongan kami telah dimaklumkan.
report-done-next = Kata laluan anda tidak lagi berfungsi, jadi sesiapa yang mengetahuinya tidak boleh log masuk. Pasukan sokongan akan menghubungi anda untuk memulihkan akses kepada faktor kedua anda; kemudian kami akan menghantar pautan untuk memilih kata laluan baharu.
report-used = Pautan ini sudah digunakan. Laporan anda telah direkodkan; pasukan sokongan telah dimaklumkan.
report-expired = Pautan ini telah tamat tempoh: pautan dalam notis keselamatan sah selama 7 hari. Jika anda masih percaya orang lain telah mengubah akaun anda, hubungi pasukan sokongan.
report-invalid = Pautan ini tidak sah. Buka pautan daripada notis keselamatan tepat seperti yang dihantar, atau hubungi pasukan sokongan.

## Mail

mail-hello = Salam sejahtera,
mail-label-account = Akaun
mail-label-when = Bila
mail-label-from = Alamat IP
mail-label-method = Kaedah
mail-label-device = Peranti
mail-label-reason = Sebab
mail-label-agent = Ejen sokongan
mail-report-heading = Bukan anda?
mail-report-body = Maklumkan kami dengan segera. Kami akan melog keluar anda di semua peranti, menyekat kata laluan anda, membekukan perubahan pada tetapan dua faktor anda dan memaklumkan pasukan sokongan kami, yang akan membantu anda menetapkan kata laluan baharu.
mail-report-button = Ini bukan saya
mail-report-expiry = Pautan ini berfungsi sekali sahaja dan tamat tempoh dalam 7 hari.
mail-footer-notice = Ini ialah notis keselamatan automatik daripada { $issuer }. Kami tidak pernah meminta kata laluan, kod atau kod sandaran anda melalui e-mel.
mail-footer-message = Ini ialah mesej automatik daripada { $issuer }. Kami tidak pernah meminta kata laluan, kod atau kod sandaran anda melalui e-mel.
mail-facts = { $method } ditambah pada { $day } (ID berakhir dengan { $tail })
mail-facts-yubikey = YubiKey { $public_id }, ditambah pada { $day } (ID berakhir dengan { $tail })
mail-subject-enabled-first = Pengesahan dua faktor dihidupkan untuk akaun { $issuer } anda
mail-subject-enabled = Faktor kedua baharu telah ditambah pada akaun { $issuer } anda
mail-subject-removed = Faktor kedua telah dibuang daripada akaun { $issuer } anda
mail-subject-regenerated = Kod sandaran baharu telah dicipta untuk akaun { $issuer } anda
mail-subject-used = Kod sandaran telah digunakan untuk log masuk ke akaun { $issuer } anda
mail-subject-lockout = Log masuk ke akaun { $issuer } anda dijeda selepas beberapa percubaan gagal
mail-subject-support-reset = Pasukan sokongan telah menetapkan semula pengesahan dua faktor pada akaun { $issuer } anda
mail-subject-password-reset = Tetapkan semula kata laluan akaun { $issuer } anda
mail-subject-set-password = Pilih kata laluan baharu untuk akaun { $issuer } anda
mail-subject-confirm = Sahkan alamat e-mel akaun { $issuer } baharu anda
mail-subject-attempt = Anda sudah mempunyai akaun { $issuer }
mail-subject-password-was-reset = Kata laluan akaun { $issuer } anda telah ditetapkan semula
mail-subject-password-changed = Kata laluan akaun { $issuer } anda telah ditukar
mail-enabled-first-heading = Pengesahan dua faktor dihidupkan
mail-enabled-heading = Faktor kedua baharu telah ditambah
mail-enabled-first-body = Pengesahan dua faktor kini dihidupkan untuk akaun { $issuer } anda.
mail-enabled-body = Faktor kedua baharu telah ditambah pada akaun { $issuer } anda.
mail-enabled-keep-codes = Simpan kod sandaran anda di tempat yang selamat: setiap satu membolehkan anda log masuk sekali jika peranti ini hilang.
mail-removed-heading = Faktor kedua telah dibuang
mail-removed-body = Faktor kedua telah dibuang daripada akaun { $issuer } anda.
mail-removed-none-left = Akaun anda tidak lagi mempunyai faktor kedua: log masuk hanya memerlukan kata laluan anda. Tambah faktor kedua semula dalam tetapan keselamatan anda.
mail-regenerated-heading = Kod sandaran baharu telah dicipta
mail-regenerated-body = Kod sandaran baharu telah dicipta untuk akaun { $issuer } anda. Kod sandaran lama anda tidak lagi berfungsi.
mail-regenerated-not-included = Kod baharu hanya dipaparkan sekali, di tempat ia dicipta; e-mel ini tidak mengandunginya.
mail-used-heading = Kod sandaran telah digunakan
mail-used-body = Kod sandaran telah digunakan untuk log masuk ke akaun { $issuer } anda.
mail-used-left = Baki kod sandaran: { $count }
mail-used-low = Kod anda hampir habis: cipta kod sandaran baharu dalam tetapan keselamatan anda.
mail-lockout-heading = Log masuk dijeda selepas percubaan gagal
mail-lockout-body = Selepas beberapa kod dua faktor yang salah, log masuk ke akaun { $issuer } anda dijeda sehingga { $until }. Tiada sesiapa boleh log masuk sehingga itu, walaupun dengan kod yang betul.
mail-lockout-advice = Jika percubaan ini bukan daripada anda, mungkin ada orang yang mengetahui kata laluan anda: tukarkannya.
mail-reset-heading = Pasukan sokongan telah menetapkan semula pengesahan dua faktor anda
mail-reset-body = Pasukan sokongan kami telah menetapkan semula pengesahan dua faktor pada akaun { $issuer } anda. Semua faktor kedua dan kod sandaran anda telah dibuang dan anda telah dilog keluar di semua peranti.
mail-reset-next = Log masuk dengan kata laluan anda dan tambah faktor kedua semula.
mail-password-reset-heading = Tetapkan semula kata laluan anda
mail-password-reset-body = Seseorang meminta untuk menetapkan semula kata laluan akaun { $issuer } anda. Jika itu anda, pilih kata laluan baharu dalam masa { $minutes } minit:
mail-choose-password-button = Pilih kata laluan baharu
mail-password-reset-note = Pautan ini berfungsi sekali sahaja. Menetapkan semula kata laluan tidak mematikan pengesahan dua faktor: anda masih memerlukan faktor kedua untuk log masuk, dan semua peranti yang log masuk ke akaun anda akan dilog keluar.
mail-password-reset-ignore = Jika anda tidak memintanya, abaikan e-mel ini: kata laluan anda kekal seperti sedia ada.
mail-set-password-body = Selepas laporan anda tentang aktiviti yang tidak dikenali, kata laluan lama anda tidak lagi berfungsi. Pasukan sokongan kami telah menetapkan semula pengesahan dua faktor akaun anda. Pilih kata laluan baharu dalam masa { $hours } jam, kemudian log masuk dan tambah faktor kedua semula:
mail-set-password-note = Pautan ini berfungsi sekali sahaja. Sehingga anda menggunakannya, tiada sesiapa boleh log masuk ke akaun anda dengan kata laluan atau menambah faktor kedua padanya.
mail-confirm-heading = Sahkan alamat e-mel anda
mail-confirm-body = Selamat datang ke { $issuer }. Sahkan dalam masa { $hours } jam bahawa alamat ini milik anda:
mail-confirm-button = Sahkan alamat saya
mail-confirm-note = Kemudian log masuk dan tambah faktor kedua. Jika anda tidak mencipta akaun, abaikan e-mel ini: tanpa pengesahan, akaun itu tidak boleh digunakan.
mail-attempt-heading = Anda sudah mempunyai akaun
mail-attempt-body = Seseorang cuba mencipta akaun { $issuer } baharu dengan alamat ini. Anda sudah mempunyai akaun, jadi tiada apa-apa dicipta.
mail-attempt-sign-in = Jika itu anda, log masuk sahaja. Lupa kata laluan?
mail-attempt-reset-link = Tetapkan semula
mail-attempt-ignore = Jika itu bukan anda, abaikan e-mel ini: akaun anda tidak berubah.
mail-changed-reset-heading = Kata laluan anda telah ditetapkan semula
mail-changed-heading = Kata laluan anda telah ditukar
mail-changed-reset-body = Kata laluan akaun { $issuer } anda telah ditetapkan semula dengan pautan yang kami hantar kepada anda. Semua peranti yang log masuk ke akaun anda telah dilog keluar.
mail-changed-body = Kata laluan akaun { $issuer } anda telah ditukar. Semua peranti lain yang log masuk ke akaun anda telah dilog keluar.
mail-changed-factors-unchanged = Faktor kedua anda tidak berubah.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day } { $month }
staff-for-example = cth. { $example }
staff-second-factor = Faktor kedua
staff-role-name = { $role ->
    [customer] pelanggan
    [support] sokongan
   *[security] keselamatan
}
staff-actor = { $kind ->
    [user] Pengguna
    [support] Sokongan
    [api_key] Kunci API
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] pengguna
    [support] sokongan
    [api_key] kunci API
   *[system] sistem
}
staff-required = Diwajibkan
staff-not-required = Tidak diwajibkan
staff-none = Tiada
staff-any = Mana-mana
staff-today = Hari ini
staff-col-key = Kunci
staff-col-rule = Peraturan
staff-col-in-force = Berkuat kuasa
staff-col-from = Sumber
staff-col-when = Bila
staff-col-when-utc = Bila (UTC)
staff-col-event = Peristiwa
staff-col-by = Oleh
staff-col-address = Alamat
staff-col-user = Pengguna
staff-col-details = Butiran
staff-col-members = Ahli
staff-col-policy = Dasar
staff-col-role = Peranan
staff-source-global = dasar global
staff-source-group = kumpulan “{ $name }”
staff-not-available = Tidak tersedia
staff-refused-support = Konsol sokongan hanya untuk kakitangan sokongan dan keselamatan.
staff-refused-security = Log audit hanya untuk pasukan keselamatan.

staff-find-label = Cari pelanggan melalui e-mel
staff-find = Cari
staff-no-customer = Tiada pelanggan dengan e-mel ini.
staff-no-such-customer = Pelanggan ini tidak wujud.
staff-customer-reported = Pelanggan ini telah melaporkan aktiviti yang tidak dikenalinya ("ini bukan saya"). Perubahan faktornya dibekukan sehingga ditetapkan semula.
staff-role = Peranan: { $role }
staff-backup-codes-left = { $count ->
   *[other] tinggal { $count } kod sandaran
}
staff-factors = Faktor
staff-no-factor = Tiada faktor kedua.
staff-customer-factors = Faktor pelanggan
staff-groups-and-policy = Kumpulan dan dasar
staff-in-no-group = Tiada dalam mana-mana kumpulan: dasar global terpakai.
staff-groups-label = Kumpulan:
staff-effective-policy-caption = Dasar berkesan pelanggan dan sumber setiap peraturan
staff-rule-two-factor = Pengesahan dua faktor
staff-rule-methods = Kaedah yang dibenarkan
staff-all-policies = semua dasar bersama
staff-not-allowed = Tidak dibenarkan
staff-not-allowed-no-common-model = Tidak dibenarkan: model kunci yang dibenarkan tiada satu pun yang sama
staff-rule-uv = Pengesahan pengguna
staff-uv-value = { $uv ->
    [required] diwajibkan
    [discouraged] tidak digalakkan
   *[preferred] diutamakan
}
staff-rule-attestation = Atestasi
staff-rule-key-models = Model kunci keselamatan
staff-rule-days = Hari untuk mendaftar
staff-timeline = Garis masa
staff-timeline-caption = Peristiwa terkini pelanggan ini
staff-reset-title = Tetapkan semula pengesahan dua faktor
staff-reset-button = Tetapkan semula 2FA
staff-reset-staff-only = { $role ->
    [support] Ini akaun sokongan: hanya pasukan keselamatan boleh menetapkannya semula.
   *[security] Ini akaun keselamatan: hanya pasukan keselamatan boleh menetapkannya semula.
}
staff-reset-hint = Membuang setiap faktor, kod sandaran dan sesi pelanggan ini dan menghantar e-mel kepadanya. Sahkan identitinya dahulu.
staff-reason = Sebab
staff-identity-check = Semakan identiti
staff-check-backup-code = Pelanggan telah membacakan kod sandaran
staff-backup-code = Kod sandaran
staff-check-out-of-band = Disemak di luar Keyward (panggilan balik, panggilan video, tiket)
staff-check-reference = Rujukan semakan tersebut
staff-reset-done = Pengesahan dua faktor telah ditetapkan semula. E-mel telah dihantar kepada pelanggan.
staff-reset-wrong-code = Kod sandaran tidak sepadan: tiada apa-apa yang ditetapkan semula.
staff-nothing-reset = Tiada apa-apa yang ditetapkan semula: { $reason }.

staff-chain-intact = { $count ->
   *[other] Rantaian utuh: { $count } peristiwa disemak, tiada yang diedit atau dipadam.
}
staff-chain-broken-at = Rantaian terputus pada peristiwa { $event }: { $problem }. Peristiwa telah diedit atau dipadam; bandingkan dengan salinan yang anda eksport.
staff-chain-broken = Rantaian terputus: { $problem }. Peristiwa telah diedit atau dipadam; bandingkan dengan salinan yang anda eksport.
staff-filter-email = E-mel pelanggan
staff-filter-since = Dari (UTC)
staff-filter-until = Hingga (UTC)
staff-filter = Tapis
staff-export-jsonl = Eksport JSON Lines
staff-export-csv = Eksport CSV
staff-audit-caption = Peristiwa audit, yang terbaru dahulu
staff-older-events = Peristiwa lebih lama
staff-bad-time = { $field ->
    [since] Dari
   *[until] Hingga
}: gunakan masa seperti { $example }
staff-bad-email = E-mel pelanggan: bukan alamat e-mel
staff-no-user-email = Tiada pengguna dengan e-mel ini.
staff-cannot-export = Tidak dapat dieksport

staff-policy-saved = Dasar telah disimpan dan direkodkan dalam log audit.
staff-save-policy = Simpan dasar
staff-nothing-saved = Tiada apa-apa yang disimpan: { $reason }.
staff-require-two-factor = Wajibkan pengesahan dua faktor
staff-grace-days = Bilangan hari untuk pengguna mendaftar selepas itu
staff-methods-that-count = Kaedah yang diterima
staff-hardware-only-hint = Kunci perkakasan sahaja: YubiKey dan kunci keselamatan, dengan atestasi diwajibkan.
staff-security-keys = Kunci keselamatan
staff-uv-label = Pengesahan pengguna (PIN atau biometrik pada kunci)
staff-uv-preferred = Diutamakan
staff-uv-required = Diwajibkan
staff-uv-discouraged = Tidak digalakkan (sentuhan sudah memadai)
staff-require-attestation = Wajibkan atestasi (hanya kunci yang membuktikan modelnya)
staff-allowed-models = Model yang dibenarkan (tiada yang ditanda: sebarang model):
staff-other-aaguids = AAGUID lain, satu setiap baris
staff-form-unknown-method = kaedah tidak dikenali { $value }
staff-form-unknown-uv = pengesahan pengguna tidak dikenali { $value }
staff-form-not-aaguid = { $value } bukan AAGUID (UUID)
staff-form-grace-not-number = tempoh mendaftar mestilah bilangan hari yang bulat

staff-groups-hint = Dasar kumpulan mengetatkan dasar ahlinya: setiap ahli mendapat gabungan paling ketat antara dasar global dan dasar semua kumpulannya.
staff-no-group = Belum ada kumpulan.
staff-delete-group-named = Padam kumpulan { $name }
staff-delete = Padam
staff-new-group = Kumpulan baharu
staff-create-group = Cipta kumpulan
staff-summary-no-policy = Tiada dasar: tidak menambah apa-apa
staff-summary-two-factor = Dua faktor diwajibkan
staff-summary-no-method = tiada kaedah
staff-summary-attestation = atestasi diwajibkan
staff-group-deleted = Kumpulan telah dipadam; ahlinya telah keluar daripadanya.
staff-group-created = Kumpulan telah dicipta. Tetapkan dasar dan ahlinya di bawah.
staff-group-policy-saved = Dasar kumpulan telah disimpan dan direkodkan dalam log audit.
staff-group-policy-removed = Dasar kumpulan telah dibuang: kumpulan ini tidak menambah apa-apa pada dasar ahlinya.
staff-group-member-added = Pengguna telah ditambah ke kumpulan.
staff-group-member-removed = Pengguna telah dikeluarkan daripada kumpulan.
staff-nothing-created = Tiada apa-apa yang dicipta: { $reason }.
staff-nothing-changed = Tiada apa-apa yang diubah: { $reason }.
staff-no-user-with-email = tiada pengguna dengan e-mel ini
staff-group-title = Kumpulan { $name }
staff-group-heading = Kumpulan “{ $name }”
staff-all-groups = Semua kumpulan
staff-group-has-policy = Ahli mendapat gabungan paling ketat antara dasar ini, dasar global dan dasar kumpulan lain mereka.
staff-group-no-policy = Kumpulan ini tiada dasar: ia tidak menambah apa-apa pada dasar ahlinya. Simpan borang untuk memberinya dasar.
staff-save-group-policy = Simpan dasar kumpulan
staff-remove-group-policy = Buang dasar kumpulan
staff-no-member = Belum ada ahli.
staff-remove-member-named = Keluarkan { $email } daripada kumpulan
staff-add-member-label = Tambah pengguna melalui e-mel
staff-add-to-group = Tambah ke kumpulan
staff-delete-this-group = Padam kumpulan ini

staff-refusal-group-exists = kumpulan dengan nama ini sudah wujud
staff-refusal-group-name = nama mestilah 1 hingga 100 aksara, tanpa aksara kawalan
staff-refusal-no-group = kumpulan ini tidak wujud
staff-refusal-not-member = pengguna ini tiada dalam kumpulan ini
staff-refusal-no-user = pengguna ini tidak wujud
staff-refusal-groups-no-method = perubahan ini akan menyebabkan ahli kumpulan { $groups } tiada kaedah yang dibenarkan
staff-refusal-member-no-method = menambah pengguna ini ke kumpulan “{ $group }” akan menyebabkannya tiada kaedah yang dibenarkan
staff-refusal-grace-range = tempoh mendaftar mestilah antara 0 dan 3650 hari
staff-refusal-no-method-allowed = pengesahan dua faktor tidak boleh diwajibkan tanpa sebarang kaedah yang dibenarkan
staff-refusal-too-many-aaguids = paling banyak 500 AAGUID
staff-refusal-reason-empty = nyatakan sebab
staff-refusal-reason-long = sebab mestilah tidak melebihi 500 aksara
staff-refusal-reason-control = sebab tidak boleh mengandungi aksara kawalan
staff-refusal-reference-empty = nyatakan rujukan semakan identiti
staff-refusal-reference-long = rujukan mestilah tidak melebihi 200 aksara
staff-refusal-reference-control = rujukan tidak boleh mengandungi aksara kawalan
staff-refusal-own-account = tiada sesiapa boleh menetapkan semula pengesahan dua faktor akaun sendiri: minta bantuan rakan sekerja
staff-refusal-staff-account = hanya pasukan keselamatan boleh menetapkan semula pengesahan dua faktor akaun sokongan atau keselamatan
staff-chain-edited = kandungannya tidak sepadan dengan hash-nya (ia telah diedit)
staff-chain-unlinked = prev_hash-nya bukan hash peristiwa sebelumnya (peristiwa telah diedit, disisipkan atau dipadam)
staff-chain-no-heads = baris kepala rantaian tiada
staff-chain-unknown-chains = titik semak terbaharu menamakan rantaian yang tiada dalam log (baris kepala sesuatu rantaian telah dipadam)

staff-compliance-heading = Pematuhan dasar keselamatan
staff-adoption-title = { $days ->
   *[other] Faktor kedua dalam { $days } hari yang lalu
}
staff-chart-note = Dikira mengikut pengguna: seseorang yang mempunyai aplikasi pengesah dan kunci keselamatan dikira dalam kedua-duanya, jadi jumlah garisan boleh melebihi bilangan semua pengguna. YubiKey yang didaftarkan sebagai kunci keselamatan dikira sebagai kunci keselamatan; kod sandaran tidak dikira. Setiap hari dikira pada permulaannya (UTC); hari ini dikira sekarang.
staff-chart-gaps = { $count ->
   *[other] { $count } hari tiada rekod (tiada pelayan berjalan) dan dipaparkan sebagai jurang.
}
staff-chart-summary = { $days ->
   *[other] Pengguna mengikut jenis faktor kedua dalam { $days } hari yang lalu.
}
staff-chart-today = Hari ini, daripada { $users } pengguna: { $totp } dengan aplikasi pengesah, { $yubikey } dengan YubiKey, { $key } dengan kunci keselamatan, { $none } tanpa faktor kedua.
staff-no-second-factor = Tiada faktor kedua
staff-all-users = Semua pengguna
staff-axis-day = Hari (UTC)
staff-axis-users = Pengguna
staff-trend-caption = Pengguna mengikut jenis faktor kedua
staff-col-kind = Jenis
staff-col-change = Perubahan
staff-every-day = Setiap hari yang direkodkan
staff-daily-caption = Pengguna mengikut jenis faktor kedua, setiap hari yang direkodkan, yang terbaru dahulu
staff-col-day = Hari
staff-col-app = Aplikasi
staff-col-no-factor = Tiada
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Kunci
staff-col-all = Semua
staff-noncompliant-title = Pengguna yang tidak mematuhi dasar
staff-nothing-required = Dasar ini tidak mewajibkan pengesahan dua faktor (begitu juga dasar mana-mana kumpulan), jadi setiap pengguna mematuhinya.
staff-change-policy = Ubah dasar
staff-all-compliant = Setiap pengguna mempunyai faktor kedua yang diterima oleh dasar.
staff-noncompliant-count = { $count ->
   *[other] { $count } pengguna tidak mematuhi dasar.
}
staff-judged-by-effective = Setiap pengguna dinilai mengikut dasar berkesannya: dasar global bersama dasar kumpulannya, yang tempoh mendaftarnya mungkin lebih pendek daripada { $days } hari dasar global.
staff-none-overdue = Belum ada yang melepasi tempoh mendaftar { $days } hari: setiap seorang diminta menambah faktor kedua selepas kata laluan.
staff-none-overdue-groups = Belum ada yang melepasi tempoh mendaftarnya: setiap seorang diminta menambah faktor kedua selepas kata laluan.
staff-overdue-count = { $count ->
   *[other] { $count } pengguna telah melepasi tempoh mendaftar { $days } hari: log masuk mereka ditolak sehingga pasukan sokongan menetapkan mereka semula, yang memberikan tempoh baharu.
}
staff-overdue-groups = { $count ->
   *[other] { $count } pengguna telah melepasi tempoh mendaftar mereka: log masuk mereka ditolak sehingga pasukan sokongan menetapkan mereka semula, yang memberikan tempoh baharu.
}
staff-noncompliant-caption = Pengguna tanpa faktor yang diterima oleh dasar, yang paling lama dahulu
staff-col-since = Tidak patuh sejak
staff-col-enroll-by = Mesti mendaftar sebelum
staff-col-not-accepted = Faktor tidak diterima
staff-overdue = Lewat
staff-overdue-since = (sejak { $date })
staff-global-policy = Dasar global
staff-previous = Sebelumnya
staff-next = Seterusnya
staff-api-hint = Senarai yang sama: { $call } dengan kunci API keselamatan.

staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Mendaftar dan log masuk
staff-event-signed-in-password = Log masuk dengan kata laluan
staff-event-signed-in-enrolled = Log masuk selepas menambah faktor kedua
staff-event-signed-in-with = { $method ->
    [totp] Log masuk dengan aplikasi pengesah
    [yubikey_otp] Log masuk dengan YubiKey
    [webauthn] Log masuk dengan kunci keselamatan
    [backup_code] Log masuk dengan kod sandaran
   *[other] Log masuk dengan faktor kedua
}
staff-event-asked-to-enroll = { $sentence }; diminta menambah faktor kedua
staff-event-sudo-failed = Pengesahan kata laluan gagal
staff-event-sign-in-failed = Log masuk gagal
staff-event-sign-in-refused = Log masuk ditolak
staff-event-verified-with = { $method ->
    [totp] Disahkan dengan aplikasi pengesah
    [yubikey_otp] Disahkan dengan YubiKey
    [webauthn] Disahkan dengan kunci keselamatan
    [backup_code] Disahkan dengan kod sandaran
   *[other] Disahkan dengan faktor kedua
}
staff-event-verify-failed = Pengesahan gagal
staff-event-verify-refused = Pengesahan ditolak
staff-event-lockout-attempt = Cubaan ditolak semasa sekatan
staff-event-locked-out = Disekat selepas terlalu banyak kod salah
staff-event-codes-generated = Kod sandaran dijana
staff-event-codes-replaced = Kod sandaran dijana (kod lama tidak lagi berfungsi)
staff-event-code-used = Kod sandaran digunakan
staff-event-code-used-left = Kod sandaran digunakan (tinggal { $count })
staff-event-mail-sent = Notis keselamatan dihantar
staff-event-mail-failed = Notis keselamatan tidak dapat dihantar
staff-event-mail-delayed = Notis keselamatan tertangguh
staff-mail-about-enabled = pengesahan dua faktor dihidupkan
staff-mail-about-removed = faktor kedua dibuang
staff-mail-about-regenerated = kod sandaran baharu
staff-mail-about-code-used = kod sandaran digunakan
staff-mail-about-lockout = log masuk dijeda selepas cubaan gagal
staff-mail-about-reset = pengesahan dua faktor ditetapkan semula oleh sokongan
staff-event-started-adding = { $kind ->
    [totp] Mula menambah aplikasi pengesah
    [yubikey_otp] Mula menambah YubiKey
    [webauthn] Mula menambah kunci keselamatan
    [backup_code] Mula menambah kod sandaran
   *[other] Mula menambah faktor kedua
}
staff-event-adding-failed = { $kind ->
    [totp] Gagal menambah aplikasi pengesah
    [yubikey_otp] Gagal menambah YubiKey
    [webauthn] Gagal menambah kunci keselamatan
    [backup_code] Gagal menambah kod sandaran
   *[other] Gagal menambah faktor kedua
}
staff-event-factor-added = { $kind ->
    [totp] Aplikasi pengesah ditambah
    [yubikey_otp] YubiKey ditambah
    [webauthn] Kunci keselamatan ditambah
    [backup_code] Kod sandaran ditambah
   *[other] Faktor kedua ditambah
}
staff-event-factor-removed = { $kind ->
    [totp] Aplikasi pengesah dibuang
    [yubikey_otp] YubiKey dibuang
    [webauthn] Kunci keselamatan dibuang
    [backup_code] Kod sandaran dibuang
   *[other] Faktor kedua dibuang
}
staff-event-factor-abandoned = { $kind ->
    [totp] Aplikasi pengesah dibuang sebelum persediaan selesai
    [yubikey_otp] YubiKey dibuang sebelum persediaan selesai
    [webauthn] Kunci keselamatan dibuang sebelum persediaan selesai
    [backup_code] Kod sandaran dibuang sebelum persediaan selesai
   *[other] Faktor kedua dibuang sebelum persediaan selesai
}
staff-event-reset = { $check ->
    [backup_code] Pengesahan dua faktor ditetapkan semula oleh sokongan selepas pelanggan membacakan kod sandaran
    [out_of_band] Pengesahan dua faktor ditetapkan semula oleh sokongan selepas semakan identiti di luar Keyward
    [operator_cli] Pengesahan dua faktor ditetapkan semula oleh sokongan melalui baris perintah
   *[other] Pengesahan dua faktor ditetapkan semula oleh sokongan
}: { $factors } faktor dan { $codes } kod sandaran dibuang
staff-event-reset-refused = Penetapan semula oleh sokongan ditolak
staff-event-reported = Pengguna melaporkan aktiviti yang tidak dikenalinya ("ini bukan saya")
staff-event-access-denied = Akses ke halaman kakitangan ditolak
staff-event-policy-changed = Dasar keselamatan diubah
staff-event-group-created = Kumpulan dicipta
staff-event-group-created-named = Kumpulan “{ $name }” dicipta
staff-event-group-deleted = Kumpulan dipadam
staff-event-group-deleted-named = Kumpulan “{ $name }” dipadam
staff-event-group-policy-changed = Dasar keselamatan kumpulan diubah
staff-event-group-policy-changed-named = Dasar keselamatan kumpulan “{ $name }” diubah
staff-event-member-added = Ditambah ke kumpulan
staff-event-member-added-named = Ditambah ke kumpulan “{ $name }”
staff-event-member-removed = Dikeluarkan daripada kumpulan
staff-event-member-removed-named = Dikeluarkan daripada kumpulan “{ $name }”
staff-event-account-created = Akaun dicipta
staff-event-account-updated = Butiran akaun diubah
staff-event-role-changed = Peranan diubah
staff-event-role-changed-from = Peranan diubah daripada { $before } kepada { $after }
staff-event-api-key-created = Kunci API dicipta
staff-event-yubikey-added = YubiKey ditambah ke stor kunci
staff-event-yubikeys-imported = { $count ->
   *[other] { $count } YubiKey diimport ke stor kunci
}
staff-event-yubikeys-imported-some = YubiKey diimport ke stor kunci
staff-event-yubikey-removed = YubiKey dibuang daripada stor kunci
staff-event-wsapi-client = Klien pengesahan YubiKey dicipta
staff-event-wsapi-verify = Kod YubiKey disemak untuk klien pengesahan
staff-event-cloned-key = Kemungkinan kunci keselamatan diklon: pembilangnya tidak bertambah
staff-reason-wrong-password = kata laluan salah
staff-reason-no-match = kod tidak sepadan
staff-reason-replay = kod yang sudah digunakan
staff-reason-overdue = tempoh untuk menambah faktor kedua telah tamat
staff-reason-yubicloud-down = perkhidmatan pengesahan YubiKey tidak menjawab
staff-reason-challenge = cabaran kunci keselamatan telah tamat tempoh atau sudah digunakan
staff-reason-bad-signature = tandatangan kunci keselamatan tidak sah
staff-reason-counter = pembilang kunci keselamatan berundur
staff-reason-attestation = model kunci keselamatan tidak dipercayai
staff-reason-backup-code = kod sandaran tidak sepadan
staff-reason-own-account = tiada sesiapa boleh menetapkan semula akaun sendiri
staff-reason-staff-account = akaun kakitangan memerlukan pasukan keselamatan
staff-reason-too-many = terlalu banyak kod salah

## Notices, scripts and the way back

month-long-1 = Januari
month-long-2 = Februari
month-long-3 = Mac
month-long-4 = April
month-long-5 = Mei
month-long-6 = Jun
month-long-7 = Julai
month-long-8 = Ogos
month-long-9 = September
month-long-10 = Oktober
month-long-11 = November
month-long-12 = Disember
date-long = { $day } { $month } { $year }
list-quoted = “{ $name }”
list-and = { $head } dan { $last }

return-title = Kembali ke { $client }
return-done = Selesai. Membawa anda kembali ke { $client }…
return-going = Membawa anda kembali ke { $client }…
return-continue = Teruskan ke { $client }

js-name-first = Namakan kunci ini dahulu.
js-touch-key = Sentuh atau buka kunci keselamatan anda sekarang.
js-key-no-answer = Kunci keselamatan tidak bertindak balas, atau permintaan telah dibatalkan. Cuba lagi.
js-key-registered = Kunci keselamatan ini sudah didaftarkan.
js-key-unsupported = Pelayar ini tidak boleh menggunakan kunci keselamatan. Cuba pelayar lain, atau pilih kaedah lain.
js-failed = Berlaku masalah. Cuba lagi.
js-session-ended = Sesi anda telah tamat. Log masuk semula.
js-page-expired = Halaman ini telah tamat tempoh. Muat semula halaman dan cuba lagi.
js-too-many-attempts = Terlalu banyak percubaan yang gagal. Demi keselamatan anda, log masuk dijeda: cuba lagi dalam beberapa minit.
js-key-refused = Jawapan kunci keselamatan anda tidak diterima. Cuba lagi.
js-key-policy = Dasar keselamatan organisasi anda tidak menerima kunci keselamatan ini.
js-no-key = Akaun anda tiada kunci keselamatan. Pilih kaedah lain.
codes-file-header = Kod sandaran { $issuer }. Setiap kod membolehkan anda log masuk sekali.

wait-sign-ins = Terlalu banyak log masuk yang gagal. Cuba lagi dalam { $count } minit, log masuk daripada pelayar yang pernah anda gunakan, atau tetapkan semula kata laluan anda.
wait-network = Terlalu banyak percubaan daripada rangkaian anda. Cuba lagi dalam { $count } minit.
wait-passwords = Terlalu banyak kata laluan yang salah. Cuba lagi dalam { $count } minit.
please-wait = Sila tunggu

signin-confirm-first-title = Sahkan alamat e-mel anda dahulu
signin-confirm-first = Akaun anda belum disahkan. Kami telah menghantar pautan pengesahan ke { $account }: bukanya, kemudian log masuk semula.
signin-overdue-title = Pengesahan dua faktor diwajibkan
signin-overdue = Organisasi anda mewajibkan faktor kedua ({ $methods }) untuk akaun anda, dan tempoh untuk menambahnya telah tamat pada { $date }. Hubungi pasukan sokongan untuk mendapatkan akses semula.

check-inbox-title = Semak peti masuk anda
signup-check-inbox = Kami telah menghantar mesej ke { $email }. Buka pautan di dalamnya dalam tempoh { $count } jam untuk mengesahkan alamat anda, kemudian log masuk dan tambah faktor kedua.
signup-no-mail = Tiada e-mel selepas beberapa minit? Semak folder spam anda. Jika anda sudah mempunyai akaun dengan alamat ini, mesej itu menerangkan cara untuk kembali ke akaun tersebut.
signup-email-missing = Masukkan alamat e-mel anda.
signup-email-invalid = Ini bukan alamat e-mel yang sah. Semak sama ada terdapat kesilapan taip.
signup-closed-title = Pendaftaran ditutup
signup-closed = Akaun pada pelayan ini dicipta oleh pengendalinya. Minta akaun daripada mereka.
forgot-check-inbox = Jika { $email } ialah alamat akaun yang mempunyai kata laluan, pautan untuk memilih kata laluan baharu sedang dihantar. Pautan itu berfungsi sekali sahaja, selama { $count } minit.
forgot-no-mail = Tiada e-mel selepas beberapa minit? Semak folder spam anda, atau minta sekali lagi.
link-ask-again = Minta pautan baharu
link-sign-in-again = Log masuk untuk pautan baharu
link-used = Setiap pautan berfungsi sekali sahaja. Jika anda masih memerlukannya, minta pautan baharu.
link-expired-password = Pautan untuk menetapkan semula kata laluan berfungsi selama { $count } minit (pautan yang dihantar selepas tetapan semula oleh pasukan sokongan, selama { $hours } jam). Minta pautan baharu.
link-expired-confirm = Pautan pengesahan berfungsi selama { $count } jam. Log masuk dengan e-mel dan kata laluan anda: kami akan menghantar pautan baharu.
link-invalid = Buka pautan daripada e-mel terkini tepat seperti yang dihantar: pautan yang lebih baharu menggantikan pautan yang lama.
confirm-wrong-password = Itu bukan kata laluan yang dipilih semasa akaun dicipta. Jika anda tidak menciptanya, tutup halaman ini: tanpa pengesahan, akaun itu tidak boleh digunakan.
confirm-done-title = Alamat anda telah disahkan
confirm-done = Terima kasih: { $account } telah disahkan. Log masuk dengan e-mel dan kata laluan anda untuk menambah faktor kedua.

password-set-title = Pilih kata laluan baharu
password-set-button = Tetapkan kata laluan
password-set-hint-sign-out = Semua peranti yang log masuk ke akaun anda akan dilog keluar.
password-set-hint-2fa = Pengesahan dua faktor kekal hidup: anda masih memerlukan faktor kedua untuk log masuk.
password-set-done-title = Kata laluan baharu anda telah ditetapkan
password-set-done = Semua peranti telah dilog keluar. Log masuk dengan kata laluan baharu anda.
password-set-done-2fa = Pengesahan dua faktor tidak berubah: anda masih memerlukan faktor kedua. E-mel pengesahan sedang dihantar.
password-change-title = Tukar kata laluan anda
password-change-hint = Semua peranti lain yang log masuk ke akaun anda akan dilog keluar.
password-mismatch = Kedua-dua kata laluan baharu tidak sama.
password-too-short = Kata laluan mestilah sekurang-kurangnya { $count } aksara.
password-too-long = Kata laluan tidak boleh melebihi { $count } bait.
password-current-wrong = Kata laluan semasa tidak betul.
password-same = Kata laluan baharu sama dengan kata laluan semasa anda: pilih yang lain.

name-missing = Masukkan nama.
name-too-long = Nama tidak boleh melebihi { $count } aksara.
name-control-characters = Nama tidak boleh mengandungi aksara kawalan.
placeholder-app = cth. Telefon Saya
placeholder-yubikey = cth. YubiKey Pejabat
setup-expired-after = Mula semula dari tetapan keselamatan anda: persediaan yang belum selesai tamat tempoh selepas { $count } minit.
no-such-setup = Persediaan itu tidak wujud.
policy-no-common-key-model = Dasar keselamatan kumpulan anda { $groups } tidak membenarkan sebarang model kunci keselamatan apabila digabungkan.
policy-not-allowed-groups = { $count ->
   *[other] Tidak dibenarkan oleh dasar keselamatan kumpulan anda { $groups }.
}
required-enroll-by = Organisasi anda mewajibkan pengesahan dua faktor. Tambah salah satu kaedah di bawah selewat-lewatnya pada { $date } untuk mengekalkan akses ke akaun anda.
second-step-hardware-only = { $client } meminta kunci perkakasan di sini: sentuh YubiKey anda atau guna kunci keselamatan anda.
second-step-not-allowed = Dasar keselamatan organisasi anda tidak lagi menerima kaedah ini. Guna faktor kedua yang lain atau kod sandaran.

refused-method-not-allowed = Dasar keselamatan organisasi anda tidak membenarkan kaedah ini.
refused-last-compliant-factor = Organisasi anda mewajibkan pengesahan dua faktor, dan ini ialah faktor kedua terakhir anda yang diterima oleh dasar keselamatannya. Tambah faktor lain sebelum membuang faktor ini.
refused-factors-frozen = Perubahan pada faktor kedua anda dibekukan kerana anda telah melaporkan aktiviti yang tidak anda kenali. Pasukan sokongan kami akan membantu anda.
refused-new-password-first = Anda telah melaporkan aktiviti yang tidak anda kenali: pilih kata laluan baharu dengan pautan yang kami hantar melalui e-mel sebelum menambah atau menukar faktor kedua.
refused-confirm-address-first = Alamat e-mel anda belum disahkan: buka pautan pengesahan yang kami hantar kepada anda dahulu.
refused-yubikey-taken = YubiKey ini didaftarkan pada akaun lain.
refused-yubikey-yours = YubiKey ini sudah menjadi salah satu faktor kedua anda.
refused-already-active = Faktor kedua ini sudah aktif.
refused-no-room = Akaun anda sudah mencapai had faktor kedua dan persediaan yang belum selesai ({ $count }). Buang satu dahulu.

access-not-available = Tidak tersedia
form-too-large-title = Borang ini terlalu besar
form-too-large = Kembali dan cuba lagi.
form-unreadable-title = Borang ini tidak dapat dibaca
oidc-no-client = Permintaan ini tidak menamakan klien (client_id tiada).
oidc-client-lookup = Klien tidak dapat dicari. Cuba lagi.
oidc-unknown-client = Aplikasi yang menghantar anda ke sini tidak dikenali oleh pelayan ini.
oidc-redirect-unregistered = URI ubah hala tidak didaftarkan untuk klien ini.
