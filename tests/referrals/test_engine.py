"""The engine on a small questionnaire of its own: reveals, applicability, statuses, completeness, route change."""

from referrals.questions.engine import (
    TaskStatus,
    answers_no_longer_applying,
    applicable_answers,
    display_value,
    is_revealed,
    missing_answers,
    next_page,
    section_status,
)
from referrals.questions.schema import Kind, Option, Page, Question, Questionnaire, Section, answered

YES_NO = (Option("yes", "Yes", reveals=("details",)), Option("no", "No"))
Q = Questionnaire(
    sections=(
        Section(
            "start",
            "Start",
            pages=(
                Page(
                    "kind",
                    "Kind",
                    (Question("kind", "Which kind?", Kind.RADIOS, options=(Option("a", "A"), Option("b", "B"))),),
                ),
            ),
        ),
        Section(
            "more",
            "More",
            needs=("start",),
            pages=(
                Page(
                    "told",
                    "Told",
                    (
                        Question("told", "Told?", Kind.RADIOS, options=YES_NO),
                        Question("details", "Details", Kind.TEXTAREA),
                    ),
                ),
                Page("b-only", "B only", (Question("b_text", "B text", Kind.TEXT),), show_if=answered("kind", "b")),
                Page("optional", "Optional", (Question("note", "Note", Kind.TEXT, required=False),)),
            ),
        ),
    )
)


def test_a_revealed_question_shows_only_with_its_option():
    details = Q.question("details")
    assert not is_revealed(Q, details, {"told": "no"})
    assert is_revealed(Q, details, {"told": "yes"})


def test_a_section_cannot_start_before_the_one_it_needs():
    assert section_status(Q, Q.section("more"), {}, frozenset()) == TaskStatus.CANNOT_START
    answers = {"kind": "a"}
    assert section_status(Q, Q.section("start"), answers, frozenset({"kind"})) == TaskStatus.COMPLETED
    assert section_status(Q, Q.section("more"), answers, frozenset({"kind"})) == TaskStatus.NOT_STARTED


def test_a_section_is_in_progress_until_every_page_applying_is_answered_and_seen():
    answers = {"kind": "b", "told": "yes", "details": "x"}
    visited = frozenset({"kind", "told"})
    assert section_status(Q, Q.section("more"), answers, visited) == TaskStatus.IN_PROGRESS
    answers["b_text"] = "y"
    visited |= {"b-only", "optional"}
    assert section_status(Q, Q.section("more"), answers, visited) == TaskStatus.COMPLETED


def test_completeness_lists_each_missing_answer_with_its_page():
    missing = missing_answers(Q, {"kind": "b", "told": "yes"}, frozenset({"kind", "told"}))
    named = [(page.slug, question.key if question else None) for _, page, question in missing]
    assert named == [("told", "details"), ("b-only", "b_text"), ("optional", None)]


def test_answers_of_a_route_no_longer_taken_are_neither_kept_nor_sent():
    before = {"kind": "b", "b_text": "only for b", "told": "yes", "details": "d"}
    after = {**before, "kind": "a"}
    assert [q.key for q in answers_no_longer_applying(Q, before, after)] == ["b_text"]
    assert "b_text" not in applicable_answers(Q, after)
    assert "details" not in applicable_answers(Q, {**after, "told": "no"})


def test_next_page_skips_pages_that_do_not_apply():
    more = Q.section("more")
    told = Q.page("told")[1]
    assert next_page(more, told, {"kind": "a"}).slug == "optional"
    assert next_page(more, told, {"kind": "b"}).slug == "b-only"


def test_answers_read_as_words():
    assert display_value(Q.question("kind"), "b") == "B"
    assert display_value(Q.question("note"), "") == "Not given"
    assert display_value(Question("d", "Date", Kind.DATE), "2024-03-07") == "7 March 2024"
