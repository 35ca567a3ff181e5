"""Seeded generator of synthetic training articles whose annotations are correct by construction.

An article is composed sentence by sentence from the templates below and from gazetteers of
people, organizations, programs and places. Every template is plain text with slots in braces;
``_fill`` writes it into a ``_Builder``, which records the offsets of every entity and claim
while the text is concatenated, so spans never have to be searched for afterwards.

Slots (``KEY`` is a source of the sentence: ``P`` a person, ``O`` an organization, ``A``/``B``
media outlets, ``X`` a person who is only mentioned, never a source):

- ``{P}``, ``{P:gen}``: a mention of a source in a case (nom gen dat acc ins loc); a person is named
  in full (with a role, sometimes) the first time and mostly by surname later; ``{O:in}``
  is the organization after "in" (``у/в``, ``в/во``); ``{P.last}``: the surname only (headlines);
  ``{P.he}``, ``{P.his}``, ``{P.him}``, ``{P.role}``: a pronoun or role noun that refers back to
  the nearest earlier mention of P (the chain points at that mention);
- ``{заявив@P}``: the verb in the form that agrees with KEY (or with the last ``org``/``country``);
  ``{age@X}``: an age adjective agreeing with X;
- ``{C}``: reported content (a claim), ``{Q}``, ``{Q2}``: quoted content (claims);
- ``{n:KIND}``, ``{n:KIND:any}``, ``{n:KIND:exact}``: a QUANTITY (see ``_quantity``);
- ``{org}``, ``{prog}`` (with a case): an ORG or PROGRAM that is not a source;
- ``{city}`` (``{city:gen}``, ``{city:in}``, ``{city:from}``, ``{city:to}``: with the preposition),
  ``{country}``, ``{dir}``, ``{date}``, ``{dur}``, ``{time}``: untagged hard negatives.

A sentence's chain lists its keys, outermost relay first; its class follows from the chain's length
and from whether the claims are quoted. Narration sentences have no claims.

In the templates, « and » stand for the article's quotation marks (English ones too).
Ukrainian and Russian forms come from pymorphy3: words marked with ``*`` in a gazetteer entry
inflect (adjectives agree with the last marked noun), the rest of the entry stays as it is.
Counted nouns, cities and countries are small hand-written tables.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pymorphy3

from .corpus import Article, Attribution, Entity
from .textunits import punctuation_inside_marks

SOURCE = "newsattrib-generator"
_CASES = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}
_GRAMMEME = {"m": "masc", "f": "femn", "n": "neut", "p": "plur"}
_VOWELS = "аеєиіїоуюяёыэ"

# ----------------------------------------------------------------------------------------------
# Gazetteers
# ----------------------------------------------------------------------------------------------

FIRST_NAMES = {
    "en": {"m": ["Oleksandr", "Andriy", "Serhiy", "Dmytro", "Mykola", "Yuriy", "Oleh", "Taras", "Ihor",
                 "Maksym", "Roman", "Vasyl", "Petro", "John", "David", "Michael", "James", "Thomas", "Mark"],
           "f": ["Olha", "Nataliya", "Iryna", "Yuliya", "Oksana", "Tetiana", "Olena", "Mariya", "Kateryna",
                 "Viktoriya", "Sarah", "Anna", "Emily", "Laura", "Claire"]},
    "uk": {"m": ["Олександр", "Андрій", "Сергій", "Дмитро", "Микола", "Юрій", "Олег", "Віталій", "Тарас",
                 "Ігор", "Максим", "Роман", "Василь", "Петро", "Олексій", "Євген", "Ярослав",
                 "Іван", "Михайло"],
           "f": ["Ольга", "Наталія", "Ірина", "Юлія", "Оксана", "Тетяна", "Олена", "Марія", "Катерина",
                 "Вікторія", "Людмила", "Ганна", "Софія", "Христина", "Світлана", "Анастасія"]},
    "ru": {"m": ["Александр", "Андрей", "Сергей", "Дмитрий", "Николай", "Юрий", "Олег", "Виталий", "Игорь",
                 "Максим", "Роман", "Алексей", "Михаил", "Евгений", "Павел", "Владимир", "Иван"],
           "f": ["Ольга", "Наталья", "Ирина", "Юлия", "Татьяна", "Елена", "Мария", "Екатерина", "Виктория",
                 "Людмила", "Анна", "Светлана", "Марина", "Дарья", "Ксения"]},
}

# Surnames in their masculine form; the feminine one comes from _feminine_surname.
SURNAMES = {
    "en": ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliynyk", "Melnyk",
           "Tkachuk", "Kravchuk", "Savchuk", "Polishchuk", "Romaniuk", "Boiko", "Lysenko", "Marchenko",
           "Klymenko", "Petrenko", "Rudenko", "Lytvyn", "Moroz", "Koval", "Smith", "Miller", "Collins",
           "Harris", "Walker", "Bennett", "Carter", "Hughes", "Fischer", "Novak"],
    "uk": ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Ткачук",
           "Кравчук", "Савчук", "Поліщук", "Романюк", "Гнатюк", "Данилюк", "Бойко", "Лисенко", "Марченко",
           "Клименко", "Петренко", "Руденко", "Литвин", "Мороз", "Коваль", "Ковальський", "Білецький",
           "Вишневський", "Заболотний", "Гончаренко", "Остапчук", "Павленко", "Левченко", "Сидоренко",
           "Яременко", "Гордієнко", "Пономаренко"],
    "ru": ["Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Морозов", "Лебедев", "Новиков", "Павлов",
           "Козлов", "Волков", "Белоусов", "Ильин", "Никитин", "Зайцев", "Орлов", "Федоров", "Литвинов",
           "Ковальский", "Шевченко", "Коваленко", "Бондаренко", "Романенко", "Мельник", "Ткачук", "Кравчук"],
}

# Roles: (masculine, feminine, pool of the organization in "{org}" or None). In Ukrainian and
# Russian the words marked * take the case of the name; the organization stays in the genitive.
ROLES = {
    "en": [("{org} spokesperson", "{org} spokesperson", "body"), ("{org} head", "{org} head", "admin"),
           ("{org} commander", "{org} commander", "unit"), ("{org} press officer", "{org} press officer", "unit"),
           ("{org} CEO", "{org} CEO", "company"), ("{org} representative", "{org} representative", "intl"),
           ("{org} director", "{org} director", "ngo"), ("Ukrainian MP", "Ukrainian MP", None),
           ("military analyst", "military analyst", None), ("political analyst", "political analyst", None)],
    "uk": [("речник* {org}", "речниця* {org}", "body"), ("голова* {org}", "голова* {org}", "admin"),
           ("командир* {org}", "командир* {org}", "unit"),
           ("начальник* пресслужби {org}", "начальниця* пресслужби {org}", "unit"),
           ("директор* {org}", "директорка* {org}", "company"),
           ("представник* {org}", "представниця* {org}", "intl"),
           ("керівник* {org}", "керівниця* {org}", "ngo"),
           ("народний* депутат*", "народна* депутатка*", None),
           ("військовий* експерт*", "військова* експертка*", None), ("політолог*", "політологиня*", None)],
    "ru": [("официальный* представитель* {org}", "официальный* представитель* {org}", "body"),
           ("глава* {org}", "глава* {org}", "admin"), ("командир* {org}", "командир* {org}", "unit"),
           ("начальник* пресс-службы {org}", "начальник* пресс-службы {org}", "unit"),
           ("генеральный* директор* {org}", "генеральный* директор* {org}", "company"),
           ("представитель* {org}", "представитель* {org}", "intl"),
           ("руководитель* {org}", "руководитель* {org}", "ngo"),
           ("народный* депутат* Украины", "народный* депутат* Украины", None),
           ("военный* эксперт*", "военный* эксперт*", None), ("политолог*", "политолог*", None)],
}

# Cities: nominative, genitive, dative, accusative, locative, city adjective, oblast adjective
# (English: name and oblast name).
CITIES = {
    "en": [("Kharkiv", "Kharkiv"), ("Kyiv", "Kyiv"), ("Odesa", "Odesa"), ("Dnipro", "Dnipropetrovsk"),
           ("Zaporizhzhia", "Zaporizhzhia"), ("Kherson", "Kherson"), ("Sumy", "Sumy"),
           ("Chernihiv", "Chernihiv"), ("Lviv", "Lviv"), ("Mykolaiv", "Mykolaiv"), ("Poltava", "Poltava"),
           ("Zhytomyr", "Zhytomyr"), ("Vinnytsia", "Vinnytsia"), ("Kramatorsk", "Donetsk"),
           ("Kryvyi Rih", "Dnipropetrovsk")],
    "uk": [("Харків", "Харкова", "Харкову", "Харків", "Харкові", "Харківська", "Харківська"),
           ("Київ", "Києва", "Києву", "Київ", "Києві", "Київська", "Київська"),
           ("Одеса", "Одеси", "Одесі", "Одесу", "Одесі", "Одеська", "Одеська"),
           ("Дніпро", "Дніпра", "Дніпру", "Дніпро", "Дніпрі", "Дніпровська", "Дніпропетровська"),
           ("Запоріжжя", "Запоріжжя", "Запоріжжю", "Запоріжжя", "Запоріжжі", "Запорізька", "Запорізька"),
           ("Херсон", "Херсона", "Херсону", "Херсон", "Херсоні", "Херсонська", "Херсонська"),
           ("Суми", "Сум", "Сумам", "Суми", "Сумах", "Сумська", "Сумська"),
           ("Чернігів", "Чернігова", "Чернігову", "Чернігів", "Чернігові", "Чернігівська", "Чернігівська"),
           ("Львів", "Львова", "Львову", "Львів", "Львові", "Львівська", "Львівська"),
           ("Миколаїв", "Миколаєва", "Миколаєву", "Миколаїв", "Миколаєві", "Миколаївська", "Миколаївська"),
           ("Полтава", "Полтави", "Полтаві", "Полтаву", "Полтаві", "Полтавська", "Полтавська"),
           ("Житомир", "Житомира", "Житомиру", "Житомир", "Житомирі", "Житомирська", "Житомирська"),
           ("Вінниця", "Вінниці", "Вінниці", "Вінницю", "Вінниці", "Вінницька", "Вінницька"),
           ("Краматорськ", "Краматорська", "Краматорську", "Краматорськ", "Краматорську", "Краматорська",
            "Донецька"),
           ("Кривий Ріг", "Кривого Рогу", "Кривому Рогу", "Кривий Ріг", "Кривому Розі", "Криворізька",
            "Дніпропетровська")],
    "ru": [("Харьков", "Харькова", "Харькову", "Харьков", "Харькове", "Харьковская", "Харьковская"),
           ("Киев", "Киева", "Киеву", "Киев", "Киеве", "Киевская", "Киевская"),
           ("Одесса", "Одессы", "Одессе", "Одессу", "Одессе", "Одесская", "Одесская"),
           ("Днепр", "Днепра", "Днепру", "Днепр", "Днепре", "Днепровская", "Днепропетровская"),
           ("Запорожье", "Запорожья", "Запорожью", "Запорожье", "Запорожье", "Запорожская", "Запорожская"),
           ("Херсон", "Херсона", "Херсону", "Херсон", "Херсоне", "Херсонская", "Херсонская"),
           ("Сумы", "Сум", "Сумам", "Сумы", "Сумах", "Сумская", "Сумская"),
           ("Чернигов", "Чернигова", "Чернигову", "Чернигов", "Чернигове", "Черниговская", "Черниговская"),
           ("Львов", "Львова", "Львову", "Львов", "Львове", "Львовская", "Львовская"),
           ("Николаев", "Николаева", "Николаеву", "Николаев", "Николаеве", "Николаевская", "Николаевская"),
           ("Полтава", "Полтавы", "Полтаве", "Полтаву", "Полтаве", "Полтавская", "Полтавская"),
           ("Житомир", "Житомира", "Житомиру", "Житомир", "Житомире", "Житомирская", "Житомирская"),
           ("Винница", "Винницы", "Виннице", "Винницу", "Виннице", "Винницкая", "Винницкая"),
           ("Краматорск", "Краматорска", "Краматорску", "Краматорск", "Краматорске", "Краматорская",
            "Донецкая"),
           ("Кривой Рог", "Кривого Рога", "Кривому Рогу", "Кривой Рог", "Кривом Роге", "Криворожская",
            "Днепропетровская")],
}

# Countries: nominative, genitive, instrumental, gender (English: the name).
COUNTRIES = {
    "en": [("Poland",), ("Germany",), ("France",), ("Britain",), ("the United States",), ("Canada",),
           ("Lithuania",), ("the Netherlands",), ("Sweden",), ("Denmark",), ("Japan",), ("Turkey",), ("Norway",)],
    "uk": [("Польща", "Польщі", "Польщею", "f"), ("Німеччина", "Німеччини", "Німеччиною", "f"),
           ("Франція", "Франції", "Францією", "f"), ("Велика Британія", "Великої Британії", "Великою Британією", "f"),
           ("США", "США", "США", "p"), ("Канада", "Канади", "Канадою", "f"), ("Литва", "Литви", "Литвою", "f"),
           ("Нідерланди", "Нідерландів", "Нідерландами", "p"), ("Швеція", "Швеції", "Швецією", "f"),
           ("Данія", "Данії", "Данією", "f"), ("Японія", "Японії", "Японією", "f"),
           ("Туреччина", "Туреччини", "Туреччиною", "f"), ("Норвегія", "Норвегії", "Норвегією", "f")],
    "ru": [("Польша", "Польши", "Польшей", "f"), ("Германия", "Германии", "Германией", "f"),
           ("Франция", "Франции", "Францией", "f"), ("Великобритания", "Великобритании", "Великобританией", "f"),
           ("США", "США", "США", "p"), ("Канада", "Канады", "Канадой", "f"), ("Литва", "Литвы", "Литвой", "f"),
           ("Нидерланды", "Нидерландов", "Нидерландами", "p"), ("Швеция", "Швеции", "Швецией", "f"),
           ("Дания", "Дании", "Данией", "f"), ("Япония", "Японии", "Японией", "f"),
           ("Турция", "Турции", "Турцией", "f"), ("Норвегия", "Норвегии", "Норвегией", "f")],
}

# Front directions, in the form "in the ... direction" needs.
DIRECTIONS = {
    "en": ["Pokrovsk", "Kostiantynivka", "Lyman", "Kupiansk", "Zaporizhzhia", "Kharkiv", "Siversk", "Kramatorsk",
           "Toretsk", "Kherson"],
    "uk": ["Покровському", "Костянтинівському", "Лиманському", "Куп'янському", "Запорізькому", "Харківському",
           "Сіверському", "Краматорському", "Торецькому", "Херсонському"],
    "ru": ["Покровском", "Константиновском", "Лиманском", "Купянском", "Запорожском", "Харьковском",
           "Северском", "Краматорском", "Торецком", "Херсонском"],
}

# Organizations. "NAME|g" gives the gender of a name with no noun that inflects (m f n p);
# "NAME|the" marks English names that take "the".
BODIES = {
    "en": ["Ministry of Defense|the", "Ministry of Internal Affairs|the", "Ministry of Foreign Affairs|the",
           "Ministry of Health|the", "Ministry of Energy|the", "Ministry of Finance|the",
           "Ministry of Social Policy|the", "Ministry of Digital Transformation|the", "Defense Ministry|the",
           "Foreign Ministry|the", "Security Service of Ukraine|the", "SBU|the", "Main Intelligence Directorate|the",
           "HUR", "General Staff|the", "Air Force|the", "Ukrainian Navy|the", "National Guard|the",
           "State Border Guard Service|the", "National Police|the", "State Emergency Service|the",
           "Center for Countering Disinformation|the", "Office of the President|the", "Verkhovna Rada|the",
           "Cabinet of Ministers|the", "National Bank of Ukraine|the", "NABU", "State Bureau of Investigation|the",
           "Ukrenergo", "Naftogaz", "Ukrzaliznytsia", "Energoatom", "Ukroboronprom", "DTEK", "Ukrposhta"],
    "uk": ["Міністерство* оборони", "Міністерство* внутрішніх справ", "Міністерство* закордонних справ",
           "Міністерство* охорони здоров'я", "Міністерство* енергетики", "Міністерство* фінансів",
           "Міністерство* соціальної політики", "Міністерство* цифрової трансформації", "Міністерство* юстиції",
           "Міноборони|n", "МВС|n", "МЗС|n", "МОЗ|n", "Мінцифри|n", "Мінфін*", "Служба* безпеки України",
           "СБУ|f", "Головне* управління* розвідки", "ГУР|n", "Генеральний* штаб*", "Генштаб*",
           "Збройні* сили* України", "ЗСУ|p", "Повітряні* сили*", "Військово-морські* сили*",
           "Сили* оборони півдня України", "Національна* гвардія*", "Нацгвардія*",
           "Державна* прикордонна* служба*", "ДПСУ|f", "Національна* поліція*", "Нацполіція*",
           "Державна* служба* з надзвичайних ситуацій", "ДСНС|f", "Офіс* президента", "Верховна* Рада*",
           "Кабінет* міністрів", "Національний* банк* України", "НБУ|m", "Національне* антикорупційне* бюро*",
           "НАБУ|n", "Державне* бюро* розслідувань", "ДБР|n", "Укренерго|n", "Нафтогаз*", "Укрзалізниця*",
           "Енергоатом*", "Укроборонпром*", "ДТЕК|m", "Укрпошта*"],
    "ru": ["Министерство* обороны Украины", "Министерство* внутренних дел", "Министерство* иностранных дел",
           "Министерство* здравоохранения", "Министерство* энергетики", "Министерство* финансов",
           "Министерство* цифровой трансформации", "Минобороны|n", "МИД|m", "МВД|n", "Минздрав*", "Минфин*",
           "Служба* безопасности Украины", "СБУ|f", "Главное* управление* разведки", "ГУР|n",
           "Генеральный* штаб* ВСУ", "Генштаб*", "Вооруженные* силы* Украины", "ВСУ|p", "Воздушные* силы*",
           "Военно-морские* силы*", "Силы* обороны юга Украины", "Национальная* гвардия*",
           "Государственная* пограничная* служба*", "Госпогранслужба*", "Национальная* полиция*", "ГСЧС|f",
           "Офис* президента", "Верховная* рада*", "Кабинет* министров", "Национальный* банк* Украины", "НБУ|m",
           "НАБУ|n", "Государственное* бюро* расследований", "ГБР|n", "Укрэнерго|n", "Нафтогаз*", "Энергоатом*",
           "Укроборонпром*", "ДТЭК|m", "Укрпочта*"],
}
INTERNATIONAL = {
    "en": ["UN|the", "NATO", "European Commission|the", "European Parliament|the", "IAEA|the",
           "International Committee of the Red Cross|the", "World Bank|the", "International Monetary Fund|the",
           "IMF|the", "OSCE|the", "Council of Europe|the", "UNICEF", "Amnesty International", "Human Rights Watch"],
    "uk": ["ООН|f", "НАТО|n", "Європейська* комісія*", "Єврокомісія*", "Європарламент*", "МАГАТЕ|n",
           "Міжнародний* комітет* Червоного Хреста", "Світовий* банк*", "Міжнародний* валютний* фонд*", "МВФ|m",
           "ОБСЄ|f", "Рада* Європи", "ЮНІСЕФ|m", "Amnesty International|f", "Human Rights Watch|f"],
    "ru": ["ООН|f", "НАТО|n", "Европейская* комиссия*", "Еврокомиссия*", "Европарламент*", "МАГАТЭ|n",
           "Международный* комитет* Красного Креста", "Всемирный* банк*", "Международный* валютный* фонд*",
           "МВФ|m", "ОБСЕ|f", "Совет* Европы", "ЮНИСЕФ|m", "Amnesty International|f", "Human Rights Watch|f"],
}
# Military units: "{ord}" is the ordinal of one of UNIT_NUMBERS.
UNITS = {
    "en": ["{ord} Separate Mechanized Brigade|the", "{ord} Separate Assault Brigade|the",
           "{ord} Separate Airborne Assault Brigade|the", "{ord} Separate Tank Brigade|the",
           "{ord} Separate Artillery Brigade|the", "{ord} Separate Mountain Assault Brigade|the",
           "{ord} Separate Assault Regiment|the", "{ord} Separate Rifle Battalion|the"],
    "uk": ["{ord} окрема* механізована* бригада*", "{ord} окрема* штурмова* бригада*",
           "{ord} окрема* десантно-штурмова* бригада*", "{ord} окрема* танкова* бригада*",
           "{ord} окрема* артилерійська* бригада*", "{ord} окрема* гірсько-штурмова* бригада*",
           "{ord} окремий* штурмовий* полк*", "{ord} окремий* стрілецький* батальйон*"],
    "ru": ["{ord} отдельная* механизированная* бригада*", "{ord} отдельная* штурмовая* бригада*",
           "{ord} отдельная* десантно-штурмовая* бригада*", "{ord} отдельная* танковая* бригада*",
           "{ord} отдельная* артиллерийская* бригада*", "{ord} отдельная* горно-штурмовая* бригада*",
           "{ord} отдельный* штурмовой* полк*", "{ord} отдельный* стрелковый* батальон*"],
}
UNIT_NUMBERS = [3, 10, 14, 21, 24, 28, 30, 32, 33, 35, 36, 41, 42, 44, 45, 47, 53, 54, 57, 58, 59, 63, 65, 67,
                72, 79, 80, 81, 92, 93, 95, 100, 110, 112, 115, 117, 118, 125, 128, 155]
# Local administrations: {city} is a city adjective, {oblast} an oblast adjective (English: names).
ADMINS = {
    "en": ["{oblast} Regional Military Administration|the", "{city} City Military Administration|the",
           "{city} City Council|the", "{oblast} Regional Prosecutor's Office|the", "{oblast} RMA|the"],
    "uk": ["{oblast}* обласна* військова* адміністрація*", "{city}* міська* військова* адміністрація*",
           "{city}* міська* рада*", "{oblast}* обласна* прокуратура*", "{oblast}* ОВА|f"],
    "ru": ["{oblast}* областная* военная* администрация*", "{city}* городская* военная* администрация*",
           "{oblast}* областная* прокуратура*", "{oblast}* ОВА|f"],
}
# Companies and NGOs are named inside a frame ("компанія «{}»"): only the name is the span.
COMPANY_PARTS = {
    "en": (["Agro", "Energo", "Ukr", "Techno", "Bud", "Nova", "City", "Logi"],
           ["trans", "prom", "service", "tech", "group", "invest"]),
    "uk": (["Агро", "Енерго", "Укр", "Техно", "Буд", "Нова", "Сіті", "Логі"],
           ["транс", "пром", "сервіс", "тех", "груп", "інвест"]),
    "ru": (["Агро", "Энерго", "Укр", "Техно", "Строй", "Нова", "Сити", "Логи"],
           ["транс", "пром", "сервис", "тех", "групп", "инвест"]),
}
COMPANY_FRAMES = {"en": ["{}"], "uk": ["компанія* «{}»", "холдинг* «{}»"], "ru": ["компания* «{}»", "холдинг* «{}»"]}
NGOS = {
    "en": ["Wings of Hope", "Voice of Freedom", "Stronger Together", "Light of Hope", "Open Hearts",
           "Protect Your Own", "Free Sky", "Children of the Steppe"],
    "uk": ["Крила надії", "Голос свободи", "Сильні разом", "Світло надії", "Відкриті серця", "Захисти своїх",
           "Вільне небо", "Діти степу"],
    "ru": ["Крылья надежды", "Голос свободы", "Сильные вместе", "Свет надежды", "Открытые сердца",
           "Защити своих", "Свободное небо", "Дети степи"],
}
NGO_FRAMES = {"en": ["{}"], "uk": ["громадська* організація* «{}»", "благодійна* організація* «{}»"],
              "ru": ["общественная* организация* «{}»", "благотворительная* организация* «{}»"]}
# Media outlets: (name, frame). The frame is used in the oblique cases; in the nominative the
# name stands alone (in quotation marks where the frame has them).
OUTLETS = {
    "en": [("Ukrinform", "{}"), ("Reuters", "{}"), ("BBC|the", "{}"), ("CNN", "{}"), ("Suspilne", "{}"),
           ("Ukrainska Pravda", "{}"), ("Kyiv Independent|the", "{}"), ("ArmyInform", "{}"),
           ("Censor.NET", "{}"), ("RBC-Ukraine", "{}"), ("Interfax-Ukraine", "{}"), ("LIGA.net", "{}"),
           ("Radio Liberty", "{}"), ("Associated Press|the", "{}"), ("AFP", "{}"), ("Bloomberg", "{}")],
    "uk": [("Укрінформ", "агентство* {}"), ("УНІАН", "агентство* {}"), ("Інтерфакс-Україна", "агентство* «{}»"),
           ("Українська правда", "видання* «{}»"), ("Суспільне", "видання* «{}»"), ("РБК-Україна", "видання* «{}»"),
           ("ArmyInform", "агентство* {}"), ("Цензор.НЕТ", "видання* «{}»"), ("LIGA.net", "видання* {}"),
           ("Reuters", "агентство* {}"), ("BBC", "британська* телерадіокомпанія* {}"), ("CNN", "телеканал* {}"),
           ("Bloomberg", "агентство* {}"), ("Радіо Свобода", "видання* «{}»")],
    "ru": [("ТАСС", "агентство* {}"), ("РИА Новости", "агентство* «{}»"), ("Интерфакс", "агентство* {}"),
           ("РБК", "издание* {}"), ("Коммерсантъ", "газета* «{}»"), ("Медуза", "издание* «{}»"),
           ("Новая газета", "издание* «{}»"), ("Фонтанка", "издание* «{}»"), ("Украинская правда", "издание* «{}»"),
           ("Укринформ", "агентство* {}"), ("УНИАН", "агентство* {}"), ("Страна.ua", "издание* «{}»"),
           ("Reuters", "агентство* {}"), ("Би-би-си", "британская* телерадиокомпания* {}"),
           ("Bloomberg", "агентство* {}")],
}
# Invented regional outlets: a word and the genitive of a city (English: a city and a word).
LOCAL_OUTLETS = {
    "en": (["Herald|the", "Post|the", "Today", "Courier|the"], "{city} {word}"),
    "uk": (["Вісті", "Голос", "Новини", "Події"], "{word} {city}"),
    "ru": (["Вести", "Голос", "Новости", "События"], "{word} {city}"),
}
LOCAL_OUTLET_FRAMES = {"en": ["{}"], "uk": ["видання* «{}»", "газета* «{}»", "телеканал* «{}»", "сайт* «{}»"],
                       "ru": ["издание* «{}»", "газета* «{}»", "телеканал* «{}»", "сайт* «{}»"]}

PROGRAM_NAMES = {
    "en": ["Army of Drones", "I Want to Live", "eRecovery", "eOselia", "Invincibility Points", "Winter Support",
           "Spiderweb", "Grain from Ukraine"],
    "uk": ["Армія дронів", "Хочу жити", "єВідновлення", "єОселя", "Пункти незламності", "Зимова підтримка",
           "Павутина", "Зерно з України"],
    "ru": ["Армия дронов", "Хочу жить", "еВосстановление", "еОселя", "Пункты несокрушимости", "Зимняя поддержка",
           "Паутина", "Зерно из Украины"],
}
# Invented program names: adjective x noun (all masculine in Ukrainian and Russian).
PROGRAM_PARTS = {
    "en": (["Warm", "Clean", "Steel", "Reliable", "Safe", "Bright", "New"],
           ["Home", "Shield", "Horizon", "Frontier", "Bridge", "Start"]),
    "uk": (["Теплий", "Чистий", "Сталевий", "Надійний", "Безпечний", "Світлий", "Новий"],
           ["дім", "щит", "горизонт", "рубіж", "міст", "старт"]),
    "ru": (["Теплый", "Чистый", "Стальной", "Надежный", "Безопасный", "Светлый", "Новый"],
           ["дом", "щит", "горизонт", "рубеж", "мост", "старт"]),
}
LATIN_PROGRAMS = ["United24", "Brave1"]
PROGRAM_FRAMES = {
    "en": ["the {} program", "the {} initiative", "the {} project", "the {} campaign", "the {} fund",
           "operation {}"],
    "uk": ["програма* «{}»", "проєкт* «{}»", "ініціатива* «{}»", "кампанія* «{}»", "фонд* «{}»",
           "операція* «{}»"],
    "ru": ["программа* «{}»", "проект* «{}»", "инициатива* «{}»", "кампания* «{}»", "фонд* «{}»",
           "операция* «{}»"],
}
LATIN_PROGRAM_FRAMES = {"en": ["the {} platform", "{}"], "uk": ["платформа* {}", "ініціатива* {}"],
                        "ru": ["платформа* {}", "инициатива* {}"]}

# Counted nouns. English: the plural; Ukrainian and Russian: the forms after numbers ending in
# 1, in 2-4 and in 5-0 (None: animate, used with the last form only, see _quantity), and
# words that follow the counted noun outside the span.
COUNTED = {
    "en": {"drone": ("drones",), "uav": ("UAVs",), "tank": ("tanks",), "shell": ("artillery shells",),
           "missile": ("missiles",), "vehicle": ("armored vehicles",), "generator": ("generators",),
           "request": ("applications",), "household": ("households",), "tonne": ("tonnes", "of humanitarian aid"),
           "soldier": ("servicemen",), "people": ("people",), "civilian": ("civilians",), "child": ("children",)},
    "uk": {"drone": ("дрон", "дрони", "дронів"), "uav": ("безпілотник", "безпілотники", "безпілотників"),
           "tank": ("танк", "танки", "танків"), "shell": ("снаряд", "снаряди", "снарядів"),
           "missile": ("ракета", "ракети", "ракет"), "vehicle": ("бронемашина", "бронемашини", "бронемашин"),
           "generator": ("генератор", "генератори", "генераторів"), "request": ("заявка", "заявки", "заявок"),
           "household": ("домогосподарство", "домогосподарства", "домогосподарств"),
           "tonne": ("тонна", "тонни", "тонн", "гуманітарної допомоги"),
           "soldier": (None, None, "військових"), "people": (None, None, "людей"),
           "civilian": (None, None, "цивільних"), "child": (None, None, "дітей")},
    "ru": {"drone": ("дрон", "дрона", "дронов"), "uav": ("беспилотник", "беспилотника", "беспилотников"),
           "tank": ("танк", "танка", "танков"), "shell": ("снаряд", "снаряда", "снарядов"),
           "missile": ("ракета", "ракеты", "ракет"), "vehicle": ("бронемашина", "бронемашины", "бронемашин"),
           "generator": ("генератор", "генератора", "генераторов"), "request": ("заявка", "заявки", "заявок"),
           "household": ("домохозяйство", "домохозяйства", "домохозяйств"),
           "tonne": ("тонна", "тонны", "тонн", "гуманитарной помощи"),
           "soldier": (None, None, "военнослужащих"), "people": (None, None, "человек"),
           "civilian": (None, None, "мирных жителей"), "child": (None, None, "детей")},
}
APPROXIMATORS = {
    "en": ["about", "almost", "more than", "nearly", "over", "at least", "up to", "around", "roughly"],
    "uk": ["понад", "близько", "майже", "щонайменше", "більш ніж", "до"],
    "ru": ["более", "около", "почти", "свыше", "не менее", "порядка", "до"],
}
# Number ranges drawn for counts; things counted in SMALL_COUNTS stay under a thousand.
MAGNITUDES = ((2, 99), (100, 999), (1000, 20000))
SMALL_COUNTS = {"tank", "vehicle", "missile", "generator", "drone", "uav", "soldier", "child"}
VAGUE_NUMERALS = {"en": ["dozens of", "hundreds of", "thousands of"], "uk": ["десятки", "сотні", "тисячі"],
                  "ru": ["десятки", "сотни", "тысячи"]}
# Numerals in words: (word, value class) where the class is 1, 2 (2-4) or 5 (5-0).
NUMBER_WORDS = {
    "en": ["three", "four", "five", "six", "seven", "eight", "ten", "twelve", "twenty", "thirty", "forty",
           "fifty", "a hundred"],
    "uk": [("три", 2), ("чотири", 2), ("п'ять", 5), ("шість", 5), ("сім", 5), ("вісім", 5), ("дев'ять", 5),
           ("десять", 5), ("двадцять", 5), ("тридцять", 5), ("сорок", 5), ("п'ятдесят", 5), ("сто", 5)],
    "ru": [("три", 2), ("четыре", 2), ("пять", 5), ("шесть", 5), ("семь", 5), ("восемь", 5), ("девять", 5),
           ("десять", 5), ("двадцать", 5), ("тридцать", 5), ("сорок", 5), ("пятьдесят", 5), ("сто", 5)],
}
THOUSAND = {"uk": ("тисяча", "тисячі", "тисяч"), "ru": ("тысяча", "тысячи", "тысяч")}
MILLION = {"uk": ("мільйон", "мільйони", "мільйонів"), "ru": ("миллион", "миллиона", "миллионов")}
CURRENCIES = {"en": ["hryvnias", "rubles", "dollars", "euros"], "uk": ["гривень", "доларів", "євро"],
              "ru": ["рублей", "гривен", "долларов", "евро"]}
PERCENT = {"uk": ("відсоток", "відсотки", "відсотків"), "ru": ("процент", "процента", "процентов")}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
           "листопада", "грудня"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
}
WEEKDAYS = {
    "en": ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
           "last week", "the day before"],
    "uk": ["у понеділок", "у вівторок", "у середу", "у четвер", "у п'ятницю", "у суботу", "у неділю",
           "минулого тижня", "напередодні"],
    "ru": ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье",
           "на прошлой неделе", "накануне"],
}
# Durations: (accusative, genitive); English has one form. More come from DURATION_UNITS.
DURATIONS = {
    "en": [("three days",), ("two weeks",), ("several hours",), ("six months",), ("a year and a half",)],
    "uk": [("три дні", "трьох днів"), ("два тижні", "двох тижнів"), ("кілька годин", "кількох годин"),
           ("пів року", "пів року"), ("два місяці", "двох місяців"), ("півтора року", "півтора року")],
    "ru": [("три дня", "трех дней"), ("две недели", "двух недель"), ("несколько часов", "нескольких часов"),
           ("полгода", "полугода"), ("два месяца", "двух месяцев"), ("полтора года", "полутора лет")],
}
# Units of durations counted from 5 up to the given number.
DURATION_UNITS = {"en": [("hours", 20), ("days", 30), ("weeks", 10), ("months", 18), ("years", 9)],
                  "uk": [("годин", 20), ("днів", 30), ("тижнів", 10), ("місяців", 18), ("років", 9)],
                  "ru": [("часов", 20), ("дней", 30), ("недель", 10), ("месяцев", 18), ("лет", 9)]}
PRONOUNS = {"en": {"he": ("he", "she"), "him": ("him", "her"), "his": ("his", "her")},
            "uk": {"he": ("він", "вона"), "his": ("його", "її")},
            "ru": {"he": ("он", "она"), "his": ("его", "ее")}}
AGE = {"en": ("{}-year-old", "{}-year-old"), "uk": ("{}-річний", "{}-річна"), "ru": ("{}-летний", "{}-летняя")}

# ----------------------------------------------------------------------------------------------
# Templates: sentence patterns per class as (template, chain keys, outermost relay first)
# ----------------------------------------------------------------------------------------------

TEMPLATES = {
    "en": {
        "DIRECT": [
            ("«{Q},» {P} said.", "P"), ("«{Q},» said {P}.", "P"), ("{P} said: «{Q}.»", "P"),
            ("«{Q},» {P.he} stressed.", "P"), ("«{Q},» {P} said. «{Q2}.»", "P"), ("«{Q},» {P.role} added.", "P"),
            ("«{Q},» {O} said in a statement.", "O"), ("{P} wrote on social media: «{Q}.»", "P"),
            ("«{Q},» {P} told reporters.", "P"), ("«{Q},» {P.he} said. «{Q2}.»", "P")],
        "INDIRECT": [
            ("{P} said that {C}.", "P"), ("According to {P}, {C}.", "P"), ("{C}, {P} said.", "P"),
            ("According to {P.him}, {C}.", "P"), ("{P.he} also said that {C}.", "P"),
            ("{O} reported that {C}.", "O"), ("{O} said that {C}.", "O"), ("According to {O}, {C}.", "O"),
            ("{C}. This was stated by {P}.", "P"), ("As {P} noted, {C}.", "P"),
            ("{P.role} also stressed that {C}.", "P"), ("{P} explained that {C}.", "P")],
        "RELAYED": [
            ("{P} told {B} that {C}.", "BP"), ("In an interview with {B}, {P} said that {C}.", "BP"),
            ("{P} said that {C}, {A} reports.", "AP"), ("«{Q},» {P} told {B}.", "BP"),
            ("{A} reports, citing {O}, that {C}.", "AO"), ("{C}, {A} reported, citing {P}.", "AP"),
            ("According to {A}, {P} told {B} that {C}.", "ABP"), ("As {A} reports, {O} said that {C}.", "AO"),
            ("{C}, {P} said in an interview with {B}.", "BP"),
            ("«{Q},» {P} said in an interview with {B}, {A} reports.", "ABP"),
            ("{C}, {A} writes, citing {O}.", "AO"), ("{C}. This was stated by {P} in an interview with {B}.", "BP")],
        "UNATTRIBUTED": [
            ("It was earlier reported that {C}.", ""), ("Earlier it was reported that {C}.", ""),
            ("Media reported that {C}.", ""), ("According to media reports, {C}.", ""),
            ("Sources say that {C}.", ""), ("According to unconfirmed reports, {C}.", ""),
            ("As previously reported, {C}.", ""), ("Reports emerged online that {C}.", "")],
        "NARRATION": [
            ("{date}, {country} handed over {n:vehicle:any} to Ukraine.", ""), ("{X} visited {city} {date}.", ""),
            ("The {age@X} {X} has headed {org} for {dur}.", ""), ("{date}, {org} launched {prog}.", ""),
            ("The air raid alert in {city} lasted {dur}.", ""),
            ("{date}, {country} and Ukraine signed a security agreement.", ""),
            ("The meeting was attended by {X} and representatives of {org}.", ""),
            ("Explosions were heard in {city} {time}.", ""),
            ("Since the beginning of the year, {n:request} have been submitted under {prog}.", ""),
            ("{org} has been operating in the region for {dur}.", "")],
        "HEADLINE": [("{P.last} says {C}", "P"), ("{P.last}: «{Q}»", "P")],
    },
    "uk": {
        "DIRECT": [
            ("«{Q}», — {сказав@P} {P}.", "P"), ("«{Q}», — {заявив@P} {P}.", "P"), ("{P} {заявив@P}: «{Q}».", "P"),
            ("«{Q}», — {наголосив@P} {P.he}.", "P"), ("«{Q}, — {зазначив@P} {P}. — {Q2}».", "P"),
            ("«{Q}», — {додав@P} {P.role}.", "P"), ("«{Q}», — йдеться в заяві {O:gen}.", "O"),
            ("{P} {написав@P} у соцмережах: «{Q}».", "P"), ("«{Q}», — {розповів@P} {P} журналістам.", "P"),
            ("«{Q}», — {сказав@P} {P.he}. «{Q2}».", "P")],
        "INDIRECT": [
            ("{P} {заявив@P}, що {C}.", "P"), ("За словами {P:gen}, {C}.", "P"), ("{C}, {зазначив@P} {P}.", "P"),
            ("За {P.his} словами, {C}.", "P"), ("{P.he} також {додав@P}, що {C}.", "P"),
            ("{O:in} повідомили, що {C}.", "O"), ("{O} {повідомив@O}, що {C}.", "O"),
            ("За даними {O:gen}, {C}.", "O"), ("{C}. Про це {заявив@P} {P}.", "P"),
            ("Як {зазначив@P} {P}, {C}.", "P"), ("{P.role} також {наголосив@P}, що {C}.", "P"),
            ("{P} {розповів@P}, що {C}.", "P")],
        "RELAYED": [
            ("{P} в інтерв'ю {B:dat} {заявив@P}, що {C}.", "BP"), ("Як передає {A}, {P} {заявив@P}, що {C}.", "AP"),
            ("{P} {заявив@P}, що {C}, передає {A}.", "AP"), ("«{Q}», — {сказав@P} {P} у коментарі {B:dat}.", "BP"),
            ("{A} з посиланням на {O:acc} повідомляє, що {C}.", "AO"),
            ("{C}. Про це повідомляє {A} з посиланням на {P:acc}.", "AP"),
            ("За даними {A:gen}, {P} у коментарі {B:dat} {заявив@P}, що {C}.", "ABP"),
            ("Як передає {A}, {O} {повідомив@O}, що {C}.", "AO"), ("{C}, {розповів@P} {P} в інтерв'ю {B:dat}.", "BP"),
            ("«{Q}», — {сказав@P} {P} в інтерв'ю {B:dat}, передає {A}.", "ABP"),
            ("{C}, пише {A} з посиланням на {O:acc}.", "AO"), ("{C}. Про це в інтерв'ю {B:dat} {заявив@P} {P}.", "BP")],
        "UNATTRIBUTED": [
            ("Раніше повідомлялося, що {C}.", ""), ("Як повідомляли ЗМІ, {C}.", ""),
            ("За неофіційною інформацією, {C}.", ""), ("За даними джерел, {C}.", ""),
            ("Українські медіа повідомили, що {C}.", ""), ("Нагадаємо, раніше повідомлялося, що {C}.", ""),
            ("Джерела стверджують, що {C}.", ""), ("У мережі з'явилася інформація, що {C}.", "")],
        "NARRATION": [
            ("{date} {country} {передав@country} Україні {n:vehicle:any}.", ""),
            ("{X} {відвідав@X} {city:acc} {date}.", ""), ("{age@X} {X} {очолює@X} {org:acc} вже {dur:acc}.", ""),
            ("{date} {org} {запустив@org} {prog:acc}.", ""), ("Повітряна тривога {city:in} тривала {dur:acc}.", ""),
            ("{date} {country} та Україна підписали безпекову угоду.", ""),
            ("У зустрічі взяли участь {X} та представники {org:gen}.", ""),
            ("{time} {city:in} пролунали вибухи.", ""),
            ("Від початку року в межах {prog:gen} подано {n:request}.", ""),
            ("{org} {працює@org} в регіоні вже {dur:acc}.", "")],
        "HEADLINE": [("{P.last}: {C}", "P"), ("{P.last}: «{Q}»", "P")],
    },
    "ru": {
        "DIRECT": [
            ("«{Q}», — {сказал@P} {P}.", "P"), ("«{Q}», — {заявил@P} {P}.", "P"), ("{P} {заявил@P}: «{Q}».", "P"),
            ("«{Q}», — {подчеркнул@P} {P.he}.", "P"), ("«{Q}, — {отметил@P} {P}. — {Q2}».", "P"),
            ("«{Q}», — {добавил@P} {P.role}.", "P"), ("«{Q}», — говорится в заявлении {O:gen}.", "O"),
            ("{P} {написал@P} в соцсетях: «{Q}».", "P"), ("«{Q}», — {рассказал@P} {P} журналистам.", "P"),
            ("«{Q}», — {сказал@P} {P.he}. «{Q2}».", "P")],
        "INDIRECT": [
            ("{P} {заявил@P}, что {C}.", "P"), ("По словам {P:gen}, {C}.", "P"), ("{C}, {отметил@P} {P}.", "P"),
            ("По {P.his} словам, {C}.", "P"), ("{P.he} также {добавил@P}, что {C}.", "P"),
            ("{O:in} сообщили, что {C}.", "O"), ("{O} {сообщил@O}, что {C}.", "O"),
            ("По данным {O:gen}, {C}.", "O"), ("{C}. Об этом {заявил@P} {P}.", "P"),
            ("Как {отметил@P} {P}, {C}.", "P"), ("{P.role} также {подчеркнул@P}, что {C}.", "P"),
            ("{P} {рассказал@P}, что {C}.", "P")],
        "RELAYED": [
            ("{P} в интервью {B:dat} {заявил@P}, что {C}.", "BP"), ("Как передает {A}, {P} {заявил@P}, что {C}.", "AP"),
            ("{P} {заявил@P}, что {C}, сообщает {A}.", "AP"), ("«{Q}», — {сказал@P} {P} в комментарии {B:dat}.", "BP"),
            ("{A} со ссылкой на {O:acc} сообщает, что {C}.", "AO"),
            ("{C}. Об этом сообщает {A} со ссылкой на {P:acc}.", "AP"),
            ("По данным {A:gen}, {P} в комментарии {B:dat} {заявил@P}, что {C}.", "ABP"),
            ("Как передает {A}, {O} {сообщил@O}, что {C}.", "AO"), ("{C}, {рассказал@P} {P} в интервью {B:dat}.", "BP"),
            ("«{Q}», — {сказал@P} {P} в интервью {B:dat}, передает {A}.", "ABP"),
            ("{C}, пишет {A} со ссылкой на {O:acc}.", "AO"), ("{C}. Об этом в интервью {B:dat} {заявил@P} {P}.", "BP")],
        "UNATTRIBUTED": [
            ("Ранее сообщалось, что {C}.", ""), ("Как сообщали СМИ, {C}.", ""), ("По данным СМИ, {C}.", ""),
            ("По неофициальной информации, {C}.", ""), ("По неподтвержденным данным, {C}.", ""),
            ("Источники утверждают, что {C}.", ""), ("Напомним, ранее сообщалось, что {C}.", ""),
            ("В сети появилась информация, что {C}.", "")],
        "NARRATION": [
            ("{date} {country} {передал@country} Украине {n:vehicle:any}.", ""),
            ("{X} {посетил@X} {city:acc} {date}.", ""), ("{age@X} {X} {возглавляет@X} {org:acc} уже {dur:acc}.", ""),
            ("{date} {org} {запустил@org} {prog:acc}.", ""), ("Воздушная тревога {city:in} длилась {dur:acc}.", ""),
            ("{date} {country} и Украина подписали соглашение о безопасности.", ""),
            ("Во встрече приняли участие {X} и представители {org:gen}.", ""),
            ("{time} {city:in} прогремели взрывы.", ""),
            ("С начала года в рамках {prog:gen} подано {n:request}.", ""),
            ("{org} {работает@org} в регионе уже {dur:acc}.", "")],
        "HEADLINE": [("{P.last}: {C}", "P"), ("{P.last}: «{Q}»", "P")],
    },
}

# Reported content ({C}: a clause, lowercase) and quoted content ({Q}: capitalized, no final stop).
CLAIMS = {
    "en": [
        "Ukrainian forces had shot down {n:drone:any} overnight",
        "the enemy had lost {n:soldier} in the {dir} direction",
        "{org} would receive {n:generator:any} before the winter", "{n:money} had been allocated to {prog}",
        "{country} would hand over {n:vehicle:any} to Ukraine by the end of the year",
        "{n:people} had been evacuated {city:from}", "the situation near {city} remained difficult",
        "{n:percent} of households in {city} were still without power", "{prog} had already received {n:request}",
        "talks with {country} would continue next week", "several settlements near {city} had been liberated",
        "border guards had detained {n:people} trying to cross the border illegally",
        "the enemy had fired {n:shell:any} at {city}", "{org} was preparing a new aid package worth {n:money}",
        "repair work in {city} would take another {dur}", "{n:child} had been returned home under {prog}",
        "{org} was checking reports of shelling in {city}",
        "the number of attacks had grown by {n:percent:exact:any} over the past month",
        "{country} would allocate {n:money} to restore Ukraine's energy system",
        "{n:tonne} had been delivered {city:to} {date}"],
    "uk": [
        "українські військові за добу збили {n:drone:any}", "ворог втратив {n:soldier} на {dir} напрямку",
        "{org} {отримає@org} {n:generator:any} до початку зими", "на {prog:acc} виділили {n:money}",
        "{country} {передасть@country} Україні {n:vehicle:any} до кінця року", "{city:from} евакуювали {n:people}",
        "ситуація поблизу {city:gen} залишається складною",
        "без світла досі залишаються {n:percent} домогосподарств {city:gen}",
        "до {prog:gen} вже надійшло {n:request}", "переговори з {country:ins} триватимуть наступного тижня",
        "кілька населених пунктів поблизу {city:gen} вдалося звільнити",
        "за добу прикордонники затримали {n:people}, які намагалися незаконно перетнути кордон",
        "ворог випустив по {city:dat} {n:shell:any}", "{org} {готує@org} новий пакет допомоги на суму {n:money}",
        "відновлювальні роботи {city:in} триватимуть ще {dur:acc}", "в межах {prog:gen} додому повернули {n:child}",
        "{org} {перевіряє@org} інформацію про обстріл {city:gen}",
        "за останній місяць кількість атак зросла на {n:percent:exact:any}",
        "{country} {виділить@country} Україні {n:money} на відновлення енергетики",
        "{date} {city:to} доставили {n:tonne}"],
    "ru": [
        "украинские военные за сутки сбили {n:drone:any}", "противник потерял {n:soldier} на {dir} направлении",
        "{org} {получит@org} {n:generator:any} до начала зимы", "на {prog:acc} выделили {n:money}",
        "{country} {передаст@country} Украине {n:vehicle:any} до конца года", "{city:from} эвакуировали {n:people}",
        "ситуация вблизи {city:gen} остается сложной",
        "без света до сих пор остаются {n:percent} домохозяйств {city:gen}",
        "в рамках {prog:gen} уже поступило {n:request}", "переговоры с {country:ins} продолжатся на следующей неделе",
        "несколько населенных пунктов вблизи {city:gen} удалось освободить",
        "за сутки пограничники задержали {n:people}, пытавшихся незаконно пересечь границу",
        "противник выпустил по {city:dat} {n:shell:any}", "{org} {готовит@org} новый пакет помощи на сумму {n:money}",
        "восстановительные работы {city:in} продлятся еще {dur:acc}", "в рамках {prog:gen} домой вернули {n:child}",
        "{org} {проверяет@org} информацию об обстреле {city:gen}",
        "за последний месяц количество атак выросло на {n:percent:exact:any}",
        "{country} {выделит@country} Украине {n:money} на восстановление энергетики",
        "{date} {city:to} доставили {n:tonne}"],
}
QUOTES = {
    "en": [
        "Last night we shot down {n:drone:any}", "Every day the enemy loses {n:soldier}",
        "We have received {n:generator:any}, but it is not enough",
        "The situation in the {dir} direction remains difficult",
        "Our units are holding their positions. The enemy has lost {n:tank:any}", "We need {n:money} to rebuild {city}",
        "This is {n:percent:exact:any} more than last year", "Everyone who wants to help can do so",
        "{org} is doing everything possible to help people", "We have evacuated {n:people} from the frontline areas",
        "We have no right to stop", "The enemy launched {n:missile:any}, most of them were shot down"],
    "uk": [
        "Минулої ночі ми збили {n:drone:any}", "Щодня ворог втрачає {n:soldier}",
        "Ми отримали {n:generator:any}, але цього недостатньо", "Ситуація на {dir} напрямку залишається складною",
        "Наші підрозділи утримують позиції. Противник втратив {n:tank:any}",
        "Для відновлення {city:gen} потрібно {n:money}",
        "Це на {n:percent:exact:any} більше, ніж торік", "Кожен, хто хоче допомогти, може це зробити",
        "{org} {робить@org} все можливе, щоб допомогти людям", "Ми евакуювали {n:people} з прифронтових районів",
        "Ми не маємо права зупинятися", "Противник випустив {n:missile:any}, більшість із них збито"],
    "ru": [
        "Прошлой ночью мы сбили {n:drone:any}", "Каждый день противник теряет {n:soldier}",
        "Мы получили {n:generator:any}, но этого недостаточно", "Ситуация на {dir} направлении остается сложной",
        "Наши подразделения удерживают позиции. Противник потерял {n:tank:any}",
        "Для восстановления {city:gen} нужно {n:money}",
        "Это на {n:percent:exact:any} больше, чем в прошлом году", "Каждый, кто хочет помочь, может это сделать",
        "{org} {делает@org} все возможное, чтобы помочь людям", "Мы эвакуировали {n:people} из прифронтовых районов",
        "Мы не имеем права останавливаться", "Противник выпустил {n:missile:any}, большинство из них сбито"],
}

CLAIM_JOINER = {"en": ", and ", "uk": ", а ", "ru": ", а "}
# How often each kind of sentence is drawn (split quotes make DIRECT claims come in pairs).
KIND_WEIGHTS = {"DIRECT": 0.85, "INDIRECT": 1.0, "RELAYED": 1.1, "UNATTRIBUTED": 0.95, "NARRATION": 0.8}
QUOTE_MARKS = {"en": [("\"", "\""), ("\u201c", "\u201d")], "uk": [("«", "»"), ("„", "“")],
               "ru": [("«", "»"), ("„", "“")]}

# ----------------------------------------------------------------------------------------------
# Morphology (pymorphy3)
# ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _morph(lang: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk") if lang == "uk" else pymorphy3.MorphAnalyzer()


def _restore(form: str, model: str) -> str:
    """Give a pymorphy3 form (lowercase, perhaps with ё) the letter case of the word it came from."""
    if "ё" not in model.lower():
        form = form.replace("ё", "е")
    if len(model) > 1 and model.isupper():
        return form.upper()
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


def _parse(word: str, lang: str, pos: tuple[str, ...], grammemes: frozenset = frozenset(),
           names: bool = False):
    """The first nominative reading of `word` (the Ukrainian dictionary leaves the case out of some
    nominatives) with a part of speech in `pos` and all `grammemes`, singular where there is one;
    person names only when `names`."""
    readings = [p for p in _morph(lang).parse(word.lower())
                if p.tag.POS in pos and p.tag.case in ("nomn", None) and grammemes <= p.tag.grammemes
                and (names or not {"Name", "Surn", "Patr"} & p.tag.grammemes)]
    readings.sort(key=lambda p: "plur" in p.tag)
    if not readings:
        raise ValueError(f"pymorphy3 has no {'/'.join(pos)} reading of {word!r} ({lang})")
    return readings[0]


def _inflect(parse, case: str, lang: str, model: str) -> str:
    tags = {_CASES[case]}
    if lang == "uk" and case == "loc" and parse.tag.POS in ("ADJF", "PRTF") and "plur" not in parse.tag:
        tags = {"datv"}  # pymorphy3 gives the rare -ім; the standard locative equals the dative (-ому, -ій)
    form = parse.inflect(tags)
    if form is None:
        raise ValueError(f"pymorphy3 cannot put {model!r} into {case} ({lang})")
    return _restore(form.word, model)


def _gender_of(parse) -> str:
    if "plur" in parse.tag:
        return "p"
    if "ms-f" in parse.tag.grammemes:  # common gender (глава)
        return "m"
    return {"masc": "m", "femn": "f", "neut": "n"}[parse.tag.gender]


@lru_cache(maxsize=None)
def _inflect_phrase(phrase: str, case: str, lang: str, gender: str = "", number: int = 0) -> str:
    """Put the words of `phrase` marked with * into `case`: the last marked word is the head noun and
    the marked words before it agree with it (with `gender` instead when the phrase has no head noun
    that inflects, e.g. "Харківська* ОВА"); "{ord}" becomes the ordinal of `number`."""
    words = phrase.split(" ")
    marked = [i for i, w in enumerate(words) if w.endswith("*")]
    head = None
    if not gender:
        head = _parse(words[marked[-1]][:-1], lang, ("NOUN",))
        gender = _gender_of(head)
    animate = head is not None and "anim" in head.tag
    if case == "acc" and not animate and gender != "f":
        case = "nom"  # inanimate accusative equals the nominative except for feminine singulars
    agree = frozenset({_GRAMMEME[gender]})
    out = []
    for i, w in enumerate(words):
        if w == "{ord}":
            out.append(_ordinal(number, gender, case, lang))
        elif not w.endswith("*"):
            out.append(w)
        elif case == "nom":
            out.append(w[:-1])
        elif head is not None and i == marked[-1]:
            out.append(_inflect(head, case, lang, w[:-1]))
        else:  # an adjective; with an animate masculine noun the accusative is the genitive
            adjective_case = "gen" if case == "acc" and animate and gender == "m" else case
            out.append(_inflect(_parse(w[:-1], lang, ("ADJF", "PRTF"), agree), adjective_case, lang, w[:-1]))
    return " ".join(out)


@lru_cache(maxsize=None)
def _phrase_gender(phrase: str, lang: str) -> str:
    marked = [w[:-1] for w in phrase.split(" ") if w.endswith("*")]
    return _gender_of(_parse(marked[-1], lang, ("NOUN",)))


def _ordinal(n: int, gender: str, case: str, lang: str) -> str:
    """A unit's ordinal in digits with the ending the case needs: 47th, 47-ма/47-ї, 47-я/47-й."""
    if lang == "en":
        return f"{n}{'th' if n % 100 in (11, 12, 13) else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    if gender != "f":
        ending = {"nom": "й", "acc": "й", "gen": "го", "dat": "му", "ins": "м",
                  "loc": "му" if lang == "uk" else "м"}[case]
    elif lang == "ru":
        ending = {"nom": "я", "acc": "ю"}.get(case, "й")
    elif case in ("nom", "acc"):
        # the last two letters of the word: перша, друга, третя, сьома, восьма, сорокова, п'ята ...
        if 10 <= n % 100 < 20:
            ending = "та"
        elif n % 10 == 0:
            ending = "ва" if n % 100 == 40 else "та"
        else:
            ending = {1: "ша", 2: "га", 3: "тя", 7: "ма", 8: "ма"}.get(n % 10, "та")
        if case == "acc":
            ending = ending[0] + {"а": "у", "я": "ю"}[ending[1]]
    else:
        ending = {"gen": "ї", "dat": "й", "ins": "ю", "loc": "й"}[case]
    return f"{n}-{ending}"


