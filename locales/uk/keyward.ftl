# Слова Keyward українською (переклад locales/en/keyward.ftl; як додати мову: docs/i18n.md).

## Dates

month-1 = січ.
month-2 = лют.
month-3 = бер.
month-4 = квіт.
month-5 = трав.
month-6 = черв.
month-7 = лип.
month-8 = серп.
month-9 = вер.
month-10 = жовт.
month-11 = лист.
month-12 = груд.
date = { $day } { $month } { $year } р.
date-time = { $date }, { $time } UTC

## Layout

nav-label = Головне меню
nav-settings = Налаштування безпеки
nav-support = Консоль підтримки
nav-policy = Політика безпеки
nav-groups = Групи
nav-compliance = Відповідність
nav-audit = Журнал аудиту
role-support = Підтримка
role-security = Безпека
sign-out = Вийти
handoff-label = Звідки ви прийшли
handoff-came-from = Ви перейшли сюди з { $client }.
handoff-back = Повернутися до { $client }
handoff-cancel = Скасувати й повернутися до { $client }
language-label = Мова
account-security = Безпека облікового запису

## Sign-in

sign-in = Увійти
sign-in-continue = Увійдіть в обліковий запис { $issuer }, щоб продовжити в { $client }.
field-email = Електронна пошта
field-password = Пароль
forgot-link = Забули пароль?
new-here = Уперше тут?
create-account-link = Створіть обліковий запис
error-credentials = Неправильна адреса електронної пошти або пароль.
forgot-title = Скидання пароля
forgot-intro = Введіть адресу електронної пошти вашого облікового запису. Ми надішлемо вам посилання для вибору нового пароля; воно діє один раз протягом 30 хвилин.
forgot-send = Надіслати посилання
forgot-2fa-stays = Скидання пароля не вимикає двофакторну автентифікацію: для входу вам і надалі знадобиться другий фактор.
back-to-sign-in = Назад до входу
go-to-sign-in = Перейти до входу
signup-title = Створення облікового запису
signup-button = Створити обліковий запис
have-account = Уже маєте обліковий запис?
password-length-hint = Щонайменше 8 символів.
confirm-title = Підтвердіть адресу електронної пошти
confirm-intro = Підтвердіть, що { $account } — ваша адреса: введіть пароль, який ви обрали під час створення облікового запису. Потім увійдіть і додайте другий фактор.
confirm-button = Підтвердити адресу
confirm-not-you = Якщо ви не створювали обліковий запис, просто закрийте цю сторінку: нічого не станеться, а обліковий запис буде видалено, коли спливе строк дії посилання.

## Second step

second-step-title = Двофакторна автентифікація
second-step-upgrade = Політика безпеки вашої організації більше не приймає ваш другий фактор. Підтвердьте свою особу за його допомогою (або резервним кодом) востаннє, потім додайте новий.
second-step-intro = Пароль правильний. Тепер підтвердьте, що це ви, за допомогою одного з ваших других факторів:
second-step-intro-handoff = Підтвердьте, що це ви, за допомогою одного з ваших других факторів, щоб продовжити в { $client }:
second-step-intro-hardware = { $client } запитує апаратний ключ: підтвердьте свою особу за допомогою YubiKey або ключа безпеки.
prompt-totp = Введіть 6-значний код із застосунку автентифікації
prompt-yubikey = Торкніться YubiKey
prompt-backup = Введіть резервний код
option-yubikey = Торкніться YubiKey (курсор має бути в полі введення)
use-security-key = Використати ключ безпеки
option-backup = Використати резервний код
verify = Перевірити
second-step-lost-device = Втратили пристрій? Введіть один із резервних кодів у поле вище.
second-step-or-key = Або використайте ключ безпеки
second-step-key-needs-js = Для ключа безпеки потрібен JavaScript; натомість введіть код.
second-step-paused = { $minutes ->
    [one] Забагато неправильних кодів. З міркувань безпеки вхід призупинено: спробуйте знову через { $minutes } хвилину.
    [few] Забагато неправильних кодів. З міркувань безпеки вхід призупинено: спробуйте знову через { $minutes } хвилини.
   *[other] Забагато неправильних кодів. З міркувань безпеки вхід призупинено: спробуйте знову через { $minutes } хвилин.
}
error-code = Введений код не збігся з очікуваним. Відскануйте QR-код повторно або введіть код і спробуйте ще раз.

## Settings

settings-signed-in-as = Ви увійшли як { $email }.
settings-reported = Ви повідомили про дії, яких не виконували. Зміни других факторів заблоковано, доки наша служба підтримки вам не допоможе.
settings-factors = Другі фактори
add-factor = Додати другий фактор
settings-2fa-off = Двофакторну автентифікацію вимкнено: для входу потрібен лише пароль.
settings-your-factors = Ваші другі фактори
col-name = Назва
col-type = Тип
col-status = Стан
col-added = Додано
col-last-used = Використано
col-actions = Дії
never = Ніколи
remove = Видалити
remove-named = Видалити { $name }
status-active = Активний
status-pending = Очікує
settings-backup-codes = Резервні коди
backup-codes-left = { $count ->
    [one] Залишився { $count } резервний код.
    [few] Залишилося { $count } резервні коди.
   *[other] Залишилося { $count } резервних кодів.
}
regenerate-codes = Створити нові коди
settings-password = Пароль
password-last-changed = Востаннє змінено { $date }.
password-set-at-creation = Задано під час створення облікового запису.
change-password = Змінити пароль
notice-removed = Фактор видалено. Лист із підтвердженням уже надіслано.
notice-added = Другий фактор активний. Лист із підтвердженням уже надіслано.
notice-password = Пароль змінено, на всіх інших пристроях виконано вихід. Лист із підтвердженням уже надіслано.

## Adding a factor

