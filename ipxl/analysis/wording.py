"""The committee's words for what changed: every sentence of the change summary
(:data:`WORDING`) and the order committee papers give them in (:func:`summarise`)."""

from __future__ import annotations

from typing import Protocol

from .. import defaults as D


class ChangeLists(Protocol):
    """What the summary is worded from: the lists :class:`ipxl.analysis.changes.Changes` holds."""

    timescale_changes: list[dict]
    added: list[dict]
    proposed_to_close: list[dict]
    closed: list[dict]
    removed: list[dict]
    lead_changes: list[dict]
    description_changes: list[dict]


CLOSED, BUSINESS_AS_USUAL = D.CLOSED_STATES

# ------------------------------------------------------------------------ wording

#: Every sentence of the change summary, in committee wording, as (singular, plural).
#: ``{n}`` is the count, ``{noun}`` the kind of action (from :data:`NOUNS`).
WORDING: dict[str, tuple[str, str]] = {
    "timescale": (
        "{n} change made to action delivery timescales",
        "{n} changes made to action delivery timescales",
    ),
    # Appended to the timescale sentence when some moves exceed three months;
    # ``{n}`` here is how many.
    "timescale_over": (" (with {n} being more than three months)", " (with {n} being more than three months)"),
    "timescale_only_one_over": (" (more than three months)", " (more than three months)"),
    "added": ("{n} {noun} has been added", "{n} {noun} have been added"),
    "proposed_to_close": ("{n} {noun} is proposed to be closed", "{n} {noun} are proposed to be closed"),
    # Appended to the main-action closure sentence when closures leave a workstream
    # with nothing open; ``{n}`` is how many of the closures do, ``{w}`` how many
    # workstreams close ("{w} workstream" or "{w} workstreams").
    "closes_workstream_only": (" (its closure will result in closure of the workstream)",) * 2,
    "closes_workstream": (
        " ({n} of these closures will result in closure of {w})",
        " ({n} of these closures will result in closure of {w})",
    ),
    # Committee papers word assurance-action closures more briefly.
    "proposed_to_close:Assurance action": ("{n} {noun} is proposed to close", "{n} {noun} are proposed to close"),
    "closed": ("{n} {noun} has been closed", "{n} {noun} have been closed"),
    "business_as_usual": (
        "{n} {noun} has moved to business as usual",
        "{n} {noun} have moved to business as usual",
    ),
    "removed": ("{n} {noun} has been removed from the plan", "{n} {noun} have been removed from the plan"),
    "delivery_lead": ("{n} change to delivery lead", "{n} changes to delivery lead"),
    "description": ("{n} change to action descriptions", "{n} changes to action descriptions"),
}
#: Said once, after the last "has been added" sentence: every added row is in red.
RED_MARKER = " (marked in red within the plan)"

#: How each type is named in sentences (singular, plural); other types are lower-cased.
NOUNS: dict[str, tuple[str, str]] = dict(
    zip(
        D.ACTION_TYPES,  # Action, Sub-action, Assurance action
        (("main action", "main actions"), ("sub-action", "sub-actions"), ("assurance action", "assurance actions")),
    )
)
#: Order of the added sentences, as committee papers list them.
ADDED_ORDER = (D.ACTION_TYPES[0], D.ACTION_TYPES[2], D.ACTION_TYPES[1])


def say(key: str, n: int, noun: str | None = None) -> str:
    """One sentence from :data:`WORDING`, singular or plural as ``n`` needs."""
    singular, plural = WORDING[key]
    template = singular if n == 1 else plural
    if noun is None:
        return template.format(n=n)
    one, many = NOUNS.get(noun, (noun.lower(), noun.lower() + "s"))
    return template.format(n=n, noun=one if n == 1 else many)


# ------------------------------------------------------------------------ summary


