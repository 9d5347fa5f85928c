"""The words sample data is made of: real-looking Polish with diacritics and inflected forms,
so full-text search, stemming and ranking have something realistic to work on. Only the
words: how they are drawn and combined is in the other modules of sampledata."""

from dataclasses import dataclass

from departments.models import Department
from meetings.models import Document, Meeting
from postulates.models import Outcome, PostulateLink

# Before every title, name or text of a sample record, so nobody takes it for the archive.
MARKER = "[PRZYKŁAD] "


@dataclass(frozen=True)
class Topic:
    nominative: str  # for titles: "Spotkanie branżowe: kultura i dziedzictwo"
    genitive: str  # "w obszarze kultury", "postulatów dotyczących kultury"
    things: tuple[str, ...]  # genitive objects: "Postulujemy zwiększenie <thing>"
    area_hints: tuple[str, ...]  # lowercase fragments of matching PublicTaskArea names


TOPICS = (
    Topic(
        "dotacje i konkursy ofert",
        "dotacji i konkursów ofert",
        (
            "środków na małe granty",
            "terminów rozliczania dotacji",
            "wymaganego wkładu własnego",
            "procedury składania ofert w generatorze",
            "konkursów wieloletnich",
        ),
        ("organizacje pozarządowe",),
    ),
    Topic(
        "lokale miejskie dla organizacji",
        "lokali użytkowych",
        (
            "stawek czynszu w lokalach miejskich",
            "puli lokali przeznaczonych dla organizacji",
            "remontów lokali użytkowych",
            "dostępu do sal w centrach obywatelskich",
        ),
        ("organizacje pozarządowe", "wspólnot"),
    ),
    Topic(
        "ekologia i zieleń miejska",
        "ekologii i ochrony przyrody",
        (
            "nasadzeń drzew na osiedlach",
            "programu ogrodów społecznościowych",
            "edukacji ekologicznej w szkołach",
            "ochrony terenów zielonych",
            "opieki nad bezdomnymi zwierzętami",
        ),
        ("ekologia",),
    ),
    Topic(
        "kultura i dziedzictwo",
        "kultury",
        (
            "oferty kulturalnej w dzielnicach",
            "mecenatu nad kulturą niezależną",
            "festiwali organizowanych przez organizacje",
            "dostępu do sal widowiskowych",
            "ochrony zabytków i pamiątek",
        ),
        ("sztuka",),
    ),
    Topic(
        "sport powszechny",
        "sportu i rekreacji",
        (
            "zajęć sportowych dla dzieci",
            "dostępu do boisk szkolnych",
            "wsparcia klubów sportowych",
            "imprez biegowych i rowerowych",
        ),
        ("kultury fizycznej",),
    ),
    Topic(
        "polityka senioralna",
        "seniorów",
        (
            "miejsc w klubach seniora",
            "zniżek w ramach Krakowskiej Karty Seniora",
            "zajęć ruchowych dla seniorów",
            "pomocy sąsiedzkiej dla osób starszych",
        ),
        ("emerytalnym",),
    ),
    Topic(
        "aktywność młodzieży",
        "młodzieży",
        (
            "młodzieżowych rad dzielnic",
            "oferty zajęć pozaszkolnych",
            "wsparcia psychologicznego dla młodzieży",
            "wypoczynku letniego dzieci i młodzieży",
        ),
        ("młodzieży", "dziecka"),
    ),
    Topic(
        "wolontariat",
        "wolontariatu",
        (
            "szkoleń dla wolontariuszy",
            "ubezpieczenia wolontariuszy",
            "promocji wolontariatu w szkołach",
            "nagród dla wolontariuszek i wolontariuszy",
        ),
        ("wolontariatu",),
    ),
    Topic(
        "zdrowie publiczne",
        "ochrony zdrowia",
        (
            "programów profilaktyki zdrowotnej",
            "wsparcia zdrowia psychicznego",
            "przeciwdziałania uzależnieniom",
        ),
        ("zdrowia", "uzależnieniom"),
    ),
    Topic(
        "pomoc społeczna",
        "pomocy społecznej",
        (
            "miejsc w noclegowniach i ogrzewalniach",
            "streetworkingu",
            "mieszkań treningowych",
            "pomocy żywnościowej",
        ),
        ("pomoc społeczna", "wykluczeniem", "charytatywna"),
    ),
    Topic(
        "integracja cudzoziemców",
        "cudzoziemców",
        (
            "kursów języka polskiego",
            "punktów informacyjnych dla cudzoziemców",
            "tłumaczeń materiałów urzędowych",
        ),
        ("cudzoziemców",),
    ),
    Topic(
        "osoby z niepełnosprawnościami",
        "osób z niepełnosprawnościami",
        (
            "transportu dla osób z niepełnosprawnościami",
            "dostępności budynków miejskich",
            "asystencji osobistej",
        ),
        ("niepełnosprawnościami",),
    ),
    Topic(
        "rewitalizacja dzielnic",
        "rewitalizacji",
        (
            "programów rewitalizacji podwórek",
            "inicjatyw lokalnych mieszkańców",
            "współpracy z radami dzielnic",
        ),
        ("rewitalizacja", "wspólnot"),
    ),
    Topic(
        "turystyka i krajoznawstwo",
        "turystyki",
        (
            "szlaków turystycznych po dzielnicach",
            "promocji Krakowa poza sezonem",
            "rajdów i wycieczek krajoznawczych",
        ),
        ("turystyka",),
    ),
)

