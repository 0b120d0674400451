# Las palabras de Keyward en español (traducción de locales/en/keyward.ftl; cómo añadir un idioma: docs/i18n.md).

## Dates

month-1 = ene
month-2 = feb
month-3 = mar
month-4 = abr
month-5 = may
month-6 = jun
month-7 = jul
month-8 = ago
month-9 = sept
month-10 = oct
month-11 = nov
month-12 = dic
date = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC

## Layout

nav-label = Menú principal
nav-settings = Configuración de seguridad
nav-support = Consola de soporte
nav-policy = Política de seguridad
nav-groups = Grupos
nav-compliance = Cumplimiento
nav-audit = Registro de auditoría
role-support = Soporte
role-security = Seguridad
sign-out = Cerrar sesión
handoff-label = De dónde viene
handoff-came-from = Viene de { $client }.
handoff-back = Volver a { $client }
handoff-cancel = Cancelar y volver a { $client }
language-label = Idioma
account-security = Seguridad de la cuenta

## Sign-in

sign-in = Iniciar sesión
sign-in-continue = Inicie sesión con su cuenta de { $issuer } para continuar en { $client }.
field-email = Correo electrónico
field-password = Contraseña
forgot-link = ¿Olvidó su contraseña?
new-here = ¿Es nuevo aquí?
create-account-link = Cree una cuenta
error-credentials = El correo electrónico o la contraseña no son correctos.
forgot-title = Restablecer la contraseña
forgot-intro = Introduzca la dirección de correo de su cuenta. Le enviaremos un enlace para elegir una contraseña nueva; funciona una sola vez, durante 30 minutos.
forgot-send = Enviar el enlace
forgot-2fa-stays = Restablecer la contraseña no desactiva la verificación en dos pasos: seguirá necesitando su segundo factor para iniciar sesión.
back-to-sign-in = Volver al inicio de sesión
go-to-sign-in = Ir al inicio de sesión
signup-title = Crear una cuenta
signup-button = Crear cuenta
have-account = ¿Ya tiene una cuenta?
password-length-hint = Al menos 8 caracteres.
confirm-title = Confirme su dirección de correo
confirm-intro = Confirme que { $account } es su dirección: introduzca la contraseña que eligió al crear la cuenta. Después inicie sesión y añada un segundo factor.
confirm-button = Confirmar mi dirección
confirm-not-you = Si usted no creó ninguna cuenta, cierre esta página: no pasará nada y la cuenta se eliminará cuando caduque el enlace.

## Second step

second-step-title = Verificación en dos pasos
second-step-upgrade = La política de seguridad de su organización ya no acepta su segundo factor. Confirme su identidad con él (o con un código de respaldo) por última vez y después añada uno nuevo.
second-step-intro = La contraseña es correcta. Ahora confirme su identidad con uno de sus segundos factores:
second-step-intro-handoff = Confirme su identidad con uno de sus segundos factores para continuar en { $client }:
second-step-intro-hardware = { $client } pide una llave física: confirme su identidad con su YubiKey o su llave de seguridad.
prompt-totp = Introduzca el código de 6 dígitos de su app de autenticación
prompt-yubikey = Toque su YubiKey
prompt-backup = Introduzca un código de respaldo
option-yubikey = Toque su YubiKey (con el cursor en el campo)
use-security-key = Usar su llave de seguridad
option-backup = Usar un código de respaldo
verify = Verificar
second-step-lost-device = ¿Perdió su dispositivo? Introduzca uno de sus códigos de respaldo en el campo de arriba.
second-step-or-key = O use su llave de seguridad
second-step-key-needs-js = Para usar una llave de seguridad hace falta JavaScript; introduzca un código en su lugar.
second-step-paused = { $minutes ->
    [one] Demasiados códigos incorrectos. Por su seguridad, el inicio de sesión está en pausa: vuelva a intentarlo dentro de { $minutes } minuto.
   *[other] Demasiados códigos incorrectos. Por su seguridad, el inicio de sesión está en pausa: vuelva a intentarlo dentro de { $minutes } minutos.
}
error-code = El código introducido no coincide con el esperado. Vuelva a escanear el código QR o introduzca el código e inténtelo de nuevo.

## Settings

settings-signed-in-as = Sesión iniciada como { $email }.
settings-reported = Usted informó de actividad que no reconoce. Los cambios en sus segundos factores están bloqueados hasta que nuestro equipo de soporte le haya ayudado.
settings-factors = Segundos factores
add-factor = Añadir un segundo factor
settings-2fa-off = La verificación en dos pasos está desactivada: para iniciar sesión solo hace falta su contraseña.
settings-your-factors = Sus segundos factores
col-name = Nombre
col-type = Tipo
col-status = Estado
col-added = Añadido
col-last-used = Último uso
col-actions = Acciones
never = Nunca
remove = Quitar
remove-named = Quitar { $name }
status-active = Activo
status-pending = Pendiente
settings-backup-codes = Códigos de respaldo
backup-codes-left = { $count ->
    [one] Le queda { $count } código de respaldo.
   *[other] Le quedan { $count } códigos de respaldo.
}
regenerate-codes = Generar códigos nuevos
settings-password = Contraseña
password-last-changed = Último cambio: { $date }.
password-set-at-creation = Establecida al crear la cuenta.
change-password = Cambiar contraseña
notice-removed = Se quitó el factor. Le hemos enviado un correo de confirmación.
notice-added = El segundo factor está activo. Le hemos enviado un correo de confirmación.
notice-password = Su contraseña se cambió y se cerró la sesión en todos los demás dispositivos. Le hemos enviado un correo de confirmación.

## Adding a factor

