"""Corrections drf-spectacular's schema needs to say what the API really answers."""


def _allow_blank_emails(node) -> None:
    # An e-mail address is optional everywhere in Tejun; "no address" is answered as "". A plain
    # `format: email` would call that answer invalid, so the schema says "an address, or empty".
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "email":
            del node["format"]
            node["anyOf"] = [{"format": "email"}, {"maxLength": 0}]
        for value in node.values():
            _allow_blank_emails(value)
    elif isinstance(node, list):
        for value in node:
            _allow_blank_emails(value)


def postprocess(result, generator, request, public):
    _allow_blank_emails(result.get("components", {}))
    return result