ACTIONS = (
    "zwiększenie",
    "uproszczenie",
    "przyspieszenie",
    "rozszerzenie",
    "zabezpieczenie",
    "ujednolicenie",
    "wydłużenie",
    "zmianę zasad",
    "przegląd",
    "dofinansowanie",
    "stałe finansowanie",
    "lepszą promocję",
    "uruchomienie",
)
OPENINGS = (
    "Postulujemy",
    "Wnosimy o",
    "Proponujemy",
    "Prosimy o",
    "Organizacje postulują",
    "Wnioskujemy o",
    "Rekomendujemy",
)
BENEFICIARIES = (
    "seniorów",
    "młodzieży",
    "dzieci i rodzin",
    "osób z niepełnosprawnościami",
    "osób w kryzysie bezdomności",
    "cudzoziemców",
    "wolontariuszy",
    "małych stowarzyszeń",
    "grup nieformalnych",
    "mieszkańców osiedli",
)
DISTRICTS = (
    "w Nowej Hucie",
    "w Podgórzu",
    "na Kazimierzu",
    "w Bronowicach",
    "na Krowodrzy",
    "w Prądniku Białym",
    "w Dębnikach",
    "na Zwierzyńcu",
    "w Bieżanowie-Prokocimiu",
    "w Czyżynach",
    "w Łagiewnikach-Borku Fałęckim",
    "w Mistrzejowicach",
    "na Starym Mieście",
    "w Grzegórzkach",
    "w Swoszowicach",
)
POSTULATE_REASONS = (
    "Podobne postulaty zgłaszano już w {previous} r., jednak nie zostały one uwzględnione.",
    "To jeden z kilku postulatów dotyczących {genitive} zgłoszonych podczas spotkania.",
    "Zapotrzebowanie na działania w obszarze {genitive} rośnie z roku na rok.",
    "Organizacje zwracają uwagę na rosnące koszty i brak stabilnego finansowania.",
    "Postulat poparło {supporters} organizacji obecnych na spotkaniu.",
    "Obecne procedury są zbyt skomplikowane dla małych stowarzyszeń i grup nieformalnych.",
    "Zgłaszający podkreślają znaczenie współpracy z radami dzielnic i jednostkami miejskimi.",
    "Brakuje rzetelnej informacji o dostępnych formach wsparcia dla {beneficiary}.",
    "Realizacja postulatu wymagałaby zmiany zapisów programu współpracy na rok {programme}.",
    "Wśród postulatów zgłoszonych w {year} r. ten powtarzał się najczęściej.",
)
JUSTIFICATIONS = {
    Outcome.Category.ACCEPTED: (
        "Postulat uwzględniono w projekcie programu współpracy na rok {programme}.",
        "Wydział zaplanował odpowiednie środki w budżecie na kolejny rok.",
        "Zadanie zostanie ujęte w konkursach ofert ogłaszanych w obszarze {genitive}.",
    ),
    Outcome.Category.PARTLY_ACCEPTED: (
        "Postulat uwzględniono częściowo: środki zostaną zwiększone w mniejszym zakresie.",
        "Część postulatów dotyczących {genitive} zostanie zrealizowana w ramach "
        "istniejących programów.",
        "Miasto przeprowadzi pilotaż rozwiązania w jednej dzielnicy.",
    ),
    Outcome.Category.REJECTED: (
        "Postulatu nie uwzględniono ze względu na ograniczenia budżetowe.",
        "Proponowane rozwiązanie wykracza poza kompetencje gminy.",
        "Obowiązujące przepisy nie pozwalają na wprowadzenie proponowanej zmiany.",
    ),
    Outcome.Category.PENDING: (
        "Postulat jest analizowany; odpowiedź zostanie przekazana po zakończeniu prac "
        "nad budżetem.",
        "Wydział przygotowuje analizę kosztów realizacji postulatu.",
    ),
    Outcome.Category.NEUTRAL: (
        "Wyjaśnienia udzielono podczas spotkania.",
        "Sprawa nie należy do zakresu programu współpracy; przekazano ją do właściwej jednostki.",
    ),
}
TRAININGS = (
    "rozliczanie dotacji i sprawozdania z realizacji zadań",
    "składanie ofert w generatorze wniosków",
    "ochrona danych osobowych w organizacjach",
    "pozyskiwanie środków z funduszy europejskich",
    "księgowość małej organizacji",
    "prawa i obowiązki wolontariuszy",
    "inicjatywa lokalna i mikrogranty",
    "dostępność zadań publicznych dla osób ze szczególnymi potrzebami",
)
OTHER_FORMATS = ("Forum organizacji pozarządowych", "Debata", "Warsztaty", "Spacer badawczy")
PLACES = (
    "sala obrad Urzędu Miasta Krakowa",
    "Centrum Obywatelskie, sala konferencyjna",
    "Dom Kultury w Podgórzu",
    "Nowohuckie Centrum Kultury",
    "Klub Seniora na Krowodrzy",
    "Młodzieżowy Dom Kultury",
    "Biblioteka Kraków, filia w Bronowicach",
)
QUARTERS = ("I", "II", "III", "IV")

