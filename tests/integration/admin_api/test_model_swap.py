"""Hot swap: reload and rollback through the API, other processes following the champion, and no request
ever seeing a half-loaded model while reloads happen under concurrent scoring."""

from __future__ import annotations

import threading
import time

import httpx
from fastapi import FastAPI

from admin_api.api.services import Services
from config import Settings
from scoring.domain import ScoreInput
from scoring.scorer import build_scorer
from tests.integration.admin_api.bundles import make_bundle, register_bundle
from tests.integration.admin_api.conftest import HEADERS


def _register_two(app: FastAPI, settings: Settings) -> dict[str, object]:
    services: Services = app.state.services
    bundles = {"v-small": make_bundle("v-small", threshold=100), "v-large": make_bundle("v-large", threshold=3000)}
    for bundle in bundles.values():
        register_bundle(services.engine, settings.models_dir, bundle)
    return bundles


def test_reload_rollback_and_info(app: FastAPI, server: str, settings: Settings) -> None:
    _register_two(app, settings)
    first = httpx.post(f"{server}/models/reload/v-small", headers=HEADERS, timeout=30)
    assert first.status_code == 200 and first.json()["current"] == "v-small" and first.json()["changed"]
    httpx.post(f"{server}/models/reload/v-large", headers=HEADERS, timeout=30).raise_for_status()
    info = httpx.get(f"{server}/models/info", headers=HEADERS).json()
    assert info["serving"] == {"version": "v-large", "scorer": "model"} and info["champion"] == "v-large"
    assert {v["version"]: v["state"] for v in info["versions"]} == {"v-small": "retired", "v-large": "champion"}
    back = httpx.post(f"{server}/models/rollback", headers=HEADERS, timeout=30)
    assert back.status_code == 200 and back.json()["current"] == "v-small"
    scored = httpx.post(f"{server}/score", json={"domain": "x.com", "employees": 50}, headers=HEADERS).json()
    assert scored["model_version"] == "v-small" and scored["scorer"] == "model"


def test_corrupt_artifact_is_refused_and_serving_continues(app: FastAPI, server: str, settings: Settings) -> None:
    _register_two(app, settings)
    (settings.models_dir / "v-large" / "progression" / "booster.txt").write_text("garbage")
    response = httpx.post(f"{server}/models/reload/v-large", headers=HEADERS, timeout=30)
    assert response.status_code == 409 and response.json()["error"]["code"] == "model_incompatible"
    info = httpx.get(f"{server}/models/info", headers=HEADERS).json()
    assert info["serving"]["scorer"] == "prior" and info["champion"] is None


def test_a_process_follows_a_champion_promoted_elsewhere(app: FastAPI, server: str, settings: Settings) -> None:
    _register_two(app, settings)
    services: Services = app.state.services
    services.scorers.reload(services.engine, "v-small")
    services.scorers.swap(build_scorer(None))
    deadline = time.monotonic() + 20
    while httpx.get(f"{server}/models/info", headers=HEADERS).json()["serving"]["version"] != "v-small":
        assert time.monotonic() < deadline, "the server did not follow the registry champion"
        time.sleep(0.1)


def test_reload_under_concurrent_requests_is_atomic(app: FastAPI, server: str, settings: Settings) -> None:
    bundles = _register_two(app, settings)
    prior_version = app.state.services.scorers.current.model_version
    expected = {prior_version: build_scorer(None)} | {
        name: build_scorer(bundle)
        for name, bundle in bundles.items()  # type: ignore[arg-type]
    }
    results: list[tuple[int, int, dict]] = []
    failures: list[str] = []
    stop = threading.Event()

    def client(worker: int) -> None:
        with httpx.Client(base_url=server, headers=HEADERS, timeout=30) as http:
            for i in range(60):
                if stop.is_set():
                    return
                employees = worker * 1000 + i
                response = http.post("/score", json={"domain": f"w{worker}-{i}.com", "employees": employees})
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                    continue
                results.append((employees, worker, response.json()))

    threads = [threading.Thread(target=client, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    rounds = 0
    with httpx.Client(base_url=server, headers=HEADERS, timeout=30) as admin:
        while any(thread.is_alive() for thread in threads) and rounds < 200:
            version = "v-small" if rounds % 2 == 0 else "v-large"
            assert admin.post(f"/models/reload/{version}").status_code == 200
            rounds += 1
    stop.set()
    for thread in threads:
        thread.join()
    assert rounds >= 2
    assert not failures
    versions = {body["model_version"] for _, _, body in results}
    assert versions <= set(expected) and len(versions) >= 2
    for employees, worker, body in results:
        data = ScoreInput(domain=f"w{worker}-{employees - worker * 1000}.com", employees=employees)
        want = expected[body["model_version"]].score(data)
        assert body["progression_probability"] == want.progression_probability
        assert body["qualification_score"] == want.qualification_score