@lru_cache(maxsize=None)
def _agree(verb: str, gender: str, lang: str) -> str:
    """`verb` (masculine past, or third person singular) in the form that agrees with `gender`."""
    readings = [p for p in _morph(lang).parse(verb) if p.tag.POS == "VERB" and ("past" in p.tag or "3per" in p.tag)]
    if not readings:
        raise ValueError(f"pymorphy3 has no finite reading of {verb!r} ({lang})")
    parse = readings[0]
    if gender == "p":
        form = parse.inflect({"plur"})
    elif "past" in parse.tag:
        form = parse.inflect({_GRAMMEME[gender]})
    else:
        return verb
    if form is None:
        raise ValueError(f"pymorphy3 cannot make {verb!r} agree with {gender} ({lang})")
    return form.word


def _feminine_surname(last: str, lang: str) -> str:
    if lang == "uk":
        for masc, fem in (("ський", "ська"), ("цький", "цька"), ("ний", "на")):
            if last.endswith(masc):
                return last[:-len(masc)] + fem
    if lang == "ru":
        if last.endswith("ский"):
            return last[:-4] + "ская"
        if last.endswith(("ов", "ев", "ин", "ын")):
            return last + "а"
    return last


# Case endings of men's surnames in a hard consonant that pymorphy3 does not know (Russian "Мельник").
HARD_SURNAME_ENDINGS = {"gen": "а", "dat": "у", "acc": "а", "ins": "ом", "loc": "е"}