ORGANISATION_FORMS = (
    "Fundacja",
    "Stowarzyszenie",
    "Towarzystwo",
    "Klub Sportowy",
    "Uczniowski Klub Sportowy",
    "Koło Gospodyń Miejskich",
    "Spółdzielnia Socjalna",
    "Fundacja Rozwoju",
    "Stowarzyszenie Przyjaciół",
    "Związek Stowarzyszeń",
)
ORGANISATION_CAUSES = (
    "Seniorów",
    "Młodzieży Krakowskiej",
    "Aktywnych Sąsiadów",
    "Ochrony Przyrody",
    "Kultury Niezależnej",
    "Pomocy Bliźniemu",
    "Osób z Niepełnosprawnościami",
    "Wolontariuszy",
    "Ekologicznego Krakowa",
    "Zdrowego Stylu Życia",
    "Dzieci i Rodzin",
    "Sportu Powszechnego",
    "Edukacji Obywatelskiej",
    "Przyjaciół Zwierząt",
    "Dialogu Międzykulturowego",
)
ORGANISATION_NICKNAMES = (
    "„Zielony Zakątek”",
    "„Razem”",
    "„Nadzieja”",
    "„Wisła”",
    "„Krokus”",
    "„Kopiec”",
    "„Lajkonik”",
    "„Sowiniec”",
    "„Źródło”",
    "„Przystań”",
)
ORGANISATION_HOMES = ("z Nowej Huty", "z Podgórza", "z Bronowic", "z Krowodrzy", "z Dębnik")
UNIVERSITY_CIRCLES = ("Pracy Socjalnej", "Ekologii Miasta", "Ekonomii Społecznej", "Socjologii")
UNIVERSITIES = (
    "Uniwersytetu Jagiellońskiego",
    "Akademii Górniczo-Hutniczej",
    "Uniwersytetu Ekonomicznego",
    "Uniwersytetu Komisji Edukacji Narodowej",
)

