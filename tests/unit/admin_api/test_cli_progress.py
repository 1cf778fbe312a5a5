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
