"""untoc-kg: UN working-group reports as a validated, public linked-data knowledge graph.

The data flows one way through six stages, each a subpackage:
extract -> ontology -> graph -> shapes -> sparql -> server.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("untoc-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
