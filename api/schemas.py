"""The OpenAPI description's models, generated from the export's field definitions
(opendata/fields.py): the API documents exactly the fields schema.json describes."""

import datetime

import pydantic

from opendata.envelope import LICENCE_FIELDS
from opendata.fields import Field

# How each exported type is told to a JSON Schema reader.
PYTHON_TYPES = {
    "integer": int,
    "string": str,
    "boolean": bool,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "url": pydantic.AnyUrl,
    "object": dict,
}


def model_name(words):
    return "".join(word.capitalize() for word in words.replace("-", "_").split("_"))


def annotation(field: Field, owner: str):
    if field.fields:
        inner = record_model(f"{owner}_{field.name}", field.fields)
        python_type = list[inner] if field.type == "array" else inner
    elif field.type == "array":
        python_type = list[PYTHON_TYPES[field.items]]
    else:
        python_type = PYTHON_TYPES[field.type]
    return python_type | None if field.nullable else python_type


def record_model(name, fields):
    """A pydantic model whose JSON Schema is that of the records `fields` describe."""
    return pydantic.create_model(
        model_name(name),
        **{
            field.name: (
                annotation(field, name),
                pydantic.Field(description=field.description),
            )
            for field in fields
        },
    )


# The "licencja" member, as every JSON export documents it.
Licence = record_model("licencja", LICENCE_FIELDS)


class Problem(pydantic.BaseModel):
    """Every error answer: what is wrong, and for bad parameters which and why."""

    blad: str = pydantic.Field(description="Co jest nie tak, po polsku.")
    parametry: dict[str, list[str]] = pydantic.Field(
        default_factory=dict,
        description="Błędne parametry zapytania i dla każdego opis błędów (tylko przy 400).",
    )


def page_model(name, record):
    return pydantic.create_model(
        f"{model_name(name)}Strona",
        licencja=(Licence, pydantic.Field(description="Licencja, na której udostępnia się dane.")),
        adres=(
            pydantic.AnyUrl,
            pydantic.Field(description="Kanoniczny adres tej strony wyników."),
        ),
        nastepna=(
            pydantic.AnyUrl | None,
            pydantic.Field(description="Adres następnej strony; null na ostatniej."),
        ),
        dane=(list[record], pydantic.Field(description="Rekordy tej strony, rosnąco według id.")),
    )


def detail_model(name, record):
    return pydantic.create_model(
        f"{model_name(name)}Rekord",
        licencja=(Licence, pydantic.Field(description="Licencja, na której udostępnia się dane.")),
        adres=(pydantic.AnyUrl, pydantic.Field(description="Kanoniczny adres tego rekordu w API.")),
        dane=(record, pydantic.Field(description="Rekord.")),
    )
