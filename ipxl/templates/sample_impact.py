"""The sample plan's evidence of impact: each action's Best Value themes and
Confidence, and the Measures sheet, for October 2023 and July 2023.

The measures are the kind the council's letter to the Secretary of State (December
2023) cites as "evidence that these improvements are having a positive impact": the
employee engagement survey, Members' view of the Member-Officer relationship, the
"sustained improvements across responses to SARs, FOIs and Member enquiries", the
Member portal action plan ("70% of the actions have been completed"), the £1.6m of
savings from the asset base, the accounts signed off, the targets set for
performance metrics. Their values are plausible, not the council's published
figures. Six are marked as the commissioners' proxies for success.

Each action's Best Value theme follows its workstream (:data:`BY_WORKSTREAM`; some
serve two themes); its Confidence follows its status, apart from the actions where
the officers' confidence and the RAG part company (:data:`CONFIDENCE`): OC.B1.3 is
Red, as the training is later than planned, but the officers are confident it will
do its job.
"""

from __future__ import annotations

import datetime as dt

CI, LEAD, GOV, CULT = "Continuous Improvement", "Leadership", "Governance", "Culture"
RES, SERV, PART = "Use of Resources", "Service Delivery", "Partnerships and Community Engagement"

#: Workstream -> the Best Value themes its actions serve.
BY_WORKSTREAM: dict[str, str] = {
    "One Team Framework": CULT,
    "Member Development": LEAD,
    "Officer and Member Relationships": f"{CULT}; {LEAD}",
    "Governance Training and Development": GOV,
    "Officer Learning and Development": LEAD,
    "Internal Communications": CULT,
    "Oracle Fusion ERP": RES,
    "Continuous Improvement": CI,
    "Performance Management Framework": CI,
    "Finance Capacity": RES,
    "Financial Statements": f"{RES}; {GOV}",
    "Corporate Transformation": RES,
    "Customer Journey Programme": SERV,
    "Strategic Planning Framework": CI,
    "Commercial Strategy": RES,
    "Customer Journey": SERV,
    "Regeneration Strategy and Pipeline": PART,
    "Medium-Term Financial Planning": RES,
    "Equality, Diversity and Inclusion": CULT,
    "Procurement Strategy": RES,
    "Resident Engagement": PART,
    "Scrutiny": GOV,
    "Embedding Constitutional Changes": GOV,
    "Sandwell Leisure Trust": f"{SERV}; {PART}",
    "Waste contract": SERV,
    "SEND Transport": SERV,
    "New System Procurement": CI,
    "Corporate Asset Management": RES,
    "Lion Farm": GOV,
    "Sandwell Children's Trust": f"{PART}; {SERV}",
    "Early Help": PART,
    "Voluntary and Community Sector": PART,
    "Transitions": SERV,
    "Corporate Parenting": SERV,
}

#: An action's confidence by its status, where the officers give none of their own.
BY_STATUS: dict[str, str | None] = {
    "Complete": "High",
    "Green": "High",
    "Amber": "Medium",
    "Red": "Low",
    "On hold": "Low",
    "Not started": None,
}
#: Where the officers' confidence is not what the RAG suggests.
CONFIDENCE: dict[str, str] = {
    "OC.B1.3": "High",  # Red: the training is late, but booked, recorded and to run every year
    "CO.A1.10": "Medium",  # Green: go-live depends on data migration still to be tested
    "CO.E1.3": "Medium",  # Green: soft launch only in the Corporate Transformation Office
    "CO.D4.6": "Low",  # Amber: the timetable rests with the external auditor
    "PC.C1.1": "Medium",  # Red: the options appraisal is drafted
    "OC.B1.4": "Medium",
}


def tag(actions: list[dict]) -> None:
    """Give each action its Best Value theme and Confidence (in place)."""
    for a in actions:
        a["best_value"] = BY_WORKSTREAM.get(a["workstream"])
        a["confidence"] = CONFIDENCE.get(a["ref"], BY_STATUS.get(a["status"]))


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _m(ref, measure, theme, actions, baseline, baseline_date, target, target_date, latest, latest_date,
       better="Higher", evidence=None, proxy=False) -> dict:  # fmt: skip
    return {
        "measure_ref": ref,
        "measure": measure,
        "best_value": theme,
        "action_refs": actions,
        "baseline": baseline,
        "baseline_date": _d(baseline_date),
        "target": target,
        "target_date": _d(target_date),
        "latest": latest,
        "latest_date": _d(latest_date) if latest_date else None,
        "better_when": better,
        "evidence": evidence,
        "proxy": "Yes" if proxy else None,
    }


