"""Serializer fields that take what the schema says they take, and nothing it refuses."""

from __future__ import annotations

from rest_framework import serializers


class StringOnly:
    """Refuse a value that is not a JSON string.

    DRF's text fields turn ``0`` into ``"0"`` and ``true`` into ``"True"``; the schema
    says ``type: string``, which refuses both. A generated client that sent a number
    there has a bug it should hear about.
    """

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StringOnly, serializers.CharField):
    pass


class StrictEmailField(StringOnly, serializers.EmailField):
    pass