add-intro = Elija cómo quiere confirmar su identidad al iniciar sesión.
method-app = App de autenticación
method-app-about = Google Authenticator, Duo Mobile, Authy u otra app que muestre códigos de 6 dígitos.
method-yubikey = YubiKey
method-yubikey-about = Una YubiKey que escribe una contraseña de un solo uso al tocarla.
method-key = Llave de seguridad
method-key-about = Una llave de seguridad FIDO2 o una llave de acceso (passkey) en este dispositivo.
not-allowed-policy = No lo permite la política de seguridad de su organización.
required-replace = La política de seguridad de su organización ya no acepta su segundo factor. Añada uno de los métodos siguientes para continuar.
back-to-settings = Volver a la configuración de seguridad
choose-another-method = Elegir otro método
name-device = Nombre del dispositivo
add-yubikey-title = Añadir una YubiKey
add-app-title = Añadir una app de autenticación
add-yubikey-button = Añadir YubiKey
continue = Continuar
yubikey-otp-hint = Coloque el cursor en este campo y toque el contacto dorado de su YubiKey.
totp-title = Configure su app de autenticación
totp-step-open = Abra su app de autenticación: Google Authenticator (toque «+» y luego «Escanear un código QR»), Duo Mobile («Añadir» y luego «Usar código QR») o Authy («+» y luego «Escanear código QR»).
totp-step-scan = Escanee el código QR de abajo. Si no puede, elija introducir una clave de configuración y escriba la clave que aparece sobre el código.
totp-step-code = Introduzca el código de 6 dígitos que muestra la app.
totp-setup-key = Clave de configuración
totp-account = Cuenta
totp-issuer = Emisor
totp-qr-alt = Código QR para configurar su app de autenticación
turn-on = Activar
setup-expired = Esta configuración ha caducado
setup-expired-again = Vuelva a empezar desde su configuración de seguridad.
key-title = Añadir una llave de seguridad
key-name = Nombre de la llave
key-name-placeholder = p. ej., YubiKey 5C
key-hint = Pulse el botón y, cuando el navegador se lo pida, toque o desbloquee su llave de seguridad.
key-button = Añadir llave
key-needs-js = Las llaves de seguridad necesitan JavaScript en este navegador. Actívelo o elija otro método.
key-codes-intro = Si pierde su llave, cada uno de estos códigos le permite iniciar sesión una vez. Solo se muestran ahora.
backup-codes-title = Sus códigos de respaldo
backup-codes-heading = Guarde sus códigos de respaldo
backup-codes-intro = Si pierde su dispositivo, cada uno de estos códigos le permite iniciar sesión una vez. Guárdelos en un lugar seguro: solo se muestran ahora.
download-txt = Descargar .txt
print = Imprimir
codes-saved = Ya guardé los códigos
sudo-title = Confirme su contraseña
sudo-intro = Por su seguridad, vuelva a introducir su contraseña antes de cambiar sus segundos factores. No se la volveremos a pedir durante 10 minutos.
error-password = La contraseña no es correcta.
no-such-factor = No tiene ese factor.

## Passwords

password-for-account = Para la cuenta { $account }.
field-current-password = Contraseña actual
field-new-password = Contraseña nueva
field-new-password-again = Repita la contraseña nueva

## Messages

message-reference = Si vuelve a ocurrir, indique esta referencia al soporte:
not-found = No encontrado
please-try-again = Inténtelo de nuevo
form-expired = Este formulario caducó o no procede de este sitio. Vuelva atrás, recargue la página e inténtelo de nuevo.
change-not-possible = Este cambio no es posible
request-not-valid = Esta solicitud no es válida
something-wrong = Algo salió mal
something-wrong-body = Algo salió mal por nuestra parte. Inténtelo de nuevo en un momento.
yubikey-otp-refused = No se aceptó esa contraseña de un solo uso de la YubiKey. Vuelva a tocar la llave.
yubikey-service-down = El servicio de validación de YubiKey no está disponible. Inténtelo de nuevo en un momento.
oidc-error-title = Este enlace no se puede usar
oidc-error-hint = Si vuelve a ocurrir, avise al soporte de la aplicación: la forma en que le envía a { $issuer } no está bien configurada.
oidc-expired = Este inicio de sesión ya terminó o tardó demasiado. Vuelva a la aplicación de la que venía y empiece de nuevo.

## "This wasn't me"

report-ask-title = ¿No fue usted?
report-done-title = Su cuenta está protegida
report-used-title = Este enlace ya se usó
report-expired-title = Este enlace ha caducado
report-invalid-title = Este enlace no es válido
report-followed = Ha seguido el enlace «No fui yo» de un aviso de seguridad sobre { $account }.
report-we-will = Si usted no hizo ese cambio, proteja su cuenta ahora. Nosotros:
report-step-sign-out = cerraremos su sesión en todas partes,
report-step-password = desactivaremos su contraseña,
report-step-freeze = bloquearemos los cambios en su verificación en dos pasos,
report-step-alert = avisaremos a nuestro equipo de soporte, que se pondrá en contacto con usted.
report-button = Proteger mi cuenta
report-if-yours = Si el cambio lo hizo usted, cierre esta página: no pasará nada hasta que pulse el botón.
report-done = Su cuenta { $account } está protegida: se cerró su sesión en todas partes, los cambios en su verificación en dos pasos están bloqueados y nuestro equipo de soporte ha sido avisado.
report-done-next = Su contraseña ya no funciona, así que quien la conozca no podrá iniciar sesión. El soporte se pondrá en contacto con usted para restablecer el acceso a sus segundos factores; después le enviaremos un enlace para elegir una contraseña nueva.
report-used = Este enlace ya se usó. Su aviso quedó registrado y el soporte ha sido avisado.
report-expired = Este enlace ha caducado: los enlaces de los avisos de seguridad funcionan durante 7 días. Si sigue creyendo que otra persona cambió su cuenta, contacte con el soporte.
report-invalid = Este enlace no es válido. Abra el enlace del aviso de seguridad tal como se envió o contacte con el soporte.

## Mail