# (name, abbreviation, kind) of departments whose name never changes.
STABLE_DEPARTMENTS = (
    ("Wydział Kultury i Dziedzictwa Narodowego", "KD", Department.Kind.CITY_HALL),
    ("Wydział Sportu", "SP", Department.Kind.CITY_HALL),
    ("Wydział Edukacji", "ED", Department.Kind.CITY_HALL),
    ("Wydział Kształtowania Środowiska", "WS", Department.Kind.CITY_HALL),
    ("Zarząd Zieleni Miejskiej", "ZZM", Department.Kind.CITY_UNIT),
    ("Miejski Ośrodek Pomocy Społecznej", "MOPS", Department.Kind.CITY_UNIT),
    ("Centrum Obywatelskie Nowa Huta", "CO-NH", Department.Kind.CIVIC_CENTRE),
)
# One department renamed twice, so lineage() and the "formerly known as" pages have data.
RENAME_CHAIN = (
    ("Wydział Spraw Społecznych", "SS"),
    ("Wydział Polityki Społecznej i Zdrowia", "PZ"),
    ("Wydział Polityki Społecznej, Równości i Zdrowia", "PRZ"),
)
TAKEN_OVER = ("Biuro ds. Ochrony Zdrowia", "BZ")

# Used only when the vocabulary tables are empty (e.g. a fresh benchmark database): names
# follow art. 4 of the act, so they are not marked as samples.
FALLBACK_AREAS = (
    "Pomoc społeczna, w tym pomoc rodzinom i osobom w trudnej sytuacji życiowej",
    "Kultura, sztuka, ochrona dóbr kultury i dziedzictwa narodowego",
    "Wspieranie i upowszechnianie kultury fizycznej",
    "Ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego",
    "Działalność na rzecz osób w wieku emerytalnym",
    "Wypoczynek dzieci i młodzieży",
    "Promocja i organizacja wolontariatu",
    "Ochrona i promocja zdrowia",
)
FALLBACK_OUTCOMES = (
    ("uwzględniony", Outcome.Category.ACCEPTED),
    ("częściowo uwzględniony", Outcome.Category.PARTLY_ACCEPTED),
    ("nieuwzględniony", Outcome.Category.REJECTED),
    ("do dalszej analizy", Outcome.Category.PENDING),
    ("wyjaśnienie / informacja", Outcome.Category.NEUTRAL),
)

# What the city undertook in a positive answer, and by when (sampledata.postulates).
COMMITMENTS = (
    "Wydział ogłosi konkurs ofert w obszarze {genitive} do końca {programme} r.",
    "Miasto zwiększy środki na zadania w obszarze {genitive} w budżecie na rok {programme}.",
    "Wydział przygotuje analizę {thing} i przedstawi ją organizacjom.",
    "Wydział zorganizuje spotkanie robocze w sprawie {thing}.",
    "Zmiana zostanie wprowadzona do programu współpracy na rok {programme}.",
)
# Why one postulate is linked to another, by the kind of link; {year} is the other's year.
LINK_NOTES = {
    PostulateLink.Kind.RESUBMISSION: "Ten sam postulat organizacje zgłosiły w {year} r.",
    PostulateLink.Kind.CONTINUATION: "Postulat rozwija postulat zgłoszony w {year} r.",
    PostulateLink.Kind.DUPLICATE: "Ten sam postulat zgłoszono na innym spotkaniu w {year} r.",
    PostulateLink.Kind.MERGED: "Postulat połączono z podobnym postulatem z {year} r.",
}
# How a resubmitted postulate opens: the earlier text follows.
RESUBMISSION_OPENING = "Ponownie zgłaszamy postulat z {year} r."

