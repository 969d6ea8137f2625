"""WARC archive of every response a collection fetched, with an index for replay.

An archive is a folder::

    archive/
      index.jsonl          one JSON line per fetch: url, canonical, warc, offset, status...
      warc/*.warc.gz       the responses (WARC/1.1 response records, bodies decoded)

Each response is written and flushed before its index line is appended (one
``write`` per line), so killing the process at any moment loses at most the request
in flight. On opening, records present in a WARC file but missing from the index
(killed between the two writes) are re-indexed, and a torn last index line is
ignored. Each session writes to its own WARC file, so a record truncated by a crash
never sits in front of new data.

:func:`read_warc` turns any WARC file (this archive's, Common Crawl News...) into a
corpus table.

Examples
--------
>>> import tempfile
>>> from newslab.fetch import FetchResult
>>> arc = Archive(tempfile.mkdtemp())
>>> res = FetchResult("https://a.example/x?utm_source=rss", "https://a.example/x", 200, "OK",
...                   [("Content-Type", "text/html")], b"<html>hi</html>", 1700000000.0)
>>> _ = arc.add(res)
>>> arc.load("https://a.example/x").body
b'<html>hi</html>'
>>> len(arc)
1
>>> arc.close()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newslab.corpus import canonical_url
from newslab.fetch import FetchResult

__all__ = ["Archive", "ArchiveEntry", "read_warc", "iter_warc_responses", "ArchiveLockedError"]

_REQ_HDR = "WARC-Newslab-Requested-URI"
_META_HDR = "WARC-Newslab-Meta"


class ArchiveLockedError(RuntimeError):
    """Another process is writing to the same archive folder."""


class ArchiveEntry(NamedTuple):
    """Where one URL's latest fetch lives (kept small: one per archived URL)."""

    kind: str  # "response" or "failure"
    warc: int  # index into Archive.warc_files, -1 for failures
    offset: int
    status: int | None
    reason: str | None  # failure reason


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class Archive:
    """A folder of WARC files plus a JSON Lines index, keyed by canonical URL.

    Parameters
    ----------
    path : path
        The archive folder (created if missing).
    readonly : bool
        Open for replay only: no lock, no new WARC file.
    fsync : bool
        Also ``fsync`` after each record (survives power loss, slower). Flushing to the
        OS, always done, already survives Ctrl-C, crashes and kills.
    max_warc_bytes : int
        Start a new WARC file past this size.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        readonly: bool = False,
        fsync: bool = False,
        max_warc_bytes: int = 1_000_000_000,
    ):
        self.path = Path(path)
        self.readonly = readonly
        self.fsync = fsync
        self.max_warc_bytes = max_warc_bytes
        if readonly and not (self.path / "index.jsonl").exists():
            raise FileNotFoundError(
                f"no archive index at {self.path / 'index.jsonl'}: not a newslab archive folder"
            )
        if not readonly:
            (self.path / "warc").mkdir(parents=True, exist_ok=True)
            (self.path / "index.jsonl").touch()
        self.warc_files: list[str] = []
        self._warc_ids: dict[str, int] = {}
        self._entries: dict[str, ArchiveEntry] = {}
        self._lock = threading.Lock()
        self._lockfile = None
        self._writer_fh = None
        self._writer: WARCWriter | None = None
        self._index_fh = None
        if not readonly:
            self._acquire_lock()
        self._load_index()

    # -- setup -------------------------------------------------------------------------
    def _acquire_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock
            return
        self._lockfile = open(self.path / ".lock", "a")  # noqa: SIM115
        try:
            fcntl.flock(self._lockfile, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lockfile.close()
            self._lockfile = None
            raise ArchiveLockedError(
                f"archive {self.path} is in use by another process (lock {self.path / '.lock'})"
            ) from None

    def _warc_id(self, name: str) -> int:
        if name not in self._warc_ids:
            self._warc_ids[name] = len(self.warc_files)
            self.warc_files.append(name)
        return self._warc_ids[name]

    def _load_index(self) -> None:
        index = self.path / "index.jsonl"
        ends: dict[str, int] = {}
        if index.exists():
            with open(index, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line torn by a kill
                    self._remember(row)
                    if row.get("kind") == "response":
                        end = row["offset"] + row.get("length", 0)
                        ends[row["warc"]] = max(ends.get(row["warc"], 0), end)
        if not self.readonly:
            self._recover(ends)

    def _remember(self, row: dict[str, Any]) -> None:
        key = row.get("canonical") or canonical_url(row["url"])
        if row.get("kind") == "response":
            self._entries[key] = ArchiveEntry(
                "response", self._warc_id(row["warc"]), row["offset"], row.get("status"), None
            )
        else:
            old = self._entries.get(key)
            if old is None or old.kind != "response":
                self._entries[key] = ArchiveEntry(
                    "failure", -1, 0, row.get("status"), row.get("reason")
                )

    def _recover(self, ends: dict[str, int]) -> None:
        """Index records written to a WARC file after its last indexed record."""
        for warc in sorted((self.path / "warc").glob("*.warc*")):
            rel = f"warc/{warc.name}"
            start = ends.get(rel, 0)
            if warc.stat().st_size <= start:
                continue
            rows = []
            with open(warc, "rb") as fh:
                fh.seek(start)
                it = ArchiveIterator(fh)
                try:
                    for rec in it:
                        if rec.rec_type != "response":
                            continue
                        rec.content_stream().read()
                        rows.append(
                            self._row_from_record(
                                # absolute offset: warcio starts counting at fh.tell()
                                rec,
                                rel,
                                it.get_record_offset(),
                                it.get_record_length(),
                            )
                        )
                except Exception:  # noqa: BLE001 - a record torn by a kill ends the scan
                    pass
            for row in rows:
                self._append_index(row)
                self._remember(row)

    def _row_from_record(self, rec: Any, rel: str, offset: int, length: int) -> dict[str, Any]:
        h = rec.rec_headers
        final = h.get_header("WARC-Target-URI")
        requested = h.get_header(_REQ_HDR) or final
        meta = json.loads(h.get_header(_META_HDR) or "{}")
        return {
            "kind": "response",
            "url": requested,
            "canonical": canonical_url(requested),
            "final_url": final,
            "warc": rel,
            "offset": offset,
            "length": length,
            "status": int(rec.http_headers.get_statuscode() or 0),
            "content_type": rec.http_headers.get_header("Content-Type"),
            "fetched_at": h.get_header("WARC-Date"),
            "meta": meta,
        }

    # -- writing -----------------------------------------------------------------------
    def _open_writer(self) -> None:
        if self._writer_fh is not None and self._writer_fh.tell() < self.max_warc_bytes:
            return
        if self._writer_fh is not None:
            self._writer_fh.close()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        name = f"newslab-{stamp}-{os.getpid()}.warc.gz"
        self._writer_fh = open(self.path / "warc" / name, "ab")  # noqa: SIM115
        self._writer = WARCWriter(self._writer_fh, gzip=True, warc_version="1.1")
        self._writer_name = f"warc/{name}"

    def _append_index(self, row: dict[str, Any]) -> None:
        if self._index_fh is None:
            index = self.path / "index.jsonl"
            if index.exists() and index.stat().st_size:
                with open(index, "rb") as fh:
                    fh.seek(-1, os.SEEK_END)
                    torn = fh.read(1) != b"\n"
            else:
                torn = False
            self._index_fh = open(index, "a", encoding="utf-8")  # noqa: SIM115
            if torn:
                self._index_fh.write("\n")
        self._index_fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._index_fh.flush()
        if self.fsync:
            os.fsync(self._index_fh.fileno())

    def add(self, result: FetchResult, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write one response to the WARC file and the index; return its index row.

        ``meta`` (JSON-serialisable, e.g. the feed date of the link) is stored with the
        record and given back by :meth:`load`.
        """
        if self.readonly:
            raise PermissionError(f"archive {self.path} was opened read-only")
        with self._lock:
            self._open_writer()
            assert self._writer is not None and self._writer_fh is not None
            http_headers = StatusAndHeaders(
                f"{result.status} {result.reason}".strip(), result.headers, protocol="HTTP/1.1"
            )
            warc_headers = {"WARC-Date": _iso(result.fetched_at)}
            if result.url != result.final_url:
                warc_headers[_REQ_HDR] = result.url
            if meta:
                warc_headers[_META_HDR] = json.dumps(meta, ensure_ascii=False)
            record = self._writer.create_warc_record(
                result.final_url,
                "response",
                payload=io.BytesIO(result.body),
                length=len(result.body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            offset = self._writer_fh.tell()
            self._writer.write_record(record)
            self._writer_fh.flush()
            if self.fsync:
                os.fsync(self._writer_fh.fileno())
            row = {
                "kind": "response",
                "url": result.url,
                "canonical": canonical_url(result.url),
                "final_url": result.final_url,
                "warc": self._writer_name,
                "offset": offset,
                "length": self._writer_fh.tell() - offset,
                "status": result.status,
                "content_type": result.header("Content-Type"),
                "fetched_at": _iso(result.fetched_at),
                "meta": meta or {},
            }
            self._append_index(row)
            self._remember(row)
            return row

    def add_failure(
        self, url: str, reason: str, status: int | None = None, fetched_at: float | None = None
    ) -> None:
        """Record a fetch that gave no response (kept for the log; retried on resume)."""
        if self.readonly:
            return
        import time

        row = {
            "kind": "failure",
            "url": url,
            "canonical": canonical_url(url),
            "reason": reason,
            "status": status,
            "fetched_at": _iso(fetched_at or time.time()),
        }
        with self._lock:
            self._append_index(row)
            self._remember(row)

    # -- reading -----------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(1 for e in self._entries.values() if e.kind == "response")

    def __contains__(self, url: str) -> bool:
        entry = self._entries.get(canonical_url(url))
        return entry is not None and entry.kind == "response"

    def entry(self, url: str) -> ArchiveEntry | None:
        """Latest index entry for ``url`` (any tracking-parameter variant), or None."""
        return self._entries.get(canonical_url(url))

    def urls(self) -> list[str]:
        """Canonical URLs with an archived response, in index order."""
        return [k for k, e in self._entries.items() if e.kind == "response"]

    def load(self, url: str) -> FetchResult:
        """Read back the archived response for ``url`` (KeyError if absent)."""
        entry = self._entries.get(canonical_url(url))
        if entry is None or entry.kind != "response":
            raise KeyError(f"{url} is not in archive {self.path}")
        return self._read_at(entry)

    def load_meta(self, url: str) -> tuple[FetchResult, dict[str, Any]]:
        """Like :meth:`load`, also returning the ``meta`` stored with the record."""
        entry = self._entries.get(canonical_url(url))
        if entry is None or entry.kind != "response":
            raise KeyError(f"{url} is not in archive {self.path}")
        return self._read_at(entry, with_meta=True)  # type: ignore[return-value]

    def _read_at(self, entry: ArchiveEntry, with_meta: bool = False) -> Any:
        path = self.path / self.warc_files[entry.warc]
        with open(path, "rb") as fh:
            fh.seek(entry.offset)
            rec = next(iter(ArchiveIterator(fh)))
            result = _result_from_record(rec, max_bytes=None)
            meta = json.loads(rec.rec_headers.get_header(_META_HDR) or "{}")
        return (result, meta) if with_meta else result

    def close(self) -> None:
        """Flush and close the files; release the lock."""
        with self._lock:
            for name in ("_writer_fh", "_index_fh", "_lockfile"):
                fh = getattr(self, name)
                if fh is not None:
                    with contextlib.suppress(OSError):
                        fh.close()
                    setattr(self, name, None)
            self._writer = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r}, responses={len(self)})"