mail-hello = Hola:
mail-label-account = Cuenta
mail-label-when = Cuándo
mail-label-from = Dirección IP
mail-label-method = Método
mail-label-device = Dispositivo
mail-label-reason = Motivo
mail-label-agent = Agente de soporte
mail-report-heading = ¿No fue usted?
mail-report-body = Avísenos de inmediato. Cerraremos su sesión en todas partes, desactivaremos su contraseña, bloquearemos los cambios en su verificación en dos pasos y avisaremos a nuestro equipo de soporte, que le ayudará a establecer una contraseña nueva.
mail-report-button = No fui yo
mail-report-expiry = El enlace funciona una sola vez y caduca en 7 días.
mail-footer-notice = Este es un aviso de seguridad automático de { $issuer }. Nunca le pediremos por correo su contraseña, sus códigos ni sus códigos de respaldo.
mail-footer-message = Este es un mensaje automático de { $issuer }. Nunca le pediremos por correo su contraseña, sus códigos ni sus códigos de respaldo.
mail-facts = { $method }, añadido el { $day } (id terminado en { $tail })
mail-facts-yubikey = YubiKey { $public_id }, añadida el { $day } (id terminado en { $tail })
mail-subject-enabled-first = La verificación en dos pasos está activada en su cuenta de { $issuer }
mail-subject-enabled = Se añadió un segundo factor nuevo a su cuenta de { $issuer }
mail-subject-removed = Se quitó un segundo factor de su cuenta de { $issuer }
mail-subject-regenerated = Se crearon códigos de respaldo nuevos para su cuenta de { $issuer }
mail-subject-used = Se usó un código de respaldo para entrar en su cuenta de { $issuer }
mail-subject-lockout = El inicio de sesión en su cuenta de { $issuer } está en pausa tras varios intentos fallidos
mail-subject-support-reset = El soporte restableció la verificación en dos pasos de su cuenta de { $issuer }
mail-subject-password-reset = Restablezca la contraseña de su cuenta de { $issuer }
mail-subject-set-password = Elija una contraseña nueva para su cuenta de { $issuer }
mail-subject-confirm = Confirme la dirección de correo de su nueva cuenta de { $issuer }
mail-subject-attempt = Ya tiene una cuenta de { $issuer }
mail-subject-password-was-reset = Se restableció la contraseña de su cuenta de { $issuer }
mail-subject-password-changed = Se cambió la contraseña de su cuenta de { $issuer }
mail-enabled-first-heading = La verificación en dos pasos está activada
mail-enabled-heading = Se añadió un segundo factor nuevo
mail-enabled-first-body = La verificación en dos pasos ya está activada en su cuenta de { $issuer }.
mail-enabled-body = Se añadió un segundo factor nuevo a su cuenta de { $issuer }.
mail-enabled-keep-codes = Guarde sus códigos de respaldo en un lugar seguro: si pierde este dispositivo, cada uno le permite iniciar sesión una vez.
mail-removed-heading = Se quitó un segundo factor
mail-removed-body = Se quitó un segundo factor de su cuenta de { $issuer }.
mail-removed-none-left = Su cuenta ya no tiene ningún segundo factor: para iniciar sesión solo hace falta su contraseña. Vuelva a añadir un segundo factor en su configuración de seguridad.
mail-regenerated-heading = Se crearon códigos de respaldo nuevos
mail-regenerated-body = Se crearon códigos de respaldo nuevos para su cuenta de { $issuer }. Sus códigos anteriores ya no funcionan.
mail-regenerated-not-included = Los códigos nuevos se mostraron una sola vez, donde se crearon; este correo no los contiene.
mail-used-heading = Se usó un código de respaldo
mail-used-body = Se usó un código de respaldo para iniciar sesión en su cuenta de { $issuer }.
mail-used-left = Códigos de respaldo restantes: { $count }
mail-used-low = Le quedan pocos: cree códigos de respaldo nuevos en su configuración de seguridad.
mail-lockout-heading = Inicio de sesión en pausa tras intentos fallidos
mail-lockout-body = Tras varios códigos de verificación incorrectos, el inicio de sesión en su cuenta de { $issuer } está en pausa hasta el { $until }. Hasta entonces nadie puede iniciar sesión, ni siquiera con el código correcto.
mail-lockout-advice = Si usted no hizo estos intentos, puede que alguien conozca su contraseña: cámbiela.
mail-reset-heading = El soporte restableció su verificación en dos pasos
mail-reset-body = Nuestro equipo de soporte restableció la verificación en dos pasos de su cuenta de { $issuer }. Se quitaron todos sus segundos factores y códigos de respaldo, y se cerró su sesión en todas partes.
mail-reset-next = Inicie sesión con su contraseña y vuelva a añadir un segundo factor.
mail-password-reset-heading = Restablezca su contraseña
mail-password-reset-body = { $minutes ->
    [one] Alguien pidió restablecer la contraseña de su cuenta de { $issuer }. Si fue usted, elija una contraseña nueva en { $minutes } minuto como máximo:
   *[other] Alguien pidió restablecer la contraseña de su cuenta de { $issuer }. Si fue usted, elija una contraseña nueva en { $minutes } minutos como máximo:
}
mail-choose-password-button = Elegir una contraseña nueva
mail-password-reset-note = El enlace funciona una sola vez. Restablecer la contraseña no desactiva la verificación en dos pasos: seguirá necesitando su segundo factor para iniciar sesión, y se cerrará la sesión en todos los dispositivos conectados a su cuenta.
mail-password-reset-ignore = Si usted no lo pidió, ignore este correo: su contraseña no cambia.
mail-set-password-body = { $hours ->
    [one] Tras su aviso de actividad que no reconoce, su contraseña anterior ya no funciona. Nuestro equipo de soporte restableció la verificación en dos pasos de su cuenta. Elija una contraseña nueva en { $hours } hora como máximo; después inicie sesión y vuelva a añadir un segundo factor:
   *[other] Tras su aviso de actividad que no reconoce, su contraseña anterior ya no funciona. Nuestro equipo de soporte restableció la verificación en dos pasos de su cuenta. Elija una contraseña nueva en { $hours } horas como máximo; después inicie sesión y vuelva a añadir un segundo factor:
}
mail-set-password-note = El enlace funciona una sola vez. Hasta que lo use, nadie puede iniciar sesión en su cuenta con una contraseña ni añadirle un segundo factor.
mail-confirm-heading = Confirme su dirección de correo
mail-confirm-body = { $hours ->
    [one] Le damos la bienvenida a { $issuer }. Confirme en { $hours } hora como máximo que esta dirección es suya:
   *[other] Le damos la bienvenida a { $issuer }. Confirme en { $hours } horas como máximo que esta dirección es suya:
}
mail-confirm-button = Confirmar mi dirección
mail-confirm-note = Después inicie sesión y añada un segundo factor. Si usted no creó ninguna cuenta, ignore este correo: sin la confirmación la cuenta no se puede usar.
mail-attempt-heading = Ya tiene una cuenta
mail-attempt-body = Alguien intentó crear una cuenta nueva de { $issuer } con esta dirección. Usted ya tiene una, así que no se creó nada.
mail-attempt-sign-in = Si fue usted, inicie sesión. ¿Olvidó su contraseña?
mail-attempt-reset-link = Restablézcala
mail-attempt-ignore = Si no fue usted, ignore este correo: su cuenta no ha cambiado.
mail-changed-reset-heading = Se restableció su contraseña
mail-changed-heading = Se cambió su contraseña
mail-changed-reset-body = La contraseña de su cuenta de { $issuer } se restableció con un enlace que le enviamos. Se cerró la sesión en todos los dispositivos conectados a su cuenta.
mail-changed-body = La contraseña de su cuenta de { $issuer } se cambió. Se cerró la sesión en todos los demás dispositivos conectados a su cuenta.
mail-changed-factors-unchanged = Sus segundos factores no han cambiado.

