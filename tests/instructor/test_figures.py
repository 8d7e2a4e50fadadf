"""Class figures in words: first tries at every question kind, case choices, and the summary."""

from __future__ import annotations

import math
import statistics
from collections import Counter

import pytest

from backspasm_edu.content.library import Library
from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Question, typed_form
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.instructor.figures import (
    UNSAFE,
    answer_counts,
    case_analysis,
    class_summary,
    item_analysis,
    red_flag_scenes,
    shortened,
    summary_lines,
)
from backspasm_edu.instructor.report import load_records
from backspasm_edu.progress import ProgressStore, Recorder
from tests.builders import fixture_quiz, right_for, short_text_quiz
from tests.progress.test_course_record import CASE, QUIZ, record_of, take_quiz, walk_case

LEARNERS = ("Ana", "Ben", "Cy")


def wrong(question: Question, learner: int):
    """A wrong answer to a fixture question, differing between learners where it can."""
    wrong_ids = [c.id for c in question.answers if not c.correct]
    targets = [target.id for target in question.targets]
    return {
        "single_choice": lambda: wrong_ids[learner % len(wrong_ids)] if wrong_ids else None,
        "multiple_answers": lambda: [wrong_ids[0]],
        "true_false": lambda: not question.truth,
        "ordering": lambda: list(reversed(right_for(question))),
        "matching": lambda: {
            pair.id: targets[(targets.index(pair.match) + 1) % len(targets)]
            for pair in question.pairs
        },
        "numeric": lambda: question.number + 100 * (learner + 1),
        "short_text": lambda: "Sprain" if learner == 2 else "sprain",
    }[question.type]()


@pytest.fixture
def library() -> Library:
    """The packaged cases and triage table with the two fixture quizzes of every question kind."""
    packaged = load_library()
    quizzes = {quiz.id: quiz for quiz in (fixture_quiz(), short_text_quiz())}
    return Library(quizzes=quizzes, scenarios=packaged.scenarios, triage=packaged.triage)


def drive(store: ProgressStore, library: Library) -> dict[tuple[str, str], object]:
    """Each learner takes each fixture quiz: learner n misses question m first when n + m is even.

    A missed question is then answered right if it has a try left. Returns each learner's
    first answer to each question, as given.
    """
    first = {}
    for number, learner in enumerate(LEARNERS):
        for quiz in library.quizzes.values():
            session = QuizSession(quiz, seed=number, topic_titles={})
            session.recorder = Recorder(
                store, learner, "quiz", quiz.id, len(quiz.questions), session.seed
            )
            by_id = {question.id: question for question in quiz.questions}
            while not session.finished:
                question = by_id[session.current.id]
                position = list(by_id).index(question.id)
                miss = (number + position) % 2 == 0
                given = wrong(question, number) if miss else right_for(question)
                first[learner, question.id] = given
                if not session.answer(given).closed:
                    session.answer(right_for(question))
                session.next()
    return first


@pytest.fixture
def taken(tmp_path, library):
    """The records of three learners' goes at both fixture quizzes, and their first answers."""
    with ProgressStore(tmp_path / "class.sqlite") as store:
        first = drive(store, library)
    return load_records([tmp_path / "class.sqlite"]), first


def percent(part: int, whole: int) -> int:
    """A whole percentage, halves up, as the figures round."""
    return math.floor(100 * part / whole + 0.5)


def all_questions(library: Library) -> list[Question]:
    """Every fixture question."""
    return [question for quiz in library.quizzes.values() for question in quiz.questions]


def test_right_first_time_for_every_question_kind(taken, library):
    """Each question shows its text, kind, learners and the % whose first answer was right."""
    records, first = taken
    items = item_analysis(records, library).set_index("Question")
    for question in all_questions(library):
        answers = [first[learner, question.id] for learner in LEARNERS]
        rights = sum(answer == right_for(question) for answer in answers)
        row = items.loc[question.prompt]
        assert row["Learners"] == 3
        assert row["Kind"] == question.type.replace("_", " ")
        assert row["Right first time (%)"] == percent(rights, 3), question.id
    assert list(items["Right first time (%)"]) == sorted(items["Right first time (%)"])


def counts_for(records, library, question: Question) -> dict[tuple[str, str], tuple[int, str]]:
    """One question's answer counts: (part, answer) to (learners, right)."""
    table = answer_counts(records, library)
    mine = table[table["Question"] == question.prompt]
    return {
        (row["Part"], row["Answer"]): (row["Learners"], row["Right"])
        for row in mine.to_dict("records")
    }


