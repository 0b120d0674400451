# Слова Keyward по-русски (перевод locales/en/keyward.ftl; как добавить язык: docs/i18n.md).

## Dates

month-1 = янв.
month-2 = февр.
month-3 = мар.
month-4 = апр.
month-5 = мая
month-6 = июн.
month-7 = июл.
month-8 = авг.
month-9 = сент.
month-10 = окт.
month-11 = нояб.
month-12 = дек.
date = { $day } { $month } { $year } г.
date-time = { $date }, { $time } UTC

## Layout

nav-label = Главное меню
nav-settings = Настройки безопасности
nav-support = Консоль поддержки
nav-policy = Политика безопасности
nav-groups = Группы
nav-compliance = Соответствие
nav-audit = Журнал аудита
role-support = Поддержка
role-security = Безопасность
sign-out = Выйти
handoff-label = Откуда вы пришли
handoff-came-from = Вы перешли сюда из { $client }.
handoff-back = Вернуться в { $client }
handoff-cancel = Отменить и вернуться в { $client }
language-label = Язык
account-security = Безопасность аккаунта

## Sign-in

sign-in = Войти
sign-in-continue = Войдите в аккаунт { $issuer }, чтобы продолжить в { $client }.
field-email = Электронная почта
field-password = Пароль
forgot-link = Забыли пароль?
new-here = Впервые здесь?
create-account-link = Создайте аккаунт
error-credentials = Неверный адрес электронной почты или пароль.
forgot-title = Сброс пароля
forgot-intro = Введите адрес электронной почты вашего аккаунта. Мы отправим вам ссылку для выбора нового пароля; она действует один раз в течение 30 минут.
forgot-send = Отправить ссылку
forgot-2fa-stays = Сброс пароля не отключает двухфакторную аутентификацию: для входа вам по-прежнему понадобится второй фактор.
back-to-sign-in = Вернуться ко входу
go-to-sign-in = Перейти ко входу
signup-title = Создание аккаунта
signup-button = Создать аккаунт
have-account = Уже есть аккаунт?
password-length-hint = Не менее 8 символов.
confirm-title = Подтвердите адрес электронной почты
confirm-intro = Подтвердите, что { $account } — ваш адрес: введите пароль, который вы выбрали при создании аккаунта. Затем войдите и добавьте второй фактор.
confirm-button = Подтвердить адрес
confirm-not-you = Если вы не создавали аккаунт, просто закройте эту страницу: ничего не произойдёт, а аккаунт будет удалён, когда истечёт срок действия ссылки.

## Second step

second-step-title = Двухфакторная аутентификация
second-step-upgrade = Политика безопасности вашей организации больше не принимает ваш второй фактор. Подтвердите свою личность с его помощью (или резервным кодом) в последний раз, затем добавьте новый.
second-step-intro = Пароль верный. Теперь подтвердите, что это вы, с помощью одного из ваших вторых факторов:
second-step-intro-handoff = Подтвердите, что это вы, с помощью одного из ваших вторых факторов, чтобы продолжить в { $client }:
second-step-intro-hardware = { $client } запрашивает аппаратный ключ: подтвердите свою личность с помощью YubiKey или ключа безопасности.
prompt-totp = Введите 6-значный код из приложения-аутентификатора
prompt-yubikey = Коснитесь YubiKey
prompt-backup = Введите резервный код
option-yubikey = Коснитесь YubiKey (курсор должен быть в поле ввода)
use-security-key = Использовать ключ безопасности
option-backup = Использовать резервный код
verify = Проверить
second-step-lost-device = Потеряли устройство? Введите один из резервных кодов в поле выше.
second-step-or-key = Или используйте ключ безопасности
second-step-key-needs-js = Для ключа безопасности нужен JavaScript; вместо этого введите код.
second-step-paused = { $minutes ->
    [one] Слишком много неверных кодов. В целях безопасности вход приостановлен: попробуйте снова через { $minutes } минуту.
    [few] Слишком много неверных кодов. В целях безопасности вход приостановлен: попробуйте снова через { $minutes } минуты.
   *[other] Слишком много неверных кодов. В целях безопасности вход приостановлен: попробуйте снова через { $minutes } минут.
}
error-code = Введённый код не совпал с ожидаемым. Отсканируйте QR-код заново или введите код и попробуйте ещё раз.

## Settings

settings-signed-in-as = Вы вошли как { $email }.
settings-reported = Вы сообщили о действиях, которых не совершали. Изменения вторых факторов заблокированы, пока наша служба поддержки вам не поможет.
settings-factors = Вторые факторы
add-factor = Добавить второй фактор
settings-2fa-off = Двухфакторная аутентификация отключена: для входа нужен только пароль.
settings-your-factors = Ваши вторые факторы
col-name = Название
col-type = Тип
col-status = Статус
col-added = Добавлен
col-last-used = Использован
col-actions = Действия
never = Никогда
remove = Удалить
remove-named = Удалить { $name }
status-active = Активен
status-pending = Ожидает
settings-backup-codes = Резервные коды
backup-codes-left = { $count ->
    [one] Остался { $count } резервный код.
    [few] Осталось { $count } резервных кода.
   *[other] Осталось { $count } резервных кодов.
}
regenerate-codes = Создать новые коды
settings-password = Пароль
password-last-changed = Последнее изменение: { $date }.
password-set-at-creation = Задан при создании аккаунта.
change-password = Сменить пароль
notice-removed = Фактор удалён. Письмо с подтверждением уже в пути.
notice-added = Второй фактор активен. Письмо с подтверждением уже в пути.
notice-password = Пароль изменён, на всех остальных устройствах выполнен выход. Письмо с подтверждением уже в пути.

## Adding a factor

