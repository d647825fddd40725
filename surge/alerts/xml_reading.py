"""Reading an alert's XML safely: no DTD, no entities, no network, bounded size, CAP 1.2 checked against its XSD."""

from __future__ import annotations

import threading
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from lxml import etree

from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1"
NAMESPACES = {CAP_12: "1.2", CAP_11: "1.1"}
MAX_BYTES = 1_000_000  # the web refuses larger bodies first (SURGE_MAX_BODY_BYTES); the CLI and areas rely on this
SCHEMA_FILE = Path(__file__).parent / "schemas" / "CAP-v1.2.xsd"
FIELD = "cap"

_schemas = threading.local()  # lxml schema objects are not shared between threads: one per thread, built once


def _refuse(message: str, **params) -> ValidationFailed:
    return ValidationFailed(message, params=params, fields={FIELD: N_("This is not a usable CAP alert.")})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _cap12_schema() -> etree.XMLSchema:
    schema = getattr(_schemas, "cap12", None)
    if schema is None:
        schema = etree.XMLSchema(etree.parse(str(SCHEMA_FILE), _parser()))
        _schemas.cap12 = schema
    return schema


def _reject_dangerous(raw: bytes) -> None:
    """defusedxml parses first: a DTD or an entity declaration is refused before lxml sees the text."""
    try:
        defused_fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise _refuse(N_("The alert declares a DTD or entities, which are not accepted.")) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise _refuse(N_("The alert is not well-formed XML (line %(line)s, column %(column)s)."),
                      line=line, column=column + 1) from None


def _schema_reason(error) -> str:
    # libxml2 writes every element with its namespace in braces; without it the line reads as plain CAP.
    text = str(error.message).replace("{" + CAP_12 + "}", "")
    return text if len(text) <= 240 else text[:239] + "…"


def read_alert(raw: bytes) -> tuple[etree._Element, str]:
    """(root element, CAP version "1.2" or "1.1"), or a 422 saying what is wrong with the document."""
    if len(raw) > MAX_BYTES:
        raise _refuse(N_("The alert is too large (limit %(limit)s bytes)."), limit=f"{MAX_BYTES:,}")
    _reject_dangerous(raw)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise _refuse(N_("The alert is not well-formed XML (line %(line)s, column %(column)s)."),
                      line=line, column=column) from None
    qualified = etree.QName(root)
    version = NAMESPACES.get(qualified.namespace or "")
    if qualified.localname != "alert" or version is None:
        shown = f"{{{qualified.namespace}}}{qualified.localname}" if qualified.namespace else qualified.localname
        raise _refuse(N_("This is not a CAP alert: the document's root is %(root)s, not an alert in the CAP 1.2 "
                         "or 1.1 namespace."), root=shown[:120])
    if version == "1.2":
        schema = _cap12_schema()
        if not schema.validate(root):
            first = schema.error_log[0]
            raise _refuse(N_("The alert does not follow the CAP 1.2 schema (line %(line)s): %(reason)s"),
                          line=first.line, reason=_schema_reason(first))
    return root, version