def test_choice_questions_count_each_option_by_its_text(taken, library):
    """Single choice and multiple answers: every option's text with the learners who picked it."""
    records, first = taken
    quiz = fixture_quiz()
    for question in quiz.questions[:2]:
        picked = Counter()
        for learner in LEARNERS:
            given = first[learner, question.id]
            picked.update(given if isinstance(given, list) else [given])
        counts = counts_for(records, library, question)
        assert counts == {
            ("", choice.text): (picked[choice.id], "yes" if choice.correct else "no")
            for choice in question.answers
        }


def test_true_false_counts_true_and_false(taken, library):
    """True or false: how many learners answered True and False first, in those words."""
    records, first = taken
    question = fixture_quiz().questions[2]
    answers = Counter(first[learner, question.id] for learner in LEARNERS)
    assert counts_for(records, library, question) == {
        ("", "True"): (answers[True], "yes" if question.truth else "no"),
        ("", "False"): (answers[False], "no" if question.truth else "yes"),
    }


def test_ordering_counts_the_items_put_at_each_position(taken, library):
    """Ordering: per position, each item learners put there, and the right item even if none did."""
    records, first = taken
    question = fixture_quiz().questions[3]
    texts = {item.id: item.text for item in question.items}
    expected = {}
    for position, right_item in enumerate(question.items):
        placed = Counter(first[learner, question.id][position] for learner in LEARNERS)
        for item_id in {*placed, right_item.id}:
            expected[f"Position {position + 1}", texts[item_id]] = (
                placed[item_id],
                "yes" if item_id == right_item.id else "no",
            )
    assert counts_for(records, library, question) == expected


def test_matching_counts_each_pair_against_each_target(taken, library):
    """Matching: for each pair, how many learners matched it to each target first time."""
    records, first = taken
    question = fixture_quiz().questions[4]
    expected = {
        (pair.text, target.text): (
            sum(first[learner, question.id][pair.id] == target.id for learner in LEARNERS),
            "yes" if target.id == pair.match else "no",
        )
        for pair in question.pairs
        for target in question.targets
    }
    assert counts_for(records, library, question) == expected


def test_typed_answers_list_the_most_common(taken, library):
    """Numbers and typed text: the answers given first, counted; typed text alike in case is one."""
    records, first = taken
    number = fixture_quiz().questions[5]
    values = Counter(float(first[learner, number.id]) for learner in LEARNERS)
    counts = counts_for(records, library, number)
    assert {answer: learners for (_, answer), (learners, _) in counts.items()} == {
        f"{value:g} {number.unit}": count for value, count in values.items()
    }
    spasm = short_text_quiz().questions[0]
    typed = Counter(typed_form(first[learner, spasm.id]) for learner in LEARNERS)
    counts = counts_for(records, library, spasm)
    assert {answer.casefold(): learners for (_, answer), (learners, _) in counts.items()} == {
        f"\u201c{form}\u201d": count for form, count in typed.items()
    }


def walks(store: ProgressStore) -> dict[str, ScenarioSession]:
    """Ana chooses the first choice each time, Ben the last, Cy the first: all to the end."""
    return {
        "Ana": walk_case(store, "Ana", lambda choices: choices[0]),
        "Ben": walk_case(store, "Ben", lambda choices: choices[-1]),
        "Cy": walk_case(store, "Cy", lambda choices: choices[0]),
    }