def summarise(changes: ChangeLists) -> list[str]:
    """The committee's summary sentences, in the order committee papers give them.
    A kind of change that did not happen is not mentioned."""
    out: list[str] = []
    n = len(changes.timescale_changes)
    if n:
        over = sum(c["over_three_months"] for c in changes.timescale_changes)
        s = say("timescale", n)
        if over:
            s += say("timescale_only_one_over", 1) if n == over == 1 else say("timescale_over", over)
        out.append(s)

    added = _count_by_type(changes.added)
    said = [say("added", added[t], t) for t in _ordered(added, ADDED_ORDER)]
    if said:
        said[-1] += RED_MARKER
    out += said

    proposed = _count_by_type(changes.proposed_to_close)
    for t in _ordered(proposed, D.ACTION_TYPES):
        key = f"proposed_to_close:{t}" if f"proposed_to_close:{t}" in WORDING else "proposed_to_close"
        sentence = say(key, proposed[t], t)
        if t == D.ACTION_TYPES[0]:
            closing = [
                c["closes_workstream"]
                for c in changes.proposed_to_close
                if c["type"] == t and c.get("closes_workstream")
            ]
            if closing and len(closing) == proposed[t] == 1:
                sentence += say("closes_workstream_only", 1)
            elif closing:
                w = len(set(closing))
                sentence += WORDING["closes_workstream"][0].format(
                    n=len(closing), w=f"{w} workstream" if w == 1 else f"{w} workstreams"
                )
        out.append(sentence)
    for state, key in ((CLOSED, "closed"), (BUSINESS_AS_USUAL, "business_as_usual")):
        counts = _count_by_type([c for c in changes.closed if c["closure"] == state])
        out += [say(key, counts[t], t) for t in _ordered(counts, D.ACTION_TYPES)]
    removed = _count_by_type(changes.removed)
    out += [say("removed", removed[t], t) for t in _ordered(removed, D.ACTION_TYPES)]

    # Committee papers count every change of lead as a change "to delivery lead",
    # whichever lead column changed; an action whose two leads both changed is one.
    leads = len({c["ref"] for c in changes.lead_changes})
    if leads:
        out.append(say("delivery_lead", leads))
    if changes.description_changes:
        out.append(say("description", len(changes.description_changes)))
    return out


# ----------------------------------------------------------------------- movement

#: Status movement since the previous period, worded once for every paper, web page
#: and the terminal: each kind as counted in a sentence ("8 worsened") ...
MOVEMENT_WORDS: dict[str, str] = {
    "improved": "improved",
    "worsened": "worsened",
    # changes to or from a status with no rank (Not started, On hold), said as what
    # happened to the action
    "started": "started",
    "resumed": "resumed",
    "put on hold": "put on hold",
    "moved": "moved to or from Not started or On hold",
    "unchanged": "unchanged",
    "new": "new",
    "closed": "closed",
}
#: ... and as a changed row's label ("Improved: Amber to Green").
MOVEMENT_LABELS: dict[str, str] = {
    "improved": "Improved",
    "worsened": "Worsened",
    "started": "Started",
    "resumed": "Resumed",
    "put on hold": "Put on hold",
    "moved": "Moved",
}
NOT_STARTED, ON_HOLD = "Not started", "On hold"


def movement_kind(direction: str, before: str | None, after: str | None) -> str:
    """What a change of status is called: ``improved`` or ``worsened`` between ranked
    statuses; otherwise what happened to the action: ``started`` (from Not started),
    ``put on hold``, ``resumed`` (from On hold), or ``moved``.

    >>> movement_kind("moved", "Not started", "Green"), movement_kind("moved", "Amber", "On hold")
    ('started', 'put on hold')
    """
    if direction != "moved":
        return direction
    if before == NOT_STARTED:
        return "started"
    if after == ON_HOLD:
        return "put on hold"
    if before == ON_HOLD:
        return "resumed"
    return "moved"


def movement_counts(counts: dict[str, int]) -> str:
    """``14 improved, 8 worsened, 67 unchanged and 8 new``: the kinds with none left
    out ("" when every count is 0).

    >>> movement_counts({"improved": 2, "worsened": 0, "started": 1, "unchanged": 5})
    '2 improved, 1 started and 5 unchanged'
    """
    words = [f"{n} {MOVEMENT_WORDS.get(k, k)}" for k, n in counts.items() if n]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def movement_label(direction: str, before: str | None, after: str | None, blank: str = "Not given") -> str:
    """A changed row's movement: ``Improved: Amber to Green``, ``Started: Not started to Green``."""
    kind = movement_kind(direction, before, after)
    return f"{MOVEMENT_LABELS.get(kind, kind.capitalize())}: {before or blank} to {after or blank}"


def _count_by_type(records: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        t = r["type"] if isinstance(r["type"], str) else D.ACTION_TYPES[0]
        counts[t] = counts.get(t, 0) + 1
    return counts


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> list[str]:
    return [t for t in order if t in counts] + sorted(t for t in counts if t not in order)
