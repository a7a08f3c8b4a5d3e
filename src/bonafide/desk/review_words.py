"""The report reviewer's pages' words in English, Russian and Belarusian (`i18n.py` reads them
with the rest of the desk's)."""

from __future__ import annotations

__all__ = ["REVIEW_WORDS"]

# key: (en, ru, be)
REVIEW_WORDS: dict[str, tuple[str, str, str]] = {
    "events": ("Events", "События", "Падзеі"),
    "event": ("Event", "Событие", "Падзея"),
    "review_explained": (
        "Sighting reports gathered into events by place, time and category. Grade the"
        " information, publish what is corroborated, retract what is not; merge events that are"
        " one, split what is two.",
        "Сообщения о наблюдениях, собранные в события по месту, времени и категории. Оцените"
        " сведения, опубликуйте подтверждённое, отзовите неподтверждённое; объедините события,"
        " которые являются одним, разделите то, что является двумя.",
        "Паведамленні пра назіранні, сабраныя ў падзеі па месцы, часе і катэгорыі. Ацаніце"
        " звесткі, апублікуйце пацверджанае, адклічце непацверджанае; аб'яднайце падзеі, якія"
        " з'яўляюцца адной, падзяліце тое, што з'яўляецца дзвюма.",
    ),
    "queues": ("Queues", "Очереди", "Чэргі"),
    "queue_new": ("New", "Новые", "Новыя"),
    "queue_suspect": ("Suspect", "Подозрительные", "Падазроныя"),
    "queue_published": ("Published", "Опубликованные", "Апублікаваныя"),
    "queue_retracted": ("Retracted", "Отозванные", "Адкліканыя"),
    "status_open": ("open", "открыто", "адкрыта"),
    "status_published": ("published", "опубликовано", "апублікавана"),
    "status_retracted": ("retracted", "отозвано", "адклікана"),
    "auto_published": (
        "by corroboration, without a reviewer",
        "по подтверждению, без проверяющего",
        "па пацвярджэнні, без праверкі",
    ),
    "category": ("Category", "Категория", "Катэгорыя"),
    "category_military_vehicles": ("military vehicles", "военная техника", "вайсковая тэхніка"),
    "category_aircraft": ("aircraft", "авиация", "авіяцыя"),
    "category_rail_transport": ("rail transport", "железная дорога", "чыгунка"),
    "category_troops_on_foot": ("troops on foot", "пешие военные", "пешыя вайскоўцы"),
    "category_checkpoint": ("checkpoint", "блокпост", "блокпост"),
    "category_other": ("other", "другое", "іншае"),
    "place": ("Place", "Место", "Месца"),
    "unplaced": ("place not found", "место не найдено", "месца не знойдзена"),
    "seen": ("Seen", "Замечено", "Заўважана"),
    "arrived": ("Arrived (hour)", "Поступило (час)", "Паступіла (гадзіна)"),
    "count": ("How many", "Сколько", "Колькі"),
    "direction": ("Direction", "Направление", "Кірунак"),
    "corroboration": ("Corroboration", "Подтверждение", "Пацвярджэнне"),
    "n_reports": (
        "{reports} reports, {independent} independent",
        "сообщений: {reports}, независимых: {independent}",
        "паведамленняў: {reports}, незалежных: {independent}",
    ),
    "one_report": (
        "1 report",
        "сообщений: 1",
        "паведамленняў: 1",
    ),
    "n_burst": (
        "{burst} in bursts of alike reports",
        "{burst} в всплесках одинаковых сообщений",
        "{burst} ва ўсплёсках аднолькавых паведамленняў",
    ),
    "suspect_short": ("suspect", "подозрительно", "падазрона"),
    "suspect_warning": (
        "Suspect: {burst} of its {reports} reports came in a burst of alike reports from one"
        " place — a possible flood. A burst counts as one independent report.",
        "Подозрительно: {burst} из {reports} сообщений пришли всплеском одинаковых сообщений из"
        " одного места — возможен вброс. Всплеск считается одним независимым сообщением.",
        "Падазрона: {burst} з {reports} паведамленняў прыйшлі ўсплёскам аднолькавых"
        " паведамленняў з аднаго месца — магчымы ўкід. Усплёск лічыцца адным незалежным"
        " паведамленнем.",
    ),
    "grade": ("Grade", "Оценка", "Ацэнка"),
    "not_graded": ("not graded", "не оценено", "не ацэнена"),
    "grade_1": (
        "confirmed by other sources",
        "подтверждено другими источниками",
        "пацверджана іншымі крыніцамі",
    ),
    "grade_2": ("probably true", "вероятно, верно", "верагодна, праўда"),
    "grade_3": ("possibly true", "возможно, верно", "магчыма, праўда"),
    "grade_4": ("doubtful", "сомнительно", "сумнеўна"),
    "grade_5": ("improbable", "маловероятно", "малаверагодна"),
    "grade_6": (
        "truth cannot be judged",
        "достоверность нельзя оценить",
        "праўдзівасць нельга ацаніць",
    ),
    "grade_information": (
        "Grade of the information",
        "Оценка сведений",
        "Ацэнка звестак",
    ),
    "grade_it": ("Grade", "Оценить", "Ацаніць"),
    "grade_explained": (
        "The information is graded, never a source (reports have none). A published event"
        " graded 4–6 is taken out of the feed.",
        "Оценивается сведение, а не источник (у сообщений его нет). Опубликованное событие с"
        " оценкой 4–6 снимается с ленты.",
        "Ацэньваецца звестка, а не крыніца (у паведамленняў яе няма). Апублікаваная падзея з"
        " ацэнкай 4–6 здымаецца са стужкі.",
    ),
    "facts": ("What the reports say", "Что говорят сообщения", "Што кажуць паведамленні"),
    "review": ("Review", "Проверка", "Праверка"),
    "published_text": ("Text for the feed", "Текст для ленты", "Тэкст для стужкі"),
    "published_photo": ("Photo in the feed", "Фото в ленте", "Фота ў стужцы"),
    "no_photo": ("no photo", "без фото", "без фота"),
    "choose_photo": (
        "or choose a report's photo below",
        "или выберите фото сообщения ниже",
        "або выберыце фота паведамлення ніжэй",
    ),
    "publish": ("Publish", "Опубликовать", "Апублікаваць"),
    "publish_explained": (
        "Under a grade of 1–3. The text starts empty: write it, or take a report's text below.",
        "С оценкой 1–3. Текст сначала пуст: напишите его или возьмите текст сообщения ниже.",
        "З ацэнкай 1–3. Тэкст спачатку пусты: напішыце яго або вазьміце тэкст паведамлення ніжэй.",
    ),
    "retract": ("Retract", "Отозвать", "Адклікаць"),
    "retract_explained": (
        "Takes it out of the feed, or dismisses it if never published.",
        "Снимает с ленты или отклоняет, если не публиковалось.",
        "Здымае са стужкі або адхіляе, калі не публікавалася.",
    ),
    "split": (
        "Split off the ticked reports",
        "Отделить отмеченные сообщения",
        "Аддзяліць адзначаныя паведамленні",
    ),
    "split_explained": (
        "They become a new event of their own.",
        "Они станут новым отдельным событием.",
        "Яны стануць новай асобнай падзеяй.",
    ),
    "split_tick": (
        "another event: split off",
        "другое событие: отделить",
        "іншая падзея: аддзяліць",
    ),
    "merge": (
        "Merge the ticked events",
        "Объединить отмеченные события",
        "Аб'яднаць адзначаныя падзеі",
    ),
    "merge_tick": ("Merge", "Объединить", "Аб'яднаць"),
    "merge_explained": (
        "Events of one category; the lowest number stays.",
        "События одной категории; остаётся меньший номер.",
        "Падзеі адной катэгорыі; застаецца меншы нумар.",
    ),
    "reports": ("Reports", "Сообщения", "Паведамленні"),
    "content_only": (
        "What each report says — nothing about who sent it: bonafide never keeps that.",
        "Что сказано в каждом сообщении — ничего о том, кто его отправил: bonafide этого не"
        " хранит.",
        "Што сказана ў кожным паведамленні — нічога пра тое, хто яго адправіў: bonafide гэтага"
        " не захоўвае.",
    ),
    "reduced": (
        "Reduced: its place as written, text and photo were deleted after the keeping time.",
        "Сокращено: место как написано, текст и фото удалены по истечении срока хранения.",
        "Скарочана: месца як напісана, тэкст і фота выдалены пасля тэрміну захоўвання.",
    ),
    "place_written": ("Place as written", "Место, как написано", "Месца, як напісана"),
    "take_text": ("Take this text", "Взять этот текст", "Узяць гэты тэкст"),
    "report_photo": ("The report's photo", "Фото сообщения", "Фота паведамлення"),
    "use_photo": ("publish this photo", "опубликовать это фото", "апублікаваць гэта фота"),
    "the_new_event": ("the new event", "новое событие", "новая падзея"),
    "previous": ("Previous", "Назад", "Назад"),
    "next": ("Next", "Далее", "Далей"),
    "done_graded": ("Graded.", "Оценено.", "Ацэнена."),
    "done_published": ("Published.", "Опубликовано.", "Апублікавана."),
    "done_retracted": ("Retracted.", "Отозвано.", "Адклікана."),
    "done_merged": (
        "Merged into this event.",
        "Объединено в это событие.",
        "Аб'яднана ў гэтую падзею.",
    ),
    "done_split": ("Split off:", "Отделено:", "Аддзелена:"),
    "done_locked": (
        "The reports channel is locked.",
        "Канал сообщений заблокирован.",
        "Канал паведамленняў заблакаваны.",
    ),
    "merge_two": (
        "Tick at least two events to merge.",
        "Отметьте хотя бы два события для объединения.",
        "Адзначце хаця б дзве падзеі для аб'яднання.",
    ),
    "choose_grade": ("Grade: choose one.", "Оценка: выберите.", "Ацэнка: выберыце."),
    "choose_believed": (
        "Grade: choose 1, 2 or 3 to publish; retract what is doubtful.",
        "Оценка: выберите 1, 2 или 3 для публикации; сомнительное отзовите.",
        "Ацэнка: выберыце 1, 2 або 3 для публікацыі; сумнеўнае адклічце.",
    ),
    "split_none": (
        "Reports: tick the ones that are another event.",
        "Сообщения: отметьте те, что являются другим событием.",
        "Паведамленні: адзначце тыя, што з'яўляюцца іншай падзеяй.",
    ),
    # the reports channel's own vault
    "reports_channel": ("Reports channel", "Канал сообщений", "Канал паведамленняў"),
    "reports_not_configured": (
        "This service has no reports channel: it is started with --reports-dir for one.",
        "У этой службы нет канала сообщений: для него службу запускают с --reports-dir.",
        "У гэтай службы няма канала паведамленняў: для яго службу запускаюць з --reports-dir.",
    ),
    "reports_locked": (
        "The reports channel is locked. It has its own passphrase, not the vault's.",
        "Канал сообщений заблокирован. У него своя парольная фраза, не хранилища.",
        "Канал паведамленняў заблакаваны. У яго свая парольная фраза, не сховішча.",
    ),
    "reports_unlocked": (
        "The reports channel is unlocked.",
        "Канал сообщений разблокирован.",
        "Канал паведамленняў разблакаваны.",
    ),
    "reports_passphrase": (
        "Reports passphrase",
        "Парольная фраза сообщений",
        "Парольная фраза паведамленняў",
    ),
    "unlock_reports": (
        "Unlock the reports",
        "Разблокировать сообщения",
        "Разблакаваць паведамленні",
    ),
    "wrong_reports_passphrase": (
        "That passphrase does not open the reports channel.",
        "Эта парольная фраза не открывает канал сообщений.",
        "Гэтая парольная фраза не адкрывае канал паведамленняў.",
    ),
    "lock_reports": ("Lock the reports", "Заблокировать сообщения", "Заблакаваць паведамленні"),
    "lock_reports_explained": (
        "Closes the reports' store and drops its key; the dossiers stay open.",
        "Закрывает хранилище сообщений и удаляет его ключ; досье остаются открытыми.",
        "Закрывае сховішча паведамленняў і выдаляе яго ключ; дасье застаюцца адкрытымі.",
    ),
    "reports_compartment": (
        "The reports are kept apart from the dossiers, under a key of their own: neither"
        " passphrase opens the other's data. Locking the vault locks the reports too.",
        "Сообщения хранятся отдельно от досье, под собственным ключом: ни одна парольная фраза"
        " не открывает чужие данные. Блокировка хранилища блокирует и сообщения.",
        "Паведамленні захоўваюцца асобна ад дасье, пад уласным ключом: ніводная парольная фраза"
        " не адкрывае чужыя даныя. Блакаванне сховішча блакуе і паведамленні.",
    ),
}