def test_case_choices_are_shared_by_first_choice_with_ratings(tmp_path):
    """At each point reached, each choice's share of learners' first choices, rated in words."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        sessions = walks(store)
    table = case_analysis(load_records([tmp_path / "class.sqlite"]), library)
    scenario = library.scenarios[CASE]
    chosen: dict[str, Counter] = {}
    for session in sessions.values():
        for step in session.history:
            chosen.setdefault(step.from_node, Counter())[step.choice_id] += 1
    assert set(table["Scene"]) == {shortened(scenario.nodes[node].text) for node in chosen}
    for node_id, counts in chosen.items():
        node = scenario.nodes[node_id]
        rows = table[table["Scene"] == shortened(node.text)].to_dict("records")
        reached = sum(counts.values())
        assert [
            (row["Choice"], row["Rating"], row["Learners"], row["Share (%)"]) for row in rows
        ] == [
            (choice.text, choice.rating, counts[choice.id], percent(counts[choice.id], reached))
            for choice in node.choices
        ]


def test_a_later_choice_at_the_same_point_does_not_count(tmp_path):
    """A learner who went back and chose again is counted by their first choice there."""
    library = load_library()
    scenario = library.scenarios[CASE]
    with ProgressStore(tmp_path / "class.sqlite") as store:
        session = ScenarioSession(scenario)
        session.recorder = Recorder(store, "Ana", "scenario", CASE, len(scenario.nodes))
        first_choice, later_choice = session.current.choices[-1], session.current.choices[0]
        session.choose(first_choice.id)
        session.back()
        session.choose(later_choice.id)
    table = case_analysis(load_records([tmp_path / "class.sqlite"]), library)
    start = table[table["Scene"] == shortened(scenario.nodes[scenario.start].text)]
    learners = dict(zip(start["Choice"], start["Learners"], strict=True))
    assert learners[first_choice.text] == 1 and learners[later_choice.text] == 0


def test_poor_choices_at_red_flag_scenes_are_marked_unsafe_in_words_and_symbol(tmp_path):
    """A poor choice where the patient has a red flag reads "⚠ unsafe"; other choices do not."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        walks(store)
    table = case_analysis(load_records([tmp_path / "class.sqlite"]), library)
    scenes = red_flag_scenes(library.scenarios[CASE], library.triage)
    scene_of = {shortened(node.text): node.id for node in library.scenarios[CASE].nodes.values()}
    for row in table.to_dict("records"):
        flagged = row["Rating"] == "poor" and scene_of[row["Scene"]] in scenes
        assert row["Safety"] == (UNSAFE if flagged else "")
    assert UNSAFE.startswith("⚠ unsafe")
    assert (table["Safety"] == UNSAFE).any()


def test_poor_choices_in_a_self_care_case_are_not_marked_unsafe(tmp_path):
    """A poor choice where no red flag is in sight is rated poor but not marked unsafe."""
    library = load_library()
    case = library.scenarios["lifting_spasm"]
    with ProgressStore(tmp_path / "class.sqlite") as store:
        walk = ScenarioSession(case)
        walk.recorder = Recorder(store, "Ana", "scenario", case.id, len(case.nodes))
        while not walk.finished:
            node = case.nodes[walk.current.id]
            poor = [choice for choice in node.choices if choice.rating == "poor"]
            walk.choose((poor or list(node.choices))[0].id)
    table = case_analysis(load_records([tmp_path / "class.sqlite"]), library)
    chosen_poor = table[(table["Rating"] == "poor") & (table["Learners"] == 1)]
    assert len(chosen_poor) >= 1
    assert set(table["Safety"]) == {""}


def test_red_flag_scenes_follow_findings_and_endings():
    """A scene revealing an emergency sign is a red-flag scene; a self-care case has none."""
    library = load_library()
    hidden = library.scenarios[CASE]
    revealing = [node.id for node in hidden.nodes.values() if "saddle_numbness" in node.findings]
    assert revealing and set(revealing) <= red_flag_scenes(hidden, library.triage)
    self_care = [
        case
        for case in library.scenarios.values()
        if all(
            node.ending is None or node.ending.care_level == "self_care"
            for node in case.nodes.values()
        )
        and not any(
            library.triage.level_of(finding) in ("emergency", "urgent")
            for node in case.nodes.values()
            for finding in node.findings
        )
    ]
    assert self_care
    for case in self_care:
        assert red_flag_scenes(case, library.triage) == frozenset()