@lru_cache(maxsize=None)
def _surname(last: str, gender: str, case: str, lang: str) -> str:
    """A surname in a case: pymorphy3 where it knows the surname for this gender (it declines Ukrainian
    men's -енко/-ко surnames and keeps women's indeclinable), else the rules: women's surnames that do
    not end in -а/-я and Russian -ко/-их/-ых surnames are indeclinable, men's surnames in a hard
    consonant decline like nouns."""
    if case == "nom":
        return last
    try:
        return _inflect(_parse(last, lang, ("NOUN",), frozenset({"Surn", _GRAMMEME[gender]}), names=True),
                        case, lang, last)
    except ValueError:
        pass
    if (gender == "f" and last[-1] not in "ая") or (lang == "ru" and last.endswith(("ко", "их", "ых"))):
        return last
    if gender == "m" and lang == "ru" and last[-1] in "бвдзклмнпрстфх":
        return last + HARD_SURNAME_ENDINGS[case]
    raise ValueError(f"no declension known for the surname {last!r} ({lang}, {gender})")


@lru_cache(maxsize=None)
def _first_name(first: str, gender: str, case: str, lang: str) -> str:
    if case == "nom":
        return first
    return _inflect(_parse(first, lang, ("NOUN",), frozenset({"Name", _GRAMMEME[gender]}), names=True),
                    case, lang, first)