add-intro = Выберите, как вы будете подтверждать свою личность при входе.
method-app = Приложение-аутентификатор
method-app-about = Google Authenticator, Duo Mobile, Authy или другое приложение с 6-значными кодами.
method-yubikey = YubiKey
method-yubikey-about = YubiKey, который вводит одноразовый пароль при касании.
method-key = Ключ безопасности
method-key-about = Ключ безопасности FIDO2 или ключ доступа (passkey) на этом устройстве.
not-allowed-policy = Запрещено политикой безопасности вашей организации.
required-replace = Политика безопасности вашей организации больше не принимает ваш второй фактор. Чтобы продолжить, добавьте один из способов ниже.
back-to-settings = Назад к настройкам безопасности
choose-another-method = Выбрать другой способ
name-device = Название устройства
add-yubikey-title = Добавление YubiKey
add-app-title = Добавление приложения-аутентификатора
add-yubikey-button = Добавить YubiKey
continue = Продолжить
yubikey-otp-hint = Поставьте курсор в это поле и коснитесь золотого контакта на YubiKey.
totp-title = Настройка приложения-аутентификатора
totp-step-open = Откройте приложение-аутентификатор: Google Authenticator (нажмите «+», затем «Сканировать QR-код»), Duo Mobile («Добавить», затем «Использовать QR-код») или Authy («+», затем «Сканировать QR-код»).
totp-step-scan = Отсканируйте QR-код ниже. Если это не получается, выберите ввод ключа настройки и введите ключ, показанный над кодом.
totp-step-code = Введите 6-значный код из приложения.
totp-setup-key = Ключ настройки
totp-account = Аккаунт
totp-issuer = Издатель
totp-qr-alt = QR-код для настройки приложения-аутентификатора
turn-on = Включить
setup-expired = Срок настройки истёк
setup-expired-again = Начните заново в настройках безопасности.
key-title = Добавление ключа безопасности
key-name = Название ключа
key-name-placeholder = напр. YubiKey 5C
key-hint = Нажмите кнопку, затем коснитесь ключа безопасности или разблокируйте его, когда браузер попросит.
key-button = Добавить ключ
key-needs-js = Для ключей безопасности в этом браузере нужен JavaScript. Включите его или выберите другой способ.
key-codes-intro = Если вы потеряете ключ, каждый из этих кодов позволит войти один раз. Они показываются только сейчас.
backup-codes-title = Ваши резервные коды
backup-codes-heading = Сохраните резервные коды
backup-codes-intro = Если вы потеряете устройство, каждый из этих кодов позволит войти один раз. Храните их в надёжном месте: они показываются только сейчас.
download-txt = Скачать .txt
print = Печать
codes-saved = Коды сохранены
sudo-title = Подтвердите пароль
sudo-intro = В целях безопасности введите пароль ещё раз, прежде чем менять вторые факторы. В течение 10 минут повторно спрашивать не будем.
error-password = Неверный пароль.
no-such-factor = У вас нет такого фактора.

## Passwords

password-for-account = Для аккаунта { $account }.
field-current-password = Текущий пароль
field-new-password = Новый пароль
field-new-password-again = Повторите новый пароль

## Messages

message-reference = Если это повторяется, сообщите в поддержку этот номер:
not-found = Не найдено
please-try-again = Попробуйте ещё раз
form-expired = Срок действия формы истёк, или она отправлена не с этого сайта. Вернитесь назад, обновите страницу и попробуйте снова.
change-not-possible = Это изменение невозможно
request-not-valid = Недопустимый запрос
something-wrong = Что-то пошло не так
something-wrong-body = У нас что-то пошло не так. Попробуйте ещё раз через минуту.
yubikey-otp-refused = Одноразовый пароль YubiKey не принят. Коснитесь ключа ещё раз.
yubikey-service-down = Служба проверки YubiKey недоступна. Попробуйте ещё раз через минуту.
oidc-error-title = Эту ссылку нельзя использовать
oidc-error-hint = Если это повторяется, сообщите в поддержку приложения: переход в { $issuer } настроен неправильно.
oidc-expired = Этот вход уже завершён или занял слишком много времени. Вернитесь в приложение, из которого пришли, и начните заново.

## "This wasn't me"

report-ask-title = Это были не вы?
report-done-title = Ваш аккаунт защищён
report-used-title = Эта ссылка уже использована
report-expired-title = Срок действия ссылки истёк
report-invalid-title = Ссылка недействительна
report-followed = Вы перешли по ссылке «Это был не я» из уведомления о безопасности для { $account }.
report-we-will = Если это изменение сделали не вы, защитите аккаунт прямо сейчас. Мы:
report-step-sign-out = выполним выход на всех устройствах,
report-step-password = заблокируем ваш пароль,
report-step-freeze = заморозим изменения настроек двухфакторной аутентификации,
report-step-alert = оповестим службу поддержки — с вами свяжутся.
report-button = Защитить аккаунт
report-if-yours = Если изменение сделали вы, просто закройте страницу: пока вы не нажмёте кнопку, ничего не произойдёт.
report-done = Ваш аккаунт { $account } защищён: выход выполнен на всех устройствах, изменения двухфакторной аутентификации заморожены, служба поддержки оповещена.
report-done-next = Ваш пароль больше не действует, поэтому тот, кто его знает, не сможет войти. Служба поддержки свяжется с вами, чтобы восстановить доступ ко вторым факторам; затем мы пришлём ссылку для выбора нового пароля.
report-used = Эта ссылка уже использована. Ваше сообщение записано, служба поддержки оповещена.
report-expired = Срок действия ссылки истёк: ссылки из уведомлений о безопасности действуют 7 дней. Если вы по-прежнему считаете, что аккаунт изменил кто-то другой, обратитесь в поддержку.
report-invalid = Ссылка недействительна. Откройте ссылку из уведомления о безопасности точно в том виде, в каком она пришла, или обратитесь в поддержку.

## Mail