## Staff pages

staff-date-time = { $date }, { $time }
staff-day-month = { $day } { $month }
staff-for-example = p. ej., { $example }
staff-second-factor = Segundo factor
staff-role-name = { $role ->
    [customer] cliente
    [support] soporte
   *[security] seguridad
}
staff-actor = { $kind ->
    [user] El usuario
    [support] Soporte
    [api_key] Clave de API
   *[system] Keyward
}
# The audit log's "By" column: the actor type, before the actor's id.
staff-actor-type = { $kind ->
    [user] usuario
    [support] soporte
    [api_key] clave de API
   *[system] sistema
}
staff-required = Obligatorio
staff-not-required = No obligatorio
staff-none = Ninguno
staff-any = Cualquiera
staff-today = Hoy
staff-col-key = Clave
staff-col-rule = Regla
staff-col-in-force = En vigor
staff-col-from = Origen
staff-col-when = Cuándo
staff-col-when-utc = Cuándo (UTC)
staff-col-event = Evento
staff-col-by = Autor
staff-col-address = Dirección
staff-col-user = Usuario
staff-col-details = Detalles
staff-col-members = Miembros
staff-col-policy = Política
staff-col-role = Rol
staff-source-global = la política global
staff-source-group = el grupo «{ $name }»
staff-not-available = No disponible
staff-refused-support = La consola de soporte es solo para el personal de soporte y de seguridad.
staff-refused-security = El registro de auditoría es solo para el equipo de seguridad.

staff-find-label = Buscar un cliente por correo electrónico
staff-find = Buscar
staff-no-customer = Ningún cliente tiene este correo electrónico.
staff-no-such-customer = Ese cliente no existe.
staff-customer-reported = Este cliente informó de actividad que no reconoce («no fui yo»). Los cambios en sus factores están bloqueados hasta un restablecimiento.
staff-role = Rol: { $role }
staff-backup-codes-left = { $count ->
    [one] le queda { $count } código de respaldo
   *[other] le quedan { $count } códigos de respaldo
}
staff-factors = Factores
staff-no-factor = Sin segundo factor.
staff-customer-factors = Los factores del cliente
staff-groups-and-policy = Grupos y política
staff-in-no-group = No pertenece a ningún grupo: se aplica la política global.
staff-groups-label = Grupos:
staff-effective-policy-caption = La política efectiva del cliente y de dónde viene cada regla
staff-rule-two-factor = Verificación en dos pasos
staff-rule-methods = Métodos permitidos
staff-all-policies = todas las políticas juntas
staff-not-allowed = No permitido
staff-not-allowed-no-common-model = No permitido: los modelos de llave permitidos no tienen ninguno en común
staff-rule-uv = Verificación del usuario
staff-uv-value = { $uv ->
    [required] obligatoria
    [discouraged] no deseada
   *[preferred] preferida
}
staff-rule-attestation = Atestación
staff-rule-key-models = Modelos de llave de seguridad
staff-rule-days = Días para configurar
staff-timeline = Cronología
staff-timeline-caption = Eventos recientes de este cliente
staff-reset-title = Restablecer la verificación en dos pasos
staff-reset-button = Restablecer 2FA
staff-reset-staff-only = { $role ->
    [support] Esta es una cuenta de soporte: solo el equipo de seguridad puede restablecerla.
   *[security] Esta es una cuenta de seguridad: solo el equipo de seguridad puede restablecerla.
}
staff-reset-hint = Quita todos los factores, códigos de respaldo y sesiones de este cliente y se lo notifica por correo. Compruebe primero quién es.
staff-reason = Motivo
staff-identity-check = Comprobación de identidad
staff-check-backup-code = El cliente leyó en voz alta un código de respaldo
staff-backup-code = Código de respaldo
staff-check-out-of-band = Comprobado fuera de Keyward (devolución de llamada, videollamada, ticket)
staff-check-reference = Referencia de esa comprobación
staff-reset-done = Se restableció la verificación en dos pasos. Se ha enviado un correo al cliente.
staff-reset-wrong-code = El código de respaldo no coincidía: no se restableció nada.
staff-nothing-reset = No se restableció nada: { $reason }.

staff-chain-intact = { $count ->
    [one] La cadena está intacta: { $count } evento comprobado, ninguno editado ni eliminado.
   *[other] La cadena está intacta: { $count } eventos comprobados, ninguno editado ni eliminado.
}
staff-chain-broken-at = La cadena está rota en el evento { $event }: { $problem }. Se editaron o eliminaron eventos; compárela con sus copias exportadas.
staff-chain-broken = La cadena está rota: { $problem }. Se editaron o eliminaron eventos; compárela con sus copias exportadas.
staff-filter-email = Correo del cliente
staff-filter-since = Desde (UTC)
staff-filter-until = Hasta (UTC)
staff-filter = Filtrar
staff-export-jsonl = Exportar JSON Lines
staff-export-csv = Exportar CSV
staff-audit-caption = Eventos de auditoría, los más recientes primero
staff-older-events = Eventos anteriores
staff-bad-time = { $field ->
    [since] Desde
   *[until] Hasta
}: use una hora como { $example }
staff-bad-email = Correo del cliente: no es una dirección de correo electrónico
staff-no-user-email = Ningún usuario tiene este correo electrónico.
staff-cannot-export = No se puede exportar

staff-policy-saved = La política se guardó y quedó registrada en el registro de auditoría.
staff-save-policy = Guardar política
staff-nothing-saved = No se guardó nada: { $reason }.
staff-require-two-factor = Exigir la verificación en dos pasos
staff-grace-days = Días que tiene un usuario para configurarla después
staff-methods-that-count = Métodos válidos
staff-hardware-only-hint = Solo llaves físicas: YubiKey y llave de seguridad, con atestación obligatoria.
staff-security-keys = Llaves de seguridad
staff-uv-label = Verificación del usuario (PIN o biometría en la llave)
staff-uv-preferred = Preferida
staff-uv-required = Obligatoria
staff-uv-discouraged = No deseada (basta con tocarla)
staff-require-attestation = Exigir atestación (solo llaves que demuestran su modelo)
staff-allowed-models = Modelos permitidos (ninguno marcado: cualquier modelo):
staff-other-aaguids = Otros AAGUID, uno por línea
staff-form-unknown-method = método desconocido { $value }
staff-form-unknown-uv = verificación del usuario desconocida { $value }
staff-form-not-aaguid = { $value } no es un AAGUID (un UUID)
staff-form-grace-not-number = el plazo debe ser un número entero de días

