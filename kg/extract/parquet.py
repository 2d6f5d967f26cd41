"""Rows of a Parquet file, read with pyarrow in bounded memory however far the file unpacks.

A Parquet file is compressed column by column, and its dictionary encoding lets a
row point at a value stored once: a file of a kilobyte can hold a million rows
that each repeat a megabyte (4 GB once decoded). So:

- a row group that unpacks past :data:`kg.limits.UNPACKED` bytes (``KG_MAX_UNPACKED``) *and* more
  than :data:`RATIO` times its compressed size is refused before it is read (text compresses
  3 to 10 times; Apache POI refuses zip entries past the same ratio); a large row group of
  ordinary data is read, a page at a time, as pyarrow does;
- text columns are read as Arrow dictionaries, so that a value stored once stays one value,
  and the size of each row is measured on them before any row becomes Python objects: a row
  longer than ``max_row`` characters is skipped with a warning (as in every table), and a row
  group whose rows add up past the same two bounds is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kg.errors import InputError
from kg.limits import UNPACKED

if TYPE_CHECKING:
    import pyarrow as pa

#: Rows turned into Python objects at a time (at most this many times ``max_row`` characters).
BATCH_ROWS = 64
#: How many times its compressed size a row group may unpack to, past :data:`kg.limits.UNPACKED` bytes.
RATIO = 100
#: What a value that is not text is counted as, in characters.
_OTHER = 8


def parquet_rows(file: Path, path: str, max_row: int | None) -> tuple[list[str], Iterator[tuple[int, int, Any]]]:
    """The column names of a Parquet file, and its rows: (row number, compressed bytes of a new row group or 0,
    the row as a dict, or ``None`` for a row longer than ``max_row`` characters, not decoded).

    Raises:
        InputError: pyarrow is missing, or the file is not Parquet.
        LimitError: a row group unpacks past ``KG_MAX_UNPACKED``.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow: pip install 'kg[parquet]'") from None
    try:
        schema = pq.ParquetFile(file).schema
        texts = [schema.column(i).path for i in range(len(schema)) if schema.column(i).physical_type == "BYTE_ARRAY"]
        parquet = pq.ParquetFile(file, read_dictionary=texts)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises its own ArrowInvalid and OSError
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
    return list(parquet.schema_arrow.names), _rows(parquet, path, max_row)


def _rows(parquet: Any, path: str, max_row: int | None) -> Iterator[tuple[int, int, Any]]:
    import pyarrow as pa

    number = 0
    for group in range(parquet.num_row_groups):
        meta = parquet.metadata.row_group(group)
        chunks = [meta.column(i) for i in range(meta.num_columns)]
        compressed = sum(chunk.total_compressed_size for chunk in chunks)
        # run-length encoding can make a value count of billions small too: each value decodes to 8 bytes or more
        declared = max(sum(chunk.total_uncompressed_size for chunk in chunks),
                       _OTHER * sum(chunk.num_values for chunk in chunks))
        bound = _bound(path, group, declared, compressed)
        unpacked = 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]):  # measured before any row goes
            unpacked += int(_sizes(batch).sum())
            bound(unpacked)
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]):
            sizes = _sizes(batch)
            keep = sizes <= max_row if max_row is not None else np.ones(batch.num_rows, bool)
            kept = iter(batch.filter(pa.array(keep)).to_pylist())
            for wanted in keep:
                number += 1
                yield number, compressed, next(kept) if wanted else None
                compressed = 0


def _sizes(batch: Any) -> np.ndarray:
    """The characters of each row of a record batch (see :func:`row_sizes`)."""
    return sum((row_sizes(column) for column in batch.columns), np.zeros(batch.num_rows, np.int64))


def _bound(path: str, group: int, unpacked: int, compressed: int) -> Any:
    """Check a row group's size, declared (``unpacked``) then decoded (the returned check), against the limit.

    Raises:
        LimitError: over :data:`~kg.limits.UNPACKED` and over :data:`RATIO` times ``compressed``.
    """
    limit = max(UNPACKED.value(), RATIO * compressed)

    def check(size: int) -> None:
        if size > limit:
            raise UNPACKED.error(f"{path}: row group {group + 1}", f"unpacks to {size:,} bytes or more, "
                                 f"{size // max(compressed, 1):,} times its {compressed:,} compressed bytes, over")

    check(unpacked)
    return check


def row_sizes(array: pa.Array) -> np.ndarray:
    """How many characters each value of ``array`` holds (text by its length, other values as 8), dictionaries
    measured without being expanded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    if pa.types.is_dictionary(kind):
        lengths = row_sizes(array.dictionary)
        indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(array.is_null().to_numpy(zero_copy_only=False), 0, lengths[indices] if len(lengths) else 0)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.asarray(pc.utf8_length(array).fill_null(0).to_numpy(zero_copy_only=False), np.int64)
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return np.asarray(pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False), np.int64)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_map(kind):
        inner = np.concatenate([[0], np.cumsum(row_sizes(array.values) + 2)])  # a separator per item
        offsets = array.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
        return np.asarray(inner[offsets[1:]] - inner[offsets[:-1]], np.int64)
    if pa.types.is_fixed_size_list(kind):
        return np.asarray(row_sizes(array.flatten()).reshape(len(array), kind.list_size).sum(axis=1), np.int64)
    if pa.types.is_struct(kind):
        return sum((row_sizes(field) for field in array.flatten()), np.zeros(len(array), np.int64))
    return np.where(array.is_null().to_numpy(zero_copy_only=False), 0, _OTHER).astype(np.int64)

