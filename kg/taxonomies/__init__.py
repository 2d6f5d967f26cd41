"""Public taxonomies next to the graph: import ESCO and O*NET, align kg's vocabularies to them.

- :func:`import_taxonomy` streams a release into its own named graph;
  :func:`drop` removes it; :func:`taxonomy_labels` reads its labels back.
- :func:`kg.taxonomies.align.candidates` proposes links from kg's skills and roles
  to the imported concepts, for review.
"""

from kg.taxonomies.imports import (
    TAXONOMIES,
    ImportResult,
    Label,
    drop,
    import_source,
    import_taxonomy,
    imported,
    open_source,
    taxonomy_labels,
)
from kg.taxonomies.vocabulary import taxonomy_vocabulary

__all__ = [
    "TAXONOMIES",
    "ImportResult",
    "Label",
    "drop",
    "import_source",
    "import_taxonomy",
    "imported",
    "open_source",
    "taxonomy_labels",
    "taxonomy_vocabulary",
]
