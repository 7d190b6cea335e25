"""Stage: publish. The builders of a data dir, as named steps over `untoc_kg.datadir`:

- `build` (`build.py`): documents -> a new, validated build, published if it conforms; its graph
  streamed partition by partition (`stream.py`);
- `update` (`update.py`): documents added to, reissued in and withdrawn from the published graph
  without extracting or rebuilding the rest: the pure revision (`revise.py`), the PROV record of
  the update (`history.py`), the change applied to a copy of the store (`apply.py`);
- what both do the same way (`steps.py`): progress, the build's time and version, the
  validation report, the store's last touches.

Every builder holds the data dir's write lock and publishes by compare-and-swap
(`untoc_kg.datadir.writer`).
"""

from .build import BuildResult, InputFailure, build, build_documents, extract_all
from .steps import Progress
from .update import UpdateResult, update

__all__ = [
    "BuildResult", "InputFailure", "Progress", "UpdateResult", "build", "build_documents",
    "extract_all", "update",
]
