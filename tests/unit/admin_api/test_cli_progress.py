"""Long jobs report progress: a live bar on a terminal, one plain line per tenth of the work in logs."""

from __future__ import annotations

import io

from admin_api.cli.progress import Reporter


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_progress_is_a_line_per_tenth_and_the_end() -> None:
    log = io.StringIO()
    with Reporter("seeding", stream=log) as reporter:
        for done in range(0, 101):
            reporter.step(done, 100, "leads")
    lines = log.getvalue().splitlines()
    assert lines[0] == "seeding: 0/100 leads" and lines[-1] == "seeding: 100/100 leads"
    assert len(lines) == 11


def test_stage_messages_are_lines_in_logs() -> None:
    log = io.StringIO()
    with Reporter("training", stream=log) as reporter:
        reporter.message("fitting progression")
    assert log.getvalue() == "training: fitting progression\n"


def test_on_a_terminal_a_bar_is_drawn_and_removed_at_the_end() -> None:
    screen = _Terminal()
    with Reporter("rescoring", stream=screen) as reporter:
        reporter.step(5, 10)
        reporter.message("re-scored 5/10 open leads")
    drawn = screen.getvalue()
    assert "rescoring" in drawn and "\x1b[" in drawn  # terminal control codes: a live display, not log lines
    assert "rescoring: re-scored 5/10 open leads" in drawn


def test_the_crm_sync_hook_counts_open_ended_work_and_gives_each_stage_its_tenths() -> None:
    log = io.StringIO()
    with Reporter("importing", stream=log) as reporter:
        reporter.hook("leads", 200, None)
        reporter.hook("leads", 250, 250)
        for done in range(1, 11):
            reporter.hook("calls", done, 10)
        for done in range(1, 3):
            reporter.hook("scoring", done, 2)
    lines = log.getvalue().splitlines()
    assert lines[:2] == ["importing: 200 leads", "importing: 250/250 leads"]
    assert lines[2:12] == [f"importing: {n}/10 calls" for n in range(1, 11)]
    assert lines[12:] == ["importing: 1/2 scoring", "importing: 2/2 scoring"]


def test_on_a_terminal_open_ended_work_updates_the_bar() -> None:
    screen = _Terminal()
    with Reporter("reading leads", stream=screen) as reporter:
        reporter.hook("leads", 200, None)
    assert "reading leads" in screen.getvalue() and "\x1b[" in screen.getvalue()