add-intro = Оберіть, як ви підтверджуватимете свою особу під час входу.
method-app = Застосунок автентифікації
method-app-about = Google Authenticator, Duo Mobile, Authy або інший застосунок із 6-значними кодами.
method-yubikey = YubiKey
method-yubikey-about = YubiKey, який вводить одноразовий пароль, коли ви його торкаєтеся.
method-key = Ключ безпеки
method-key-about = Ключ безпеки FIDO2 або ключ доступу (passkey) на цьому пристрої.
not-allowed-policy = Заборонено політикою безпеки вашої організації.
required-replace = Політика безпеки вашої організації більше не приймає ваш другий фактор. Щоб продовжити, додайте один зі способів нижче.
back-to-settings = Назад до налаштувань безпеки
choose-another-method = Обрати інший спосіб
name-device = Назва пристрою
add-yubikey-title = Додавання YubiKey
add-app-title = Додавання застосунку автентифікації
add-yubikey-button = Додати YubiKey
continue = Продовжити
yubikey-otp-hint = Поставте курсор у це поле, потім торкніться золотого контакту на YubiKey.
totp-title = Налаштування застосунку автентифікації
totp-step-open = Відкрийте застосунок автентифікації: Google Authenticator (торкніться «+», потім «Сканувати QR-код»), Duo Mobile («Додати», потім «Використати QR-код») або Authy («+», потім «Сканувати QR-код»).
totp-step-scan = Відскануйте QR-код нижче. Якщо не вдається, оберіть введення ключа налаштування та введіть ключ, показаний над кодом.
totp-step-code = Введіть 6-значний код, який показує застосунок.
totp-setup-key = Ключ налаштування
totp-account = Обліковий запис
totp-issuer = Видавець
totp-qr-alt = QR-код для налаштування застосунку автентифікації
turn-on = Увімкнути
setup-expired = Строк налаштування минув
setup-expired-again = Почніть знову в налаштуваннях безпеки.
key-title = Додавання ключа безпеки
key-name = Назва ключа
key-name-placeholder = напр. YubiKey 5C
key-hint = Натисніть кнопку, потім торкніться ключа безпеки або розблокуйте його, коли браузер попросить.
key-button = Додати ключ
key-needs-js = Для ключів безпеки в цьому браузері потрібен JavaScript. Увімкніть його або оберіть інший спосіб.
key-codes-intro = Якщо ви втратите ключ, кожен із цих кодів дозволить увійти один раз. Їх показано лише зараз.
backup-codes-title = Ваші резервні коди
backup-codes-heading = Збережіть резервні коди
backup-codes-intro = Якщо ви втратите пристрій, кожен із цих кодів дозволить увійти один раз. Зберігайте їх у надійному місці: їх показано лише зараз.
download-txt = Завантажити .txt
print = Друк
codes-saved = Коди збережено
sudo-title = Підтвердьте пароль
sudo-intro = З міркувань безпеки введіть пароль ще раз, перш ніж змінювати другі фактори. Протягом 10 хвилин повторно не питатимемо.
error-password = Неправильний пароль.
no-such-factor = У вас немає такого фактора.

## Passwords

password-for-account = Для облікового запису { $account }.
field-current-password = Поточний пароль
field-new-password = Новий пароль
field-new-password-again = Повторіть новий пароль

## Messages

message-reference = Якщо це повторюється, повідомте службі підтримки цей номер:
not-found = Не знайдено
please-try-again = Спробуйте ще раз
form-expired = Строк дії форми минув, або її надіслано не з цього сайту. Поверніться назад, оновіть сторінку й спробуйте знову.
change-not-possible = Ця зміна неможлива
request-not-valid = Неприпустимий запит
something-wrong = Щось пішло не так
something-wrong-body = У нас щось пішло не так. Спробуйте ще раз за хвилину.
yubikey-otp-refused = Одноразовий пароль YubiKey не прийнято. Торкніться ключа ще раз.
yubikey-service-down = Служба перевірки YubiKey недоступна. Спробуйте ще раз за хвилину.
oidc-error-title = Це посилання не можна використати
oidc-error-hint = Якщо це повторюється, повідомте службі підтримки застосунку: перехід до { $issuer } налаштовано неправильно.
oidc-expired = Цей вхід уже завершено або він тривав надто довго. Поверніться до застосунку, з якого прийшли, і почніть знову.

## "This wasn't me"

report-ask-title = Це були не ви?
report-done-title = Ваш обліковий запис захищено
report-used-title = Це посилання вже використано
report-expired-title = Строк дії посилання минув
report-invalid-title = Посилання недійсне
report-followed = Ви перейшли за посиланням «Це був не я» зі сповіщення безпеки для { $account }.
report-we-will = Якщо цю зміну зробили не ви, захистіть обліковий запис просто зараз. Ми:
report-step-sign-out = виконаємо вихід на всіх пристроях,
report-step-password = заблокуємо ваш пароль,
report-step-freeze = заморозимо зміни налаштувань двофакторної автентифікації,
report-step-alert = сповістимо службу підтримки — з вами зв’яжуться.
report-button = Захистити обліковий запис
report-if-yours = Якщо зміну зробили ви, просто закрийте сторінку: доки ви не натиснете кнопку, нічого не станеться.
report-done = Ваш обліковий запис { $account } захищено: вихід виконано на всіх пристроях, зміни двофакторної автентифікації заморожено, службу підтримки сповіщено.
report-done-next = Ваш пароль більше не діє, тож той, хто його знає, не зможе увійти. Служба підтримки зв’яжеться з вами, щоб відновити доступ до других факторів; потім ми надішлемо посилання для вибору нового пароля.
report-used = Це посилання вже використано. Ваше повідомлення записано, службу підтримки сповіщено.
report-expired = Строк дії посилання минув: посилання зі сповіщень безпеки діють 7 днів. Якщо ви й досі вважаєте, що обліковий запис змінив хтось інший, зверніться до служби підтримки.
report-invalid = Посилання недійсне. Відкрийте посилання зі сповіщення безпеки саме в тому вигляді, у якому його надіслано, або зверніться до служби підтримки.

## Mail

