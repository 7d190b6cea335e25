"""The real external parts the suite relies on are there and work."""

from pathlib import Path

import httpx
from fastapi import FastAPI

from jena import run_jena


def test_jena_riot_counts_triples(tmp_path: Path) -> None:
    data = tmp_path / "two.nt"
    data.write_text('<http://a/s> <http://a/p> "o" .\n<http://a/s> <http://a/p> <http://a/o> .\n')
    result = run_jena("riot", "--count", str(data))
    assert result.returncode == 0, result.stderr
    assert "Triples = 2" in result.stdout + result.stderr


def test_jena_riot_rejects_broken_turtle(tmp_path: Path) -> None:
    data = tmp_path / "broken.ttl"
    data.write_text("<http://a/s> <http://a/p> .\n")
    assert run_jena("riot", "--validate", str(data)).returncode != 0


def test_live_server_answers_on_loopback(live_server) -> None:
    app = FastAPI()
    app.get("/")(lambda: {"ok": True})
    url = live_server(app)
    assert url.startswith("http://127.0.0.1:")
    assert httpx.get(url + "/").json() == {"ok": True}
