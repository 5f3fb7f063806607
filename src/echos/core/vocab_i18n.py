"""Vocabulary labels from data/vocabularies.json, listed so that makemessages extracts them.

Regenerate with ``python -m echos.core.vocab_i18n`` after editing the data file; a test checks they match.
"""

from django.utils.translation import gettext_noop as _

LABELS = [
    _("Understanding cancer"),
    _("Prevention, including screening and early detection"),
    _("Diagnosis and treatment"),
    _("Quality of life of patients, survivors and families"),
    _("Equitable access across all objectives"),
    _("Equity"),
    _("Sustainability"),
    _("Citizen and social engagement"),
    _("Digital health"),
    _("Health"),
    _("Research and innovation"),
    _("Employment"),
    _("Education"),
    _("Social and economic affairs"),
    _("Environment"),
    _("Agriculture and food"),
    _("Prevention"),
    _("Early detection"),
    _("Diagnosis and treatment"),
    _("Quality of life of patients, survivors and carers"),
    _("Citizens"),
    _("Patients and patient organisations"),
    _("Healthcare providers"),
    _("Research and academia"),
    _("Industry"),
    _("National, regional and local authorities"),
    _("Regulators and HTA bodies"),
    _("Funders"),
    _("Civil society and NGOs"),
    _("European institutions"),
    _("Beyond health"),
    _("Media"),
    _("Inform"),
    _("Consult"),
    _("Involve"),
    _("Collaborate"),
    _("Empower"),
    _("Government-led"),
    _("Research-driven"),
    _("Civil-society coalition"),
    _("Mixed"),
]


def _generate() -> str:
    # lazy: only regenerating the list reads the reference data (pycountry and the models, slow)
    from echos.core.reference import read_json

    labels = [
        t["label"]
        for terms in read_json("vocabularies.json")["vocabularies"].values()
        for t in terms
    ]
    return "\n".join(f"    _({label!r})," for label in labels)


if __name__ == "__main__":
    print(_generate())