mail-hello = Здравствуйте!
mail-label-account = Аккаунт
mail-label-when = Когда
mail-label-from = С адреса
mail-label-method = Способ
mail-label-device = Устройство
mail-label-reason = Причина
mail-label-agent = Сотрудник поддержки
mail-report-heading = Это были не вы?
mail-report-body = Сообщите нам немедленно. Мы выполним выход на всех устройствах, заблокируем ваш пароль, заморозим изменения настроек двухфакторной аутентификации и оповестим службу поддержки, которая поможет задать новый пароль.
mail-report-button = Это был не я
mail-report-expiry = Ссылка срабатывает один раз и действует 7 дней.
mail-footer-notice = Это автоматическое уведомление о безопасности от { $issuer }. Мы никогда не запрашиваем по почте ваш пароль, коды или резервные коды.
mail-footer-message = Это автоматическое сообщение от { $issuer }. Мы никогда не запрашиваем по почте ваш пароль, коды или резервные коды.
mail-facts = { $method }, добавлен { $day } (id заканчивается на { $tail })
mail-facts-yubikey = YubiKey { $public_id }, добавлен { $day } (id заканчивается на { $tail })
mail-subject-enabled-first = Двухфакторная аутентификация включена для вашего аккаунта { $issuer }
mail-subject-enabled = В ваш аккаунт { $issuer } добавлен новый второй фактор
mail-subject-removed = Из вашего аккаунта { $issuer } удалён второй фактор
mail-subject-regenerated = Для вашего аккаунта { $issuer } созданы новые резервные коды
mail-subject-used = Для входа в ваш аккаунт { $issuer } использован резервный код
mail-subject-lockout = Вход в ваш аккаунт { $issuer } приостановлен после неудачных попыток
mail-subject-support-reset = Поддержка сбросила двухфакторную аутентификацию вашего аккаунта { $issuer }
mail-subject-password-reset = Сброс пароля аккаунта { $issuer }
mail-subject-set-password = Выберите новый пароль для аккаунта { $issuer }
mail-subject-confirm = Подтвердите адрес электронной почты нового аккаунта { $issuer }
mail-subject-attempt = У вас уже есть аккаунт { $issuer }
mail-subject-password-was-reset = Пароль вашего аккаунта { $issuer } сброшен
mail-subject-password-changed = Пароль вашего аккаунта { $issuer } изменён
mail-enabled-first-heading = Двухфакторная аутентификация включена
mail-enabled-heading = Добавлен новый второй фактор
mail-enabled-first-body = Для вашего аккаунта { $issuer } включена двухфакторная аутентификация.
mail-enabled-body = В ваш аккаунт { $issuer } добавлен новый второй фактор.
mail-enabled-keep-codes = Храните резервные коды в надёжном месте: если вы потеряете это устройство, каждый из них позволит войти один раз.
mail-removed-heading = Второй фактор удалён
mail-removed-body = Из вашего аккаунта { $issuer } удалён второй фактор.
mail-removed-none-left = У вашего аккаунта больше нет второго фактора: для входа нужен только пароль. Снова добавьте второй фактор в настройках безопасности.
mail-regenerated-heading = Созданы новые резервные коды
mail-regenerated-body = Для вашего аккаунта { $issuer } созданы новые резервные коды. Старые резервные коды больше не действуют.
mail-regenerated-not-included = Новые коды были показаны один раз при создании; в этом письме их нет.
mail-used-heading = Использован резервный код
mail-used-body = Для входа в ваш аккаунт { $issuer } использован резервный код.
mail-used-left = Осталось резервных кодов: { $count }
mail-used-low = Коды заканчиваются: создайте новые резервные коды в настройках безопасности.
mail-lockout-heading = Вход приостановлен после неудачных попыток
mail-lockout-body = После нескольких неверных кодов двухфакторной аутентификации вход в ваш аккаунт { $issuer } приостановлен до { $until }. До этого времени войти нельзя, даже с верным кодом.
mail-lockout-advice = Если эти попытки делали не вы, возможно, кто-то знает ваш пароль: смените его.
mail-reset-heading = Поддержка сбросила вашу двухфакторную аутентификацию
mail-reset-body = Наша служба поддержки сбросила двухфакторную аутентификацию вашего аккаунта { $issuer }. Все ваши вторые факторы и резервные коды удалены, выход выполнен на всех устройствах.
mail-reset-next = Войдите с паролем и снова добавьте второй фактор.
mail-password-reset-heading = Сброс пароля
mail-password-reset-body = { $minutes ->
    [one] Поступил запрос на сброс пароля вашего аккаунта { $issuer }. Если это были вы, выберите новый пароль в течение { $minutes } минуты:
   *[other] Поступил запрос на сброс пароля вашего аккаунта { $issuer }. Если это были вы, выберите новый пароль в течение { $minutes } минут:
}
mail-choose-password-button = Выбрать новый пароль
mail-password-reset-note = Ссылка срабатывает один раз. Сброс пароля не отключает двухфакторную аутентификацию: для входа по-прежнему понадобится второй фактор, а на всех устройствах, где выполнен вход в аккаунт, будет выполнен выход.
mail-password-reset-ignore = Если вы этого не запрашивали, просто проигнорируйте письмо: ваш пароль не изменится.
mail-set-password-body = { $hours ->
    [one] После вашего сообщения о незнакомых действиях старый пароль больше не действует. Служба поддержки сбросила двухфакторную аутентификацию вашего аккаунта. Выберите новый пароль в течение { $hours } часа, затем войдите и снова добавьте второй фактор:
   *[other] После вашего сообщения о незнакомых действиях старый пароль больше не действует. Служба поддержки сбросила двухфакторную аутентификацию вашего аккаунта. Выберите новый пароль в течение { $hours } часов, затем войдите и снова добавьте второй фактор:
}
mail-set-password-note = Ссылка срабатывает один раз. Пока вы ею не воспользуетесь, никто не сможет войти в аккаунт с паролем или добавить в него второй фактор.
mail-confirm-heading = Подтвердите адрес электронной почты
mail-confirm-body = { $hours ->
    [one] Добро пожаловать в { $issuer }. В течение { $hours } часа подтвердите, что этот адрес принадлежит вам:
   *[other] Добро пожаловать в { $issuer }. В течение { $hours } часов подтвердите, что этот адрес принадлежит вам:
}
mail-confirm-button = Подтвердить адрес
mail-confirm-note = Затем войдите и добавьте второй фактор. Если вы не создавали аккаунт, проигнорируйте это письмо: без подтверждения аккаунтом нельзя пользоваться.
mail-attempt-heading = У вас уже есть аккаунт
mail-attempt-body = Кто-то попытался создать новый аккаунт { $issuer } с этим адресом. У вас уже есть аккаунт, поэтому ничего не создано.
mail-attempt-sign-in = Если это были вы, просто войдите. Забыли пароль?
mail-attempt-reset-link = Сбросьте его
mail-attempt-ignore = Если это были не вы, проигнорируйте письмо: ваш аккаунт не изменился.
mail-changed-reset-heading = Ваш пароль сброшен
mail-changed-heading = Ваш пароль изменён
mail-changed-reset-body = Пароль вашего аккаунта { $issuer } сброшен по ссылке, которую мы вам отправили. На всех устройствах, где был выполнен вход в аккаунт, выполнен выход.
mail-changed-body = Пароль вашего аккаунта { $issuer } изменён. На всех остальных устройствах, где был выполнен вход в аккаунт, выполнен выход.
mail-changed-factors-unchanged = Ваши вторые факторы не изменились.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day } { $month }
staff-for-example = например, { $example }
staff-second-factor = Второй фактор
staff-role-name = { $role ->
    [customer] клиент
    [support] поддержка
   *[security] безопасность
}
staff-actor = { $kind ->
    [user] Пользователь
    [support] Поддержка
    [api_key] API-ключ
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] пользователь
    [support] поддержка
    [api_key] API-ключ
   *[system] система
}
staff-required = Требуется
staff-not-required = Не требуется
staff-none = Нет
staff-any = Любые
staff-today = Сегодня
staff-col-key = Ключ
staff-col-rule = Правило
staff-col-in-force = Действует
staff-col-from = Источник
staff-col-when = Когда
staff-col-when-utc = Когда (UTC)
staff-col-event = Событие
staff-col-by = Кто
staff-col-address = Адрес
staff-col-user = Пользователь
staff-col-details = Подробности
staff-col-members = Участники
staff-col-policy = Политика
staff-col-role = Роль
staff-source-global = глобальная политика
staff-source-group = группа «{ $name }»
staff-not-available = Недоступно
staff-refused-support = Консоль поддержки доступна только сотрудникам поддержки и службы безопасности.
staff-refused-security = Журнал аудита доступен только службе безопасности.