def test_summary_counts_started_finished_and_medians_from_course_records(tmp_path):
    """Class size, started, finished and the median of the learners' course record scores."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        for learner, every in (("Ana", 2), ("Ben", 3), ("Dee", 5)):
            take_quiz(store, learner, wrong_every=every)
        take_quiz(store, "Cy", wrong_every=2, stop_after=3)
        walk_case(store, "Ana", lambda choices: choices[-1])
        scores = [record_of(store, name).quizzes for name in ("Ana", "Ben", "Dee")]
    summary = class_summary(load_records([tmp_path / "class.sqlite"]), library)
    assert summary.learners == 4 and summary.started == 4
    quiz = next(item for item in summary.activities if item.title == library.quizzes[QUIZ].title)
    best = [round(line.best.score, 1) for lines in scores for line in lines if line.quiz_id == QUIZ]
    assert (quiz.started, quiz.finished) == (4, 3)
    assert quiz.median == round(statistics.median(best), 1)
    assert quiz.out_of == len(library.quizzes[QUIZ].questions)
    case = next(item for item in summary.activities if item.title == library.scenarios[CASE].title)
    assert (case.started, case.finished) == (1, 1)
    untouched = [item for item in summary.activities if item.started == 0]
    assert untouched and all(item.median is None for item in untouched)


def test_teach_again_lists_the_most_missed_with_their_text(taken, library):
    """The three things to teach again are the most often wrong first time, with their words."""
    records, _ = taken
    summary = class_summary(records, library)
    items = item_analysis(records, library)
    assert len(summary.teach_again) == 3
    shares = [item.wrong_first_time for item in summary.teach_again]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] == 100 - items["Right first time (%)"].min()
    prompts = set(items["Question"])
    assert all(item.kind == "question" and item.text in prompts for item in summary.teach_again)


def test_a_poor_first_choice_in_a_case_is_something_to_teach_again(tmp_path):
    """A case decision most learners got poor first time tops the list, with the scene's text."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        take_quiz(store, "Ana", wrong_every=0)
        ben = walk_case(store, "Ben", lambda choices: choices[-1])
    summary = class_summary(load_records([tmp_path / "class.sqlite"]), library)
    first_poor = next(step for step in ben.history if step.rating == "poor")
    top = summary.teach_again[0]
    assert top.kind == "case decision" and top.wrong_first_time == 100
    assert top.text == library.scenarios[CASE].nodes[first_poor.from_node].text


def test_who_may_need_help_names_unsafe_choices_low_marks_and_unfinished_work(tmp_path):
    """Unsafe case choices come first, then a low mark and unfinished work; Ana is not listed."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        take_quiz(store, "Ana", wrong_every=0)
        walk_case(store, "Ana", lambda choices: choices[0])
        ben = walk_case(store, "Ben", lambda choices: choices[-1])
        take_quiz(store, "Cy", wrong_every=1)
        take_quiz(store, "Dee", wrong_every=0, stop_after=2)
        cy = record_of(store, "Cy")
    summary = class_summary(load_records([tmp_path / "class.sqlite"]), library)
    assert [item.learner for item in summary.to_check] == ["Ben", "Cy", "Dee"]
    ben_item, cy_item, dee_item = summary.to_check
    scenes = red_flag_scenes(library.scenarios[CASE], library.triage)
    unsafe = [step for step in ben.history if step.rating == "poor" and step.from_node in scenes]
    assert unsafe and ben_item.unsafe == len(unsafe)
    title = library.scenarios[CASE].title
    assert ben_item.reasons[0].startswith(f"\u26a0 unsafe choice in \u201c{title}\u201d")
    assert shortened(unsafe[0].choice_text, 70) in ben_item.reasons[0]
    best = next(line.best for line in cy.quizzes if line.quiz_id == QUIZ)
    assert best.share < 0.5
    assert cy_item.reasons == (
        f"{best.score:.1f} of {best.max_score} points in \u201c{library.quizzes[QUIZ].title}\u201d",
    )
    assert cy_item.unsafe == 0
    assert dee_item.reasons == (
        f"started, not finished: \u201c{library.quizzes[QUIZ].title}\u201d",
    )


def test_who_may_need_help_reads_in_report_lines_and_counts_past_the_first_eight(tmp_path):
    """The report's summary names eight learners with their reasons and counts the rest."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        for number in range(10):
            take_quiz(store, f"Learner {number}", wrong_every=0, stop_after=1)
    summary = class_summary(load_records([tmp_path / "class.sqlite"]), library)
    lines = summary_lines(summary)
    start = lines.index("Who may need help:")
    named = lines[start + 1 : start + 9]
    assert [line.split(":")[0] for line in named] == [f"- Learner {n}" for n in range(8)]
    assert lines[start + 9] == "- and 2 learners more."


def test_nobody_needs_help_when_every_go_is_finished_well(tmp_path):
    """A class that finished everything it started with good marks lists nobody to check."""
    library = load_library()
    with ProgressStore(tmp_path / "class.sqlite") as store:
        take_quiz(store, "Ana", wrong_every=0)
    summary = class_summary(load_records([tmp_path / "class.sqlite"]), library)
    assert summary.to_check == ()
    assert any(line.startswith("Who may need help: nobody yet") for line in summary_lines(summary))