def _result_from_record(rec: Any, max_bytes: int | None) -> FetchResult:
    h = rec.rec_headers
    final = h.get_header("WARC-Target-URI") or ""
    requested = h.get_header(_REQ_HDR) or final
    stream = rec.content_stream()
    body = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    http = rec.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    headers = list(http.headers) if http is not None else []
    fetched = _parse_iso(h.get_header("WARC-Date")) or 0.0
    return FetchResult(
        url=requested,
        final_url=final,
        status=status,
        reason=(
            http.get_statuscode_msg()
            if http is not None and hasattr(http, "get_statuscode_msg")
            else ""
        ),
        headers=headers,
        body=body,
        fetched_at=fetched,
    )


def iter_warc_responses(
    path: str | os.PathLike,
    *,
    max_bytes: int = 10_000_000,
) -> Iterator[FetchResult | tuple[str, str]]:
    """Yield each HTTP response record of a WARC file (gzip or plain) as a FetchResult.

    Bodies longer than ``max_bytes`` are yielded as ``(url, "too-large")`` instead.
    Request, metadata, revisit and warcinfo records are skipped.
    """
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            res = _result_from_record(rec, max_bytes)
            if len(res.body) > max_bytes:
                yield (res.final_url, "too-large")
                continue
            yield res


def read_warc(
    path: str | os.PathLike,
    *,
    limit: int | None = None,
    progress: bool = True,
    extract_options: Any = None,
    dedup: bool = True,
    max_bytes: int = 10_000_000,
) -> pd.DataFrame:
    """Extract the articles of a WARC file (gzip or plain) into a corpus table.

    Only HTTP ``response`` records with status 200 and an HTML content type are
    extracted; everything skipped is listed, with the reason, in ``df.attrs["log"]``
    (columns url, stage, reason, status).

    Parameters
    ----------
    path : path
        A ``.warc`` or ``.warc.gz`` file, e.g. from Common Crawl News.
    limit : int, optional
        Stop after this many response records.
    progress : bool
        Show a progress bar.
    extract_options : newslab.extraction.ExtractOptions, optional
    dedup : bool
        Flag near-duplicates in a ``duplicate_of`` column (see :mod:`newslab.dedup`).

    Examples
    --------
    >>> read_warc("missing.warc.gz")
    Traceback (most recent call last):
    ...
    FileNotFoundError: WARC file not found: missing.warc.gz
    """
    from newslab.collection import CollectOptions, collect_detailed

    if not Path(path).is_file():
        raise FileNotFoundError(f"WARC file not found: {path}")
    opts = CollectOptions(
        progress=progress, extract_options=extract_options, dedup=dedup, warc_limit=limit
    )
    res = collect_detailed([str(path)], options=opts, fetch_options=None, max_bytes=max_bytes)
    return res.corpus