# (kind, title) of the documents of a year's rounds: {year} is the round's year, {next} the
# year of the programme it prepares.
CONSULTATION_DOCUMENTS = (
    (Document.Kind.RULES, "Zasady zgłaszania postulatów do programu współpracy na rok {next}"),
    (
        Document.Kind.CITY_POSITION,
        "Stanowisko Miasta wobec postulatów do programu współpracy na rok {next}",
    ),
)
QUARTERLY_DOCUMENTS = ((Document.Kind.MATERIALS, "Harmonogram spotkań kwartalnych w roku {year}"),)

# Titles of meetings by kind: {topic} is a topic's nominative, {genitive} its genitive, {next}
# the year of the programme a meeting prepares; the rest is drawn from the lists above.
MEETING_TITLES = {
    Meeting.Kind.SECTOR: "Spotkanie branżowe: {topic}",
    Meeting.Kind.CONSULTATION: (
        "Spotkanie informacyjno-konsultacyjne w sprawie programu współpracy na rok {next}: {topic}"
    ),
    Meeting.Kind.QUARTERLY: "Spotkanie kwartalne – {quarter} kwartał {year}: {topic}",
    Meeting.Kind.INFORMATION: "Spotkanie informacyjne o konkursach ofert w obszarze {genitive}",
    Meeting.Kind.INFORMATION_TRAINING: "Spotkanie informacyjno-szkoleniowe: {training}",
    Meeting.Kind.TRAINING: "Szkolenie: {training}",
    Meeting.Kind.OTHER: "{format} – {topic} {district}",
}
# A meeting's topic: the opening, then one of the sentences.
MEETING_TOPIC_OPENING = "Podczas spotkania omówiono sprawy dotyczące {genitive} {district}."
MEETING_TOPIC_SENTENCES = (
    "Organizacje zgłosiły postulaty do programu współpracy na rok {next}.",
    "Wydział przedstawił wyniki konkursów ofert ogłoszonych w {year} r.",
    "Rozmawiano o potrzebach {beneficiary} i dostępności lokali miejskich.",
    "Przedstawiono harmonogram prac nad programem na rok {next}.",
)

YEAR_INTRO = (
    "Spotkania i postulaty z roku {year} wygenerowane do demonstracji archiwum. To nie są "
    "prawdziwe dane Urzędu Miasta Krakowa."
)
PROGRAMME_TITLE = (
    "Program współpracy Gminy Miejskiej Kraków z organizacjami pozarządowymi na rok {year}"
)
PROGRAMME_SHORT_NAME = "RPW {year} (przykład)"
CONSULTATION_ROUND = "Konsultacje projektu programu współpracy na rok {next}"
CONSULTATION_ROUND_DESCRIPTION = (
    "Cykl spotkań branżowych, na których organizacje zgłaszały postulaty do programu "
    "współpracy na rok {next}."
)
QUARTERLY_ROUND = "Spotkania kwartalne z organizacjami w roku {year}"
QUARTERLY_ROUND_DESCRIPTION = "Regularne spotkania informacyjne w roku {year}."
# Notes of the department changes: the chain's two renames, then the takeover.
RENAME_NOTES = (
    "Zmiana nazwy po reorganizacji Urzędu.",
    "Zmiana nazwy i rozszerzenie zakresu o sprawy równości.",
)
TAKEOVER_NOTE = "Zadania biura przejął wydział."
