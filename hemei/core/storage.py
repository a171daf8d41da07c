"""The static files' storage once collected (``hemei serve``)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: tuple) -> tuple:  # type: ignore[type-arg]
    kept = []
    for glob, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if rules:
            kept.append((glob, rules))
    return tuple(kept)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Content-hashed names (cached for a year) and gzip copies, as WhiteNoise's storage;
    ``url()`` and ``@import`` in CSS point at the hashed names. Source-map comments are left
    as they are: the vendored libraries name maps that are not shipped, which Django's
    rewriting would refuse."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