staff-find-label = Найти клиента по адресу электронной почты
staff-find = Найти
staff-no-customer = Клиент с таким адресом не найден.
staff-no-such-customer = Такого клиента нет.
staff-customer-reported = Клиент сообщил о действиях, которых не совершал («это был не я»). Изменения его факторов заблокированы до сброса.
staff-role = Роль: { $role }
staff-backup-codes-left = { $count ->
    [one] остался { $count } резервный код
    [few] осталось { $count } резервных кода
   *[other] осталось { $count } резервных кодов
}
staff-factors = Факторы
staff-no-factor = Второго фактора нет.
staff-customer-factors = Факторы клиента
staff-groups-and-policy = Группы и политика
staff-in-no-group = Не состоит ни в одной группе: действует глобальная политика.
staff-groups-label = Группы:
staff-effective-policy-caption = Действующая политика клиента и источник каждого правила
staff-rule-two-factor = Двухфакторная аутентификация
staff-rule-methods = Разрешённые методы
staff-all-policies = все политики вместе
staff-not-allowed = Не разрешается
staff-not-allowed-no-common-model = Не разрешается: у разрешённых моделей ключей нет ни одной общей
staff-rule-uv = Проверка пользователя
staff-uv-value = { $uv ->
    [required] обязательна
    [discouraged] не нужна
   *[preferred] желательна
}
staff-rule-attestation = Аттестация
staff-rule-key-models = Модели ключей безопасности
staff-rule-days = Дней на подключение
staff-timeline = Хронология
staff-timeline-caption = Последние события клиента
staff-reset-title = Сброс двухфакторной аутентификации
staff-reset-button = Сбросить 2FA
staff-reset-staff-only = { $role ->
    [support] Это аккаунт сотрудника поддержки: сбросить его может только служба безопасности.
   *[security] Это аккаунт сотрудника службы безопасности: сбросить его может только служба безопасности.
}
staff-reset-hint = Удаляет все факторы, резервные коды и сеансы клиента и отправляет ему письмо. Сначала убедитесь, что это действительно он.
staff-reason = Причина
staff-identity-check = Проверка личности
staff-check-backup-code = Клиент продиктовал резервный код
staff-backup-code = Резервный код
staff-check-out-of-band = Проверено вне Keyward (обратный звонок, видеозвонок, заявка)
staff-check-reference = Ссылка на эту проверку
staff-reset-done = Двухфакторная аутентификация сброшена. Клиенту отправлено письмо.
staff-reset-wrong-code = Резервный код не совпал: ничего не сброшено.
staff-nothing-reset = Ничего не сброшено: { $reason }.

staff-chain-intact = { $count ->
    [one] Цепочка цела: проверено { $count } событие, ни одно не изменено и не удалено.
    [few] Цепочка цела: проверено { $count } события, ни одно не изменено и не удалено.
   *[other] Цепочка цела: проверено { $count } событий, ни одно не изменено и не удалено.
}
staff-chain-broken-at = Цепочка нарушена на событии { $event }: { $problem }. События были изменены или удалены; сравните журнал с экспортированными копиями.
staff-chain-broken = Цепочка нарушена: { $problem }. События были изменены или удалены; сравните журнал с экспортированными копиями.
staff-filter-email = Адрес клиента
staff-filter-since = С (UTC)
staff-filter-until = По (UTC)
staff-filter = Применить
staff-export-jsonl = Экспорт в JSON Lines
staff-export-csv = Экспорт в CSV
staff-audit-caption = События аудита, сначала новые
staff-older-events = Более ранние события
staff-bad-time = { $field ->
    [since] Поле «С»
   *[until] Поле «По»
}: укажите время в формате { $example }
staff-bad-email = Адрес клиента: это не адрес электронной почты
staff-no-user-email = Пользователь с таким адресом не найден.
staff-cannot-export = Экспорт невозможен

staff-policy-saved = Политика сохранена и записана в журнал аудита.
staff-save-policy = Сохранить политику
staff-nothing-saved = Ничего не сохранено: { $reason }.
staff-require-two-factor = Требовать двухфакторную аутентификацию
staff-grace-days = Сколько дней после этого даётся на подключение второго фактора
staff-methods-that-count = Допустимые методы
staff-hardware-only-hint = Только аппаратные ключи: YubiKey и ключ безопасности с обязательной аттестацией.
staff-security-keys = Ключи безопасности
staff-uv-label = Проверка пользователя (PIN-код или биометрия на ключе)
staff-uv-preferred = Желательна
staff-uv-required = Обязательна
staff-uv-discouraged = Не нужна (достаточно касания)
staff-require-attestation = Требовать аттестацию (только ключи, подтверждающие свою модель)
staff-allowed-models = Разрешённые модели (если ничего не отмечено — любые):
staff-other-aaguids = Другие AAGUID, по одному в строке
staff-form-unknown-method = неизвестный метод { $value }
staff-form-unknown-uv = неизвестный режим проверки пользователя { $value }
staff-form-not-aaguid = { $value } — не AAGUID (UUID)
staff-form-grace-not-number = срок на подключение должен быть целым числом дней

