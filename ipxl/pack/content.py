"""The facts every paper of the pack draws on, computed once from the workbook(s).

:class:`Facts` reads the Actions sheet the way the roll-up does (themes, statuses and
closures as meant, near-misses included), marks the rows new this period as the red
font does, and holds the roll-ups, the comparison with last period and the movement
by theme. The appendix builders (:mod:`.appendices`) and the covering report
(:mod:`.cover`) only arrange these facts into :mod:`.model` objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import pandas as pd

from .. import defaults as D
from ..analysis.changes import Changes, compare
from ..analysis.history import History
from ..analysis.impact import BestValue, best_value, measure_frame, moved
from ..analysis.plan import Plan
from ..analysis.rollup import NO_THEME, Rollup, rollup
from ..analysis.wording import movement_counts, movement_kind
from ..checks.vocab import canonical_series, split_refs
from ..colour import hex6
from ..xlsx.model import Workbook
from .model import NEW_WORD, NOT_GIVEN, Span, Status, Text
from .text import clean

#: Movement kinds in the order the papers list them.
MOVES = ("improved", "worsened", "started", "resumed", "put on hold", "moved", "unchanged", "new", "closed")


def ref_key(ref) -> str:
    """Refs compared as :mod:`ipxl.analysis.changes` matches them: trimmed, upper case."""
    return "" if ref is None or (isinstance(ref, float) and pd.isna(ref)) else str(ref).strip().upper()


def plural(n: int, one: str, many: str | None = None) -> str:
    """``3 actions``, ``1 action``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def listing(items: Iterable[str]) -> str:
    """``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """Numbers below ten in words, as council prose writes them: ``three``; ``12``."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def statutory_name(rec_id: str) -> str:
    """``S1`` -> ``Statutory Recommendation 1``, as the council's papers name them.

    >>> statutory_name("S2")
    'Statutory Recommendation 2'
    """
    import re

    m = re.fullmatch(r"S(\d+)", rec_id.strip(), re.I)
    return f"Statutory Recommendation {m.group(1)}" if m else f"Statutory Recommendation {rec_id}"


def cell(value) -> Text:
    """A table cell's text, as typed (dates as 31/03/2024)."""
    return Text.of(clean(value))


def ref_cell(ref, new: bool, *notes: str) -> Text:
    """The ref cell: the ref, then the bold word New when the row is new, then notes."""
    parts: list[str | Span] = [clean(ref)]
    if new:
        parts.append(Span("\n" + NEW_WORD, bold=True))
    parts += ["\n" + n for n in notes if n]
    return Text.of(*parts)


