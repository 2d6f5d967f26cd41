"""XML that parses whatever the labels hold.

XML 1.0 has no way to write most C0 control characters (U+0001...U+001F but tab, line
feed and carriage return) nor U+FFFE and U+FFFF, not even as character references; a
label that holds one makes a file no XML parser reads. kg's XML outputs (GraphML, the
SPARQL XML results) replace each with U+FFFD, the Unicode replacement character.
"""

from __future__ import annotations

import re

#: The UTF-8 of the characters XML 1.0 cannot hold. None of these bytes occurs inside another
#: character's UTF-8 (continuation bytes are 0x80-0xBF), so a byte search finds exactly them.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
REPLACEMENT = "\ufffd".encode()


def xml_safe(data: bytes) -> bytes:
    """UTF-8 XML ``data`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, data)