staff-groups-hint = Политика группы ужесточает политику её участников: каждый получает самое строгое сочетание глобальной политики и политик всех своих групп.
staff-no-group = Групп пока нет.
staff-delete-group-named = Удалить группу { $name }
staff-delete = Удалить
staff-new-group = Новая группа
staff-create-group = Создать группу
staff-summary-no-policy = Без политики: ничего не добавляет
staff-summary-two-factor = Второй фактор обязателен
staff-summary-no-method = нет методов
staff-summary-attestation = аттестация обязательна
staff-group-deleted = Группа удалена; её участники из неё исключены.
staff-group-created = Группа создана. Задайте ниже её политику и участников.
staff-group-policy-saved = Политика группы сохранена и записана в журнал аудита.
staff-group-policy-removed = Политика группы удалена: группа ничего не добавляет к политике своих участников.
staff-group-member-added = Пользователь добавлен в группу.
staff-group-member-removed = Пользователь исключён из группы.
staff-nothing-created = Ничего не создано: { $reason }.
staff-nothing-changed = Ничего не изменено: { $reason }.
staff-no-user-with-email = пользователь с таким адресом не найден
staff-group-title = Группа { $name }
staff-group-heading = Группа «{ $name }»
staff-all-groups = Все группы
staff-group-has-policy = Участники получают самое строгое сочетание этой политики, глобальной политики и политик других своих групп.
staff-group-no-policy = У этой группы нет политики: она ничего не добавляет к политике участников. Сохраните форму, чтобы задать политику.
staff-save-group-policy = Сохранить политику группы
staff-remove-group-policy = Удалить политику группы
staff-no-member = Участников пока нет.
staff-remove-member-named = Исключить { $email } из группы
staff-add-member-label = Добавить пользователя по адресу электронной почты
staff-add-to-group = Добавить в группу
staff-delete-this-group = Удалить эту группу

staff-refusal-group-exists = группа с таким названием уже существует
staff-refusal-group-name = название должно содержать от 1 до 100 символов и не содержать управляющих символов
staff-refusal-no-group = такой группы нет
staff-refusal-not-member = этот пользователь не состоит в этой группе
staff-refusal-no-user = такого пользователя нет
staff-refusal-groups-no-method = после этого изменения у участников групп { $groups } не останется ни одного разрешённого метода
staff-refusal-member-no-method = после добавления в группу «{ $group }» у этого пользователя не останется ни одного разрешённого метода
staff-refusal-grace-range = срок на подключение должен быть от 0 до 3650 дней
staff-refusal-no-method-allowed = нельзя требовать двухфакторную аутентификацию, не разрешив ни одного метода
staff-refusal-too-many-aaguids = можно указать не более 500 AAGUID
staff-refusal-reason-empty = укажите причину
staff-refusal-reason-long = причина должна быть не длиннее 500 символов
staff-refusal-reason-control = причина не должна содержать управляющих символов
staff-refusal-reference-empty = укажите ссылку на проверку личности
staff-refusal-reference-long = ссылка на проверку должна быть не длиннее 200 символов
staff-refusal-reference-control = ссылка на проверку не должна содержать управляющих символов
staff-refusal-own-account = нельзя сбросить двухфакторную аутентификацию собственного аккаунта: обратитесь к коллеге
staff-refusal-staff-account = сбросить двухфакторную аутентификацию аккаунта поддержки или службы безопасности может только служба безопасности
staff-chain-edited = его содержимое не совпадает с его хешем (событие изменено)
staff-chain-unlinked = его prev_hash не совпадает с хешем предыдущего события (событие изменено, вставлено или удалено)
staff-chain-no-heads = отсутствуют строки голов цепочек
staff-chain-unknown-chains = последняя контрольная точка ссылается на цепочки, которых нет в журнале (строка головы цепочки удалена)

staff-compliance-heading = Соответствие политике безопасности
staff-adoption-title = { $days ->
    [one] Вторые факторы за последний { $days } день
    [few] Вторые факторы за последние { $days } дня
   *[other] Вторые факторы за последние { $days } дней
}
staff-chart-note = Подсчёт ведётся по пользователям: у кого есть и приложение-аутентификатор, и ключ безопасности, учитывается в обеих линиях, поэтому в сумме линии могут дать больше, чем всего пользователей. YubiKey, зарегистрированный как ключ безопасности, считается ключом безопасности; резервные коды не учитываются. Каждый день подсчитывается на его начало (UTC), сегодняшний — на текущий момент.
staff-chart-gaps = { $count ->
    [one] За { $count } день нет записи (ни один сервер не работал), на графике это разрыв.
    [few] За { $count } дня нет записи (ни один сервер не работал), на графике это разрывы.
   *[other] За { $count } дней нет записи (ни один сервер не работал), на графике это разрывы.
}
staff-chart-summary = { $days ->
    [one] Пользователи по видам второго фактора за последний { $days } день.
    [few] Пользователи по видам второго фактора за последние { $days } дня.
   *[other] Пользователи по видам второго фактора за последние { $days } дней.
}
staff-chart-today = Сегодня из { $users ->
    [one] { $users } пользователя
   *[other] { $users } пользователей
}: у { $totp } — приложение-аутентификатор, у { $yubikey } — YubiKey, у { $key } — ключ безопасности, у { $none } нет второго фактора.
staff-no-second-factor = Нет второго фактора
staff-all-users = Все пользователи
staff-axis-day = День (UTC)
staff-axis-users = Пользователи
staff-trend-caption = Пользователи по видам второго фактора
staff-col-kind = Вид
staff-col-change = Изменение
staff-every-day = Все записанные дни
staff-daily-caption = Пользователи по видам второго фактора за каждый записанный день, сначала новые
staff-col-day = День
staff-col-app = Приложение
staff-col-no-factor = Нет
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Ключ
staff-col-all = Всего
staff-noncompliant-title = Пользователи, не соответствующие политике
staff-nothing-required = Политика не требует двухфакторной аутентификации (как и политики групп), поэтому ей соответствуют все пользователи.
staff-change-policy = Изменить политику
staff-all-compliant = У каждого пользователя есть второй фактор, который принимает политика.
staff-noncompliant-count = { $count ->
    [one] { $count } пользователь не соответствует политике.
    [few] { $count } пользователя не соответствуют политике.
   *[other] { $count } пользователей не соответствуют политике.
}
staff-judged-by-effective = { $days ->
    [one] Каждый оценивается по своей действующей политике — глобальной вместе с политиками своих групп, где срок на подключение может быть короче глобального ({ $days } день).
    [few] Каждый оценивается по своей действующей политике — глобальной вместе с политиками своих групп, где срок на подключение может быть короче глобального ({ $days } дня).
   *[other] Каждый оценивается по своей действующей политике — глобальной вместе с политиками своих групп, где срок на подключение может быть короче глобального ({ $days } дней).
}
staff-none-overdue = Срок на подключение ({ $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}) пока ни у кого не истёк: после ввода пароля каждому предлагается добавить второй фактор.
staff-none-overdue-groups = Срок на подключение пока ни у кого не истёк: после ввода пароля каждому предлагается добавить второй фактор.
staff-overdue-count = Срок на подключение ({ $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}) истёк у { $count ->
    [one] { $count } пользователя
   *[other] { $count } пользователей
}: им отказано во входе, пока поддержка не выполнит сброс, после которого срок начнётся заново.
staff-overdue-groups = Срок на подключение истёк у { $count ->
    [one] { $count } пользователя
   *[other] { $count } пользователей
}: им отказано во входе, пока поддержка не выполнит сброс, после которого срок начнётся заново.
staff-noncompliant-caption = Пользователи без фактора, который принимает политика; первыми — те, кто дольше всех
staff-col-since = Не соответствует с
staff-col-enroll-by = Подключить до
staff-col-not-accepted = Непринятые факторы
staff-overdue = Просрочено
staff-overdue-since = (с { $date })
staff-global-policy = Глобальная политика
staff-previous = Назад
staff-next = Далее
staff-api-hint = Тот же список: { $call } с API-ключом службы безопасности.

staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Регистрация и вход
staff-event-signed-in-password = Вход по паролю
staff-event-signed-in-enrolled = Вход после добавления второго фактора
staff-event-signed-in-with = { $method ->
    [totp] Вход с приложением-аутентификатором
    [yubikey_otp] Вход с YubiKey
    [webauthn] Вход с ключом безопасности
    [backup_code] Вход с резервным кодом
   *[other] Вход со вторым фактором
}
staff-event-asked-to-enroll = { $sentence }; предложено добавить второй фактор
staff-event-sudo-failed = Неудачное подтверждение пароля
staff-event-sign-in-failed = Неудачный вход
staff-event-sign-in-refused = Вход отклонён
staff-event-verified-with = { $method ->
    [totp] Проверка пройдена с приложением-аутентификатором
    [yubikey_otp] Проверка пройдена с YubiKey
    [webauthn] Проверка пройдена с ключом безопасности
    [backup_code] Проверка пройдена с резервным кодом
   *[other] Проверка пройдена со вторым фактором
}
staff-event-verify-failed = Проверка не пройдена
staff-event-verify-refused = Проверка отклонена
staff-event-lockout-attempt = Попытка отклонена во время блокировки
staff-event-locked-out = Блокировка после слишком многих неверных кодов
staff-event-codes-generated = Созданы резервные коды
staff-event-codes-replaced = Созданы резервные коды (старые перестали действовать)
staff-event-code-used = Использован резервный код
staff-event-code-used-left = Использован резервный код (осталось: { $count })
staff-event-mail-sent = Отправлено уведомление безопасности
staff-event-mail-failed = Не удалось доставить уведомление безопасности
staff-event-mail-delayed = Уведомление безопасности задерживается
staff-mail-about-enabled = двухфакторная аутентификация включена
staff-mail-about-removed = второй фактор удалён
staff-mail-about-regenerated = новые резервные коды
staff-mail-about-code-used = использован резервный код
staff-mail-about-lockout = вход приостановлен после неудачных попыток
staff-mail-about-reset = поддержка сбросила двухфакторную аутентификацию
staff-event-started-adding = { $kind ->
    [totp] Начато добавление приложения-аутентификатора
    [yubikey_otp] Начато добавление YubiKey
    [webauthn] Начато добавление ключа безопасности
    [backup_code] Начато добавление резервного кода
   *[other] Начато добавление второго фактора
}
staff-event-adding-failed = { $kind ->
    [totp] Не удалось добавить приложение-аутентификатор
    [yubikey_otp] Не удалось добавить YubiKey
    [webauthn] Не удалось добавить ключ безопасности
    [backup_code] Не удалось добавить резервный код
   *[other] Не удалось добавить второй фактор
}
staff-event-factor-added = { $kind ->
    [totp] Добавлено приложение-аутентификатор
    [yubikey_otp] Добавлен YubiKey
    [webauthn] Добавлен ключ безопасности
    [backup_code] Добавлен резервный код
   *[other] Добавлен второй фактор
}
staff-event-factor-removed = { $kind ->
    [totp] Удалено приложение-аутентификатор
    [yubikey_otp] Удалён YubiKey
    [webauthn] Удалён ключ безопасности
    [backup_code] Удалён резервный код
   *[other] Удалён второй фактор
}
staff-event-factor-abandoned = { $kind ->
    [totp] Приложение-аутентификатор удалено до завершения настройки
    [yubikey_otp] YubiKey удалён до завершения настройки
    [webauthn] Ключ безопасности удалён до завершения настройки
    [backup_code] Резервный код удалён до завершения настройки
   *[other] Второй фактор удалён до завершения настройки
}
staff-event-reset = { $check ->
    [backup_code] Поддержка сбросила двухфакторную аутентификацию после того, как клиент продиктовал резервный код
    [out_of_band] Поддержка сбросила двухфакторную аутентификацию после проверки личности вне Keyward
    [operator_cli] Поддержка сбросила двухфакторную аутентификацию из командной строки
   *[other] Поддержка сбросила двухфакторную аутентификацию
}: удалены { $factors ->
    [one] { $factors } фактор
    [few] { $factors } фактора
   *[other] { $factors } факторов
} и { $codes ->
    [one] { $codes } резервный код
    [few] { $codes } резервных кода
   *[other] { $codes } резервных кодов
}
staff-event-reset-refused = Сброс поддержкой отклонён
staff-event-reported = Пользователь сообщил о действиях, которых не совершал («это был не я»)
staff-event-access-denied = Отказано в доступе к странице для сотрудников
staff-event-policy-changed = Изменена политика безопасности
staff-event-group-created = Создана группа
staff-event-group-created-named = Создана группа «{ $name }»
staff-event-group-deleted = Удалена группа
staff-event-group-deleted-named = Удалена группа «{ $name }»
staff-event-group-policy-changed = Изменена политика безопасности группы
staff-event-group-policy-changed-named = Изменена политика безопасности группы «{ $name }»
staff-event-member-added = Добавление в группу
staff-event-member-added-named = Добавление в группу «{ $name }»
staff-event-member-removed = Исключение из группы
staff-event-member-removed-named = Исключение из группы «{ $name }»
staff-event-account-created = Создан аккаунт
staff-event-account-updated = Изменены данные аккаунта
staff-event-role-changed = Изменена роль
staff-event-role-changed-from = Изменена роль: { $before } → { $after }
staff-event-api-key-created = Создан API-ключ
staff-event-yubikey-added = YubiKey добавлен в хранилище ключей
staff-event-yubikeys-imported = { $count ->
    [one] В хранилище ключей импортирован { $count } YubiKey
   *[other] В хранилище ключей импортировано { $count } YubiKey
}
staff-event-yubikeys-imported-some = В хранилище ключей импортированы YubiKey
staff-event-yubikey-removed = YubiKey удалён из хранилища ключей
staff-event-wsapi-client = Создан клиент службы проверки YubiKey
staff-event-wsapi-verify = Код YubiKey проверен для клиента службы проверки
staff-event-cloned-key = Возможно, ключ безопасности клонирован: его счётчик не увеличился
staff-reason-wrong-password = неверный пароль
staff-reason-no-match = код не совпал
staff-reason-replay = код уже был использован
staff-reason-overdue = срок на добавление второго фактора истёк
staff-reason-yubicloud-down = служба проверки YubiKey не ответила
staff-reason-challenge = запрос ключа безопасности истёк или уже использован
staff-reason-bad-signature = подпись ключа безопасности недействительна
staff-reason-counter = счётчик ключа безопасности пошёл назад
staff-reason-attestation = модель ключа безопасности не входит в число доверенных
staff-reason-backup-code = резервный код не совпал
staff-reason-own-account = нельзя сбросить собственный аккаунт
staff-reason-staff-account = аккаунт сотрудника может сбросить только служба безопасности
staff-reason-too-many = слишком много неверных кодов

