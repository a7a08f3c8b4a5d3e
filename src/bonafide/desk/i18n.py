"""The desk's words in English, Russian and Belarusian; the language is each account's."""

from __future__ import annotations

from collections.abc import Callable

from .review_words import REVIEW_WORDS

__all__ = ["LANGUAGE_NAMES", "translator"]

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "be": "Беларуская"}

# key: (en, ru, be)
_WORDS: dict[str, tuple[str, str, str]] = {
    "desk": ("Desk", "Рабочее место", "Працоўнае месца"),
    "sign_in": ("Sign in", "Войти", "Увайсці"),
    "sign_out": ("Sign out", "Выйти", "Выйсці"),
    "name": ("Name", "Имя", "Імя"),
    "password": ("Password", "Пароль", "Пароль"),
    "sign_in_refused": (
        "The name or the password is wrong, or the account is disabled.",
        "Неверное имя или пароль, либо учётная запись отключена.",
        "Няправільнае імя або пароль, або ўліковы запіс адключаны.",
    ),
    "too_many": (
        "Too many attempts: wait a few minutes.",
        "Слишком много попыток: подождите несколько минут.",
        "Занадта шмат спробаў: пачакайце некалькі хвілін.",
    ),
    "unlock": ("Unlock", "Разблокировать", "Разблакаваць"),
    "locked": (
        "The vault is locked. An administrator unlocks it with its passphrase.",
        "Хранилище заблокировано. Администратор разблокирует его парольной фразой.",
        "Сховішча заблакавана. Адміністратар разблакуе яго парольнай фразай.",
    ),
    "passphrase": ("Vault passphrase", "Парольная фраза хранилища", "Парольная фраза сховішча"),
    "wrong_passphrase": (
        "That passphrase does not open the vault.",
        "Эта парольная фраза не открывает хранилище.",
        "Гэтая парольная фраза не адкрывае сховішча.",
    ),
    "language": ("Language", "Язык", "Мова"),
    "save": ("Save", "Сохранить", "Захаваць"),
    "intake": ("New applicant", "Новый заявитель", "Новы заяўнік"),
    "dossiers": ("Dossiers", "Досье", "Дасье"),
    "handoff": ("Checkpoint hand-off", "Передача на пункт пропуска", "Перадача на пункт пропуску"),
    "audit": ("Audit log", "Журнал аудита", "Журнал аўдыту"),
    "registries": ("Registries", "Реестры", "Рэестры"),
    "administration": ("Administration", "Администрирование", "Адміністраванне"),
    "identity": ("Identity", "Личность", "Асоба"),
    "surname": ("Surname", "Фамилия", "Прозвішча"),
    "given_name": ("Given name", "Имя", "Імя"),
    "patronymic": ("Patronymic", "Отчество", "Імя па бацьку"),
    "birth_date": ("Date of birth", "Дата рождения", "Дата нараджэння"),
    "birth_place": ("Place of birth", "Место рождения", "Месца нараджэння"),
    "sex": ("Sex", "Пол", "Пол"),
    "male": ("male", "мужской", "мужчынскі"),
    "female": ("female", "женский", "жаночы"),
    "personal_number": ("Personal number", "Личный номер", "Асабісты нумар"),
    "passport_number": ("Passport number", "Номер паспорта", "Нумар пашпарта"),
    "residences": ("Where they lived", "Где жил(а)", "Дзе жыў (жыла)"),
    "education": ("Where they studied", "Где учился(ась)", "Дзе вучыўся (вучылася)"),
    "employment": ("Where they worked", "Где работал(а)", "Дзе працаваў (працавала)"),
    "settlement": ("Town or village", "Населённый пункт", "Населены пункт"),
    "street": ("Street and house", "Улица и дом", "Вуліца і дом"),
    "institution": ("School or university", "Учебное заведение", "Навучальная ўстанова"),
    "programme": ("Programme", "Специальность", "Спецыяльнасць"),
    "employer": ("Employer", "Работодатель", "Наймальнік"),
    "position": ("Position", "Должность", "Пасада"),
    "from": ("From (year or date)", "С (год или дата)", "З (год або дата)"),
    "to": ("To (empty: until now)", "По (пусто: по сей день)", "Па (пуста: да цяпер)"),
    "add_row": ("Add a row", "Добавить строку", "Дадаць радок"),
    "remove": ("Remove", "Удалить", "Выдаліць"),
    "submit": ("Submit for vetting", "Передать на проверку", "Перадаць на праверку"),
    "code": ("Code", "Код", "Код"),
    "state": ("State", "Состояние", "Стан"),
    "take": ("Take", "Взять", "Узяць"),
    "verify": ("Verify", "Проверить", "Праверыць"),
    "verdict": ("Verdict", "Заключение", "Заключэнне"),
    "decision": ("Decision", "Решение", "Рашэнне"),
    "decide": ("Decide", "Решить", "Вырашыць"),
    "reason": ("Reason", "Основание", "Падстава"),
    "accept": ("accept", "принять", "прыняць"),
    "question": ("question at the checkpoint", "опросить на пункте", "апытаць на пункце"),
    "reject": ("reject", "отклонить", "адхіліць"),
    "claims": ("Claims", "Утверждения", "Сцвярджэнні"),
    "signals": ("Findings", "Сигналы", "Сігналы"),
    "questions": ("Questions for the checkpoint", "Вопросы для пункта", "Пытанні для пункта"),
    "match_weights": (
        "How the identity was matched",
        "Как найдена личность",
        "Як знойдзена асоба",
    ),
    "documents": ("Documents", "Документы", "Дакументы"),
    "flagged": ("to be questioned", "опросить", "апытаць"),
    "no_problems": ("no problems found", "проблем нет", "праблем няма"),
    "nothing_here": ("Nothing here.", "Здесь пусто.", "Тут пуста."),
    "forbidden": (
        "Your role may not open this page.",
        "Вашей роли эта страница недоступна.",
        "Вашай ролі гэтая старонка недаступная.",
    ),
    "not_found": (
        "No such page for you.",
        "Такой страницы для вас нет.",
        "Такой старонкі для вас няма.",
    ),
    "problems": ("What to correct", "Что исправить", "Што выправіць"),
    "saved": ("Saved.", "Сохранено.", "Захавана."),
    "submitted": ("Submitted for vetting.", "Передано на проверку.", "Перададзена на праверку."),
    "print": ("Print", "Печать", "Друк"),
    "chain": ("Hash chain", "Цепочка хэшей", "Ланцуг хэшаў"),
    "intact": ("intact", "цела", "цэлы"),
    "broken": ("BROKEN", "НАРУШЕНА", "ПАРУШАНЫ"),
    "export": ("Export", "Экспорт", "Экспарт"),
    "filter": ("Filter", "Фильтр", "Фільтр"),
    "action": ("Action", "Действие", "Дзеянне"),
    "actor": ("Account", "Учётная запись", "Уліковы запіс"),
    "when": ("When", "Когда", "Калі"),
    # registries (registry_pages.py)
    "registry_kind": ("Registry", "Реестр", "Рэестр"),
    "rows": ("Rows", "Строк", "Радкоў"),
    "imports": ("Imports", "Загрузки", "Загрузкі"),
    "last_import": ("Last import", "Последняя загрузка", "Апошняя загрузка"),
    "rows_read": ("Rows read", "Прочитано строк", "Прачытана радкоў"),
    "rows_added": ("Added", "Добавлено", "Дададзена"),
    "rows_duplicate": ("Repeated in the file", "Повторы в файле", "Паўторы ў файле"),
    "rows_present": ("Already present", "Уже были", "Ужо былі"),
    "rows_rejected": ("Rejected", "Отклонено", "Адхілена"),
    "warnings": ("Warnings", "Предупреждения", "Папярэджанні"),
    "no_registries": (
        "No registry has been imported yet.",
        "Реестры ещё не загружены.",
        "Рэестры яшчэ не загружаны.",
    ),
    "what_next": ("Work with the registries", "Работа с реестрами", "Праца з рэестрамі"),
    "import_registry": (
        "Import a registry file",
        "Загрузить файл реестра",
        "Загрузіць файл рэестра",
    ),
    "imports_off_short": (
        "off on this service",
        "отключено в этой службе",
        "адключана ў гэтай службе",
    ),
    "imports_off": (
        "Imports through the desk are off: the service was started without an import directory."
        " To turn them on, an administrator starts it with an import directory:",
        "Загрузка через рабочее место отключена: служба запущена без каталога загрузки."
        " Чтобы включить её, администратор запускает службу с каталогом загрузки:",
        "Загрузка праз працоўнае месца адключана: служба запушчана без каталога загрузкі."
        " Каб уключыць яе, адміністратар запускае службу з каталогам загрузкі:",
    ),
    "imports_cli": (
        "Or import on the command line of this machine:",
        "Или загрузите в командной строке этого компьютера:",
        "Або загрузіце ў камандным радку гэтага камп'ютара:",
    ),
    "no_upload": (
        "Files are not uploaded through the browser: that would leave a plain-text copy in a"
        " temporary file. Place the registry file (and its column mapping, a .toml file) in the"
        " service's import directory, then choose it here.",
        "Файлы не загружаются через браузер: так осталась бы открытая копия во временном файле."
        " Положите файл реестра (и его сопоставление столбцов, файл .toml) в каталог загрузки"
        " службы, затем выберите его здесь.",
        "Файлы не загружаюцца праз браўзер: так засталася б адкрытая копія ў часовым файле."
        " Пакладзіце файл рэестра (і яго супастаўленне слупкоў, файл .toml) у каталог загрузкі"
        " службы, потым выберыце яго тут.",
    ),
    "import_dir": ("Import directory", "Каталог загрузки", "Каталог загрузкі"),
    "import_dir_empty": (
        "The import directory is empty: place a registry file in it first.",
        "Каталог загрузки пуст: сначала положите в него файл реестра.",
        "Каталог загрузкі пусты: спачатку пакладзіце ў яго файл рэестра.",
    ),
    "file": ("File", "Файл", "Файл"),
    "mapping": ("Column mapping", "Сопоставление столбцов", "Супастаўленне слупкоў"),
    "no_mapping": (
        "none (the columns have the canonical names)",
        "нет (столбцы названы канонически)",
        "няма (слупкі названы кананічна)",
    ),
    "start_import": ("Start the import", "Начать загрузку", "Пачаць загрузку"),
    "job_running": ("Running now", "Сейчас выполняется", "Зараз выконваецца"),
    "store_busy": (
        "The registries are being written by a running import or resolve: they can be read once"
        " it ends.",
        "Реестры сейчас записываются загрузкой или связыванием: их можно будет прочитать, когда"
        " работа закончится.",
        "Рэестры зараз запісваюцца загрузкай або звязваннем: іх можна будзе прачытаць, калі"
        " праца скончыцца.",
    ),
    "job_refreshes": (
        "This page refreshes itself every second until the work is done.",
        "Страница обновляется каждую секунду, пока работа не закончится.",
        "Старонка абнаўляецца кожную секунду, пакуль праца не скончыцца.",
    ),
    "refresh": ("Refresh now", "Обновить сейчас", "Абнавіць зараз"),
    "phase": ("Phase", "Этап", "Этап"),
    "seconds": ("Seconds", "Секунд", "Секунд"),
    "resolve": ("Resolve into persons", "Связать в личности", "Звязаць у асобы"),
    "resolve_explained": (
        "Resolving links the imported registries' records into persons: needed after an import"
        " before verification uses the new records.",
        "Связывание объединяет записи загруженных реестров в личности: нужно после загрузки,"
        " чтобы проверка учитывала новые записи.",
        "Звязванне аб'ядноўвае запісы загружаных рэестраў у асобы: патрэбна пасля загрузкі,"
        " каб праверка ўлічвала новыя запісы.",
    ),
    "field_coverage": (
        "Fields: coverage and scripts",
        "Поля: заполненность и письменность",
        "Палі: запоўненасць і пісьменства",
    ),
    "field": ("Field", "Поле", "Поле"),
    "field_type": ("Type", "Тип", "Тып"),
    "coverage": ("Filled", "Заполнено", "Запоўнена"),
    "scripts": ("Scripts", "Письменность", "Пісьменства"),
    "format": ("Format", "Формат", "Фармат"),
    "finished": ("Finished", "Завершено", "Завершана"),
    "rejects": ("Rejected rows", "Отклонённые строки", "Адхіленыя радкі"),
    "rejects_personal": (
        "These rows are personal data, decrypted for this page only; this reading is recorded in"
        " the audit log.",
        "Эти строки — персональные данные, расшифрованные только для этой страницы; просмотр"
        " записан в журнал аудита.",
        "Гэтыя радкі — асабістыя даныя, расшыфраваныя толькі для гэтай старонкі; прагляд"
        " запісаны ў журнал аўдыту.",
    ),
    "rejects_cut": (
        "Only the first rows are shown; all of them on the command line",
        "Показаны только первые строки; все — в командной строке",
        "Паказаны толькі першыя радкі; усе — у камандным радку",
    ),
    "model_figures": (
        "Linkage model figures",
        "Показатели модели связывания",
        "Паказчыкі мадэлі звязвання",
    ),
    "not_resolved": (
        "The registries have not been resolved into persons yet.",
        "Реестры ещё не связаны в личности.",
        "Рэестры яшчэ не звязаны ў асобы.",
    ),
    "persons": ("Persons", "Личностей", "Асоб"),
    "identity_records": (
        "Identity records",
        "Записей удостоверения личности",
        "Запісаў пасведчання асобы",
    ),
    "records_linked": (
        "Records linked to a person",
        "Записи, связанные с личностью",
        "Запісы, звязаныя з асобай",
    ),
    "linked": ("Linked", "Связано", "Звязана"),
    "without_person": ("Without a person", "Без личности", "Без асобы"),
    "comparisons": ("The model's comparisons", "Сравнения модели", "Параўнанні мадэлі"),
    "comparison": ("Comparison", "Сравнение", "Параўнанне"),
    "level": ("Level", "Уровень", "Узровень"),
    "weight": ("Weight", "Вес", "Вага"),
    "prior": (
        "Prior (two records at random are one person)",
        "Априорная вероятность (две случайные записи — одна личность)",
        "Апрыёрная імавернасць (два выпадковыя запісы — адна асоба)",
    ),
    "model_explained": (
        "m: how often the level occurs when two records are one person; u: when they are not;"
        " weight = log2(m / u), added to the prior's weight for each field.",
        "m: как часто уровень встречается, когда две записи — одна личность; u: когда нет;"
        " вес = log2(m / u), прибавляется к весу априорной вероятности по каждому полю.",
        "m: як часта ўзровень сустракаецца, калі два запісы — адна асоба; u: калі не;"
        " вага = log2(m / u), дадаецца да вагі апрыёрнай імавернасці па кожным полі.",
    ),
    # administration (admin_pages.py)
    "accounts": ("Accounts and roles", "Учётные записи и роли", "Уліковыя запісы і ролі"),
    "the_vault": ("The vault", "Хранилище", "Сховішча"),
    "role": ("Role", "Роль", "Роля"),
    "created": ("Created", "Создано", "Створана"),
    "enabled": ("enabled", "включена", "уключаны"),
    "disabled": ("disabled", "отключена", "адключаны"),
    "enable": ("Enable", "Включить", "Уключыць"),
    "disable": ("Disable", "Отключить", "Адключыць"),
    "confirm_remove": ("I mean it", "Подтверждаю", "Пацвярджаю"),
    "add_account": ("Add an account", "Добавить учётную запись", "Дадаць уліковы запіс"),
    "account_name_hint": (
        "The name: 2–64 letters, digits, dots, hyphens or underscores — a pseudonym, not a"
        " person's full name. The password: at least 12 characters.",
        "Имя: 2–64 буквы, цифры, точки, дефисы или подчёркивания — псевдоним, а не полное имя"
        " человека. Пароль: не короче 12 символов.",
        "Імя: 2–64 літары, лічбы, кропкі, злучкі або падкрэсліванні — псеўданім, а не поўнае"
        " імя чалавека. Пароль: не карацей за 12 знакаў.",
    ),
    "tokens": ("Tokens", "Токены", "Токены"),
    "tokens_explained": (
        "Tokens by id: the token itself is shown once when made and never kept. Sessions are"
        " the desk's sign-ins.",
        "Токены по идентификатору: сам токен показывается один раз при создании и не хранится."
        " Сессии — входы в рабочее место.",
        "Токены па ідэнтыфікатары: сам токен паказваецца адзін раз пры стварэнні і не"
        " захоўваецца. Сесіі — уваходы ў працоўнае месца.",
    ),
    "token_id": ("Token", "Токен", "Токен"),
    "token_kind": ("Kind", "Вид", "Від"),
    "expires": ("Expires", "Истекает", "Сканчаецца"),
    "revoked": ("revoked", "отозван", "адкліканы"),
    "revoke": ("Revoke", "Отозвать", "Адклікаць"),
    "token_create_cli": (
        "API tokens are made on the command line (shown once):",
        "Токены API создаются в командной строке (показываются один раз):",
        "Токены API ствараюцца ў камандным радку (паказваюцца адзін раз):",
    ),
    "done_added": ("Account added.", "Учётная запись добавлена.", "Уліковы запіс дададзены."),
    "done_disabled": ("Account disabled.", "Учётная запись отключена.", "Уліковы запіс адключаны."),
    "done_enabled": ("Account enabled.", "Учётная запись включена.", "Уліковы запіс уключаны."),
    "done_removed": ("Account removed.", "Учётная запись удалена.", "Уліковы запіс выдалены."),
    "done_revoked": ("Token revoked.", "Токен отозван.", "Токен адкліканы."),
    "done_retention": (
        "Retention saved.",
        "Срок хранения сохранён.",
        "Тэрмін захоўвання захаваны.",
    ),
    "key_slots": ("Key slots", "Слоты ключей", "Слоты ключоў"),
    "slot": ("Slot", "Слот", "Слот"),
    "slot_kind": ("Opened by", "Чем открывается", "Чым адкрываецца"),
    "cost": ("Cost", "Стоимость", "Кошт"),
    "not_recorded": ("not recorded", "не записано", "не запісана"),
    "unlocked_with": (
        "this service was unlocked with it",
        "им разблокирована эта служба",
        "ім разблакавана гэтая служба",
    ),
    "duress_hidden": (
        "Whether a slot is a duress slot is not shown: by design it cannot be told from the"
        " others without its passphrase.",
        "Является ли слот тревожным, не показывается: намеренно его нельзя отличить от других"
        " без его парольной фразы.",
        "Ці з'яўляецца слот трывожным, не паказваецца: наўмысна яго нельга адрозніць ад іншых"
        " без яго парольнай фразы.",
    ),
    "slots_cli": (
        "Slots are added and removed on the command line of this machine, where the new"
        " passphrase is typed:",
        "Слоты добавляются и удаляются в командной строке этого компьютера, где вводится новая"
        " парольная фраза:",
        "Слоты дадаюцца і выдаляюцца ў камандным радку гэтага камп'ютара, дзе ўводзіцца новая"
        " парольная фраза:",
    ),
    "retention": ("Retention", "Срок хранения", "Тэрмін захоўвання"),
    "retention_on": (
        "Dossiers are reduced to code, verdict and decision this many days after verification",
        "Досье сокращаются до кода, заключения и решения через столько дней после проверки",
        "Дасье скарачаюцца да кода, заключэння і рашэння праз столькі дзён пасля праверкі",
    ),
    "retention_off": (
        "Retention is off: dossiers are kept whole until deleted.",
        "Срок хранения не задан: досье хранятся целиком до удаления.",
        "Тэрмін захоўвання не зададзены: дасье захоўваюцца цалкам да выдалення.",
    ),
    "retention_days": (
        "Days after verification (0: off)",
        "Дней после проверки (0: выкл.)",
        "Дзён пасля праверкі (0: выкл.)",
    ),
    "dossiers_reduced": ("dossiers reduced now", "досье сокращено сейчас", "дасье скарочана зараз"),
    "lock_vault": ("Lock the vault", "Заблокировать хранилище", "Заблакаваць сховішча"),
    "lock_explained": (
        "Locking closes every store and drops the keys from the service: everyone is signed"
        " out, and nothing can be read until an administrator unlocks it with the passphrase.",
        "Блокировка закрывает все хранилища и удаляет ключи из службы: все выходят из системы,"
        " и ничего нельзя прочитать, пока администратор не разблокирует её парольной фразой.",
        "Блакаванне закрывае ўсе сховішчы і выдаляе ключы са службы: усе выходзяць з сістэмы,"
        " і нічога нельга прачытаць, пакуль адміністратар не разблакуе яе парольнай фразай.",
    ),
    "lock_understood": (
        "I understand: everyone is signed out until the vault is unlocked again.",
        "Понимаю: все выйдут из системы до новой разблокировки хранилища.",
        "Разумею: усе выйдуць з сістэмы да новага разблакавання сховішча.",
    ),
    "lock_unconfirmed": (
        "Tick the box to confirm locking.",
        "Отметьте флажок, чтобы подтвердить блокировку.",
        "Адзначце сцяжок, каб пацвердзіць блакаванне.",
    ),
    "job_running_lock": (
        "An import or resolve is running: wait for it to end before locking.",
        "Выполняется загрузка или связывание: дождитесь окончания перед блокировкой.",
        "Выконваецца загрузка або звязванне: дачакайцеся заканчэння перад блакаваннем.",
    ),
    "cancel": ("Cancel", "Отмена", "Адмена"),
    "wipe_vault": ("Wipe the vault", "Уничтожить хранилище", "Знішчыць сховішча"),
    "wipe_explained": (
        "Wiping destroys the vault's keys and then its files: every dossier, registry, account"
        " and the audit log become unreadable for good. There is no undo.",
        "Уничтожение стирает ключи хранилища, затем его файлы: все досье, реестры, учётные"
        " записи и журнал аудита становятся нечитаемыми навсегда. Отменить нельзя.",
        "Знішчэнне сцірае ключы сховішча, потым яго файлы: усе дасье, рэестры, уліковыя запісы"
        " і журнал аўдыту становяцца нечытэльнымі назаўсёды. Адмяніць нельга.",
    ),
    "wipe_type": (
        "To wipe, type exactly:",
        "Чтобы уничтожить, введите точно:",
        "Каб знішчыць, увядзіце дакладна:",
    ),
    "wipe_phrase": ("Phrase", "Фраза", "Фраза"),
    "wipe_understood": (
        "I understand that nothing in this vault can ever be read again.",
        "Понимаю, что ничего в этом хранилище больше нельзя будет прочитать.",
        "Разумею, што нічога ў гэтым сховішчы больш нельга будзе прачытаць.",
    ),
    "wipe_phrase_wrong": (
        "Phrase: type it exactly as shown. Nothing was wiped.",
        "Фраза: введите её точно, как показано. Ничего не уничтожено.",
        "Фраза: увядзіце яе дакладна, як паказана. Нічога не знішчана.",
    ),
    "wipe_unticked": (
        "Tick the box to confirm. Nothing was wiped.",
        "Отметьте флажок для подтверждения. Ничего не уничтожено.",
        "Адзначце сцяжок для пацвярджэння. Нічога не знішчана.",
    ),
    "wiped": ("The vault was wiped", "Хранилище уничтожено", "Сховішча знішчана"),
    "wiped_keys": (
        "Its keys were destroyed first, then its files removed: nothing in it can be read.",
        "Сначала уничтожены ключи, затем удалены файлы: ничего из него нельзя прочитать.",
        "Спачатку знішчаны ключы, потым выдалены файлы: нічога з яго нельга прачытаць.",
    ),
    "wiped_no_keys": (
        "There were no key slots left; its files were removed.",
        "Слотов ключей не было; файлы удалены.",
        "Слотаў ключоў не было; файлы выдалены.",
    ),
    "wiped_after": (
        "Your session has ended. To work again, a new vault is created on this machine:"
        " bonafide vault init.",
        "Ваша сессия завершена. Чтобы работать снова, на этом компьютере создаётся новое"
        " хранилище: bonafide vault init.",
        "Ваша сесія завершана. Каб працаваць зноў, на гэтым камп'ютары ствараецца новае"
        " сховішча: bonafide vault init.",
    ),
}
_WORDS.update(REVIEW_WORDS)  # the reviewer's pages' words, kept in their own table
_INDEX = {"en": 0, "ru": 1, "be": 2}


def translator(language: str) -> Callable[[str], str]:
    """`t(key)`: the word in `language` (English when the language or the key is unknown)."""
    position = _INDEX.get(language, 0)

    def t(key: str) -> str:
        words = _WORDS.get(key)
        return words[position] if words else key

    return t