# ----------------------------------------------------------------------------------------------
# Entities of the gazetteers
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    gender: str  # "m" or "f"
    lang: str

    def name(self, case: str = "nom", full: bool = True) -> str:
        if self.lang == "en":
            return f"{self.first} {self.last}" if full else self.last
        last = _surname(self.last, self.gender, case, self.lang)
        return f"{_first_name(self.first, self.gender, case, self.lang)} {last}" if full else last


@dataclass(frozen=True)
class Named:
    """An ORG or PROGRAM: the span's words (``*`` marks the ones that inflect) inside a frame of
    words around it (``{}`` stands for the span, e.g. ``видання* «{}»``), which inflects instead when
    it has marked words. Outlets (`bare_nom`) drop the frame's words in the nominative."""
    words: str
    label: str = "ORG"
    frame: str = "{}"
    gender: str = ""  # for names with no noun that inflects
    the: bool = False  # English: takes "the"
    number: int = 0  # the ordinal of a unit
    bare_nom: bool = False

    def parts(self, case: str, lang: str, with_the: bool = True) -> tuple[str, str, str]:
        """(words before the span, the span, words after it) in `case`."""
        frame = self.frame
        if lang == "en":
            before, after = frame.split("{}")
            return ("the " if self.the and with_the else "") + before, self.words.replace("{ord}", _ordinal(
                self.number, "", case, lang)), after
        if self.bare_nom and case == "nom":
            frame = re.search(r"«?\{\}»?", frame).group(0)
            span = self.words
        elif "*" in frame:
            span, frame = self.words, _inflect_phrase(frame, case, lang)
        else:
            span = _inflect_phrase(self.words, case, lang, self.gender, self.number)
        before, after = frame.split("{}")
        return before, span, after

    def agreement(self, lang: str) -> str:
        """The gender (m f n p) a verb takes with this name as its subject."""
        if "*" in self.frame:
            return _phrase_gender(self.frame, lang)
        return self.gender or _phrase_gender(self.words, lang)


