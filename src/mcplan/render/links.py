"""Campaign links tagged with UTM parameters, so results can be attributed per channel."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")


def tag(url: str, *, source: str, medium: str, campaign: str) -> str:
    """``url`` with ``utm_source``, ``utm_medium`` and ``utm_campaign`` set (ours win).

    Other query parameters and the fragment are kept in place. An empty url stays empty.
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracket it cannot read ("https://[::1"): nothing to tag
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in UTM_KEYS]
    query += [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))
