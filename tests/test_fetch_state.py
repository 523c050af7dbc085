"""The fetcher's conditional-GET state: read through a cache, written in batches, merged across processes."""
from __future__ import annotations

import json
import multiprocessing

from sources import fetch_state
from sources.fetch_state import FetchState


def _entry(n: int) -> dict:
    return {"etag": f'"e{n}"', "sha256": f"{n:064x}"}


def test_a_fetch_alone_is_on_disk_when_it_ends(tmp_path):
    state = FetchState(tmp_path / "s" / "state.json")
    state.begin()
    state.put("http://a/1", _entry(1))
    assert not (tmp_path / "s" / "state.json").exists()  # not yet: the fetch is under way
    state.end()
    assert json.loads((tmp_path / "s" / "state.json").read_text()) == {"http://a/1": _entry(1)}
    assert state.get("http://a/1") == _entry(1)


def test_overlapping_fetches_are_written_together(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    writes = []
    real = fetch_state.write_atomically
    monkeypatch.setattr(fetch_state, "write_atomically", lambda p, data: (writes.append(p), real(p, data)))
    state = FetchState(path)
    state.begin()  # one fetch stays under way while 50 others start and end
    for n in range(50):
        state.begin()
        state.put(f"http://a/{n}", _entry(n))
        state.end()
    assert writes == [] and state.get("http://a/7") == _entry(7)
    state.end()
    assert len(writes) == 1 and len(json.loads(path.read_text())) == 50


def test_a_long_batch_is_written_at_least_every_flush_interval(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    state = FetchState(path)
    state.begin()
    state.begin()
    state.put("http://a/1", _entry(1))
    monkeypatch.setattr(fetch_state.time, "monotonic", lambda: 1e9)  # a second and more later
    state.end()
    assert json.loads(path.read_text()) == {"http://a/1": _entry(1)}


def test_entries_written_by_another_process_are_read_and_kept(tmp_path):
    path = tmp_path / "state.json"
    mine = FetchState(path)
    mine.begin()
    mine.put("http://a/mine", _entry(1))
    mine.end()
    other = FetchState(path)
    other.begin()
    other.put("http://a/other", _entry(2))
    other.end()
    assert mine.get("http://a/other") == _entry(2)  # the file changed on disk: read again
    mine.begin()
    mine.put("http://a/mine", _entry(3))
    mine.end()
    assert json.loads(path.read_text()) == {"http://a/mine": _entry(3), "http://a/other": _entry(2)}


def _fetch_many(path: str, prefix: str, count: int) -> None:
    state = FetchState(path)
    for n in range(count):
        state.begin()
        state.put(f"http://{prefix}/{n}", _entry(n))
        state.end()


def test_processes_fetching_at_once_lose_none_of_each_others_entries(tmp_path):
    path = str(tmp_path / "state.json")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_fetch_many, args=(path, prefix, 40)) for prefix in ("a", "b", "c")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(json.loads((tmp_path / "state.json").read_text())) == 120
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