def _named(entry: str, label: str = "ORG", frame: str = "{}", number: int = 0, bare_nom: bool = False) -> Named:
    words, _, mark = entry.partition("|")
    return Named(words, label, frame, "" if mark in ("", "the") else mark, mark == "the", number, bare_nom)


@lru_cache(maxsize=None)
def _gazetteer(lang: str) -> dict[str, list[Named]]:
    """The organizations and programs of a language, by pool."""
    # (city adjective, oblast adjective, the city in outlet names); English uses the names
    places = [(c[0], c[1], c[0]) if lang == "en" else (c[5], c[6], c[1]) for c in CITIES[lang]]
    words, pattern = LOCAL_OUTLETS[lang]
    local = [pattern.format(word=w, city=c) for w in words for _, _, c in places]
    prefixes, suffixes = COMPANY_PARTS[lang]
    adjectives, nouns = PROGRAM_PARTS[lang]
    programs = [(p, PROGRAM_FRAMES[lang]) for p in PROGRAM_NAMES[lang]]
    programs += [(f"{a} {n}", PROGRAM_FRAMES[lang]) for a in adjectives for n in nouns]
    programs += [(p, LATIN_PROGRAM_FRAMES[lang]) for p in LATIN_PROGRAMS]
    return {
        "body": [_named(e) for e in BODIES[lang]],
        "intl": [_named(e) for e in INTERNATIONAL[lang]],
        "unit": [_named(e, number=n) for e in UNITS[lang] for n in UNIT_NUMBERS],
        "admin": [_named(t.format(city=c, oblast=o)) for t in ADMINS[lang] for c, o, _ in places],
        "company": [_named(p + s, frame=f) for p in prefixes for s in suffixes for f in COMPANY_FRAMES[lang]],
        "ngo": [_named(n, frame=f) for n in NGOS[lang] for f in NGO_FRAMES[lang]],
        "outlet": [_named(n, frame=f, bare_nom=True) for n, f in OUTLETS[lang]]
        + [_named(n, frame=f, bare_nom=True) for n in local for f in LOCAL_OUTLET_FRAMES[lang]],
        "program": [_named(p, "PROGRAM", f) for p, frames in programs for f in frames],
    }


