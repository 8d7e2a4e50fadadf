"""The course record page: what the learner did, what to review, to print or save, dated."""

from __future__ import annotations

import ipywidgets as widgets

from backspasm_edu.content.course import learner_apps
from backspasm_edu.content.loader import load_library
from backspasm_edu.progress import ProgressError, ProgressStore
from backspasm_edu.progress.course import CourseRecord, course_record
from backspasm_edu.render.record import record_download_link, record_html
from backspasm_edu.widgets._common import button, escape, feedback_html, focus_region, move_focus
from backspasm_edu.widgets._page import PageLearner, when_page_is_known
from backspasm_edu.widgets.course import app_address
from backspasm_edu.widgets.progress_panel import open_store

__all__ = ["CourseRecordView"]


class CourseRecordView(widgets.VBox):
    """The learner's own course record, every score replayed from their answers, to print or save.

    "Update my record" reads it again (after work in another tab); the record moves focus. In
    a preheated kernel the view is built before its page arrives and shows the record then.
    """

    def __init__(self, store: ProgressStore | None = None) -> None:
        super().__init__()
        self.page: PageLearner | None = None
        """This page's learner; None in a preheated kernel until its page arrives."""
        self.store: ProgressStore | None = None
        self.record: CourseRecord | None = None
        self.content = widgets.HTML()
        self.region = focus_region(self.content)
        self.actions = widgets.HTML()
        self.update_button = button(
            "Update my record", "Read your progress again, after work in another tab"
        )
        self.update_button.on_click(self._update)
        when_page_is_known(lambda page: self._show_learner(page, store))

    def _show_learner(self, page: PageLearner, store: ProgressStore | None) -> None:
        self.page = page
        self.store, problem = open_store(store)
        if self.store is None:
            self.content.value = problem
            self.children = [self.region]
            return
        self.show()
        self.children = [self.region, self.actions, widgets.HBox([self.update_button])]

    def show(self, updated: bool = False) -> None:
        """Read the learner's progress and show their record, its download and print buttons.

        ``updated`` says so above the record, after "Update my record".
        """
        page = self.page
        if self.store is None or page is None:
            return
        learner = page.key()
        library = load_library()
        try:
            records = self.store.records(learner)
            pages = self.store.pages_done(learner)
            name = page.shown_name(self.store)
        except ProgressError as error:
            self.record = None
            self.content.value = feedback_html(
                "warning", "Your record cannot be read just now", escape(str(error))
            )
            self.actions.value = ""
            return
        self.record = course_record(
            learner_apps(), records, pages, library.quizzes.values(), library.scenarios.values()
        )
        self.content.value = (
            '<p><span aria-hidden="true">✓</span> Updated: this is your record as it is now.</p>'
            if updated
            else ""
        ) + record_html(
            self.record,
            name,
            standalone=False,
            href=lambda app: app_address(app, page),
        )
        self.actions.value = (
            f"<p>{record_download_link(self.record, name)}</p>"
            '<p><button type="button" class="backspasm-print jupyter-button">Print my record'
            "</button> <small>Printing this page prints only your record.</small></p>"
        )

    def _update(self, _button: widgets.Button) -> None:
        self.show(updated=True)
        move_focus(self.region)