class Facts:
    """What the pack shows, computed once from this period's workbook and last's."""

    def __init__(self, wb: Workbook, prev: Workbook | None):
        self.wb, self.prev = wb, prev
        self.settings = wb.settings
        self.lists = wb.lists
        self.status_names = wb.lists.status_names
        self.themes = dict(wb.lists.themes)  # code -> name
        self._status = {s.name: Status.of(s.name, hex6(s.colour)) for s in wb.lists.statuses}
        self.meanings = {s.name: s.meaning for s in wb.lists.statuses}
        #: the period as the plan's rules read it (every command's model of the plan)
        self.model = Plan(wb, prev)
        self.actions = _actions(self.model, self.themes)
        self._linked: dict[tuple[str, str], pd.DataFrame] = {}

    # ---------------------------------------------------------------- words

    @property
    def plan(self) -> str:
        return clean(self.settings.plan_title) or "Improvement Plan"

    @property
    def period(self) -> str:
        return clean(self.settings.period)

    @property
    def period_noun(self) -> str:
        """What the papers call the reporting period: ``quarter`` when Period start to
        Period end spans one (``month``, ``half year``, ``year`` likewise), else
        ``period`` (:data:`ipxl.defaults.PERIOD_WORDS`)."""
        st = self.settings
        if st.period_start and st.period_end:
            days = (st.period_end - st.period_start).days + 1
            for low, high, word in D.PERIOD_WORDS:
                if low <= days <= high:
                    return word
        return "period"

    @property
    def this_period(self) -> str:
        """``this quarter``."""
        return f"this {self.period_noun}"

    def completed(self, theme: str | None = None) -> pd.DataFrame:
        """The actions completed in the period (of ``theme``), with ``achieved``: what
        the papers say each achieved, its Achievement cell or else its progress update
        (blank when neither says). Made once for the whole plan; a frame to read, not
        to change (every paper of the pack asks again)."""
        done = self._completed
        return done if theme is None else done[done["theme_name"] == theme]

    @cached_property
    def _completed(self) -> pd.DataFrame:
        a = self.actions
        done = a[(a["status_c"] == COMPLETE) & self.in_period(a["completion_date"])]
        said = [clean(x) or clean(u) for x, u in zip(done["achievement"], done["progress_update"])]
        return done.assign(achieved=pd.Series(said, index=done.index, dtype=object))

    def period_words(self) -> str:
        st = self.settings
        if st.period_start and st.period_end:
            return f"{clean(st.period_start)} to {clean(st.period_end)}"
        return self.period or "the period"

    def status(self, name) -> Status:
        """The status cell for ``name`` (its Lists colour; white for an unknown word)."""
        if name is None or (isinstance(name, float) and pd.isna(name)) or name == "":
            name = NOT_GIVEN
        got = self._status.get(name)
        if got is None:
            got = self._status[name] = Status.of(str(name), None)
        return got

    def theme_order(self, names: Iterable[str]) -> list[str]:
        """Themes in Lists order, then any others as they first appear."""
        known = list(self.themes.values())
        present = list(dict.fromkeys(names))
        return [t for t in known if t in present] + [t for t in present if t not in known]

    def counts_sentence(self, statuses: pd.Series, what: str = "action", of: str = "", of_one: str = "") -> str:
        """``98 actions, of which 41 are complete; of the 57 still to deliver, 40 are
        Green, 9 Amber, 5 Red and 3 Not started.``; ``One action, which is Red.``
        Nothing is said of a status no row has. With ``of`` ("that answer it"), the
        counts of a part: ``Of the 12 actions that answer it, 9 are complete; of the 3
        still to deliver, both are Green.`` (``of_one`` is its singular: "that answers
        it".)"""
        total = len(statuses)
        if not total:
            return f"There are no {what}s{' ' + of if of else ''}."
        counts = statuses.value_counts()
        done = int(counts.get(COMPLETE, 0))
        rest = [(s, int(counts[s])) for s in self.status_names if s != COMPLETE and counts.get(s, 0)]
        rest += [(str(s), int(n)) for s, n in counts.items() if s not in self.status_names and s != COMPLETE]
        of = of_one or of if total == 1 else of
        head = plural(total, what) + (f" {of}" if of else "")
        if total == 1:
            whole = f"The one {what} {of}".strip() + " is"
        elif total == 2:
            whole = f"Both {what}s {of}".strip() + " are"
        else:
            whole = f"All {head} are"
        every = ("both " if total == 2 else "all ") if total > 1 else ""
        if total == 1 and not of:
            return f"One {what}, which is {rest[0][0] if rest else 'complete'}."
        if not rest:
            return f"{whole} complete." if of else f"{head}, {every}complete."
        if not done and len(rest) == 1:
            return f"{whole} {rest[0][0]}." if of else f"{head}, {every}{rest[0][0]}."
        words = [f"{n} {s}" for s, n in rest]
        words[0] = f"{rest[0][1]} {'is' if rest[0][1] == 1 else 'are'} {rest[0][0]}"
        start = f"Of the {head}, " if of else f"{head}, of which "
        if done:
            todo = total - done
            if todo == 1:
                still = f"the one still to deliver is {rest[0][0]}"
            elif len(rest) == 1:
                still = f"of the {todo} still to deliver, {'both' if todo == 2 else 'all'} are {rest[0][0]}"
            else:
                still = f"of the {todo} still to deliver, {listing(words)}"
            return f"{start}{done} {'is' if done == 1 else 'are'} complete; {still}."
        return f"Of the {head}, {listing(words)}." if of else f"{head}: {listing(words)}."

    def overdue_sentence(self) -> str:
        """``One action is past its due date and not complete: Deliver the training
        (OC.B1.3).`` Up to three are named, so members know which; more are counted
        (``Five actions are past their due date and not complete.``); "" when none is."""
        n = self.rollup.overdue
        if not n:
            return ""
        head = number_word(n).capitalize() + (" action is" if n == 1 else " actions are")
        sentence = f"{head} past {'its' if n == 1 else 'their'} due date and not complete"
        if n > 3:
            return sentence + "."
        described = dict(zip(self.actions["ref"].map(ref_key), self.actions["description"].map(clean)))
        names = []
        for ref in self.rollup.overdue_refs:
            what = described.get(ref_key(ref), "").rstrip(".")
            names.append(f"{what} ({clean(ref)})" if what else clean(ref))
        return f"{sentence}: {listing(names)}."

    # ------------------------------------------------------------- roll-ups

    @cached_property
    def rollup(self) -> Rollup:
        return rollup(self.wb)

    @cached_property
    def best_value(self) -> BestValue:
        """The plan by Best Value theme, with its measures of impact."""
        return best_value(self.wb)

    @property
    def measures(self) -> pd.DataFrame:
        """The measures of impact (:func:`ipxl.analysis.impact.measure_frame`)."""
        return measure_frame(self.wb)

    @cached_property
    def moved_measures(self) -> list[dict]:
        """The measures whose Latest moved since last period's workbook (or, without
        it, whose Latest is dated in this period): :func:`ipxl.analysis.impact.moved`."""
        prev = self.prev
        before = measure_frame(prev) if prev is not None and "measures" not in prev.skipped else None
        return moved(self.measures, before, self.settings.period_start, self.settings.period_end)

    @cached_property
    def previous_rollup(self) -> Rollup | None:
        return rollup(self.prev) if self.prev is not None else None

    @cached_property
    def changes(self) -> Changes | None:
        return compare(self.prev, self.wb) if self.prev is not None else None

    def change_summary(self) -> list[str]:
        """The committee's summary of changes: from the two workbooks compared, or,
        without last period's, counted from this period's change log."""
        from ..analysis.changes import log_summary

        return self.changes.summary if self.changes is not None else log_summary(self.wb)

    @cached_property
    def history(self) -> History | None:
        """The plan's history back along the Previous workbook chain (this period's and
        last period's workbooks are not read again); None with no earlier period."""
        from ..analysis.history import history, load_series

        series = load_series([self.wb, *([self.prev] if self.prev is not None else [])])
        return history(series) if len(series.workbooks) >= 2 else None

    @cached_property
    def previous_actions(self) -> pd.DataFrame | None:
        if self.prev is None:
            return None
        return _actions(Plan(self.prev), dict(self.prev.lists.themes))

    def in_period(self, dates: pd.Series) -> pd.Series:
        """Dates within the reporting period (an open end when Settings gives only one)."""
        st = self.settings
        ok = dates.notna()
        if st.period_start:
            ok &= dates >= pd.Timestamp(st.period_start)
        if st.period_end:
            ok &= dates < pd.Timestamp(st.period_end) + pd.Timedelta(days=1)
        return ok

    @cached_property
    def movements(self) -> dict[str | None, dict[str, int]]:
        """theme (None for the whole plan) -> movement counts since last period
        (improved, worsened, moved, unchanged, new, closed); empty without a previous
        workbook."""
        result = self.changes
        if result is None:
            return {}
        theme_of = dict(zip(self.actions["ref"].map(ref_key), self.actions["theme_name"]))
        prev = self.previous_actions
        if prev is not None:
            for r, t in zip(prev["ref"].map(ref_key), prev["theme_name"]):
                theme_of.setdefault(r, t)
        kinds: list[tuple[str | None, str]] = []
        changed = set()
        for c in result.status_changes:
            kinds.append((theme_of.get(ref_key(c["ref"])), movement_kind(c["direction"], c["from"], c["to"])))
            changed.add(ref_key(c["ref"]))
        added = {ref_key(c["ref"]) for c in result.added}
        kinds += [(theme_of.get(r), "new") for r in added]
        kinds += [(theme_of.get(ref_key(c["ref"])), "closed") for c in [*result.closed, *result.removed]]
        if prev is not None:
            prev_refs = set(prev["ref"].map(ref_key))
            cur_open = self.actions[self.actions["open"]]
            for r, t in zip(cur_open["ref"].map(ref_key), cur_open["theme_name"]):
                if r in prev_refs and r not in changed and r not in added:
                    kinds.append((t, "unchanged"))

        def count(items) -> dict[str, int]:
            out = dict.fromkeys(MOVES, 0)
            for _, k in items:
                out[k] = out.get(k, 0) + 1
            return out

        out: dict[str | None, dict[str, int]] = {None: count(kinds)}
        for theme in {t for t, _ in kinds}:
            out[theme] = count([k for k in kinds if k[0] == theme])
        return out

    def movement_words(self, theme: str | None = None) -> str:
        """``2 improved, 1 worsened, 30 unchanged, 2 new and 1 closed`` (kinds with none
        left out; "moved" said in full); "" without a previous workbook."""
        moves = self.movements.get(theme) if self.movements else None
        if moves is None:
            return "" if not self.movements else "no change"
        return movement_counts(moves) or "no change"

    # ------------------------------------------------------- recommendations

    @cached_property
    def recommendations(self) -> pd.DataFrame:
        recs = self.wb.frame("recommendations").copy()
        recs["category_c"] = canonical_series(recs["category"], self.lists.categories)
        return recs

    def linked(self, rec_id: str, action_refs) -> pd.DataFrame:
        """The actions answering a recommendation: named in its Action refs, or naming it
        in their Recommendations cell, and their sub-actions."""
        key = (rec_id, str(action_refs))
        if key not in self._linked:
            # each paper that lists a recommendation asks for its actions again
            df = self.actions
            refs = [r for r in split_refs(action_refs) if r not in D.OUTSIDE_PLAN]
            by_rec = self._named_recs.map(lambda named: rec_id in named)
            direct = df["ref"].isin(refs) | by_rec
            roots = set(df.loc[direct, "ref"].dropna())
            child = df["ref"].map(lambda r: isinstance(r, str) and any(r.startswith(p + ".") for p in roots))
            self._linked[key] = df[direct | child]
        return self._linked[key]

    @cached_property
    def _named_recs(self) -> pd.Series:
        """Each action's Recommendations cell as the set of recommendations it names."""
        return self.actions["recommendations"].map(lambda v: frozenset(split_refs(v)))

    def recommendation_status(self, linked: pd.DataFrame, action_refs) -> str:
        """A recommendation's status, from the actions that answer it: Complete when
        every one is complete or closed; else the least good status of those still
        open (Red before Amber before Green), or their unranked status (Not started,
        On hold); answered outside the plan, the word its Action refs give
        (``Business as usual``); with no action, :data:`NOT_GIVEN`."""
        if linked.empty:
            words = [r for r in split_refs(action_refs) if r in D.OUTSIDE_PLAN]
            return words[0] if words else NOT_GIVEN
        todo = linked[linked["open"] & (linked["status_c"] != COMPLETE)]
        if todo.empty:
            return COMPLETE
        ranked = [s for s in todo["status_c"] if s in D.STATUS_RANK]
        if ranked:
            return min(ranked, key=lambda s: D.STATUS_RANK[s])
        present = set(todo["status_c"].dropna())
        return next((s for s in self.status_names if s in present), NOT_GIVEN)

    @cached_property
    def risks(self) -> pd.DataFrame:
        """The risk register with ``score_c`` (its Score, else Likelihood x Impact) and
        ``rating_c`` (its Rating as meant, else the band its score falls in): what the
        register appendix shows and the report's headline counts."""
        risks = self.wb.frame("risks")
        if risks.empty:
            return risks.assign(score_c=pd.Series(dtype="float64"), rating_c=pd.Series(dtype=object))
        ratings = canonical_series(risks["rating"], tuple(b.rating for b in self.lists.score_bands))
        score = risks["score"].where(risks["score"].notna(), risks["likelihood"] * risks["impact"])
        banded = score.map(lambda s: self.lists.rating_for(s) if s == s else None)
        return risks.assign(score_c=score, rating_c=ratings.where(ratings.notna(), banded))

    @cached_property
    def milestones(self) -> pd.DataFrame:
        ms = self.wb.frame("milestones").copy()
        ms["status_c"] = canonical_series(ms["status"], self.lists.milestone_statuses)
        return ms