mail-hello = Вітаємо!
mail-label-account = Обліковий запис
mail-label-when = Коли
mail-label-from = З адреси
mail-label-method = Спосіб
mail-label-device = Пристрій
mail-label-reason = Причина
mail-label-agent = Співробітник підтримки
mail-report-heading = Це були не ви?
mail-report-body = Повідомте нам негайно. Ми виконаємо вихід на всіх пристроях, заблокуємо ваш пароль, заморозимо зміни налаштувань двофакторної автентифікації та сповістимо службу підтримки, яка допоможе задати новий пароль.
mail-report-button = Це був не я
mail-report-expiry = Посилання спрацьовує один раз і діє 7 днів.
mail-footer-notice = Це автоматичне сповіщення безпеки від { $issuer }. Ми ніколи не запитуємо поштою ваш пароль, коди чи резервні коди.
mail-footer-message = Це автоматичне повідомлення від { $issuer }. Ми ніколи не запитуємо поштою ваш пароль, коди чи резервні коди.
mail-facts = { $method }, додано { $day } (id закінчується на { $tail })
mail-facts-yubikey = YubiKey { $public_id }, додано { $day } (id закінчується на { $tail })
mail-subject-enabled-first = Двофакторну автентифікацію увімкнено для вашого облікового запису { $issuer }
mail-subject-enabled = До вашого облікового запису { $issuer } додано новий другий фактор
mail-subject-removed = З вашого облікового запису { $issuer } видалено другий фактор
mail-subject-regenerated = Для вашого облікового запису { $issuer } створено нові резервні коди
mail-subject-used = Для входу у ваш обліковий запис { $issuer } використано резервний код
mail-subject-lockout = Вхід у ваш обліковий запис { $issuer } призупинено після невдалих спроб
mail-subject-support-reset = Підтримка скинула двофакторну автентифікацію вашого облікового запису { $issuer }
mail-subject-password-reset = Скидання пароля облікового запису { $issuer }
mail-subject-set-password = Оберіть новий пароль для облікового запису { $issuer }
mail-subject-confirm = Підтвердьте адресу електронної пошти нового облікового запису { $issuer }
mail-subject-attempt = У вас уже є обліковий запис { $issuer }
mail-subject-password-was-reset = Пароль вашого облікового запису { $issuer } скинуто
mail-subject-password-changed = Пароль вашого облікового запису { $issuer } змінено
mail-enabled-first-heading = Двофакторну автентифікацію увімкнено
mail-enabled-heading = Додано новий другий фактор
mail-enabled-first-body = Для вашого облікового запису { $issuer } увімкнено двофакторну автентифікацію.
mail-enabled-body = До вашого облікового запису { $issuer } додано новий другий фактор.
mail-enabled-keep-codes = Зберігайте резервні коди в надійному місці: якщо ви втратите цей пристрій, кожен із них дозволить увійти один раз.
mail-removed-heading = Другий фактор видалено
mail-removed-body = З вашого облікового запису { $issuer } видалено другий фактор.
mail-removed-none-left = Ваш обліковий запис більше не має другого фактора: для входу потрібен лише пароль. Знову додайте другий фактор у налаштуваннях безпеки.
mail-regenerated-heading = Створено нові резервні коди
mail-regenerated-body = Для вашого облікового запису { $issuer } створено нові резервні коди. Старі резервні коди більше не діють.
mail-regenerated-not-included = Нові коди було показано один раз під час створення; у цьому листі їх немає.
mail-used-heading = Використано резервний код
mail-used-body = Для входу у ваш обліковий запис { $issuer } використано резервний код.
mail-used-left = Залишилося резервних кодів: { $count }
mail-used-low = Коди закінчуються: створіть нові резервні коди в налаштуваннях безпеки.
mail-lockout-heading = Вхід призупинено після невдалих спроб
mail-lockout-body = Після кількох неправильних кодів двофакторної автентифікації вхід у ваш обліковий запис { $issuer } призупинено до { $until }. До цього часу увійти неможливо, навіть із правильним кодом.
mail-lockout-advice = Якщо ці спроби робили не ви, можливо, хтось знає ваш пароль: змініть його.
mail-reset-heading = Підтримка скинула вашу двофакторну автентифікацію
mail-reset-body = Наша служба підтримки скинула двофакторну автентифікацію вашого облікового запису { $issuer }. Усі ваші другі фактори й резервні коди видалено, вихід виконано на всіх пристроях.
mail-reset-next = Увійдіть із паролем і знову додайте другий фактор.
mail-password-reset-heading = Скидання пароля
mail-password-reset-body = { $minutes ->
    [one] Надійшов запит на скидання пароля вашого облікового запису { $issuer }. Якщо це були ви, оберіть новий пароль протягом { $minutes } хвилини:
   *[other] Надійшов запит на скидання пароля вашого облікового запису { $issuer }. Якщо це були ви, оберіть новий пароль протягом { $minutes } хвилин:
}
mail-choose-password-button = Обрати новий пароль
mail-password-reset-note = Посилання спрацьовує один раз. Скидання пароля не вимикає двофакторну автентифікацію: для входу й надалі знадобиться другий фактор, а на всіх пристроях, де виконано вхід в обліковий запис, буде виконано вихід.
mail-password-reset-ignore = Якщо ви цього не запитували, просто проігноруйте лист: ваш пароль не зміниться.
mail-set-password-body = { $hours ->
    [one] Після вашого повідомлення про незнайомі дії старий пароль більше не діє. Служба підтримки скинула двофакторну автентифікацію вашого облікового запису. Оберіть новий пароль протягом { $hours } години, потім увійдіть і знову додайте другий фактор:
   *[other] Після вашого повідомлення про незнайомі дії старий пароль більше не діє. Служба підтримки скинула двофакторну автентифікацію вашого облікового запису. Оберіть новий пароль протягом { $hours } годин, потім увійдіть і знову додайте другий фактор:
}
mail-set-password-note = Посилання спрацьовує один раз. Доки ви ним не скористаєтеся, ніхто не зможе увійти в обліковий запис із паролем або додати до нього другий фактор.
mail-confirm-heading = Підтвердьте адресу електронної пошти
mail-confirm-body = { $hours ->
    [one] Ласкаво просимо до { $issuer }. Протягом { $hours } години підтвердьте, що ця адреса належить вам:
   *[other] Ласкаво просимо до { $issuer }. Протягом { $hours } годин підтвердьте, що ця адреса належить вам:
}
mail-confirm-button = Підтвердити адресу
mail-confirm-note = Потім увійдіть і додайте другий фактор. Якщо ви не створювали обліковий запис, проігноруйте цей лист: без підтвердження обліковим записом не можна користуватися.
mail-attempt-heading = У вас уже є обліковий запис
mail-attempt-body = Хтось спробував створити новий обліковий запис { $issuer } із цією адресою. У вас уже є обліковий запис, тому нічого не створено.
mail-attempt-sign-in = Якщо це були ви, просто увійдіть. Забули пароль?
mail-attempt-reset-link = Скиньте його
mail-attempt-ignore = Якщо це були не ви, проігноруйте лист: ваш обліковий запис не змінився.
mail-changed-reset-heading = Ваш пароль скинуто
mail-changed-heading = Ваш пароль змінено
mail-changed-reset-body = Пароль вашого облікового запису { $issuer } скинуто за посиланням, яке ми вам надіслали. На всіх пристроях, де було виконано вхід, виконано вихід.
mail-changed-body = Пароль вашого облікового запису { $issuer } змінено. На всіх інших пристроях, де було виконано вхід, виконано вихід.
mail-changed-factors-unchanged = Ваші другі фактори не змінилися.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day } { $month }
staff-for-example = наприклад, { $example }
staff-second-factor = Другий фактор
staff-role-name = { $role ->
    [customer] клієнт
    [support] підтримка
   *[security] безпека
}
staff-actor = { $kind ->
    [user] Користувач
    [support] Підтримка
    [api_key] API-ключ
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] користувач
    [support] підтримка
    [api_key] API-ключ
   *[system] система
}
staff-required = Потрібно
staff-not-required = Не потрібно
staff-none = Немає
staff-any = Будь-які
staff-today = Сьогодні
staff-col-key = Ключ
staff-col-rule = Правило
staff-col-in-force = Діє
staff-col-from = Джерело
staff-col-when = Коли
staff-col-when-utc = Коли (UTC)
staff-col-event = Подія
staff-col-by = Хто
staff-col-address = Адреса
staff-col-user = Користувач
staff-col-details = Подробиці
staff-col-members = Учасники
staff-col-policy = Політика
staff-col-role = Роль
staff-source-global = глобальна політика
staff-source-group = група «{ $name }»
staff-not-available = Недоступно
staff-refused-support = Консоль підтримки доступна лише співробітникам підтримки та служби безпеки.
staff-refused-security = Журнал аудиту доступний лише службі безпеки.

