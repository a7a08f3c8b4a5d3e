"""The desk's words in English, Russian and Belarusian; the language is each account's."""

from __future__ import annotations

from collections.abc import Callable

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
}
_INDEX = {"en": 0, "ru": 1, "be": 2}


def translator(language: str) -> Callable[[str], str]:
    """`t(key)`: the word in `language` (English when the language or the key is unknown)."""
    position = _INDEX.get(language, 0)

    def t(key: str) -> str:
        words = _WORDS.get(key)
        return words[position] if words else key

    return t