SOURCE_POOLS = ("body", "body", "unit", "admin", "intl", "company", "ngo")
QUOTABLE_POOLS = ("body", "unit", "admin", "intl")  # no quotation marks of their own


def _person(rng: random.Random, lang: str, gender: str, taken: set[str]) -> Person:
    last = rng.choice([s for s in SURNAMES[lang] if s not in taken])
    taken.add(last)
    if gender == "f":
        last = _feminine_surname(last, lang)
    return Person(rng.choice(FIRST_NAMES[lang][gender]), last, gender, lang)


@dataclass
class _Cast:
    """Who appears in one article."""
    sources: list[Person]
    roles: dict[Person, tuple[str, Named | None]]
    bodies: list[Named]
    outlets: list[Named]
    bystander: Person | None  # mentioned only, never a source
    programs: list[Named]

    @classmethod
    def draw(cls, rng: random.Random, lang: str) -> "_Cast":
        gaz, taken = _gazetteer(lang), set()
        sources = [_person(rng, lang, rng.choice("mf"), taken) for _ in range(rng.choice((1, 2, 2, 3)))]
        roles = {}
        for p in sources:
            if rng.random() < 0.7:
                masc, fem, pool = rng.choice(ROLES[lang])
                roles[p] = (fem if p.gender == "f" else masc, rng.choice(gaz[pool]) if pool else None)
        bystander = _person(rng, lang, rng.choice("mf"), taken) if rng.random() < 0.5 else None
        return cls(sources, roles, [rng.choice(gaz[rng.choice(SOURCE_POOLS)]) for _ in range(2)],
                   rng.sample(gaz["outlet"], 3), bystander, rng.sample(gaz["program"], 2))