staff-find-label = Знайти клієнта за адресою електронної пошти
staff-find = Знайти
staff-no-customer = Клієнта з такою адресою не знайдено.
staff-no-such-customer = Такого клієнта немає.
staff-customer-reported = Клієнт повідомив про дії, яких не виконував («це був не я»). Зміни його факторів заблоковано до скидання.
staff-role = Роль: { $role }
staff-backup-codes-left = { $count ->
    [one] залишився { $count } резервний код
    [few] залишилося { $count } резервні коди
   *[other] залишилося { $count } резервних кодів
}
staff-factors = Фактори
staff-no-factor = Другого фактора немає.
staff-customer-factors = Фактори клієнта
staff-groups-and-policy = Групи та політика
staff-in-no-group = Не входить до жодної групи: діє глобальна політика.
staff-groups-label = Групи:
staff-effective-policy-caption = Чинна політика клієнта та джерело кожного правила
staff-rule-two-factor = Двофакторна автентифікація
staff-rule-methods = Дозволені методи
staff-all-policies = усі політики разом
staff-not-allowed = Не дозволено
staff-not-allowed-no-common-model = Не дозволено: дозволені моделі ключів не мають жодної спільної
staff-rule-uv = Перевірка користувача
staff-uv-value = { $uv ->
    [required] обов'язкова
    [discouraged] не потрібна
   *[preferred] бажана
}
staff-rule-attestation = Атестація
staff-rule-key-models = Моделі ключів безпеки
staff-rule-days = Днів на підключення
staff-timeline = Хронологія
staff-timeline-caption = Останні події клієнта
staff-reset-title = Скидання двофакторної автентифікації
staff-reset-button = Скинути 2FA
staff-reset-staff-only = { $role ->
    [support] Це обліковий запис співробітника підтримки: скинути його може лише служба безпеки.
   *[security] Це обліковий запис співробітника служби безпеки: скинути його може лише служба безпеки.
}
staff-reset-hint = Видаляє всі фактори, резервні коди та сеанси клієнта й надсилає йому лист. Спершу переконайтеся, що це справді він.
staff-reason = Причина
staff-identity-check = Перевірка особи
staff-check-backup-code = Клієнт продиктував резервний код
staff-backup-code = Резервний код
staff-check-out-of-band = Перевірено поза Keyward (зворотний дзвінок, відеодзвінок, заявка)
staff-check-reference = Посилання на цю перевірку
staff-reset-done = Двофакторну автентифікацію скинуто. Клієнту надіслано лист.
staff-reset-wrong-code = Резервний код не збігся: нічого не скинуто.
staff-nothing-reset = Нічого не скинуто: { $reason }.

staff-chain-intact = { $count ->
    [one] Ланцюжок цілий: перевірено { $count } подію, жодну не змінено й не видалено.
    [few] Ланцюжок цілий: перевірено { $count } події, жодну не змінено й не видалено.
   *[other] Ланцюжок цілий: перевірено { $count } подій, жодну не змінено й не видалено.
}
staff-chain-broken-at = Ланцюжок порушено на події { $event }: { $problem }. Події було змінено або видалено; порівняйте журнал з експортованими копіями.
staff-chain-broken = Ланцюжок порушено: { $problem }. Події було змінено або видалено; порівняйте журнал з експортованими копіями.
staff-filter-email = Адреса клієнта
staff-filter-since = Від (UTC)
staff-filter-until = До (UTC)
staff-filter = Застосувати
staff-export-jsonl = Експорт у JSON Lines
staff-export-csv = Експорт у CSV
staff-audit-caption = Події аудиту, спершу нові
staff-older-events = Давніші події
staff-bad-time = { $field ->
    [since] Поле «Від»
   *[until] Поле «До»
}: вкажіть час у форматі { $example }
staff-bad-email = Адреса клієнта: це не адреса електронної пошти
staff-no-user-email = Користувача з такою адресою не знайдено.
staff-cannot-export = Експорт неможливий

staff-policy-saved = Політику збережено й записано до журналу аудиту.
staff-save-policy = Зберегти політику
staff-nothing-saved = Нічого не збережено: { $reason }.
staff-require-two-factor = Вимагати двофакторну автентифікацію
staff-grace-days = Скільки днів після цього дається на підключення другого фактора
staff-methods-that-count = Допустимі методи
staff-hardware-only-hint = Лише апаратні ключі: YubiKey і ключ безпеки з обов'язковою атестацією.
staff-security-keys = Ключі безпеки
staff-uv-label = Перевірка користувача (PIN-код або біометрія на ключі)
staff-uv-preferred = Бажана
staff-uv-required = Обов'язкова
staff-uv-discouraged = Не потрібна (достатньо дотику)
staff-require-attestation = Вимагати атестацію (лише ключі, що підтверджують свою модель)
staff-allowed-models = Дозволені моделі (якщо нічого не позначено — будь-які):
staff-other-aaguids = Інші AAGUID, по одному в рядку
staff-form-unknown-method = невідомий метод { $value }
staff-form-unknown-uv = невідомий режим перевірки користувача { $value }
staff-form-not-aaguid = { $value } — не AAGUID (UUID)
staff-form-grace-not-number = строк на підключення має бути цілим числом днів

