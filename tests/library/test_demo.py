"""The library's demo: at least 40 resources in at least 8 languages, real files whose text is found
by search, translations grouped, some not public, all labelled demo."""

import io
import zipfile

import pypdf
import pytest

from echos.core.models import Country
from echos.hubs import services as hub_services
from echos.library import demo, demo_documents, search
from echos.library.models import Resource, ResourceVersion, TextStatus, Visibility


@pytest.fixture
def loaded(db):
    """The library demo over demo national hubs (made here: only their existence matters)."""
    for code in ("DE", "ES", "FR", "IT", "NL", "FI"):
        hub_services.create_hub(
            actor=None,
            country=Country.objects.get(pk=code),
            level="national",
            name=f"Demo hub {code}",
            name_en=f"Demo hub {code}",
            is_demo=True,
        )
    return demo.load_demo()


def test_demo_has_40_resources_in_8_languages_with_real_files(loaded):
    assert loaded["resources"] >= 40
    assert len(loaded["languages"]) >= 8
    resources = Resource.objects.all()
    assert resources.count() == loaded["resources"]
    assert not resources.filter(is_demo=False).exists()
    assert loaded["files"] >= 30 and loaded["links"] >= 5
    kinds = set(ResourceVersion.objects.values_list("content_type", flat=True))
    assert set(demo_documents.CONTENT_TYPES.values()) <= kinds
    # Every file was read: its text is stored and indexed, none failed.
    files = resources.filter(url="")
    assert set(files.values_list("text_status", flat=True)) == {TextStatus.EXTRACTED}
    assert resources.filter(visibility=Visibility.HUB, hub__is_demo=True).count() >= 2
    assert resources.filter(visibility=Visibility.NETWORK).exists()
    assert resources.exclude(hub=None).filter(hub__is_demo=False).count() == 0

    assert demo.load_demo() == {"skipped": True}


# Words of each language found inside the files (the first ones only there, not in any title or
# description), typed without their accents or with them.
FOUND_INSIDE = [
    ("dezoito meses", "pt"),  # inside a PDF only, not in title or description
    ("osiemnascie", "pl"),  # "osiemnaście", without its accent
    ("ενενηντα λεπτα", "el"),  # Greek, without its accents
    ("coordinatrice detachee", "fr"),  # inside a DOCX
    ("gespreksleider", "nl"),  # inside an ODT
    ("Sozialdienste", "de"),
    ("cocreación", "es"),
    ("datori di lavoro", "it"),
    ("aktørgruppe", "nb"),
]


def test_text_inside_the_demo_files_is_found_and_translations_grouped(loaded):
    for query, language in FOUND_INSIDE:
        page = search.search(query, user=None, language=language)
        assert page.count >= 1, query
        assert all(r.resource.language == language for r in page.results)
    guide = Resource.objects.get(title="Funding a Cancer Mission Hub: a practical guide")
    languages = set(guide.other_languages().values_list("language", flat=True))
    assert {"de", "fr", "pl", "pt", "es"} <= languages
    page = search.search("hub", user=None, per_page=100)
    groups = [str(r.resource.translation_group) for r in page.results]
    assert len(groups) == len(set(groups))
    # The Spanish team's internal notes are never found by the public.
    assert search.search("media jornada", user=None).count == 0
    assert Resource.objects.filter(title__startswith="Notas internas").exists()


def test_generated_files_are_what_they_claim():
    pdf = demo_documents.pdf("Zdrowie ośrodek", ["Καρκίνος πρόληψη, saúde pública."])
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ośrodek" in text and "πρόληψη" in text and "saúde" in text
    docx = zipfile.ZipFile(io.BytesIO(demo_documents.docx("Título <&>", ["a"])))
    assert "Título &lt;&amp;&gt;" in docx.read("word/document.xml").decode()
    odt = zipfile.ZipFile(io.BytesIO(demo_documents.odt("T", ["b"])))
    first = odt.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_pdf_uses_the_european_subset_and_the_full_font_beyond_it():
    assert demo_documents.european("Zdrowie ośrodek Καρκίνος Здраве – 5 €")
    assert not demo_documents.european("Հայերեն")
    regular, _bold = demo_documents._font_paths()
    assert regular.endswith("DejaVuSans-eu.ttf")
    # Armenian is not in the subset: the full font is used, and the text still extracts.
    pdf = demo_documents.pdf("Hay", ["Հայերեն, Ελληνικά, Български."])
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Հայերեն" in text and "Български" in text