# ----------------------------------------------------------------------------------------------
# Building the text
# ----------------------------------------------------------------------------------------------


class _Builder:
    """Concatenates an article's text while recording the offsets of its entities and claims."""

    def __init__(self, lang: str, quotes: tuple[str, str]):
        self.lang, self.quotes = lang, quotes
        self._parts: list[str] = []
        self.size = 0
        self.entities: list[Entity] = []
        self.attributions: list[Attribution] = []
        self.capitalize = False  # upper-case the next letter or digit written (sentence start)
        self.latest: dict[Person, str] = {}  # a speaker -> id of the latest mention of the name
        self.introduced: set[Person] = set()  # named in full already
        self.role_shown: set[Person] = set()
        self.last_person: Person | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def last_char(self) -> str:
        return next((c for part in reversed(self._parts) for c in reversed(part) if not c.isspace()), "")

    def put(self, s: str) -> None:
        if self.capitalize:
            i = next((i for i, c in enumerate(s) if c.isalnum()), None)
            if i is not None:
                s = s[:i] + s[i].upper() + s[i + 1:]
                self.capitalize = False
        self._parts.append(s)
        self.size += len(s)

    def entity(self, s: str, label: str) -> str:
        start = self.size
        self.put(s)
        eid = f"e{len(self.entities) + 1}"
        self.entities.append(Entity(eid, start, self.size, label))
        return eid

    def attribute(self, spans: list[tuple[int, int]], chain: list[str], quoted: bool) -> None:
        label = ("UNATTRIBUTED" if not chain else "RELAYED" if len(chain) > 1
                 else "DIRECT" if quoted else "INDIRECT")
        text = self.text
        for start, end in spans:
            if quoted:  # the punctuation inside the closing mark belongs to the claim (ANNOTATION.md)
                end = punctuation_inside_marks(text, end)
            self.attributions.append(Attribution(f"a{len(self.attributions) + 1}", start, end, tuple(chain), label))


@dataclass
class _Sentence:
    """The cast and the state of one template being filled."""
    rng: random.Random
    lang: str
    cast: _Cast
    who: dict[str, object]  # P O A B X -> Person / Named
    ids: dict[str, str] = field(default_factory=dict)  # cast key -> entity id for the chain
    claims: list[tuple[int, int]] = field(default_factory=list)
    agree_with: dict[str, object] = field(default_factory=dict)  # "org"/"country" -> the last one
    in_quote: bool = False


_SLOT = re.compile(r"\{([^{}]+)\}")


def _fill(b: _Builder, template: str, s: _Sentence) -> None:
    pos = 0
    for m in _SLOT.finditer(template):
        b.put(_quote_marks(template[pos:m.start()], b.quotes))
        _slot(b, m.group(1), s)
        pos = m.end()
    b.put(_quote_marks(template[pos:], b.quotes))


def _quote_marks(text: str, quotes: tuple[str, str]) -> str:
    return text.replace("«", quotes[0]).replace("»", quotes[1])


def _slot(b: _Builder, slot: str, s: _Sentence) -> None:
    if "@" in slot:
        word, key = slot.split("@")
        gender = _gender(s.agree_with[key] if key in s.agree_with else s.who[key], s.lang)
        if word == "age":
            b.put(AGE[s.lang][gender == "f"].format(s.rng.randint(19, 68)))
        else:
            b.put(_agree(word, gender, s.lang))
        return
    head, *args = slot.split(":")
    key, _, attr = head.partition(".")
    if key in ("C", "Q", "Q2"):
        _claim(b, s, quoted=key != "C")
    elif key in ("P", "O", "A", "B", "X"):
        _source(b, s, key, attr, args[0] if args else "nom")
    else:
        SLOT_FILLERS[key](b, s, *args)


def _gender(who: object, lang: str) -> str:
    """The gender (m f n p) a verb agrees with: a Person, a Named or a country's gender itself."""
    if isinstance(who, str):
        return who
    return who.gender if isinstance(who, Person) else who.agreement(lang)


def _claim(b: _Builder, s: _Sentence, quoted: bool) -> None:
    start = b.size
    b.capitalize = b.capitalize or quoted
    inner = _Sentence(s.rng, s.lang, s.cast, s.who, agree_with=s.agree_with, in_quote=quoted)
    content = s.rng.choice(QUOTES[s.lang] if quoted else CLAIMS[s.lang])
    _fill(b, content, inner)
    if not quoted and s.rng.random() < 0.3:  # a compound claim: "..., and ..."
        b.put(CLAIM_JOINER[s.lang])
        _fill(b, s.rng.choice([c for c in CLAIMS[s.lang] if c != content]), inner)
    s.claims.append((start, b.size))


def _source(b: _Builder, s: _Sentence, key: str, attr: str, case: str) -> None:
    who = s.who[key]
    if isinstance(who, Named):
        if case == "in":
            _in(b, "".join(who.parts("loc", s.lang)), s.lang)
            case = "loc"
        s.ids[key] = _mention_named(b, who, case, s.lang)
        return
    if key == "X":  # a bystander: never tagged
        b.put(who.name(case))
        b.last_person = who
        return
    if attr in ("he", "his", "him"):
        b.put(PRONOUNS[s.lang][attr][who.gender == "f"])
        s.ids[key] = b.latest[who]
    elif attr == "role":
        b.put(_role_noun(s.cast.roles[who][0], s.lang))
        s.ids[key] = b.latest[who]
    else:
        s.ids[key] = _mention_person(b, s, who, case, surname_only=attr == "last")


def _mention_named(b: _Builder, named: Named, case: str, lang: str, with_the: bool = True) -> str:
    before, span, after = named.parts(case, lang, with_the)
    b.put(before)
    eid = b.entity(span, named.label)
    b.put(after)
    return eid


def _mention_person(b: _Builder, s: _Sentence, person: Person, case: str, surname_only: bool) -> str:
    """Tag a SPEAKER mention: in full (with the role, mostly) the first time, then mostly by surname."""
    full = not surname_only and (person not in b.introduced or s.rng.random() < 0.15)
    if full and person not in b.introduced and person in s.cast.roles and s.rng.random() < 0.8:
        _role(b, s, person, case)
        b.put(" ")
        b.role_shown.add(person)
    eid = b.entity(person.name(case, full), "SPEAKER")
    if full:
        b.introduced.add(person)
    b.latest[person] = eid
    b.last_person = person
    return eid


def _role(b: _Builder, s: _Sentence, person: Person, case: str) -> None:
    """A role before a name ("Air Force spokesperson", "речника Повітряних сил"); its organization is an ORG."""
    role, org = s.cast.roles[person]
    before, _, after = role.partition("{org}")
    if s.lang != "en":
        before = _inflect_phrase(before.strip(), case, s.lang) + (" " if org else "")
    b.put(before)
    if org:
        _mention_named(b, org, "nom" if s.lang == "en" else "gen", s.lang, with_the=False)
        b.put(after)


def _role_noun(role: str, lang: str) -> str:
    """The role noun that can stand for the person: "the spokesperson", "речник"."""
    if lang == "en":
        return "the " + role.split()[-1]
    return [w[:-1] for w in role.split() if w.endswith("*")][-1]


def _in(b: _Builder, following: str, lang: str) -> None:
    """The preposition "in" before `following`: Russian в/во, Ukrainian у/в (в between vowels)."""
    w = following.lower()
    cluster = w.startswith(("льв", "мн")) or (w[:1] in "вф" and w[1:2] not in _VOWELS)
    if lang == "ru":
        b.put("во " if cluster else "в ")
    elif w[:1] in _VOWELS:
        b.put("в ")
    else:
        after_vowel = not b.capitalize and b.last_char() in _VOWELS
        b.put("в " if after_vowel and not cluster and w[:1] not in "вф" else "у ")


# Fillers of the lowercase slots: (builder, sentence, *slot arguments) -> None


def _fill_org(b: _Builder, s: _Sentence, case: str = "nom") -> None:
    gaz = _gazetteer(s.lang)
    org = s.rng.choice(gaz[s.rng.choice(QUOTABLE_POOLS if s.in_quote else SOURCE_POOLS)])
    _mention_named(b, org, case, s.lang)
    s.agree_with["org"] = org


def _fill_program(b: _Builder, s: _Sentence, case: str = "nom") -> None:
    _mention_named(b, s.rng.choice(s.cast.programs), case, s.lang)


def _fill_city(b: _Builder, s: _Sentence, case: str = "nom") -> None:
    """A city in a case, or after "in", "from" or "to" (the preposition and the case it governs)."""
    city = s.rng.choice(CITIES[s.lang])
    if s.lang == "en":
        b.put({"in": "in ", "from": "from ", "to": "to "}.get(case, "") + city[0])
        return
    if case == "in":
        _in(b, city[4], s.lang)
        case = "loc"
    elif case == "from":
        b.put("из " if s.lang == "ru" else "зі " if city[1].startswith("Льв") else "з ")
        case = "gen"
    elif case == "to":
        if s.lang == "ru":
            _in(b, city[3], s.lang)
        else:
            b.put("до ")
        case = "acc" if s.lang == "ru" else "gen"
    b.put(city[("nom", "gen", "dat", "acc", "loc").index(case)])


def _fill_country(b: _Builder, s: _Sentence, case: str = "nom") -> None:
    country = s.rng.choice(COUNTRIES[s.lang])
    if s.lang == "en":
        b.put(country[0])
        return
    b.put(country[("nom", "gen", "ins").index(case)])
    s.agree_with["country"] = country[3]


def _fill_direction(b: _Builder, s: _Sentence) -> None:
    b.put(s.rng.choice(DIRECTIONS[s.lang]))