staff-groups-hint = La política de un grupo endurece la de sus miembros: cada miembro recibe la combinación más estricta de la política global y las políticas de todos sus grupos.
staff-no-group = Todavía no hay grupos.
staff-delete-group-named = Eliminar el grupo { $name }
staff-delete = Eliminar
staff-new-group = Nuevo grupo
staff-create-group = Crear grupo
staff-summary-no-policy = Sin política: no añade nada
staff-summary-two-factor = Dos pasos obligatorios
staff-summary-no-method = ningún método
staff-summary-attestation = atestación obligatoria
staff-group-deleted = Se eliminó el grupo; sus miembros ya no pertenecen a él.
staff-group-created = Se creó el grupo. Asígnele una política y miembros a continuación.
staff-group-policy-saved = La política del grupo se guardó y quedó registrada en el registro de auditoría.
staff-group-policy-removed = Se quitó la política del grupo: el grupo no añade nada a la política de sus miembros.
staff-group-member-added = Se añadió el usuario al grupo.
staff-group-member-removed = Se quitó el usuario del grupo.
staff-nothing-created = No se creó nada: { $reason }.
staff-nothing-changed = No se cambió nada: { $reason }.
staff-no-user-with-email = ningún usuario tiene este correo electrónico
staff-group-title = Grupo { $name }
staff-group-heading = Grupo «{ $name }»
staff-all-groups = Todos los grupos
staff-group-has-policy = Los miembros reciben la combinación más estricta de esta política, la política global y las políticas de sus otros grupos.
staff-group-no-policy = Este grupo no tiene política: no añade nada a la política de sus miembros. Guarde el formulario para darle una.
staff-save-group-policy = Guardar la política del grupo
staff-remove-group-policy = Quitar la política del grupo
staff-no-member = Todavía no hay miembros.
staff-remove-member-named = Quitar a { $email } del grupo
staff-add-member-label = Añadir un usuario por correo electrónico
staff-add-to-group = Añadir al grupo
staff-delete-this-group = Eliminar este grupo

staff-refusal-group-exists = ya existe un grupo con este nombre
staff-refusal-group-name = el nombre debe tener entre 1 y 100 caracteres, sin caracteres de control
staff-refusal-no-group = ese grupo no existe
staff-refusal-not-member = este usuario no está en este grupo
staff-refusal-no-user = ese usuario no existe
staff-refusal-groups-no-method = con este cambio, los miembros de los grupos { $groups } se quedarían sin ningún método permitido
staff-refusal-member-no-method = al añadir este usuario al grupo «{ $group }» se quedaría sin ningún método permitido
staff-refusal-grace-range = el plazo debe estar entre 0 y 3650 días
staff-refusal-no-method-allowed = no se puede exigir la verificación en dos pasos sin permitir ningún método
staff-refusal-too-many-aaguids = como máximo 500 AAGUID
staff-refusal-reason-empty = indique un motivo
staff-refusal-reason-long = el motivo debe tener como máximo 500 caracteres
staff-refusal-reason-control = el motivo no debe contener caracteres de control
staff-refusal-reference-empty = indique la referencia de la comprobación de identidad
staff-refusal-reference-long = la referencia debe tener como máximo 200 caracteres
staff-refusal-reference-control = la referencia no debe contener caracteres de control
staff-refusal-own-account = nadie puede restablecer la verificación en dos pasos de su propia cuenta: pídaselo a un compañero
staff-refusal-staff-account = solo el equipo de seguridad puede restablecer la verificación en dos pasos de una cuenta de soporte o de seguridad
staff-chain-edited = su contenido no coincide con su hash (se editó)
staff-chain-unlinked = su prev_hash no es el hash del evento anterior (se editó, insertó o eliminó un evento)
staff-chain-no-heads = faltan las filas de cabecera de las cadenas
staff-chain-unknown-chains = el punto de control más reciente nombra cadenas que el registro no tiene (se eliminó la fila de cabecera de una cadena)

staff-compliance-heading = Cumplimiento de la política de seguridad
staff-adoption-title = { $days ->
    [one] Segundos factores en el último día
   *[other] Segundos factores en los últimos { $days } días
}
staff-chart-note = Se cuenta por usuario: quien tiene una app de autenticación y una llave de seguridad cuenta en ambas, así que las líneas pueden sumar más que el total de usuarios. Una YubiKey registrada como llave de seguridad cuenta como llave de seguridad; los códigos de respaldo no se cuentan. Cada día se cuenta al comenzar (UTC); hoy se cuenta ahora.
staff-chart-gaps = { $count ->
    [one] { $count } día no tiene registro (no había ningún servidor en marcha) y aparece como un hueco.
   *[other] { $count } días no tienen registro (no había ningún servidor en marcha) y aparecen como huecos.
}
staff-chart-summary = { $days ->
    [one] Usuarios por tipo de segundo factor en el último día.
   *[other] Usuarios por tipo de segundo factor en los últimos { $days } días.
}
staff-chart-today = Hoy, de { $users ->
    [one] { $users } usuario
   *[other] { $users } usuarios
}: { $totp } con app de autenticación, { $yubikey } con YubiKey, { $key } con llave de seguridad y { $none } sin segundo factor.
staff-no-second-factor = Sin segundo factor
staff-all-users = Todos los usuarios
staff-axis-day = Día (UTC)
staff-axis-users = Usuarios
staff-trend-caption = Usuarios por tipo de segundo factor
staff-col-kind = Tipo
staff-col-change = Cambio
staff-every-day = Todos los días registrados
staff-daily-caption = Usuarios por tipo de segundo factor, cada día registrado, los más recientes primero
staff-col-day = Día
staff-col-app = App
staff-col-no-factor = Ninguno
# The table of every recorded day: short column headings (a security key; all users).
staff-col-security-key = Llave
staff-col-all = Total
staff-noncompliant-title = Usuarios que no cumplen la política
staff-nothing-required = La política no exige la verificación en dos pasos (ni la de ningún grupo), así que todos los usuarios la cumplen.
staff-change-policy = Cambiar la política
staff-all-compliant = Todos los usuarios tienen un segundo factor que la política acepta.
staff-noncompliant-count = { $count ->
    [one] { $count } usuario no cumple la política.
   *[other] { $count } usuarios no cumplen la política.
}
staff-judged-by-effective = { $days ->
    [one] Cada uno se evalúa según su política efectiva: la política global junto con las de sus grupos, cuyo plazo puede ser más corto que el global de { $days } día.
   *[other] Cada uno se evalúa según su política efectiva: la política global junto con las de sus grupos, cuyo plazo puede ser más corto que el global de { $days } días.
}
staff-none-overdue = { $days ->
    [one] Nadie ha superado todavía el plazo de { $days } día: a cada uno se le pide añadir un segundo factor después de la contraseña.
   *[other] Nadie ha superado todavía el plazo de { $days } días: a cada uno se le pide añadir un segundo factor después de la contraseña.
}
staff-none-overdue-groups = Nadie ha superado todavía su plazo: a cada uno se le pide añadir un segundo factor después de la contraseña.
staff-overdue-count = { $count ->
    [one] { $count } usuario ha superado el plazo de { $days ->
        [one] { $days } día
       *[other] { $days } días
    }: se le deniega el inicio de sesión hasta que soporte lo restablezca, lo que le da un plazo nuevo.
   *[other] { $count } usuarios han superado el plazo de { $days ->
        [one] { $days } día
       *[other] { $days } días
    }: se les deniega el inicio de sesión hasta que soporte los restablezca, lo que les da un plazo nuevo.
}
staff-overdue-groups = { $count ->
    [one] { $count } usuario ha superado su plazo: se le deniega el inicio de sesión hasta que soporte lo restablezca, lo que le da un plazo nuevo.
   *[other] { $count } usuarios han superado su plazo: se les deniega el inicio de sesión hasta que soporte los restablezca, lo que les da un plazo nuevo.
}
staff-noncompliant-caption = Usuarios sin un factor que la política acepte, primero los que llevan más tiempo
staff-col-since = Incumple desde
staff-col-enroll-by = Configurar antes de
staff-col-not-accepted = Factores no aceptados
staff-overdue = Vencido
staff-overdue-since = (desde { $date })
staff-global-policy = Política global
staff-previous = Anterior
staff-next = Siguiente
staff-api-hint = La misma lista: { $call } con una clave de API de seguridad.

