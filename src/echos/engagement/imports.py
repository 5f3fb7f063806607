"""Spreadsheet imports of stakeholders and engagement records (issue #14): all rows or none."""


def import_stakeholders(source, **kwargs):
    raise NotImplementedError("being built")


def import_records(source, **kwargs):
    raise NotImplementedError("being built")
