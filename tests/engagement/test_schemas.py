"""The engagement API's response schemas give the same JSON as the dicts its views build."""

import pytest

from echos.core.api import page_of
from echos.engagement import api
from echos.engagement.schemas import EngagementRecordOut

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json") == data


def test_the_schema_renders_the_dict_unchanged(make_record):
    record = make_record()
    assert same_json(EngagementRecordOut, api.engagement_record_out(record))
    record.end_date, record.participants, record.region_id = record.date, 12, "NO-46"
    record.save()
    out = api.engagement_record_out(record)
    assert out["end_date"] and out["participants"] == 12 and out["region"] == "NO-46"
    assert same_json(EngagementRecordOut, out)
    assert same_json(page_of(EngagementRecordOut), {"count": 1, "items": [out]})