staff-event-detail = { $sentence }: { $detail }
staff-event-signed-up = Se registró e inició sesión
staff-event-signed-in-password = Inició sesión con la contraseña
staff-event-signed-in-enrolled = Inició sesión tras añadir un segundo factor
staff-event-signed-in-with = { $method ->
    [totp] Inició sesión con una app de autenticación
    [yubikey_otp] Inició sesión con una YubiKey
    [webauthn] Inició sesión con una llave de seguridad
    [backup_code] Inició sesión con un código de respaldo
   *[other] Inició sesión con un segundo factor
}
staff-event-asked-to-enroll = { $sentence }; se le pidió añadir un segundo factor
staff-event-sudo-failed = Falló la confirmación de la contraseña
staff-event-sign-in-failed = Falló el inicio de sesión
staff-event-sign-in-refused = Inicio de sesión denegado
staff-event-verified-with = { $method ->
    [totp] Verificado con una app de autenticación
    [yubikey_otp] Verificado con una YubiKey
    [webauthn] Verificado con una llave de seguridad
    [backup_code] Verificado con un código de respaldo
   *[other] Verificado con un segundo factor
}
staff-event-verify-failed = Falló la verificación
staff-event-verify-refused = Verificación denegada
staff-event-lockout-attempt = Intento denegado durante un bloqueo
staff-event-locked-out = Bloqueado tras demasiados códigos incorrectos
staff-event-codes-generated = Códigos de respaldo generados
staff-event-codes-replaced = Códigos de respaldo generados (los antiguos dejaron de funcionar)
staff-event-code-used = Código de respaldo usado
staff-event-code-used-left = Código de respaldo usado (quedan { $count })
staff-event-mail-sent = Aviso de seguridad enviado
staff-event-mail-failed = No se pudo entregar el aviso de seguridad
staff-event-mail-delayed = Aviso de seguridad retrasado
staff-mail-about-enabled = verificación en dos pasos activada
staff-mail-about-removed = segundo factor quitado
staff-mail-about-regenerated = códigos de respaldo nuevos
staff-mail-about-code-used = código de respaldo usado
staff-mail-about-lockout = inicio de sesión en pausa tras intentos fallidos
staff-mail-about-reset = verificación en dos pasos restablecida por soporte
staff-event-started-adding = { $kind ->
    [totp] Empezó a añadir una app de autenticación
    [yubikey_otp] Empezó a añadir una YubiKey
    [webauthn] Empezó a añadir una llave de seguridad
    [backup_code] Empezó a añadir un código de respaldo
   *[other] Empezó a añadir un segundo factor
}
staff-event-adding-failed = { $kind ->
    [totp] No se pudo añadir una app de autenticación
    [yubikey_otp] No se pudo añadir una YubiKey
    [webauthn] No se pudo añadir una llave de seguridad
    [backup_code] No se pudo añadir un código de respaldo
   *[other] No se pudo añadir un segundo factor
}
staff-event-factor-added = { $kind ->
    [totp] App de autenticación añadida
    [yubikey_otp] YubiKey añadida
    [webauthn] Llave de seguridad añadida
    [backup_code] Código de respaldo añadido
   *[other] Segundo factor añadido
}
staff-event-factor-removed = { $kind ->
    [totp] App de autenticación quitada
    [yubikey_otp] YubiKey quitada
    [webauthn] Llave de seguridad quitada
    [backup_code] Código de respaldo quitado
   *[other] Segundo factor quitado
}
staff-event-factor-abandoned = { $kind ->
    [totp] App de autenticación quitada antes de terminar la configuración
    [yubikey_otp] YubiKey quitada antes de terminar la configuración
    [webauthn] Llave de seguridad quitada antes de terminar la configuración
    [backup_code] Código de respaldo quitado antes de terminar la configuración
   *[other] Segundo factor quitado antes de terminar la configuración
}
staff-event-reset = { $check ->
    [backup_code] Soporte restableció la verificación en dos pasos después de que el cliente leyera un código de respaldo
    [out_of_band] Soporte restableció la verificación en dos pasos tras una comprobación de identidad fuera de Keyward
    [operator_cli] Soporte restableció la verificación en dos pasos desde la línea de comandos
   *[other] Soporte restableció la verificación en dos pasos
}: se quitaron { $factors ->
    [one] { $factors } factor
   *[other] { $factors } factores
} y { $codes ->
    [one] { $codes } código de respaldo
   *[other] { $codes } códigos de respaldo
}
staff-event-reset-refused = Restablecimiento por soporte denegado
staff-event-reported = El usuario informó de actividad que no reconoce («no fui yo»)
staff-event-access-denied = Acceso denegado a una página del personal
staff-event-policy-changed = Política de seguridad cambiada
staff-event-group-created = Grupo creado
staff-event-group-created-named = Grupo «{ $name }» creado
staff-event-group-deleted = Grupo eliminado
staff-event-group-deleted-named = Grupo «{ $name }» eliminado
staff-event-group-policy-changed = Política de seguridad del grupo cambiada
staff-event-group-policy-changed-named = Política de seguridad del grupo «{ $name }» cambiada
staff-event-member-added = Añadido al grupo
staff-event-member-added-named = Añadido al grupo «{ $name }»
staff-event-member-removed = Quitado del grupo
staff-event-member-removed-named = Quitado del grupo «{ $name }»
staff-event-account-created = Cuenta creada
staff-event-account-updated = Datos de la cuenta cambiados
staff-event-role-changed = Rol cambiado
staff-event-role-changed-from = Rol cambiado de { $before } a { $after }
staff-event-api-key-created = Clave de API creada
staff-event-yubikey-added = YubiKey añadida al almacén de claves
staff-event-yubikeys-imported = { $count ->
    [one] { $count } YubiKey importada al almacén de claves
   *[other] { $count } YubiKeys importadas al almacén de claves
}
staff-event-yubikeys-imported-some = YubiKeys importadas al almacén de claves
staff-event-yubikey-removed = YubiKey quitada del almacén de claves
staff-event-wsapi-client = Cliente de validación de YubiKey creado
staff-event-wsapi-verify = Código de YubiKey comprobado para un cliente de validación
staff-event-cloned-key = Posible llave de seguridad clonada: su contador no aumentó
staff-reason-wrong-password = contraseña incorrecta
staff-reason-no-match = el código no coincidía
staff-reason-replay = un código que ya se había usado
staff-reason-overdue = terminó el plazo para añadir un segundo factor
staff-reason-yubicloud-down = el servicio de validación de YubiKey no respondió
staff-reason-challenge = el desafío de la llave de seguridad caducó o ya se usó
staff-reason-bad-signature = la firma de la llave de seguridad no era válida
staff-reason-counter = el contador de la llave de seguridad retrocedió
staff-reason-attestation = el modelo de la llave de seguridad no es de confianza
staff-reason-backup-code = el código de respaldo no coincidía
staff-reason-own-account = nadie puede restablecer su propia cuenta
staff-reason-staff-account = una cuenta del personal requiere al equipo de seguridad
staff-reason-too-many = demasiados códigos incorrectos