#: The status that ends an action (the best ranked).
COMPLETE = max(D.STATUS_RANK, key=lambda s: D.STATUS_RANK[s])


def _actions(plan: Plan, themes: dict[str, str]) -> pd.DataFrame:
    """The Actions frame with the columns the pack needs: theme and status as meant,
    open or closed, new this period (the plan's answers, :attr:`Plan.actions`), due
    dates as shown."""
    wb = plan.workbook
    df = wb.frame("actions").copy()
    sheet = wb.sheets.get("actions")
    raw = sheet.raw if sheet is not None else None
    names = tuple(themes.values())
    # Exactly as the roll-up reads themes, so counts and tables agree.
    theme = canonical_series(df["theme"], names, {code.lower(): name for code, name in themes.items()})
    df["theme_name"] = theme.fillna(df["theme"]).fillna(NO_THEME).astype(object)
    # a status or closure, open or new, as the plan's rules read them for every command
    ruled = plan.actions
    df["status_c"] = ruled["status"].map(lambda v: clean(v) or None)
    df["closure_c"] = ruled["closure"]
    df["open"] = ruled["in_plan"]
    df["new"] = ruled["new"]
    # last period's workbook may have been read for fewer columns (PREVIOUS_COLUMNS)
    confidence = df["confidence"] if "confidence" in df else pd.Series(None, index=df.index, dtype=object)
    df["confidence_c"] = canonical_series(confidence, wb.lists.confidences, D.CONFIDENCE_ALIASES)
    for col in ("due_date", "revised_due_date"):
        shown = df[col].dt.strftime(D.DATE_FORMAT)
        if raw is not None and col in raw:
            shown = shown.where(df[col].notna(), raw[col].map(clean))
        df[col + "_text"] = shown.fillna("")
    return df