staff-groups-hint = Політика групи посилює політику її учасників: кожен отримує найсуворіше поєднання глобальної політики та політик усіх своїх груп.
staff-no-group = Груп ще немає.
staff-delete-group-named = Видалити групу { $name }
staff-delete = Видалити
staff-new-group = Нова група
staff-create-group = Створити групу
staff-summary-no-policy = Без політики: нічого не додає
staff-summary-two-factor = Другий фактор обов'язковий
staff-summary-no-method = немає методів
staff-summary-attestation = атестація обов'язкова
staff-group-deleted = Групу видалено; її учасників із неї виключено.
staff-group-created = Групу створено. Задайте нижче її політику та учасників.
staff-group-policy-saved = Політику групи збережено й записано до журналу аудиту.
staff-group-policy-removed = Політику групи видалено: група нічого не додає до політики своїх учасників.
staff-group-member-added = Користувача додано до групи.
staff-group-member-removed = Користувача виключено з групи.
staff-nothing-created = Нічого не створено: { $reason }.
staff-nothing-changed = Нічого не змінено: { $reason }.
staff-no-user-with-email = користувача з такою адресою не знайдено
staff-group-title = Група { $name }
staff-group-heading = Група «{ $name }»
staff-all-groups = Усі групи
staff-group-has-policy = Учасники отримують найсуворіше поєднання цієї політики, глобальної політики та політик інших своїх груп.
staff-group-no-policy = Ця група не має політики: вона нічого не додає до політики учасників. Збережіть форму, щоб задати політику.
staff-save-group-policy = Зберегти політику групи
staff-remove-group-policy = Видалити політику групи
staff-no-member = Учасників ще немає.
staff-remove-member-named = Виключити { $email } з групи
staff-add-member-label = Додати користувача за адресою електронної пошти
staff-add-to-group = Додати до групи
staff-delete-this-group = Видалити цю групу

staff-refusal-group-exists = група з такою назвою вже існує
staff-refusal-group-name = назва має містити від 1 до 100 символів і не містити керівних символів
staff-refusal-no-group = такої групи немає
staff-refusal-not-member = цей користувач не входить до цієї групи
staff-refusal-no-user = такого користувача немає
staff-refusal-groups-no-method = після цієї зміни учасники груп { $groups } не матимуть жодного дозволеного методу
staff-refusal-member-no-method = після додавання до групи «{ $group }» цей користувач не матиме жодного дозволеного методу
staff-refusal-grace-range = строк на підключення має бути від 0 до 3650 днів
staff-refusal-no-method-allowed = не можна вимагати двофакторну автентифікацію, не дозволивши жодного методу
staff-refusal-too-many-aaguids = можна вказати не більше 500 AAGUID
staff-refusal-reason-empty = вкажіть причину
staff-refusal-reason-long = причина має бути не довшою за 500 символів
staff-refusal-reason-control = причина не повинна містити керівних символів
staff-refusal-reference-empty = вкажіть посилання на перевірку особи
staff-refusal-reference-long = посилання на перевірку має бути не довшим за 200 символів
staff-refusal-reference-control = посилання на перевірку не повинно містити керівних символів
staff-refusal-own-account = не можна скинути двофакторну автентифікацію власного облікового запису: зверніться до колеги
staff-refusal-staff-account = скинути двофакторну автентифікацію облікового запису підтримки чи служби безпеки може лише служба безпеки
staff-chain-edited = її вміст не відповідає її хешу (подію змінено)
staff-chain-unlinked = її prev_hash не є хешем попередньої події (подію змінено, вставлено або видалено)
staff-chain-no-heads = відсутні рядки голів ланцюжків
staff-chain-unknown-chains = остання контрольна точка посилається на ланцюжки, яких немає в журналі (рядок голови ланцюжка видалено)

staff-compliance-heading = Відповідність політиці безпеки
staff-adoption-title = { $days ->
    [one] Другі фактори за останній { $days } день
    [few] Другі фактори за останні { $days } дні
   *[other] Другі фактори за останні { $days } днів
}
staff-chart-note = Підрахунок ведеться за користувачами: хто має і застосунок автентифікації, і ключ безпеки, враховується в обох лініях, тож разом лінії можуть дати більше, ніж усього користувачів. YubiKey, зареєстрований як ключ безпеки, вважається ключем безпеки; резервні коди не враховуються. Кожен день підраховується на його початок (UTC), сьогоднішній — на цю мить.
staff-chart-gaps = { $count ->
    [one] За { $count } день немає запису (жоден сервер не працював), на графіку це розрив.
    [few] За { $count } дні немає запису (жоден сервер не працював), на графіку це розриви.
   *[other] За { $count } днів немає запису (жоден сервер не працював), на графіку це розриви.
}
staff-chart-summary = { $days ->
    [one] Користувачі за видами другого фактора за останній { $days } день.
    [few] Користувачі за видами другого фактора за останні { $days } дні.
   *[other] Користувачі за видами другого фактора за останні { $days } днів.
}
staff-chart-today = Сьогодні з { $users ->
    [one] { $users } користувача
   *[other] { $users } користувачів
}: у { $totp } — застосунок автентифікації, у { $yubikey } — YubiKey, у { $key } — ключ безпеки, у { $none } немає другого фактора.
staff-no-second-factor = Без другого фактора
staff-all-users = Усі користувачі
staff-axis-day = День (UTC)
staff-axis-users = Користувачі
staff-trend-caption = Користувачі за видами другого фактора
staff-col-kind = Вид
staff-col-change = Зміна
staff-every-day = Усі записані дні
staff-daily-caption = Користувачі за видами другого фактора за кожен записаний день, спершу нові
staff-col-day = День
staff-col-app = Застосунок
staff-col-no-factor = Немає
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Ключ
staff-col-all = Усього
staff-noncompliant-title = Користувачі, які не відповідають політиці
staff-nothing-required = Політика не вимагає двофакторної автентифікації (як і політики груп), тож їй відповідають усі користувачі.
staff-change-policy = Змінити політику
staff-all-compliant = Кожен користувач має другий фактор, який приймає політика.
staff-noncompliant-count = { $count ->
    [one] { $count } користувач не відповідає політиці.
    [few] { $count } користувачі не відповідають політиці.
   *[other] { $count } користувачів не відповідають політиці.
}
staff-judged-by-effective = { $days ->
    [one] Кожного оцінюють за його чинною політикою — глобальною разом із політиками його груп, де строк на підключення може бути коротшим за глобальний ({ $days } день).
    [few] Кожного оцінюють за його чинною політикою — глобальною разом із політиками його груп, де строк на підключення може бути коротшим за глобальний ({ $days } дні).
   *[other] Кожного оцінюють за його чинною політикою — глобальною разом із політиками його груп, де строк на підключення може бути коротшим за глобальний ({ $days } днів).
}
staff-none-overdue = Строк на підключення ({ $days ->
    [one] { $days } день
    [few] { $days } дні
   *[other] { $days } днів
}) ще ні в кого не минув: після введення пароля кожному пропонують додати другий фактор.
staff-none-overdue-groups = Строк на підключення ще ні в кого не минув: після введення пароля кожному пропонують додати другий фактор.
staff-overdue-count = Строк на підключення ({ $days ->
    [one] { $days } день
    [few] { $days } дні
   *[other] { $days } днів
}) минув у { $count ->
    [one] { $count } користувача
   *[other] { $count } користувачів
}: їм відмовлено у вході, доки підтримка не виконає скидання, після якого строк почнеться знову.
staff-overdue-groups = Строк на підключення минув у { $count ->
    [one] { $count } користувача
   *[other] { $count } користувачів
}: їм відмовлено у вході, доки підтримка не виконає скидання, після якого строк почнеться знову.
staff-noncompliant-caption = Користувачі без фактора, який приймає політика; першими — ті, хто найдовше
staff-col-since = Не відповідає з
staff-col-enroll-by = Підключити до
staff-col-not-accepted = Неприйняті фактори
staff-overdue = Прострочено
staff-overdue-since = (з { $date })
staff-global-policy = Глобальна політика
staff-previous = Назад
staff-next = Далі
staff-api-hint = Той самий список: { $call } з API-ключем служби безпеки.

staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Реєстрація та вхід
staff-event-signed-in-password = Вхід за паролем
staff-event-signed-in-enrolled = Вхід після додавання другого фактора
staff-event-signed-in-with = { $method ->
    [totp] Вхід із застосунком автентифікації
    [yubikey_otp] Вхід із YubiKey
    [webauthn] Вхід із ключем безпеки
    [backup_code] Вхід із резервним кодом
   *[other] Вхід із другим фактором
}
staff-event-asked-to-enroll = { $sentence }; запропоновано додати другий фактор
staff-event-sudo-failed = Невдале підтвердження пароля
staff-event-sign-in-failed = Невдалий вхід
staff-event-sign-in-refused = Вхід відхилено
staff-event-verified-with = { $method ->
    [totp] Перевірку пройдено із застосунком автентифікації
    [yubikey_otp] Перевірку пройдено з YubiKey
    [webauthn] Перевірку пройдено з ключем безпеки
    [backup_code] Перевірку пройдено з резервним кодом
   *[other] Перевірку пройдено з другим фактором
}
staff-event-verify-failed = Перевірку не пройдено
staff-event-verify-refused = Перевірку відхилено
staff-event-lockout-attempt = Спробу відхилено під час блокування
staff-event-locked-out = Блокування після надто багатьох неправильних кодів
staff-event-codes-generated = Створено резервні коди
staff-event-codes-replaced = Створено резервні коди (старі перестали діяти)
staff-event-code-used = Використано резервний код
staff-event-code-used-left = Використано резервний код (залишилося: { $count })
staff-event-mail-sent = Надіслано сповіщення безпеки
staff-event-mail-failed = Не вдалося доставити сповіщення безпеки
staff-event-mail-delayed = Сповіщення безпеки затримується
staff-mail-about-enabled = двофакторну автентифікацію ввімкнено
staff-mail-about-removed = другий фактор видалено
staff-mail-about-regenerated = нові резервні коди
staff-mail-about-code-used = використано резервний код
staff-mail-about-lockout = вхід призупинено після невдалих спроб
staff-mail-about-reset = підтримка скинула двофакторну автентифікацію
staff-event-started-adding = { $kind ->
    [totp] Розпочато додавання застосунку автентифікації
    [yubikey_otp] Розпочато додавання YubiKey
    [webauthn] Розпочато додавання ключа безпеки
    [backup_code] Розпочато додавання резервного коду
   *[other] Розпочато додавання другого фактора
}
staff-event-adding-failed = { $kind ->
    [totp] Не вдалося додати застосунок автентифікації
    [yubikey_otp] Не вдалося додати YubiKey
    [webauthn] Не вдалося додати ключ безпеки
    [backup_code] Не вдалося додати резервний код
   *[other] Не вдалося додати другий фактор
}
staff-event-factor-added = { $kind ->
    [totp] Додано застосунок автентифікації
    [yubikey_otp] Додано YubiKey
    [webauthn] Додано ключ безпеки
    [backup_code] Додано резервний код
   *[other] Додано другий фактор
}
staff-event-factor-removed = { $kind ->
    [totp] Видалено застосунок автентифікації
    [yubikey_otp] Видалено YubiKey
    [webauthn] Видалено ключ безпеки
    [backup_code] Видалено резервний код
   *[other] Видалено другий фактор
}
staff-event-factor-abandoned = { $kind ->
    [totp] Застосунок автентифікації видалено до завершення налаштування
    [yubikey_otp] YubiKey видалено до завершення налаштування
    [webauthn] Ключ безпеки видалено до завершення налаштування
    [backup_code] Резервний код видалено до завершення налаштування
   *[other] Другий фактор видалено до завершення налаштування
}
staff-event-reset = { $check ->
    [backup_code] Підтримка скинула двофакторну автентифікацію після того, як клієнт продиктував резервний код
    [out_of_band] Підтримка скинула двофакторну автентифікацію після перевірки особи поза Keyward
    [operator_cli] Підтримка скинула двофакторну автентифікацію з командного рядка
   *[other] Підтримка скинула двофакторну автентифікацію
}: видалено { $factors ->
    [one] { $factors } фактор
    [few] { $factors } фактори
   *[other] { $factors } факторів
} і { $codes ->
    [one] { $codes } резервний код
    [few] { $codes } резервні коди
   *[other] { $codes } резервних кодів
}
staff-event-reset-refused = Скидання підтримкою відхилено
staff-event-reported = Користувач повідомив про дії, яких не виконував («це був не я»)
staff-event-access-denied = Відмовлено в доступі до сторінки для співробітників
staff-event-policy-changed = Змінено політику безпеки
staff-event-group-created = Створено групу
staff-event-group-created-named = Створено групу «{ $name }»
staff-event-group-deleted = Видалено групу
staff-event-group-deleted-named = Видалено групу «{ $name }»
staff-event-group-policy-changed = Змінено політику безпеки групи
staff-event-group-policy-changed-named = Змінено політику безпеки групи «{ $name }»
staff-event-member-added = Додавання до групи
staff-event-member-added-named = Додавання до групи «{ $name }»
staff-event-member-removed = Виключення з групи
staff-event-member-removed-named = Виключення з групи «{ $name }»
staff-event-account-created = Створено обліковий запис
staff-event-account-updated = Змінено дані облікового запису
staff-event-role-changed = Змінено роль
staff-event-role-changed-from = Змінено роль: { $before } → { $after }
staff-event-api-key-created = Створено API-ключ
staff-event-yubikey-added = YubiKey додано до сховища ключів
staff-event-yubikeys-imported = { $count ->
    [one] До сховища ключів імпортовано { $count } YubiKey
   *[other] До сховища ключів імпортовано { $count } YubiKey
}
staff-event-yubikeys-imported-some = До сховища ключів імпортовано YubiKey
staff-event-yubikey-removed = YubiKey видалено зі сховища ключів
staff-event-wsapi-client = Створено клієнта служби перевірки YubiKey
staff-event-wsapi-verify = Код YubiKey перевірено для клієнта служби перевірки
staff-event-cloned-key = Можливо, ключ безпеки клоновано: його лічильник не збільшився
staff-reason-wrong-password = неправильний пароль
staff-reason-no-match = код не збігся
staff-reason-replay = код уже було використано
staff-reason-overdue = строк на додавання другого фактора минув
staff-reason-yubicloud-down = служба перевірки YubiKey не відповіла
staff-reason-challenge = запит ключа безпеки минув або вже використаний
staff-reason-bad-signature = підпис ключа безпеки недійсний
staff-reason-counter = лічильник ключа безпеки пішов назад
staff-reason-attestation = модель ключа безпеки не належить до довірених
staff-reason-backup-code = резервний код не збігся
staff-reason-own-account = не можна скинути власний обліковий запис
staff-reason-staff-account = обліковий запис співробітника може скинути лише служба безпеки
staff-reason-too-many = надто багато неправильних кодів