## Notices, scripts and the way back

month-long-1 = enero
month-long-2 = febrero
month-long-3 = marzo
month-long-4 = abril
month-long-5 = mayo
month-long-6 = junio
month-long-7 = julio
month-long-8 = agosto
month-long-9 = septiembre
month-long-10 = octubre
month-long-11 = noviembre
month-long-12 = diciembre
date-long = { $day } de { $month } de { $year }
list-quoted = «{ $name }»
list-and = { $head } y { $last }

return-title = Volviendo a { $client }
return-done = Listo. Le llevamos de vuelta a { $client }…
return-going = Le llevamos de vuelta a { $client }…
return-continue = Continuar en { $client }

js-name-first = Primero dé un nombre a la llave.
js-touch-key = Toque o desbloquee ahora su llave de seguridad.
js-key-no-answer = La llave de seguridad no respondió o se canceló la solicitud. Inténtelo de nuevo.
js-key-registered = Esta llave de seguridad ya está registrada.
js-key-unsupported = Este navegador no puede usar llaves de seguridad. Pruebe con otro navegador o elija otro método.
js-failed = Algo salió mal. Inténtelo de nuevo.
js-session-ended = Su sesión ha terminado. Vuelva a iniciar sesión.
js-page-expired = Esta página ha caducado. Recárguela e inténtelo de nuevo.
js-too-many-attempts = Demasiados intentos fallidos. Por su seguridad, el inicio de sesión está en pausa: vuelva a intentarlo dentro de unos minutos.
js-key-refused = No se aceptó la respuesta de su llave de seguridad. Inténtelo de nuevo.
js-key-policy = La política de seguridad de su organización no acepta esta llave de seguridad.
js-no-key = Su cuenta no tiene ninguna llave de seguridad. Elija otro método.
codes-file-header = Códigos de respaldo de { $issuer }. Cada uno le permite iniciar sesión una vez.

wait-sign-ins = { $count ->
    [one] Demasiados inicios de sesión fallidos. Vuelva a intentarlo dentro de { $count } minuto, inicie sesión desde un navegador que ya haya usado o restablezca su contraseña.
   *[other] Demasiados inicios de sesión fallidos. Vuelva a intentarlo dentro de { $count } minutos, inicie sesión desde un navegador que ya haya usado o restablezca su contraseña.
}
wait-network = { $count ->
    [one] Demasiados intentos desde su red. Vuelva a intentarlo dentro de { $count } minuto.
   *[other] Demasiados intentos desde su red. Vuelva a intentarlo dentro de { $count } minutos.
}
wait-passwords = { $count ->
    [one] Demasiadas contraseñas incorrectas. Vuelva a intentarlo dentro de { $count } minuto.
   *[other] Demasiadas contraseñas incorrectas. Vuelva a intentarlo dentro de { $count } minutos.
}
please-wait = Espere, por favor

signin-confirm-first-title = Primero confirme su dirección de correo
signin-confirm-first = Su cuenta aún no está confirmada. Hemos enviado un enlace de confirmación a { $account }: ábralo y después vuelva a iniciar sesión.
signin-overdue-title = Se requiere la verificación en dos pasos
signin-overdue = Su organización exige un segundo factor ({ $methods }) para su cuenta y el plazo para añadirlo terminó el { $date }. Póngase en contacto con el soporte para recuperar el acceso.