## Notices, scripts and the way back

month-long-1 = января
month-long-2 = февраля
month-long-3 = марта
month-long-4 = апреля
month-long-5 = мая
month-long-6 = июня
month-long-7 = июля
month-long-8 = августа
month-long-9 = сентября
month-long-10 = октября
month-long-11 = ноября
month-long-12 = декабря
date-long = { $day } { $month } { $year } г.
list-quoted = «{ $name }»
list-and = { $head } и { $last }

return-title = Возвращаемся в { $client }
return-done = Готово. Возвращаем вас в { $client }…
return-going = Возвращаем вас в { $client }…
return-continue = Продолжить в { $client }

js-name-first = Сначала введите название ключа.
js-touch-key = Теперь коснитесь ключа безопасности или разблокируйте его.
js-key-no-answer = Ключ безопасности не ответил, или запрос был отменён. Попробуйте ещё раз.
js-key-registered = Этот ключ безопасности уже зарегистрирован.
js-key-unsupported = Этот браузер не поддерживает ключи безопасности. Попробуйте другой браузер или выберите другой способ.
js-failed = Что-то пошло не так. Попробуйте ещё раз.
js-session-ended = Сеанс завершён. Войдите снова.
js-page-expired = Срок действия страницы истёк. Обновите её и попробуйте ещё раз.
js-too-many-attempts = Слишком много неудачных попыток. В целях безопасности вход приостановлен: попробуйте снова через несколько минут.
js-key-refused = Ответ ключа безопасности не принят. Попробуйте ещё раз.
js-key-policy = Политика безопасности вашей организации не принимает этот ключ безопасности.
js-no-key = К вашему аккаунту не привязан ключ безопасности. Выберите другой способ.
codes-file-header = Резервные коды { $issuer }. Каждый из них позволяет войти один раз.

wait-sign-ins = { $count ->
    [one] Слишком много неудачных попыток входа. Попробуйте снова через { $count } минуту, войдите из браузера, которым вы уже пользовались, или сбросьте пароль.
    [few] Слишком много неудачных попыток входа. Попробуйте снова через { $count } минуты, войдите из браузера, которым вы уже пользовались, или сбросьте пароль.
    [many] Слишком много неудачных попыток входа. Попробуйте снова через { $count } минут, войдите из браузера, которым вы уже пользовались, или сбросьте пароль.
   *[other] Слишком много неудачных попыток входа. Попробуйте снова через { $count } минуты, войдите из браузера, которым вы уже пользовались, или сбросьте пароль.
}
wait-network = { $count ->
    [one] Слишком много попыток из вашей сети. Попробуйте снова через { $count } минуту.
    [few] Слишком много попыток из вашей сети. Попробуйте снова через { $count } минуты.
    [many] Слишком много попыток из вашей сети. Попробуйте снова через { $count } минут.
   *[other] Слишком много попыток из вашей сети. Попробуйте снова через { $count } минуты.
}
wait-passwords = { $count ->
    [one] Слишком много неверных паролей. Попробуйте снова через { $count } минуту.
    [few] Слишком много неверных паролей. Попробуйте снова через { $count } минуты.
    [many] Слишком много неверных паролей. Попробуйте снова через { $count } минут.
   *[other] Слишком много неверных паролей. Попробуйте снова через { $count } минуты.
}
please-wait = Подождите

signin-confirm-first-title = Сначала подтвердите адрес электронной почты
signin-confirm-first = Ваш аккаунт ещё не подтверждён. Мы отправили ссылку для подтверждения на { $account }: откройте её, затем войдите снова.
signin-overdue-title = Требуется двухфакторная аутентификация
signin-overdue = Ваша организация требует второй фактор ({ $methods }) для вашего аккаунта, а срок его добавления истёк { $date }. Чтобы восстановить доступ, обратитесь в поддержку.