## Notices, scripts and the way back

month-long-1 = січня
month-long-2 = лютого
month-long-3 = березня
month-long-4 = квітня
month-long-5 = травня
month-long-6 = червня
month-long-7 = липня
month-long-8 = серпня
month-long-9 = вересня
month-long-10 = жовтня
month-long-11 = листопада
month-long-12 = грудня
date-long = { $day } { $month } { $year } р.
list-quoted = «{ $name }»
list-and = { $head } і { $last }

return-title = Повертаємося до { $client }
return-done = Готово. Повертаємо вас до { $client }…
return-going = Повертаємо вас до { $client }…
return-continue = Продовжити в { $client }

js-name-first = Спершу введіть назву ключа.
js-touch-key = Тепер торкніться ключа безпеки або розблокуйте його.
js-key-no-answer = Ключ безпеки не відповів, або запит було скасовано. Спробуйте ще раз.
js-key-registered = Цей ключ безпеки вже зареєстровано.
js-key-unsupported = Цей браузер не підтримує ключі безпеки. Спробуйте інший браузер або оберіть інший спосіб.
js-failed = Щось пішло не так. Спробуйте ще раз.
js-session-ended = Сеанс завершився. Увійдіть знову.
js-page-expired = Строк дії сторінки минув. Оновіть її та спробуйте ще раз.
js-too-many-attempts = Забагато невдалих спроб. З міркувань безпеки вхід призупинено: спробуйте знову за кілька хвилин.
js-key-refused = Відповідь ключа безпеки не прийнято. Спробуйте ще раз.
js-key-policy = Політика безпеки вашої організації не приймає цей ключ безпеки.
js-no-key = До вашого облікового запису не додано ключа безпеки. Оберіть інший спосіб.
codes-file-header = Резервні коди { $issuer }. Кожен із них дозволяє увійти один раз.

wait-sign-ins = { $count ->
    [one] Забагато невдалих спроб входу. Спробуйте знову через { $count } хвилину, увійдіть із браузера, яким ви вже користувалися, або скиньте пароль.
    [few] Забагато невдалих спроб входу. Спробуйте знову через { $count } хвилини, увійдіть із браузера, яким ви вже користувалися, або скиньте пароль.
    [many] Забагато невдалих спроб входу. Спробуйте знову через { $count } хвилин, увійдіть із браузера, яким ви вже користувалися, або скиньте пароль.
   *[other] Забагато невдалих спроб входу. Спробуйте знову через { $count } хвилини, увійдіть із браузера, яким ви вже користувалися, або скиньте пароль.
}
wait-network = { $count ->
    [one] Забагато спроб із вашої мережі. Спробуйте знову через { $count } хвилину.
    [few] Забагато спроб із вашої мережі. Спробуйте знову через { $count } хвилини.
    [many] Забагато спроб із вашої мережі. Спробуйте знову через { $count } хвилин.
   *[other] Забагато спроб із вашої мережі. Спробуйте знову через { $count } хвилини.
}
wait-passwords = { $count ->
    [one] Забагато неправильних паролів. Спробуйте знову через { $count } хвилину.
    [few] Забагато неправильних паролів. Спробуйте знову через { $count } хвилини.
    [many] Забагато неправильних паролів. Спробуйте знову через { $count } хвилин.
   *[other] Забагато неправильних паролів. Спробуйте знову через { $count } хвилини.
}
please-wait = Зачекайте

signin-confirm-first-title = Спершу підтвердьте адресу електронної пошти
signin-confirm-first = Ваш обліковий запис ще не підтверджено. Ми надіслали посилання для підтвердження на { $account }: відкрийте його, потім увійдіть знову.
signin-overdue-title = Потрібна двофакторна автентифікація
signin-overdue = Ваша організація вимагає другий фактор ({ $methods }) для вашого облікового запису, а строк для його додавання минув { $date }. Щоб відновити доступ, зверніться до служби підтримки.

check-inbox-title = Перевірте пошту
signup-check-inbox = { $count ->
    [one] Ми надіслали лист на { $email }. Відкрийте посилання з нього протягом { $count } години, щоб підтвердити адресу, потім увійдіть і додайте другий фактор.
    [few] Ми надіслали лист на { $email }. Відкрийте посилання з нього протягом { $count } годин, щоб підтвердити адресу, потім увійдіть і додайте другий фактор.
    [many] Ми надіслали лист на { $email }. Відкрийте посилання з нього протягом { $count } годин, щоб підтвердити адресу, потім увійдіть і додайте другий фактор.
   *[other] Ми надіслали лист на { $email }. Відкрийте посилання з нього протягом { $count } години, щоб підтвердити адресу, потім увійдіть і додайте другий фактор.
}
signup-no-mail = Лист не надійшов за кілька хвилин? Перевірте папку «Спам». Якщо у вас уже був обліковий запис із цією адресою, у листі сказано, як знову до нього увійти.
signup-email-missing = Введіть адресу електронної пошти.
signup-email-invalid = Це недійсна адреса електронної пошти. Перевірте, чи немає в ній помилок.
signup-closed-title = Реєстрацію закрито
signup-closed = Облікові записи на цьому сервері створюють його адміністратори. Зверніться до них.
forgot-check-inbox = { $count ->
    [one] Якщо { $email } — адреса облікового запису з паролем, посилання для вибору нового пароля вже надіслано. Воно діє один раз протягом { $count } хвилини.
    [few] Якщо { $email } — адреса облікового запису з паролем, посилання для вибору нового пароля вже надіслано. Воно діє один раз протягом { $count } хвилин.
    [many] Якщо { $email } — адреса облікового запису з паролем, посилання для вибору нового пароля вже надіслано. Воно діє один раз протягом { $count } хвилин.
   *[other] Якщо { $email } — адреса облікового запису з паролем, посилання для вибору нового пароля вже надіслано. Воно діє один раз протягом { $count } хвилини.
}
forgot-no-mail = Лист не надійшов за кілька хвилин? Перевірте папку «Спам» або надішліть запит ще раз.
link-ask-again = Запросити нове посилання
link-sign-in-again = Увійти й отримати нове посилання
link-used = Кожне посилання діє один раз. Якщо воно вам ще потрібне, запросіть нове.
link-expired-password = Посилання для скидання пароля діє { $count ->
    [one] { $count } хвилину
    [few] { $count } хвилини
    [many] { $count } хвилин
   *[other] { $count } хвилини
} (посилання, надіслане після скидання службою підтримки, — { $hours ->
    [one] { $hours } годину
    [few] { $hours } години
    [many] { $hours } годин
   *[other] { $hours } години
}). Запросіть нове.
link-expired-confirm = Посилання для підтвердження діє { $count ->
    [one] { $count } годину
    [few] { $count } години
    [many] { $count } годин
   *[other] { $count } години
}. Увійдіть з адресою електронної пошти й паролем: ми надішлемо вам нове.
link-invalid = Відкрийте посилання з найновішого листа точно в тому вигляді, у якому його надіслано: нове посилання замінює попередні.
confirm-wrong-password = Це не той пароль, який обрали під час створення облікового запису. Якщо ви не створювали обліковий запис, закрийте цю сторінку: без підтвердження ним неможливо користуватися.
confirm-done-title = Адресу підтверджено
confirm-done = Дякуємо: адресу { $account } підтверджено. Увійдіть з адресою електронної пошти й паролем, щоб додати другий фактор.