check-inbox-title = Revise su correo
signup-check-inbox = { $count ->
    [one] Hemos enviado un mensaje a { $email }. Abra el enlace que contiene en un plazo de { $count } hora para confirmar su dirección; después inicie sesión y añada un segundo factor.
   *[other] Hemos enviado un mensaje a { $email }. Abra el enlace que contiene en un plazo de { $count } horas para confirmar su dirección; después inicie sesión y añada un segundo factor.
}
signup-no-mail = ¿No ha recibido nada al cabo de unos minutos? Revise la carpeta de spam. Si ya tenía una cuenta con esta dirección, el mensaje le explica cómo volver a entrar en ella.
signup-email-missing = Introduzca su dirección de correo.
signup-email-invalid = Esta dirección de correo no es válida. Compruebe que no tenga errores.
signup-closed-title = El registro está cerrado
signup-closed = Las cuentas de este servidor las crean sus administradores. Pídales una.
forgot-check-inbox = { $count ->
    [one] Si { $email } es la dirección de una cuenta con contraseña, le hemos enviado un enlace para elegir una contraseña nueva. Funciona una sola vez, durante { $count } minuto.
   *[other] Si { $email } es la dirección de una cuenta con contraseña, le hemos enviado un enlace para elegir una contraseña nueva. Funciona una sola vez, durante { $count } minutos.
}
forgot-no-mail = ¿No ha recibido nada al cabo de unos minutos? Revise la carpeta de spam o vuelva a solicitar el enlace.
link-ask-again = Solicitar un enlace nuevo
link-sign-in-again = Iniciar sesión para recibir otro
link-used = Cada enlace funciona una sola vez. Si todavía lo necesita, solicite uno nuevo.
link-expired-password = Un enlace para restablecer la contraseña funciona durante { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
} (uno enviado tras un restablecimiento por parte del soporte, durante { $hours ->
    [one] { $hours } hora
   *[other] { $hours } horas
}). Solicite uno nuevo.
link-expired-confirm = Un enlace de confirmación funciona durante { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}. Inicie sesión con su correo y su contraseña: le enviaremos uno nuevo.
link-invalid = Abra el enlace del correo más reciente tal como se envió: un enlace más nuevo sustituye a los anteriores.
confirm-wrong-password = Esa no es la contraseña que se eligió al crear la cuenta. Si usted no la creó, cierre esta página: sin la confirmación, la cuenta no se puede usar.
confirm-done-title = Su dirección está confirmada
confirm-done = Gracias: { $account } está confirmada. Inicie sesión con su correo y su contraseña para añadir un segundo factor.

password-set-title = Elija una contraseña nueva
password-set-button = Guardar contraseña
password-set-hint-sign-out = Se cerrará la sesión en todos los dispositivos conectados a su cuenta.
password-set-hint-2fa = La verificación en dos pasos sigue activada: seguirá necesitando su segundo factor para iniciar sesión.
password-set-done-title = Su nueva contraseña está guardada
password-set-done = Se cerró la sesión en todos los dispositivos. Inicie sesión con su nueva contraseña.
password-set-done-2fa = La verificación en dos pasos no ha cambiado: seguirá necesitando su segundo factor. Le hemos enviado un correo de confirmación.
password-change-title = Cambie su contraseña
password-change-hint = Se cerrará la sesión en todos los demás dispositivos conectados a su cuenta.
password-mismatch = Las dos contraseñas nuevas no coinciden.
password-too-short = { $count ->
    [one] La contraseña debe tener al menos { $count } carácter.
   *[other] La contraseña debe tener al menos { $count } caracteres.
}
password-too-long = { $count ->
    [one] La contraseña no puede ocupar más de { $count } byte.
   *[other] La contraseña no puede ocupar más de { $count } bytes.
}
password-current-wrong = La contraseña actual no es correcta.
password-same = La contraseña nueva es la que ya tiene: elija otra.

name-missing = Introduzca un nombre.
name-too-long = { $count ->
    [one] El nombre puede tener como máximo { $count } carácter.
   *[other] El nombre puede tener como máximo { $count } caracteres.
}
name-control-characters = El nombre no puede contener caracteres de control.
placeholder-app = p. ej., Mi teléfono
placeholder-yubikey = p. ej., YubiKey de la oficina
setup-expired-after = { $count ->
    [one] Vuelva a empezar desde su configuración de seguridad: las configuraciones sin terminar caducan tras { $count } minuto.
   *[other] Vuelva a empezar desde su configuración de seguridad: las configuraciones sin terminar caducan tras { $count } minutos.
}
no-such-setup = Esa configuración no existe.
policy-no-common-key-model = Las políticas de seguridad de sus grupos { $groups } no permiten juntas ningún modelo de llave de seguridad.
policy-not-allowed-groups = { $count ->
    [one] No lo permite la política de seguridad de su grupo { $groups }.
   *[other] No lo permiten las políticas de seguridad de sus grupos { $groups }.
}
required-enroll-by = Su organización exige la verificación en dos pasos. Añada uno de los métodos siguientes a más tardar el { $date } para conservar el acceso a su cuenta.
second-step-hardware-only = { $client } pide aquí una llave física: toque su YubiKey o use su llave de seguridad.
second-step-not-allowed = La política de seguridad de su organización ya no acepta este método. Use otro segundo factor o un código de respaldo.

refused-method-not-allowed = La política de seguridad de su organización no permite este método.
refused-last-compliant-factor = Su organización exige la verificación en dos pasos y este es el último de sus segundos factores que acepta su política de seguridad. Añada otro antes de quitar este.
refused-factors-frozen = Los cambios en sus segundos factores están bloqueados porque usted informó de actividad que no reconoce. Nuestro equipo de soporte le ayudará.
refused-new-password-first = Usted informó de actividad que no reconoce: elija una contraseña nueva con el enlace que le enviamos por correo antes de añadir o cambiar un segundo factor.
refused-confirm-address-first = Su dirección de correo aún no está confirmada: abra primero el enlace de confirmación que le enviamos.
refused-yubikey-taken = Esta YubiKey está registrada en otra cuenta.
refused-yubikey-yours = Esta YubiKey ya es uno de sus segundos factores.
refused-already-active = Este segundo factor ya está activo.
refused-no-room = Su cuenta ya tiene el máximo de segundos factores y configuraciones sin terminar ({ $count }). Quite uno primero.

access-not-available = No disponible
form-too-large-title = Este formulario es demasiado grande
form-too-large = Vuelva atrás e inténtelo de nuevo.
form-unreadable-title = No se pudo leer este formulario
oidc-no-client = La solicitud no indica ningún cliente (falta client_id).
oidc-client-lookup = No se pudo consultar el cliente. Inténtelo de nuevo.
oidc-unknown-client = Este servidor no conoce la aplicación que le envió aquí.
oidc-redirect-unregistered = La URI de redirección no está registrada para este cliente.
