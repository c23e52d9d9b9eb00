"""What each committee appendix holds, computed once from the workbook(s).

:func:`render_appendices` fills the templates in ``report_templates/`` (one .docx per
appendix, officers restyle them in Word) with docxtpl. Values go in as text only:
every value is passed as a plain string (autoescaped by Jinja) or as a docxtpl
``RichText`` built here (which escapes its text), so ``&``, ``<``, quotes, ``{{ x }}``
or ``{% if %}`` typed in a cell appear literally and never become template source.

Rows new this period are red (#C00000, 5.9:1 on white) *and* carry the word ``New``;
status cells are shaded in their ``Lists`` colour *and* carry the status word, in
black or white, whichever contrasts more (at least 4.5:1 for the default colours).
Every output is checked with :func:`ipxl.pack.accessibility.check_docx`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import defaults as D
from ..analysis.changes import Changes
from ..checks.vocab import canonical_series, split_refs
from ..colour import hex6
from ..xlsx.model import Workbook
from .text import clean, uk_date
from .word import NEW_WORD, NOT_GIVEN, Rich, Shade, cell, charts, ref_cell, rich


def _ref_key(ref) -> str:
    """Refs compared as :mod:`ipxl.analysis.changes` matches them: trimmed, upper case."""
    return "" if ref is None or (isinstance(ref, float) and pd.isna(ref)) else str(ref).strip().upper()


# ====================================================================== the plan


class ContentPlan:
    """Everything the appendices show, computed once from the workbook(s)."""

    def __init__(self, wb: Workbook, prev: Workbook | None):
        self.wb, self.prev = wb, prev
        self.settings = wb.settings
        lists = wb.lists
        self.status_names = lists.status_names
        self.shades = {s.name: Shade(s.name, hex6(s.colour), s.meaning) for s in lists.statuses}
        self.themes = dict(lists.themes)  # code -> name
        self.actions = self._actions(wb)
        self._changes_result: Changes | None = None

    # ------------------------------------------------------------------ actions

    def _theme_names(self, s: pd.Series) -> pd.Series:
        # Exactly as the roll-up reads themes, so counts and tables agree.
        from ..analysis.rollup import NO_THEME

        names = tuple(self.themes.values())
        theme = canonical_series(s, names, {code.lower(): name for code, name in self.themes.items()})
        return theme.fillna(s).fillna(NO_THEME).astype(object)

    def _actions(self, wb: Workbook) -> pd.DataFrame:
        df = wb.frame("actions").copy()
        sheet = wb.sheets.get("actions")
        raw = sheet.raw if sheet is not None else None
        df["theme_name"] = self._theme_names(df["theme"])
        status = canonical_series(df["status"], self.status_names, D.STATUS_ALIASES)
        df["status_c"] = status.where(status.notna(), df["status"].map(lambda v: clean(v) or None))
        closure = canonical_series(df["closure"], wb.lists.closures)
        df["closure_c"] = closure.fillna("Open")
        df["open"] = ~df["closure_c"].isin(D.CLOSED_STATES)
        df["new"] = self._new_flags(wb)
        for col in ("due_date", "revised_due_date"):
            shown = df[col].dt.strftime("%d/%m/%Y")
            if raw is not None and col in raw:
                shown = shown.where(df[col].notna(), raw[col].map(clean))
            df[col + "_text"] = shown.fillna("")
        return df

    def _new_flags(self, wb: Workbook) -> pd.Series:
        from ..analysis.changes import new_this_period

        df = wb.frame("actions")
        return new_this_period(wb, self.prev).reindex(df.index).fillna(False).astype(bool)

    def shade(self, status) -> Shade:
        if status is None or (isinstance(status, float) and pd.isna(status)):
            status = NOT_GIVEN
        got = self.shades.get(status)
        if got is None:
            got = self.shades[status] = Shade(str(status), None)
        return got

    def theme_order(self, names: Iterable[str]) -> list[str]:
        known = list(self.themes.values())
        present = list(dict.fromkeys(names))
        return [t for t in known if t in present] + [t for t in present if t not in known]

    def counts_text(self, statuses: pd.Series) -> str:
        counts = statuses.value_counts()
        parts = [f"{int(counts[s])} {s}" for s in self.status_names if counts.get(s, 0)]
        parts += [f"{int(n)} {s}" for s, n in counts.items() if s not in self.status_names]
        return ", ".join(parts) if parts else "none"

    # ------------------------------------------------------------------ context

    def base(self) -> dict:
        st = self.settings
        return {
            "council": clean(st.council),
            "plan_title": clean(st.plan_title) or "Improvement Plan",
            "period": clean(st.period),
            "period_start": clean(st.period_start),
            "period_end": clean(st.period_end),
            "statuses": [self.shade(s) for s in self.status_names],
            "intro": "",
        }

    def context(self, name: str, tpl) -> dict:
        ctx = self.base()
        ctx.update(getattr(self, "ctx_" + name.replace("-", "_"))(tpl))
        return ctx

    def _period_words(self) -> str:
        st = self.settings
        if st.period_start and st.period_end:
            return f"{clean(st.period_start)} to {clean(st.period_end)}"
        return clean(st.period) or "the period"

    # ---------------------------------------------------------- monitoring tool

    def ctx_monitoring_tool(self, tpl) -> dict:
        df = self.actions[self.actions["open"]]
        themes = []
        for theme in self.theme_order(df["theme_name"]):
            part = df[df["theme_name"] == theme]
            # by workstream in order of first appearance, keeping the workbook's order
            order = {w: i for i, w in enumerate(dict.fromkeys(part["workstream"].fillna("")))}
            part = part.assign(_w=part["workstream"].fillna("").map(order)).sort_values("_w", kind="stable")
            rows = [
                {
                    "ref": ref_cell(ref, new, "Proposed to close" if closure == "Proposed to close" else ""),
                    "workstream": cell(ws, new),
                    "description": cell(desc, new),
                    "lead": cell(lead, new),
                    "due": cell(due, new),
                    "revised": cell(rev, new),
                    "status": self.shade(status),
                    "progress": cell(upd, new),
                }
                for ref, ws, desc, lead, due, rev, status, upd, new, closure in zip(
                    part["ref"],
                    part["workstream"],
                    part["description"],
                    part["lead"],
                    part["due_date_text"],
                    part["revised_due_date_text"],
                    part["status_c"],
                    part["progress_update"],
                    part["new"],
                    part["closure_c"],
                )
            ]
            n_new = int(part["new"].sum())
            sentence = f"{len(part)} open action{'s' if len(part) != 1 else ''}: {self.counts_text(part['status_c'])}."
            if n_new:
                sentence += f" {n_new} {'is' if n_new == 1 else 'are'} new this period (in red, marked New)."
            themes.append({"name": theme, "sentence": sentence, "rows": rows})
        total = len(df)
        intro = (
            f"{total} open action{'s' if total != 1 else ''} at the end of {clean(self.settings.period) or 'the period'}: "
            f"{self.counts_text(df['status_c'])}."
        )
        return {"themes": themes, "intro": intro}

    # ------------------------------------------------------------ theme summary

    def _previous_actions(self) -> pd.DataFrame | None:
        if self.prev is None:
            return None
        if not hasattr(self, "_prev_actions"):
            self._prev_actions = ContentPlan(self.prev, None).actions
        return self._prev_actions

    def _rollups(self):
        """(current, previous or None) roll-ups from :func:`ipxl.rollup`."""
        from ..analysis.rollup import rollup

        if not hasattr(self, "_rollup_pair"):
            self._rollup_pair = (rollup(self.wb), rollup(self.prev) if self.prev is not None else None)
        return self._rollup_pair

    def ctx_theme_summary(self, tpl) -> dict:
        from ..analysis.rollup import TOTAL

        now_r, prev_r = self._rollups()
        statuses = list(now_r.statuses)
        cur = self.actions[self.actions["open"]]
        in_period = self._in_period(self.actions["completion_date"])
        moves = self._movements()
        by_theme = now_r.by_theme
        before_theme = prev_r.by_theme if prev_r is not None else None
        order = list(by_theme.index) + [
            t for t in (before_theme.index if before_theme is not None else []) if t not in by_theme.index
        ]
        themes = []
        for theme in order:
            now = by_theme.loc[theme] if theme in by_theme.index else pd.Series(0, index=[*statuses, TOTAL])
            before = None
            if before_theme is not None:
                before = (
                    before_theme.loc[theme] if theme in before_theme.index else pd.Series(0, index=before_theme.columns)
                )
            counts = []
            for st in statuses:
                n = int(now.get(st, 0))
                bn = int(before.get(st, 0)) if before is not None else None
                sh = self.shade(st)
                counts.append(
                    {
                        "name": st,
                        "fill": sh.fill,
                        "word": sh.word,
                        "now": str(n),
                        "before": "not known" if bn is None else str(bn),
                        "change": "not known"
                        if bn is None
                        else (f"+{n - bn}" if n > bn else str(n - bn) if n < bn else "no change"),
                    }
                )
            part = cur[cur["theme_name"] == theme]
            all_rows = self.actions[self.actions["theme_name"] == theme]
            done = all_rows[(all_rows["status_c"] == "Complete") & in_period.reindex(all_rows.index, fill_value=False)]
            achievements = [
                {"ref": ref_cell(r, n), "description": cell(d, n), "completed": cell(c, n), "progress": cell(u, n)}
                for r, d, c, u, n in zip(
                    done["ref"], done["description"], done["completion_date"], done["progress_update"], done["new"]
                )
            ]
            issues_df = pd.concat([part[part["status_c"] == "Red"], part[part["status_c"] == "Amber"]])
            issues = [
                {
                    "ref": ref_cell(r, n),
                    "description": cell(d, n),
                    "status": self.shade(st),
                    "exception": cell(x or ("No exception reason given." if st == "Red" else ""), n),
                    "progress": cell(u, n),
                }
                for r, d, st, x, u, n in zip(
                    issues_df["ref"],
                    issues_df["description"],
                    issues_df["status_c"],
                    issues_df["exception_reason"],
                    issues_df["progress_update"],
                    issues_df["new"],
                )
            ]
            total = int(now.get(TOTAL, 0))
            counts_text = ", ".join(f"{c['now']} {c['name']}" for c in counts if c["now"] != "0") or "none"
            movement = moves.get(theme)
            themes.append(
                {
                    "name": theme,
                    "total": str(total),
                    "counts_text": counts_text,
                    "movement_text": movement or "not known (no previous period)",
                    "sentence": f"{total} open action{'s' if total != 1 else ''}: {counts_text}.",
                    "movement_sentence": f"Since the previous period: {movement}."
                    if movement
                    else "Movement since the previous period is not known (no previous workbook).",
                    "counts": counts,
                    "achievements": achievements,
                    "issues": issues,
                }
            )
        theme_charts = charts(tpl, themes, self)
        for t, chart in zip(themes, theme_charts):
            t["chart"] = chart
        total = int(now_r.totals.get(TOTAL, 0))
        overall = ", ".join(f"{int(now_r.totals.get(st, 0))} {st}" for st in statuses if now_r.totals.get(st, 0))
        intro = (
            f"{total} open action{'s' if total != 1 else ''} across {len(themes)} theme"
            f"{'s' if len(themes) != 1 else ''}: {overall or 'none'}."
        )
        if now_r.overdue:
            intro += f" {now_r.overdue} open action{'s are' if now_r.overdue != 1 else ' is'} past the due date."
        whole = moves.get(None)
        return {
            "themes": themes,
            "intro": intro,
            "movement_sentence": f"Since the previous period: {whole}."
            if whole
            else "Movement since the previous period is not known (no previous workbook).",
        }

    def _in_period(self, dates: pd.Series) -> pd.Series:
        st = self.settings
        ok = dates.notna()
        if st.period_start:
            ok &= dates >= pd.Timestamp(st.period_start)
        if st.period_end:
            ok &= dates <= pd.Timestamp(st.period_end)
        return ok

    def _movements(self) -> dict:
        """theme (None for all) -> 'N improved, N worsened, N unchanged, N new, N closed',
        from :func:`ipxl.analysis.changes.compare`."""
        result = self._compare()
        if result is None:
            return {}
        theme_of = dict(zip(self.actions["ref"].map(_ref_key), self.actions["theme_name"]))
        prev = self._previous_actions()
        if prev is not None:
            for r, t in zip(prev["ref"].map(_ref_key), prev["theme_name"]):
                theme_of.setdefault(r, t)
        kinds: list[tuple[str | None, str]] = []
        changed = set()
        for c in result.status_changes:
            kinds.append((theme_of.get(_ref_key(c["ref"])), c["direction"]))
            changed.add(_ref_key(c["ref"]))
        added = {_ref_key(c["ref"]) for c in result.added}
        for r in added:
            kinds.append((theme_of.get(r), "new"))
        for c in list(result.closed) + list(result.removed):
            kinds.append((theme_of.get(_ref_key(c["ref"])), "closed"))
        # unchanged: open in both, same status (compare counts these overall only)
        if prev is not None:
            cur_open = self.actions[self.actions["open"]]
            prev_refs = set(prev["ref"].map(_ref_key))
            for r, t in zip(cur_open["ref"].map(_ref_key), cur_open["theme_name"]):
                if r in prev_refs and r not in changed and r not in added:
                    kinds.append((t, "unchanged"))
        order = ("improved", "worsened", "moved", "unchanged", "new", "closed")

        def words(items):
            counts = {k: 0 for k in order}
            for _, k in items:
                counts[k] = counts.get(k, 0) + 1
            return ", ".join(f"{counts[k]} {k}" for k in order if k != "moved" or counts[k])

        out: dict = {None: words(kinds)}
        for theme in {t for t, _ in kinds}:
            out[theme] = words([k for k in kinds if k[0] == theme])
        return out

    # -------------------------------------------------------- statutory recs

    def _recommendations(self) -> pd.DataFrame:
        recs = self.wb.frame("recommendations").copy()
        recs["category_c"] = canonical_series(recs["category"], self.wb.lists.categories)
        return recs

    def _linked(self, rec_id: str, action_refs) -> pd.DataFrame:
        df = self.actions
        refs = [r for r in split_refs(action_refs) if r not in D.OUTSIDE_PLAN]
        by_rec = df["recommendations"].map(lambda v: rec_id in split_refs(v))
        direct = df["ref"].isin(refs) | by_rec
        roots = set(df.loc[direct, "ref"].dropna())
        child = df["ref"].map(lambda r: isinstance(r, str) and any(r.startswith(p + ".") for p in roots))
        return df[direct | child]

    def ctx_statutory_recommendations(self, tpl) -> dict:
        recs = self._recommendations()
        recs = recs[recs["category_c"] == "Statutory"]
        ms = self.wb.frame("milestones").copy()
        ms["status_c"] = canonical_series(ms["status"], self.wb.lists.milestone_statuses)
        out = []
        for rec_id, text, lead, action_refs in zip(
            recs["rec_id"], recs["recommendation"], recs["lead"], recs["action_refs"]
        ):
            linked = self._linked(clean(rec_id), action_refs)
            themes = []
            for theme in self.theme_order(list(self.themes.values()) + list(linked["theme_name"])):
                part = linked[linked["theme_name"] == theme]
                actions = [
                    {
                        "ref": ref_cell(r, n, "" if o else "Closed"),
                        "description": cell(d, n),
                        "status": self.shade(s),
                        "progress": cell(u, n),
                    }
                    for r, d, s, u, n, o in zip(
                        part["ref"],
                        part["description"],
                        part["status_c"],
                        part["progress_update"],
                        part["new"],
                        part["open"],
                    )
                ]
                new_refs = set(part.loc[part["new"], "ref"])
                mpart = ms[ms["ref"].isin(set(part["ref"]))]
                milestones = []
                for r, m, due, s, raw_s, done in zip(
                    mpart["ref"],
                    mpart["milestone"],
                    mpart["due_date"],
                    mpart["status_c"],
                    mpart["status"],
                    mpart["completed_date"],
                ):
                    n = r in new_refs
                    word = s or clean(raw_s) or "Not complete"
                    if word == "Complete" and clean(done):
                        word = f"Complete ({clean(done)})"
                    milestones.append(
                        {
                            "milestone": cell(m, n),
                            "ref": ref_cell(r, n),
                            "due": cell(due, n),
                            "status": rich((word, word.startswith("Complete")), colour=D.NEW_ROW_RED if n else None),
                        }
                    )
                n_done = sum(1 for s in mpart["status_c"] if s == "Complete")
                sentence = (
                    f"{len(part)} linked action{'s' if len(part) != 1 else ''}: {self.counts_text(part['status_c'])}."
                )
                if len(mpart):
                    sentence += f" {n_done} of {len(mpart)} milestone{'s' if len(mpart) != 1 else ''} complete."
                themes.append({"name": theme, "actions": actions, "milestones": milestones, "sentence": sentence})
            n_ms = int(ms["ref"].isin(set(linked["ref"])).sum())
            n_ms_done = int((ms["ref"].isin(set(linked["ref"])) & (ms["status_c"] == "Complete")).sum())
            sentence = (
                f"{len(linked)} linked action{'s' if len(linked) != 1 else ''}: {self.counts_text(linked['status_c'])}."
            )
            if n_ms:
                sentence += f" {n_ms_done} of {n_ms} milestones complete."
            out.append(
                {
                    "rec_id": clean(rec_id),
                    "recommendation": clean(text),
                    "lead": clean(lead) or NOT_GIVEN,
                    "sentence": sentence,
                    "themes": themes,
                }
            )
        intro = (
            f"Progress on the {len(out)} statutory recommendation{'s' if len(out) != 1 else ''}, "
            "by theme, with the milestones of the linked actions marked Complete or not."
        )
        return {"recs": out, "intro": intro}

    # ---------------------------------------------------------- review responses

    def ctx_review_responses(self, tpl) -> dict:
        recs = self._recommendations()
        first = self.actions.drop_duplicates("ref")
        by_ref = {
            r: (bool(n), u, ld)
            for r, n, u, ld in zip(first["ref"], first["new"], first["progress_update"], first["lead"])
        }
        known_reviews = list(self.wb.lists.reviews)
        recs["review_c"] = recs["review"].map(lambda v: clean(v) or "Other recommendations")
        recs["area_c"] = recs["area"].map(lambda v: clean(v) or "General")
        order = [r for r in known_reviews if r in set(recs["review_c"])] + [
            r for r in dict.fromkeys(recs["review_c"]) if r not in known_reviews
        ]
        reviews = []
        for review in order:
            part = recs[recs["review_c"] == review]
            areas = []
            for area in dict.fromkeys(part["area_c"]):
                rows = []
                for rec_id, text, response, action_refs, lead in part.loc[
                    part["area_c"] == area, ["rec_id", "recommendation", "response", "action_refs", "lead"]
                ].itertuples(index=False):
                    # As seed 000 lays it out: one row per action that answers the
                    # recommendation, each with its own update and Director / Lead. The
                    # number repeats on every row (no merged cells, and a screen reader
                    # reading a row alone still knows which recommendation it is); the
                    # recommendation text stands on its first row.
                    rec_lead = clean(lead) or NOT_GIVEN
                    for i, ref in enumerate(split_refs(action_refs) or [None]):
                        ref_rt, upd_rt = Rich(), Rich()
                        row_lead = rec_lead
                        if ref is None:
                            ref_rt.add("None")
                            upd_rt.add(clean(response) or NOT_GIVEN)
                        elif ref in D.OUTSIDE_PLAN or ref not in by_ref:
                            ref_rt.add(clean(ref))
                            upd_rt.add(
                                clean(response) or NOT_GIVEN
                                if ref in D.OUTSIDE_PLAN
                                else f"{clean(ref)} is not in the Actions sheet."
                            )
                        else:
                            new, progress, action_lead = by_ref[ref]
                            colour = D.NEW_ROW_RED if new else None
                            ref_rt.add(clean(ref), colour)
                            if new:
                                ref_rt.add(" " + NEW_WORD, colour, bold=True)
                            upd_rt.add(clean(progress) or "No update given.", colour)
                            row_lead = clean(action_lead) or rec_lead
                        rows.append(
                            {
                                "rec_id": cell(rec_id),
                                "recommendation": cell(text) if i == 0 else "",
                                "refs": ref_rt,
                                "progress": upd_rt,
                                "lead": cell(row_lead),
                            }
                        )
                areas.append({"name": area, "rows": rows})
            reviews.append({"name": review, "areas": areas})
        intro = (
            f"Each of the {len(recs)} external review recommendation{'s' if len(recs) != 1 else ''}, "
            "grouped by review and area, with the actions that answer it and their latest updates. "
            "Actions added this period are in red and marked New."
        )
        return {"reviews": reviews, "intro": intro}

    # ------------------------------------------------------------------ changes

    def _compare(self):
        if self._changes_result is None and self.prev is not None:
            from ..analysis.changes import compare

            self._changes_result = compare(self.prev, self.wb)
        return self._changes_result

    def ctx_changes(self, tpl) -> dict:
        ch = self.wb.frame("changes")
        ch = ch[self._in_period(ch["date"]) | ch["date"].isna()].sort_values("date", kind="stable")
        new_refs = set(self.actions.loc[self.actions["new"], "ref"])
        log = []
        for d, ref, kind, old, new_v, reason, appr in zip(
            ch["date"], ch["ref"], ch["change_type"], ch["old_value"], ch["new_value"], ch["reason"], ch["approved_by"]
        ):
            n = ref in new_refs
            log.append(
                {
                    "date": cell(d, n),
                    "ref": ref_cell(ref, n),
                    "change_type": cell(kind, n),
                    "old_value": cell(uk_date(old), n),
                    "new_value": cell(uk_date(new_v), n),
                    "reason": cell(reason, n),
                    "approved_by": cell(appr, n),
                }
            )
        result = self._compare()
        summary = [clean(s) for s in (getattr(result, "summary", None) or [])] if result is not None else []
        if result is None:
            summary = self._summary_from_log(ch)
        movements, note = self._status_moves(result)
        intro = (
            f"Changes made to the plan from {self._period_words()}, as recorded in the change log. "
            "Actions added this period are in red and marked New in the monitoring tool."
        )
        return {"summary": summary, "log": log, "movements": movements, "movements_note": note, "intro": intro}

    def _summary_from_log(self, ch: pd.DataFrame) -> list[str]:
        """Counts by change type, used only when no previous workbook is given."""
        counts = ch["change_type"].map(clean).value_counts()
        return [f"{int(n)} × {kind}" for kind, n in counts.items() if kind]

    def _status_moves(self, result) -> tuple[list, str]:
        if result is None:
            return [], "Status changes are not shown because no previous workbook was given."
        first = self.actions.drop_duplicates("ref")
        info = {_ref_key(r): (d, bool(n)) for r, d, n in zip(first["ref"], first["description"], first["new"])}
        rows = []
        for c in result.status_changes:
            desc, n = info.get(_ref_key(c["ref"]), ("", False))
            before, after = c.get("from"), c.get("to")
            rows.append(
                {
                    "ref": ref_cell(c["ref"], n),
                    "description": cell(desc, n),
                    "before": self.shade(before),
                    "after": self.shade(after),
                    "movement": cell(
                        f"{str(c['direction']).capitalize()}: {before or NOT_GIVEN} to {after or NOT_GIVEN}", n
                    ),
                }
            )
        return rows, "No action changed status since the previous period."

    # ------------------------------------------------------------ risk register

    def ctx_risk_register(self, tpl) -> dict:
        risks = self.wb.frame("risks")
        bands = self.wb.lists.score_bands
        band_shades = {b.rating: Shade(b.rating, hex6(b.colour), f"Scores {b.low} to {b.high}") for b in bands}
        ratings = canonical_series(risks["rating"], tuple(band_shades)) if len(risks) else risks["rating"]
        rows = []
        for ref, risk, cause, cons, owner, li, im, sc, rating, mit, tl, ti, direction in zip(
            risks["risk_ref"],
            risks["risk"],
            risks["cause"],
            risks["consequence"],
            risks["owner"],
            risks["likelihood"],
            risks["impact"],
            risks["score"],
            ratings,
            risks["mitigations"],
            risks["target_likelihood"],
            risks["target_impact"],
            risks["direction"],
        ):
            score = sc if pd.notna(sc) else (li * im if pd.notna(li) and pd.notna(im) else None)
            if not isinstance(rating, str) or not rating:
                rating = self.wb.lists.rating_for(score) if score is not None and pd.notna(score) else None
            sh = band_shades.get(rating) or Shade(rating or NOT_GIVEN, None)
            parts: list[str | tuple[str, bool]] = [clean(risk)]
            if clean(cause):
                parts.append(("\nCause: ", True))
                parts.append(clean(cause))
            if clean(cons):
                parts.append(("\nConsequence: ", True))
                parts.append(clean(cons))
            if pd.notna(tl) and pd.notna(ti):
                ts = tl * ti
                tr = self.wb.lists.rating_for(ts)
                target = f"{clean(tl)} × {clean(ti)} = {clean(ts)}" + (f" ({tr})" if tr else "")
            else:
                target = NOT_GIVEN
            rows.append(
                {
                    "ref": cell(ref),
                    "risk": rich(*parts),
                    "owner": cell(owner),
                    "likelihood": cell(li),
                    "impact": cell(im),
                    "score": cell(score),
                    "rating": sh,
                    "mitigations": cell(mit),
                    "target": cell(target),
                    "direction": cell(clean(direction) or NOT_GIVEN),
                }
            )
        intro = (
            f"{len(rows)} risk{'s' if len(rows) != 1 else ''} to the delivery of the plan. Score is likelihood "
            "times impact (each 1 to 5); the rating follows the score bands below. Target is the score "
            "expected once mitigations take effect."
        )
        return {"risks": rows, "bands": list(band_shades.values()), "intro": intro}