#: The Measures sheet at the end of October 2023.
MEASURES: list[dict] = [
    _m("M01", "Staff who say they understand the council's values and behaviours (%)", CULT, "OC.A1.2; OC.A1.5",
       58, "2022-10-31", 75, "2024-10-31", 71, "2023-10-13",
       evidence="Employee engagement survey 2023: headline results", proxy=True),
    _m("M02", "Members who rate the Member-Officer relationship as good (%)", f"{LEAD}; {CULT}", "OC.C4.2",
       48, "2022-11-30", 70, "2024-05-31", 66, "2023-09-30",
       evidence="Member-Officer relationship sessions, September 2023", proxy=True),
    _m("M03", "Subject access requests answered within the statutory time (%)", GOV, "CO.F5.4",
       54, "2022-03-31", 85, "2024-03-31", 88, "2023-09-30",
       evidence="Information governance performance report, Q2 2023/24", proxy=True),
    _m("M04", "Freedom of Information requests answered within 20 working days (%)", GOV, "CO.F5.4",
       71, "2022-03-31", 90, "2024-03-31", 92, "2023-09-30",
       evidence="Information governance performance report, Q2 2023/24"),
    _m("M05", "Member enquiries resolved within 10 working days (%)", SERV, "CO.F5.4",
       62, "2022-03-31", 90, "2024-03-31", 79, "2023-09-30",
       evidence="Customer Journey Programme performance report, Q2 2023/24", proxy=True),
    _m("M06", "Member portal action plan: actions complete (%)", SERV, "CO.F5.4",
       0, "2023-04-30", 100, "2024-03-31", 70, "2023-10-31", evidence="Member portal action plan, October 2023"),
    _m("M07", "Contact Centre calls answered (%)", SERV, "SD.B2.2",
       68, "2023-03-31", 85, "2024-03-31", 66, "2023-09-30",
       evidence="Contact Centre performance report, Q2 2023/24", proxy=True),
    _m("M08", "Savings from the asset base in 2023/24 (£m)", RES, "SD.D1.6",
       0, "2023-04-01", 1.6, "2024-03-31", 0.9, "2023-09-30"),
    _m("M09", "Statements of accounts awaiting the auditor's sign-off (years)", f"{RES}; {GOV}", "CO.D4.5; CO.D4.6",
       3, "2022-03-31", 0, "2025-03-31", 2, "2023-10-12", better="Lower",
       evidence="External auditor's opinion on the 2020/21 accounts, 12/10/2023", proxy=True),
    _m("M10", "Service areas whose business plan draws on an evidence bundle (%)", CI, "CO.B3.1; CO.G1.5.1",
       0, "2023-04-01", 100, "2024-03-31", 40, "2023-10-31", evidence="Business planning workshops tracker"),
    _m("M11", "Corporate performance measures with a target set (%)", CI, "CO.C1.8; CO.C1.9",
       35, "2023-03-31", 90, "2024-03-31", 92, "2023-09-30",
       evidence="Corporate performance report to Cabinet, Q2 2023/24"),
    _m("M12", "Key decisions on the Forward Plan 28 days ahead (%)", GOV, "DM.B1.2",
       84, "2023-03-31", 95, "2024-03-31", 84, "2023-09-30", evidence="Democratic Services decision audit"),
    _m("M13", "Partners signed up to the Tackling Poverty Plan (organisations)", PART, "PR.C1.2",
       0, "2023-03-31", 30, "2023-10-31", 30, "2023-10-05",
       evidence="Tackling Poverty Plan launch at the Cost of Living Summit, 5 October 2023"),
    _m("M14", "Tenants satisfied with the overall service (%)", f"{PART}; {SERV}", "SD.G1.2",
       68, "2023-09-30", 75, "2024-09-30", None, None, evidence="Tenant satisfaction measures survey 2023"),
    _m("M15", "Directorates with their leadership posts filled permanently (%)", LEAD, "CO.E1.4",
       60, "2023-03-31", 100, "2024-03-31", 80, "2023-09-30"),
]  # fmt: skip

#: How each measure stood at the end of July 2023, where it differs (M14 was not yet
#: set): its latest value and date.
PREVIOUS: dict[str, tuple[float | None, str | None]] = {
    "M01": (64, "2023-06-30"),
    "M02": (55, "2023-06-30"),
    "M03": (79, "2023-06-30"),
    "M04": (91, "2023-06-30"),
    "M05": (74, "2023-06-30"),
    "M06": (25, "2023-07-31"),
    "M07": (70, "2023-06-30"),
    "M08": (0.4, "2023-06-30"),
    "M09": (3, "2023-06-30"),
    "M10": (15, "2023-07-31"),
    "M11": (60, "2023-06-30"),
    "M12": (86, "2023-06-30"),
    "M13": (12, "2023-06-30"),
    "M15": (70, "2023-06-30"),
}


def measures() -> list[dict]:
    """The Measures sheet of October 2023."""
    return [dict(m) for m in MEASURES]


def previous_measures() -> list[dict]:
    """The Measures sheet of July 2023."""
    out = []
    for m in MEASURES:
        if m["measure_ref"] not in PREVIOUS:
            continue
        latest, when = PREVIOUS[m["measure_ref"]]
        # the evidence these two cite came in October
        evidence = None if m["measure_ref"] in ("M09", "M13") else m["evidence"]
        out.append({**m, "latest": latest, "latest_date": _d(when) if when else None, "evidence": evidence})
    return out
