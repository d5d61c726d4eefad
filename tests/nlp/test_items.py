import datetime as dt

import pytest

from nlp.items import ItemError, ItemIn


def test_minimal_item_and_optional_fields():
    item = ItemIn.from_json({"id": 7, "title": "t", "text": "x", "published": "2025-03-01T10:00:00+08:00"})
    assert item.id == "7"
    assert item.published == dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "JSON object"),
        ({"title": "t", "text": "x"}, "missing field 'id'"),
        ({"id": "1", "text": "x"}, "missing field 'title'"),
        ({"id": "1", "title": "t", "text": 5}, "'text' must be a string"),
        ({"id": "", "title": "t", "text": "x"}, "'id' must be a non-empty string"),
        ({"id": "1", "title": "t", "text": "x", "published": "last week"}, "not an ISO date"),
        ({"id": "1", "title": "t", "text": "x", "source_kind": "blog"}, "source_kind"),
    ],
)
def test_bad_items_are_refused_with_the_field_named(obj, message):
    with pytest.raises(ItemError, match=message):
        ItemIn.from_json(obj)