check-inbox-title = Проверьте почту
signup-check-inbox = { $count ->
    [one] Мы отправили письмо на { $email }. Откройте ссылку из него в течение { $count } часа, чтобы подтвердить адрес, затем войдите и добавьте второй фактор.
    [few] Мы отправили письмо на { $email }. Откройте ссылку из него в течение { $count } часов, чтобы подтвердить адрес, затем войдите и добавьте второй фактор.
    [many] Мы отправили письмо на { $email }. Откройте ссылку из него в течение { $count } часов, чтобы подтвердить адрес, затем войдите и добавьте второй фактор.
   *[other] Мы отправили письмо на { $email }. Откройте ссылку из него в течение { $count } часа, чтобы подтвердить адрес, затем войдите и добавьте второй фактор.
}
signup-no-mail = Письмо не пришло за несколько минут? Проверьте папку «Спам». Если у вас уже был аккаунт с этим адресом, в письме сказано, как снова в него войти.
signup-email-missing = Введите адрес электронной почты.
signup-email-invalid = Это недействительный адрес электронной почты. Проверьте, нет ли в нём опечаток.
signup-closed-title = Регистрация закрыта
signup-closed = Аккаунты на этом сервере создают его администраторы. Обратитесь к ним.
forgot-check-inbox = { $count ->
    [one] Если { $email } — адрес аккаунта с паролем, ссылка для выбора нового пароля уже в пути. Она действует один раз в течение { $count } минуты.
    [few] Если { $email } — адрес аккаунта с паролем, ссылка для выбора нового пароля уже в пути. Она действует один раз в течение { $count } минут.
    [many] Если { $email } — адрес аккаунта с паролем, ссылка для выбора нового пароля уже в пути. Она действует один раз в течение { $count } минут.
   *[other] Если { $email } — адрес аккаунта с паролем, ссылка для выбора нового пароля уже в пути. Она действует один раз в течение { $count } минуты.
}
forgot-no-mail = Письмо не пришло за несколько минут? Проверьте папку «Спам» или запросите ссылку ещё раз.
link-ask-again = Запросить новую ссылку
link-sign-in-again = Войти и получить новую ссылку
link-used = Каждая ссылка действует один раз. Если она вам всё ещё нужна, запросите новую.
link-expired-password = Ссылка для сброса пароля действует { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
    [many] { $count } минут
   *[other] { $count } минуты
} (ссылка, отправленная после сброса службой поддержки, — { $hours ->
    [one] { $hours } час
    [few] { $hours } часа
    [many] { $hours } часов
   *[other] { $hours } часа
}). Запросите новую.
link-expired-confirm = Ссылка для подтверждения действует { $count ->
    [one] { $count } час
    [few] { $count } часа
    [many] { $count } часов
   *[other] { $count } часа
}. Войдите с адресом электронной почты и паролем: мы отправим вам новую.
link-invalid = Откройте ссылку из самого последнего письма точно в том виде, в каком она была отправлена: новая ссылка заменяет предыдущие.
confirm-wrong-password = Это не тот пароль, который был выбран при создании аккаунта. Если вы не создавали аккаунт, закройте эту страницу: без подтверждения им нельзя пользоваться.
confirm-done-title = Адрес подтверждён
confirm-done = Спасибо: адрес { $account } подтверждён. Войдите с адресом электронной почты и паролем, чтобы добавить второй фактор.

password-set-title = Выберите новый пароль
password-set-button = Задать пароль
password-set-hint-sign-out = На всех устройствах, где выполнен вход в ваш аккаунт, будет выполнен выход.
password-set-hint-2fa = Двухфакторная аутентификация останется включённой: для входа вам по-прежнему понадобится второй фактор.
password-set-done-title = Новый пароль задан
password-set-done = На всех устройствах выполнен выход. Войдите с новым паролем.
password-set-done-2fa = Двухфакторная аутентификация не изменилась: вам по-прежнему понадобится второй фактор. Письмо с подтверждением уже в пути.
password-change-title = Смена пароля
password-change-hint = На всех остальных устройствах, где выполнен вход в ваш аккаунт, будет выполнен выход.
password-mismatch = Новые пароли не совпадают.
password-too-short = { $count ->
    [one] Пароль должен содержать не менее { $count } символа.
    [few] Пароль должен содержать не менее { $count } символов.
    [many] Пароль должен содержать не менее { $count } символов.
   *[other] Пароль должен содержать не менее { $count } символа.
}
password-too-long = { $count ->
    [one] Пароль должен занимать не более { $count } байта.
    [few] Пароль должен занимать не более { $count } байт.
    [many] Пароль должен занимать не более { $count } байт.
   *[other] Пароль должен занимать не более { $count } байта.
}
password-current-wrong = Неверный текущий пароль.
password-same = Новый пароль совпадает с текущим: выберите другой.

name-missing = Введите название.
name-too-long = { $count ->
    [one] Название может содержать не более { $count } символа.
    [few] Название может содержать не более { $count } символов.
    [many] Название может содержать не более { $count } символов.
   *[other] Название может содержать не более { $count } символа.
}
name-control-characters = Название не может содержать управляющие символы.
placeholder-app = напр. Мой телефон
placeholder-yubikey = напр. Рабочий YubiKey
setup-expired-after = { $count ->
    [one] Начните заново в настройках безопасности: незавершённая настройка действует { $count } минуту.
    [few] Начните заново в настройках безопасности: незавершённая настройка действует { $count } минуты.
    [many] Начните заново в настройках безопасности: незавершённая настройка действует { $count } минут.
   *[other] Начните заново в настройках безопасности: незавершённая настройка действует { $count } минуты.
}
no-such-setup = Такой настройки нет.
policy-no-common-key-model = Политики безопасности ваших групп { $groups } вместе не допускают ни одной модели ключа безопасности.
policy-not-allowed-groups = { $count ->
    [one] Запрещено политикой безопасности вашей группы { $groups }.
    [few] Запрещено политиками безопасности ваших групп { $groups }.
    [many] Запрещено политиками безопасности ваших групп { $groups }.
   *[other] Запрещено политиками безопасности ваших групп { $groups }.
}
required-enroll-by = Ваша организация требует двухфакторную аутентификацию. Чтобы сохранить доступ к аккаунту, добавьте один из способов ниже до { $date }.
second-step-hardware-only = { $client } запрашивает здесь аппаратный ключ: коснитесь YubiKey или используйте ключ безопасности.
second-step-not-allowed = Политика безопасности вашей организации больше не принимает этот способ. Используйте другой второй фактор или резервный код.

refused-method-not-allowed = Политика безопасности вашей организации не разрешает этот способ.
refused-last-compliant-factor = Ваша организация требует двухфакторную аутентификацию, а это ваш последний второй фактор, который принимает её политика безопасности. Прежде чем удалить его, добавьте другой.
refused-factors-frozen = Изменения вторых факторов заблокированы, так как вы сообщили о действиях, которых не совершали. Наша служба поддержки вам поможет.
refused-new-password-first = Вы сообщили о действиях, которых не совершали: прежде чем добавлять или менять второй фактор, выберите новый пароль по ссылке из нашего письма.
refused-confirm-address-first = Ваш адрес электронной почты ещё не подтверждён: сначала откройте ссылку для подтверждения из нашего письма.
refused-yubikey-taken = Этот YubiKey зарегистрирован на другой аккаунт.
refused-yubikey-yours = Этот YubiKey уже есть среди ваших вторых факторов.
refused-already-active = Этот второй фактор уже активен.
refused-no-room = В вашем аккаунте уже максимальное число вторых факторов и незавершённых настроек ({ $count }). Сначала удалите один из них.

access-not-available = Недоступно
form-too-large-title = Форма слишком большая
form-too-large = Вернитесь назад и попробуйте ещё раз.
form-unreadable-title = Не удалось прочитать форму
oidc-no-client = В запросе не указан клиент (нет client_id).
oidc-client-lookup = Не удалось найти клиента. Попробуйте ещё раз.
oidc-unknown-client = Приложение, которое направило вас сюда, неизвестно этому серверу.
oidc-redirect-unregistered = Этот адрес перенаправления (redirect URI) не зарегистрирован для данного клиента.
