"""Published report formats -> plain text for the normaliser.

`sniff.sniff_format` decides the format from the bytes (the extension only backs up a complaint);
each reader turns one format into text in which blocks are separated by blank lines and page
furniture that only the format's structure reveals (running headers, footnotes, navigation) is
already gone. Everything else (hard wraps, job numbers, quotes) is the normaliser's job.
"""

from untoc_kg.extract.formats.sniff import Format, sniff_format

__all__ = ["Format", "sniff_format"]