def _fill_date(b: _Builder, s: _Sentence) -> None:
    rng, lang = s.rng, s.lang
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS[lang]), rng.randint(2022, 2025)
    forms = {
        "en": [f"on {month} {day}", f"on {day} {month}", f"on the night of {month} {day}", f"on {month} {day}, {year}"],
        "uk": [f"{day} {month}", f"в ніч на {day} {month}", f"{day} {month} {year} року"],
        "ru": [f"{day} {month}", f"в ночь на {day} {month}", f"{day} {month} {year} года"],
    }[lang]
    b.put(rng.choice(forms + [rng.choice(WEEKDAYS[lang])]))


def _fill_duration(b: _Builder, s: _Sentence, case: str = "acc") -> None:
    if s.rng.random() < 0.5:
        fixed = s.rng.choice(DURATIONS[s.lang])
        b.put(fixed[0] if s.lang == "en" else fixed[("acc", "gen").index(case)])
    else:  # numbers ending in 5-0: the unit is a genitive plural in both cases
        unit, most = s.rng.choice(DURATION_UNITS[s.lang])
        b.put(f"{_number(s.rng, 5, most, 'many')} {unit}")


def _fill_time(b: _Builder, s: _Sentence) -> None:
    clock = f"{s.rng.randint(0, 23):02d}:{s.rng.choice(('00', '15', '30', '45'))}"
    b.put({"en": "at ", "uk": "о ", "ru": "в "}[s.lang] + clock)


def _fill_quantity(b: _Builder, s: _Sentence, kind: str, *options: str) -> None:
    span, tail = _quantity(s.rng, s.lang, kind, any_form="any" in options, exact="exact" in options)
    b.entity(span, "QUANTITY")
    if tail:
        b.put(" " + tail)


SLOT_FILLERS = {"org": _fill_org, "prog": _fill_program, "city": _fill_city, "country": _fill_country,
                "dir": _fill_direction, "date": _fill_date, "dur": _fill_duration, "time": _fill_time,
                "n": _fill_quantity}

# ----------------------------------------------------------------------------------------------
# Quantities
# ----------------------------------------------------------------------------------------------


def _plural_class(n: int) -> str:
    """Which noun form follows the number in Ukrainian and Russian: one (21), few (22) or many (25)."""
    if 11 <= n % 100 <= 14 or n % 10 in (0, 5, 6, 7, 8, 9):
        return "many"
    return "one" if n % 10 == 1 else "few"


def _number(rng: random.Random, low: int, high: int, plural: str = "") -> int:
    """A number in [low, high] of the given plural class (any class when empty)."""
    while True:
        n = rng.randint(low, high)
        if not plural or _plural_class(n) == plural:
            return n


def _digits(rng: random.Random, n: int, lang: str) -> str:
    if lang == "en":
        return f"{n:,}"
    return f"{n:,}".replace(",", rng.choice((" ", ""))) if n >= 1000 else str(n)


def _form(forms: tuple, n: int) -> str:
    return forms[("one", "few", "many").index(_plural_class(n))]


def _quantity(rng: random.Random, lang: str, kind: str, any_form: bool = False,
              exact: bool = False) -> tuple[str, str]:
    """A QUANTITY span and the words after it that are not part of it.

    Ukrainian and Russian numbers take the noun form of their last digits. The forms after numbers
    ending in 1 and 2-4 are those of the nominative/accusative, so they are only drawn where the
    template allows (`any_form`: an inanimate object or subject) and never after an approximator
    (понад/близько/более/около govern other cases); numbers ending in 5-0 take the genitive plural
    in every case. `exact`: no approximator, range or vague numeral.
    """
    if kind == "money":
        return _money(rng, lang, exact), ""
    if kind == "percent":
        return _percent(rng, lang, any_form, exact), ""
    forms = COUNTED[lang][kind]
    tail = forms[-1] if len(forms) in (2, 4) else ""
    small = kind in SMALL_COUNTS
    magnitude = rng.choice(MAGNITUDES[:2] if small else MAGNITUDES)
    vague = rng.choice(VAGUE_NUMERALS[lang][:2] if small else VAGUE_NUMERALS[lang])
    shape = rng.choice(("digits", "digits", "approx", "approx", "words", "vague", "range")
                       + (() if small else ("thousands",)))
    if exact and shape in ("approx", "vague", "range"):
        shape = "digits"
    if lang == "en":
        return _english_count(rng, shape, magnitude, vague, forms[0]), tail
    one, few, many = forms[:3]
    free = any_form and one is not None
    if shape in ("digits", "approx"):
        n = _number(rng, *magnitude, "" if free and shape == "digits" else "many")
        approx = "" if shape == "digits" else rng.choice(APPROXIMATORS[lang]) + " "
        return f"{approx}{_digits(rng, n, lang)} {_form((one, few, many), n)}", tail
    if shape == "thousands":  # never 21, 31 ...: "тисяча" itself would need the accusative
        k = _number(rng, 2, 90, "" if free else "many")
        while _plural_class(k) == "one":
            k = _number(rng, 2, 90, "")
        return f"{k} {_form(THOUSAND[lang], k)} {many}", tail
    if shape == "words":
        word, cls = rng.choice([w for w in NUMBER_WORDS[lang] if free or w[1] == 5])
        return f"{word} {few if cls == 2 else many}", tail
    if shape == "vague":
        return f"{vague} {many}", tail
    low = _number(rng, *magnitude)
    high = _number(rng, low + 2, low + 60, "many")
    if rng.random() < 0.5:
        return f"{'від' if lang == 'uk' else 'от'} {low} до {high} {many}", tail
    return f"{low}–{high} {many}", tail


def _english_count(rng: random.Random, shape: str, magnitude: tuple[int, int], vague: str, noun: str) -> str:
    n = rng.randint(*magnitude)
    low, high = _digits(rng, n, "en"), _digits(rng, n + rng.randint(2, 50), "en")
    return {
        "digits": f"{low} {noun}",
        "approx": f"{rng.choice(APPROXIMATORS['en'])} {low} {noun}",
        "thousands": f"{rng.randint(2, 90)} thousand {noun}",
        "words": f"{rng.choice(NUMBER_WORDS['en'])} {noun}",
        "vague": f"{vague} {noun}",
        "range": rng.choice((f"{low} to {high} {noun}", f"{low}–{high} {noun}", f"between {low} and {high} {noun}")),
    }[shape]


def _money(rng: random.Random, lang: str, exact: bool) -> str:
    n, whole = rng.randint(2, 950), rng.randint(1, 9)
    fraction = f"{whole}{'.' if lang == 'en' else ','}{rng.randint(1, 9)}"
    approx = "" if exact or rng.random() < 0.5 else rng.choice(APPROXIMATORS[lang]) + " "
    if lang == "en":
        shape = rng.choice((f"${n} million", f"${fraction} billion", f"€{n} million",
                            f"€{rng.randint(2, 900) * 1000:,}", f"UAH {fraction} billion",
                            f"{n} million {rng.choice(CURRENCIES[lang])}"))
        return approx + shape
    currency = rng.choice(CURRENCIES[lang])
    millions = _number(rng, 2, 950, "many" if approx else "")
    thousands = _number(rng, 5, 950, "many")
    shape = rng.choice((f"{n} млн {currency}", f"{fraction} млрд {currency}", f"${n} млн", f"€{n} млн",
                        f"{millions} {_form(MILLION[lang], millions)} {currency}",
                        f"{thousands} {THOUSAND[lang][2]} {currency}"))
    return approx + shape


def _percent(rng: random.Random, lang: str, free: bool, exact: bool) -> str:
    n = rng.randint(2, 95)
    approx = "" if exact or rng.random() < 0.5 else rng.choice(APPROXIMATORS[lang]) + " "
    if lang == "en":
        return approx + rng.choice((f"{n}%", f"{n} percent", f"{n}.{rng.randint(1, 9)}%"))
    words = _number(rng, 2, 95, "" if free and not approx else "many")
    return approx + rng.choice((f"{n}%", f"{n},{rng.randint(1, 9)}%", f"{words} {_form(PERCENT[lang], words)}"))


# ----------------------------------------------------------------------------------------------
# Composing articles
# ----------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…][\"»“”]?(?=\s|$)")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=None)
def _template_needs(template: str) -> tuple[frozenset, str]:
    """The cast keys a template uses, and "role"/"pronoun" when it refers back to P."""
    heads = {slot.split(":")[0] for slot in _SLOT.findall(template)}
    keys = frozenset(h.split(".")[0] for h in heads if h[:1] in "POABX")
    back = "role" if "P.role" in heads else "pronoun" if heads & {"P.he", "P.his", "P.him"} else ""
    return keys, back


def _sentence(b: _Builder, cast: _Cast, rng: random.Random, kind: str) -> None:
    """Write one sentence pattern of `kind` (two sentences for split quotes and "This was stated by")."""
    eligible = []
    for template, chain in TEMPLATES[b.lang][kind]:
        keys, back = _template_needs(template)
        if "X" in keys and cast.bystander is None:
            continue
        if back and not (b.last_person in cast.sources and b.last_person in b.introduced
                         and (back != "role" or b.last_person in b.role_shown)):
            continue
        eligible.append((template, chain, back))
    template, chain, back = rng.choice(eligible)
    outlet_a, outlet_b = rng.sample(cast.outlets, 2)
    s = _Sentence(rng, b.lang, cast, {"P": b.last_person if back else rng.choice(cast.sources),
                                      "O": rng.choice(cast.bodies), "A": outlet_a, "B": outlet_b,
                                      "X": cast.bystander})
    b.capitalize = True
    _fill(b, template, s)
    if s.claims:
        b.attribute(s.claims, [s.ids[k] for k in chain], quoted="{Q" in template)


def _compose(rng: random.Random, lang: str) -> _Builder:
    cast = _Cast.draw(rng, lang)
    b = _Builder(lang, rng.choices(QUOTE_MARKS[lang], weights=(4, 1))[0])
    if rng.random() < 0.25:
        _sentence(b, cast, rng, "HEADLINE")
        b.put("\n\n")
    target_sentences, target_words, kinds = rng.randint(3, 8), rng.randint(80, 160), list(KIND_WEIGHTS)
    sentences = 0
    while sentences < 8 and (sentences < target_sentences or len(_WORD.findall(b.text)) < target_words):
        if sentences:
            b.put(rng.choice(("\n\n", " ", " ")))
        _sentence(b, cast, rng, rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0])
        sentences = len(_SENTENCE_END.findall(b.text))
    return b


def _article(k: int, lang: str, seed: int) -> Article:
    rng = random.Random(f"{SOURCE}/{seed}/{lang}/{k}")
    while True:  # redraw the rare article that ends up too short or with too many sentences
        b = _compose(rng, lang)
        text = b.text
        if 80 <= len(_WORD.findall(text)) <= 300 and 3 <= len(_SENTENCE_END.findall(text)) <= 8:
            return Article(f"gen-{lang}-{k:05d}", lang, text, b.entities, b.attributions,
                           {"source": SOURCE, "seed": seed})


def generate(n: int, seed: int = 13, langs: tuple[str, ...] = ("en", "uk", "ru")) -> list[Article]:
    """n synthetic training articles (spread evenly over langs), deterministic for a seed."""
    return [_article(k, langs[k % len(langs)], seed) for k in range(n)]