password-set-title = Оберіть новий пароль
password-set-button = Задати пароль
password-set-hint-sign-out = На всіх пристроях, де виконано вхід у ваш обліковий запис, буде виконано вихід.
password-set-hint-2fa = Двофакторна автентифікація залишиться ввімкненою: для входу вам і надалі знадобиться другий фактор.
password-set-done-title = Новий пароль задано
password-set-done = На всіх пристроях виконано вихід. Увійдіть із новим паролем.
password-set-done-2fa = Двофакторна автентифікація не змінилася: вам і надалі знадобиться другий фактор. Лист із підтвердженням уже надіслано.
password-change-title = Зміна пароля
password-change-hint = На всіх інших пристроях, де виконано вхід у ваш обліковий запис, буде виконано вихід.
password-mismatch = Нові паролі не збігаються.
password-too-short = { $count ->
    [one] Пароль має містити щонайменше { $count } символ.
    [few] Пароль має містити щонайменше { $count } символи.
    [many] Пароль має містити щонайменше { $count } символів.
   *[other] Пароль має містити щонайменше { $count } символу.
}
password-too-long = { $count ->
    [one] Пароль має займати не більше ніж { $count } байт.
    [few] Пароль має займати не більше ніж { $count } байти.
    [many] Пароль має займати не більше ніж { $count } байтів.
   *[other] Пароль має займати не більше ніж { $count } байта.
}
password-current-wrong = Поточний пароль неправильний.
password-same = Новий пароль збігається з поточним: оберіть інший.

name-missing = Введіть назву.
name-too-long = { $count ->
    [one] Назва може містити не більше ніж { $count } символ.
    [few] Назва може містити не більше ніж { $count } символи.
    [many] Назва може містити не більше ніж { $count } символів.
   *[other] Назва може містити не більше ніж { $count } символу.
}
name-control-characters = Назва не може містити керівних символів.
placeholder-app = напр. Мій телефон
placeholder-yubikey = напр. Робочий YubiKey
setup-expired-after = { $count ->
    [one] Почніть знову в налаштуваннях безпеки: незавершене налаштування діє { $count } хвилину.
    [few] Почніть знову в налаштуваннях безпеки: незавершене налаштування діє { $count } хвилини.
    [many] Почніть знову в налаштуваннях безпеки: незавершене налаштування діє { $count } хвилин.
   *[other] Почніть знову в налаштуваннях безпеки: незавершене налаштування діє { $count } хвилини.
}
no-such-setup = Такого налаштування немає.
policy-no-common-key-model = Політики безпеки ваших груп { $groups } разом не дозволяють жодної моделі ключа безпеки.
policy-not-allowed-groups = { $count ->
    [one] Заборонено політикою безпеки вашої групи { $groups }.
    [few] Заборонено політиками безпеки ваших груп { $groups }.
    [many] Заборонено політиками безпеки ваших груп { $groups }.
   *[other] Заборонено політиками безпеки ваших груп { $groups }.
}
required-enroll-by = Ваша організація вимагає двофакторну автентифікацію. Щоб зберегти доступ до облікового запису, додайте один зі способів нижче до { $date }.
second-step-hardware-only = { $client } запитує тут апаратний ключ: торкніться YubiKey або використайте ключ безпеки.
second-step-not-allowed = Політика безпеки вашої організації більше не приймає цей спосіб. Використайте інший другий фактор або резервний код.

refused-method-not-allowed = Політика безпеки вашої організації не дозволяє цей спосіб.
refused-last-compliant-factor = Ваша організація вимагає двофакторну автентифікацію, а це ваш останній другий фактор, який приймає її політика безпеки. Перш ніж видалити його, додайте інший.
refused-factors-frozen = Зміни других факторів заблоковано, бо ви повідомили про дії, яких не виконували. Наша служба підтримки вам допоможе.
refused-new-password-first = Ви повідомили про дії, яких не виконували: перш ніж додавати чи змінювати другий фактор, оберіть новий пароль за посиланням із нашого листа.
refused-confirm-address-first = Вашу адресу електронної пошти ще не підтверджено: спершу відкрийте посилання для підтвердження з нашого листа.
refused-yubikey-taken = Цей YubiKey зареєстровано на інший обліковий запис.
refused-yubikey-yours = Цей YubiKey уже є серед ваших других факторів.
refused-already-active = Цей другий фактор уже активний.
refused-no-room = У вашому обліковому записі вже максимальна кількість других факторів і незавершених налаштувань ({ $count }). Спершу видаліть один із них.

access-not-available = Недоступно
form-too-large-title = Форма завелика
form-too-large = Поверніться назад і спробуйте ще раз.
form-unreadable-title = Не вдалося прочитати форму
oidc-no-client = У запиті не вказано клієнта (немає client_id).
oidc-client-lookup = Не вдалося знайти клієнта. Спробуйте ще раз.
oidc-unknown-client = Застосунок, який направив вас сюди, невідомий цьому серверу.
oidc-redirect-unregistered = Цю адресу перенаправлення (redirect URI) не зареєстровано для цього клієнта.
