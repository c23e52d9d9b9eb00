"""The bundled sample Improvement Plan, as plain Python data.

The facts come from Sandwell Council's public Improvement Plan papers (the refs, themes,
workstreams, Grant Thornton / LGA / CIPFA recommendations and the council's responses,
the statutory recommendations S1-S3, milestones, risks and the October 2023 change
summary). Records are dicts keyed by the canonical column keys of
:data:`ipxl.defaults.COLUMNS`; settings are keyed by :data:`ipxl.defaults.SETTINGS_KEYS`.

Two periods are provided so that change reports have something to compare:

* :func:`current_plan` -- October 2023 (1 August to 31 October 2023);
* :func:`previous_plan` -- July 2023 (1 May to 31 July 2023).

Between them, exactly the changes reported to committee in November 2023 happen:
3 timescale changes (1 by more than three months), 1 new assurance action, 7 new
sub-actions, 4 main actions and 3 assurance actions proposed to close, 3 delivery lead
changes, and several RAG movements.
"""

from __future__ import annotations

import copy
import datetime as dt

from ..defaults import APPENDIX_KINDS, DEFAULT_PACK, THEMES
from ..resources import GOVERNANCE_NAME, PREVIOUS_SAMPLE_NAME
from . import sample_impact, sample_report
from .governance import ALT_TEXT as GOVERNANCE_ALT


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


COUNCIL = "Sandwell Metropolitan Borough Council"

CURRENT_SETTINGS: dict[str, object] = {
    "council": COUNCIL,
    "plan_title": "Improvement Plan",
    "period": "October 2023",
    "period_start": _d("2023-08-01"),
    "period_end": _d("2023-10-31"),
    "previous_workbook": PREVIOUS_SAMPLE_NAME,
    "overall_risk": "Amber",
}

PREVIOUS_SETTINGS: dict[str, object] = {
    "council": COUNCIL,
    "plan_title": "Improvement Plan",
    "period": "July 2023",
    "period_start": _d("2023-05-01"),
    "period_end": _d("2023-07-31"),
    "previous_workbook": None,
}

#: The date Council agreed the single Improvement Plan: most actions date from it.
PLAN_AGREED = _d("2022-06-07")
#: Cabinet approved Phase 2 of the plan (responses to the 2022 follow-up reviews).
PHASE_2 = _d("2023-03-15")
LT_JUN = "Leadership Team 20/06/2023"
LT_SEP = "Leadership Team 19/09/2023"
LT_OCT = "Leadership Team 17/10/2023"
#: Leadership Team's approval of the October 2023 changes.
OCT_CHANGES = _d("2023-10-17")
SEP_CHANGES = _d("2023-09-19")

_TYPES = {"A": "Action", "S": "Sub-action", "AA": "Assurance action"}

# Director / Lead titles used in the papers.
CEX = "Chief Executive"
ACE = "Assistant Chief Executive"
DOF = "Director of Finance"
DLG = "Director of Law and Governance"
DCE = "Director of Children and Education"
DRG = "Director of Regeneration and Growth"
DBE = "Director of Borough Economy"
DASC = "Director of Adult Social Care"
ADC = "Assistant Director – Contracts, Projects, Strategy & Policy"
ADHR = "Assistant Director for HR & OD"
ADLA = "Assistant Director Legal & Assurance"
HFBP = "Head of Finance Business Partnering - Place"
SLSI = "Strategic Lead – Service Improvement"


def _a(
    ref: str,
    workstream: str,
    typ: str,
    description: str,
    lead: str,
    delivery_lead: str,
    due: dt.date | str,
    status: str,
    progress: str,
    exception: str = "",
    *,
    revised: dt.date | str | None = None,
    added: dt.date = PLAN_AGREED,
    done: dt.date | str | None = None,
    closure: str = "Open",
    achievement: str | None = None,
) -> dict:
    return {
        "ref": ref,
        "theme": THEMES[ref.split(".")[0]],
        "workstream": workstream,
        "type": _TYPES[typ],
        "description": description,
        "recommendations": None,  # filled from the Recommendations sheet below
        "lead": lead,
        "delivery_lead": delivery_lead,
        "due_date": _d(due) if isinstance(due, str) and due[:1].isdigit() else due,
        "revised_due_date": _d(revised) if isinstance(revised, str) else revised,
        "status": status,
        "progress_update": progress,
        "exception_reason": exception or None,
        "date_added": added,
        "completion_date": _d(done) if isinstance(done, str) else done,
        "closure": closure,
        "achievement": achievement,
    }


# ------------------------------------------------------------------ actions (current)

OTF = "One Team Framework"
MD = "Member Development"
OMR = "Officer and Member Relationships"
GTD = "Governance Training and Development"
ERP = "Oracle Fusion ERP"
CT = "Corporate Transformation"
MTFP = "Medium-Term Financial Planning"
SCT = "Sandwell Children's Trust"
SLT = "Sandwell Leisure Trust"

_ACTIONS: list[dict] = [
    # --- Organisational Culture
    _a("OC.A1.1", OTF, "A", "Approve the One Team Framework setting out the council's values and behaviours ('Our Values: Our Behaviours').",
       ADHR, "Learning & OD Manager", "2023-03-31", "Complete",
       "One Team Framework approved in March 2023 following extensive engagement with the workforce. Values and behaviours launched.",
       done="2023-03-15"),
    _a("OC.A1.2", OTF, "A", "Roll out the One Team Framework through manager events and embed the values and behaviours in recruitment, induction and training.",
       ADHR, "Learning & OD Manager", "2024-03-31", "Green",
       "Managers came together with Senior Leaders over the summer to commit to embedding the framework; values and behaviours are now part of induction, recruitment and core management training."),
    _a("OC.A1.3", OTF, "A", "Workforce Strategy approved by Cabinet, setting out priorities for recruitment, retention, succession planning and hybrid working.",
       ADHR, "Learning & OD Manager", "2024-03-31", "Green",
       "Draft Workforce Strategy with Directors for final consultation; on the Cabinet forward plan for 13 March 2024."),
    _a("OC.A1.4", OTF, "A", "Refresh the Employee Performance Review process to reflect the One Team Framework.",
       ADHR, "Learning & OD Manager", "2024-04-30", "Green",
       "Proposal for a new approach to Employee Performance Review presented to Trade Unions; launch planned for the 2024-25 review cycle."),
    _a("OC.A1.5", OTF, "AA", "Assurance action: annual employee engagement survey results reported to Leadership Team to test how the values and behaviours are embedding.",
       ADHR, "Learning & OD Manager", "Ongoing", "Green",
       "Autumn 2023 employee engagement survey conducted to follow on from the 2022 survey; staff groups are exploring the results."),
    _a("OC.B1.1", MD, "A", "Member Development Programme (MDP) approved and delivered, including new Member induction.",
       DLG, "Democratic and Member Services Manager", "2023-03-31", "Complete",
       "MDP approved by Ethical Standards and Member Development Committee; new Member induction delivered and Member Handbook created for 2023-24.",
       done="2023-03-28"),
    _a("OC.B1.2", MD, "A", "New Member survey conducted and any required amendments made to the Member Development Programme and New Member Induction programme.",
       DLG, "Member Development Officer", "2023-12-31", "Amber",
       "Lower than expected return rate for the New Member survey means results cannot be relied upon. Members complete an evaluation after each training session; this, with findings from face-to-face sessions on the Member-Officer relationship and LGA engagement, will inform the Autumn review of the MDP starting in November.",
       "Survey return rate too low to rely on; the MDP review will use session evaluations instead and starts in November."),
    _a("OC.B1.3", MD, "A", "Deliver Directorships and Trusteeships training for Members and officers appointed to outside bodies.",
       DLG, "Democratic and Member Services Manager", "2023-07-31", "Red",
       "Training carried out on 31 October 2023: 20 Members attended along with 5 officers, the offer having been extended to officers with council appointments to boards. The session was recorded and will be made available for others to view; the training will be delivered annually.",
       "Training date is later than the originally intended date of July 2023."),
    _a("OC.B1.4", MD, "A", "Redesign Member induction arrangements for the May 2024 intake.",
       DLG, "Member Development Officer", "2024-05-31", "Not started",
       "Planning starts in January 2024, informed by the Autumn review of the MDP."),
    _a("OC.C4.1", OMR, "A", "Meeting structures to support Senior Leadership (officers and Members) cross-working, adopting a no surprises principle.",
       DLG, ADLA, "2022-09-30", "Complete",
       "Regular meetings between portfolio holders and Directors, and weekly meetings between SLT, the Leader and Cabinet, are in place and meeting needs.",
       done="2022-09-30"),
    _a("OC.C4.2", OMR, "AA", "Assurance action: Member and officer surveys test the health and maturity of the Member-Officer relationship.",
       DLG, ADLA, "Ongoing", "Green",
       "Members' perspectives on the Member-Officer relationship gathered through face-to-face sessions; results inform continuous improvement."),
    _a("OC.D1.1", GTD, "A", "Corporate Governance Training Programme on effective decision-making, good governance and revised contract procedure rules.",
       DLG, ADLA, "2023-03-31", "Complete",
       "Programme commenced September 2022 and the approach to the next phase has been agreed.",
       done="2023-03-31"),
    _a("OC.D1.2", GTD, "A", "Broader scenario-based learning across finance, procurement and governance.",
       DLG, ADLA, "2024-03-31", "Amber",
       "Officers involved in pulling together training across finance, procurement and governance have undergone significant changes of personnel. Next step is to bring a new project team together to agree training detail and diarise sessions.",
       "Amber rating reflects the need to bring the project group together and progress the planning."),
    _a("OC.D1.3", GTD, "A", "Decision making training for key decision makers, including scenario-based learning on procurement and financial regulations.",
       DLG, ADLA, "2023-10-31", "Complete",
       "23 attendees completed decision making training in October; training material and guidance are available to all staff on the intranet.",
       done="2023-10-19"),
    _a("OC.D2.1", "Officer Learning and Development", "A", "Senior Leadership Development programme.",
       ADHR, "Learning & OD Manager", "2024-03-31", "On hold",
       "On hold pending the restructure of senior levels approved by Full Council on 24 October 2023."),
    _a("OC.E2.7", "Internal Communications", "A", "Review the social media policy and guidance for senior officers in public roles.",
       ACE, "Comms and Corporate Affairs Manager", "2023-09-30", "Complete",
       "Social media policy completed with the engagement and support of Trade Unions.",
       added=PHASE_2, done="2023-09-12", achievement="Social media policy completed with engagement and support of Trade Unions."),
    _a("OC.E2.8", "Internal Communications", "A", "Protocol and guidance for working with local MPs so that they are appropriately informed.",
       ACE, "Comms and Corporate Affairs Manager", "2024-03-31", "Green",
       "Communications and Public Health drafting a protocol for sharing information with local MPs; draft to Leadership Team in the new year.",
       added=_d("2023-06-20")),
    # --- Corporate Oversight
    _a("CO.A1.8", ERP, "A", "Oracle Fusion implementation: exit from the modelling phase (Gateway 2).",
       DOF, "Oracle Fusion Programme Manager", "2023-09-30", "Complete",
       "Gateway 2 exit from the Modelling phase approved for HR and Payroll; system configuration for Finance, Procurement and EPM complete.",
       done="2023-09-14",
       achievement="Oracle Fusion approval for Gateway 2 exit from the Modelling phase for HR and Payroll; system configuration for Finance, Procurement and EPM complete."),
    _a("CO.A1.9", ERP, "A", "Procure a new support provider to deliver Oracle Fusion.",
       DOF, "Oracle Fusion Programme Manager", "2022-12-31", "Complete",
       "Support provider in place and implementation commenced.", done="2022-11-30"),
    _a("CO.A1.10", ERP, "A", "Oracle Fusion go-live.",
       DOF, "Oracle Fusion Programme Manager", "2024-04-01", "Green",
       "Realisation phase under way with data migration and systems integration testing scheduled. Project management and governance arrangements in place; go-live July 2024.",
       revised=_d("2024-07-01")),
    _a("CO.A1.11", ERP, "A", "Define the financial and non-financial benefits of Oracle Fusion, with benefit owners and tracking in place.",
       DOF, "Oracle Fusion Programme Manager", "2024-07-31", "Green",
       "Benefit rationalisation under way across the programme workstreams; working group with Heads of Service progressing financial benefits."),
    _a("CO.B3.1", "Continuous Improvement", "A", "Develop a Continuous Improvement Framework.",
       ACE, SLSI, "2024-03-31", "Amber",
       "Service planning approach developed to build corporate agendas and improvement areas into business planning, with an evidence bundle of performance, resident feedback, internal audit and risk. Business planning workshops scheduled for November and December 2023.",
       "Approach will be reviewed in early 2024 after the workshops, later than planned."),
    _a("CO.B3.2", "Continuous Improvement", "A", "Lessons learnt framework setting out corporate guidance for conducting transparent lessons learnt reviews with key stakeholders.",
       ACE, SLSI, "2024-01-31", "Green",
       "Draft framework prepared drawing on the SEND Transport and Asset Management System lessons learnt reviews.",
       added=PHASE_2),
    _a("CO.B3.3", "Continuous Improvement", "AA", "Assurance action: monitor the SEND Transport lessons learnt action plan and share the learning with Wider Leadership Team.",
       ACE, SLSI, "Quarterly", "Complete",
       "SEND Transport lessons learnt completed and shared with Wider Leadership Team; action plan delivered.",
       done="2023-07-25", closure="Proposed to close"),
    _a("CO.C1.7", "Performance Management Framework", "A", "Q4 SCT contract report includes an overview of invest to save activity.",
       ACE, "Corporate Performance Lead", "2023-06-30", "Complete",
       "Q4 SCT contract report included the invest to save overview.", added=PHASE_2, done="2023-06-28"),
    _a("CO.C1.8", "Performance Management Framework", "A", "Corporate Performance Team in place to resolve KPI data gaps.",
       ACE, "Corporate Performance Lead", "2023-03-31", "Complete",
       "Corporate Performance Management resources in place from February 2023.", done="2023-02-27"),
    _a("CO.C1.9", "Performance Management Framework", "AA", "Assurance action: quarterly corporate performance reports to Leadership Team, Cabinet and Budget and Corporate Scrutiny Management Board.",
       ACE, "Corporate Performance Lead", "Quarterly", "Green",
       "Q1 monitoring reported to Leadership Team, Scrutiny and Cabinet; data for the Q2 report being collated."),
    _a("CO.C2.6", "Performance Management Framework", "A", "Use financial benchmarking tools (LG Futures) to support budget planning.",
       DOF, HFBP, "2023-07-31", "Complete",
       "Benchmarking used in budget planning and as part of the refresh of the MTFS.", added=PHASE_2, done="2023-07-14"),
    _a("CO.D1.3", "Finance Capacity", "A", "Review finance team capacity, capability and training needs and formulate a new finance structure.",
       DOF, HFBP, "2023-12-31", "Green",
       "Skills survey of finance staff complete; proposed structure being formulated."),
    _a("CO.D1.4", "Finance Capacity", "A", "Launch the new finance structure and recruit to key finance roles.",
       DOF, HFBP, "2024-06-30", "Not started", "Follows agreement of the proposed structure."),
    _a("CO.D4.5", "Financial Statements", "A", "2020/21 statement of accounts signed off by the external auditor.",
       DOF, HFBP, "2023-10-31", "Complete",
       "2020/21 accounts signed off by the external auditor with no qualifications.",
       done="2023-10-12", closure="Proposed to close",
       achievement="2020/21 accounts signed off by the external auditor with no qualifications."),
    _a("CO.D4.6", "Financial Statements", "A", "Agree a clear timetable with the external auditor for approval of the 2021/22 accounts.",
       DOF, HFBP, "2023-12-31", "Amber",
       "Draft 2021/22 accounts prepared; timetable under discussion with the external auditor.",
       "Dependent on the external auditor's resourcing; timetable not yet confirmed."),
    _a("CO.E1.1", CT, "A", "Establish the Corporate Transformation Office and an agreed transformation framework.",
       DOF, "Corporate Transformation Manager", "2023-01-31", "Complete",
       "Corporate Transformation Office established and transformation framework in place.", done="2023-01-31"),
    _a("CO.E1.2", CT, "A", "Establish a Corporate PMO aligned to the Corporate Transformation Office, with support from Local Partnerships.",
       DOF, "Corporate Transformation Manager", "2024-03-31", "Amber",
       "Scope agreed with Local Partnerships; skills audit under way to consolidate resources.",
       "Skills audit and consolidation of resources taking longer than planned; recruitment may be needed."),
    _a("CO.E1.3", CT, "A", "Implement Verto project management software across the Corporate Transformation Office and directorates.",
       DOF, "Programme Manager – Corporate Transformation Office", "2024-02-29", "Green",
       "Verto user acceptance testing complete; soft launch in the Corporate Transformation Office in December."),
    _a("CO.E1.4", CT, "A", "Directorate level restructuring and review of spans and layers.",
       CEX, ADHR, "2024-03-31", "On hold",
       "Senior Leadership Team structure approved at Full Council on 24/10/23; analysis of spans and layers to be discussed by senior officers in November 2023."),
    _a("CO.E1.5", CT, "AA", "Assurance action: reports presented to Leadership Team on a bimonthly basis on the commissioning of consultants through the Consultancy Approval Panel.",
       DOF, "Corporate Transformation Manager", "Ongoing", "Green",
       "Consultancy Approval Panel oversees all requests for external commissions; bimonthly updates to Leadership Team."),
    _a("CO.F5.4", "Customer Journey Programme", "A", "Continued oversight of Member casework and enquiry management within the Customer Journey Programme.",
       DRG, "Strategic Improvement Manager", "2024-03-31", "Green",
       "Casework management included in the Customer Journey workstream plan; Members involved through scrutiny of the programme.",
       added=PHASE_2),
    _a("CO.F5.5", "Customer Journey Programme", "A", "Capture customer satisfaction metrics at the One Stop Shop, Community Hubs, Contact Centre and on MySandwell.",
       DRG, "Strategic Improvement Manager", "2024-03-31", "Green",
       "Satisfaction metrics captured at the One Stop Shop and Contact Centre; MySandwell metrics in development.",
       added=PHASE_2),
    _a("CO.G1.4", "Strategic Planning Framework", "A", "Directorate Business Plans 2023-2026 finalised.",
       ACE, SLSI, "2023-05-31", "Complete", "Directorate Business Plans 2023-2026 finalised.", done="2023-05-24"),
    _a("CO.G1.5", "Strategic Planning Framework", "A", "Embed the 'golden thread' from the Corporate Plan to individual performance objectives.",
       ACE, SLSI, "2024-03-31", "Green",
       "Vision 2030 refresh and service planning pilot under way; appraisal refresh to reflect the One Team Framework."),
    _a("CO.G1.5.1", "Strategic Planning Framework", "S", "Pilot an approach to service planning and reflect on lessons learnt.",
       ACE, SLSI, "2023-12-31", "Green",
       "Pilot service plans completed in two directorates; lessons learnt being collated.", added=PHASE_2),
    _a("CO.G1.5.2", "Strategic Planning Framework", "S", "Service planning and performance handbook setting out 'how we do things here'.",
       ACE, SLSI, "2024-03-31", "Not started", "Starts once the service planning pilot concludes.", added=PHASE_2),
    # --- Strategic Direction
    _a("SD.A5.1", "Commercial Strategy", "A", "Commercial Strategy approved by Cabinet.",
       DOF, "Corporate Transformation Manager", "2023-03-31", "Complete",
       "Commercial Strategy approved in March 2023; business case documentation for the MTFS enhanced and fees and charges revised.",
       done="2023-03-22", closure="Proposed to close"),
    _a("SD.B2.1", "Customer Journey", "A", "Customer Journey Programme board established with terms of reference and workstream leads.",
       DRG, "Strategic Improvement Manager", "2023-02-28", "Complete",
       "Programme board in place; Director of Regeneration and Growth is Senior Responsible Officer.", done="2023-02-28"),
    _a("SD.B2.2", "Customer Journey", "A", "Customer Journey Strategy: customer engagement and customer experience strategy.",
       DRG, "Strategic Improvement Manager", "2023-12-31", "Red",
       "Customer engagement sessions need to take place but due to resourcing issues an external partner will be required. The Director of Finance and the Assistant Chief Executive have agreed funding for external support to produce the Customer Engagement Strategy. Specification work has commenced but is at an early stage.",
       "There is a need to procure a delivery partner and delivery will take a longer time period than was originally planned.",
       revised=_d("2024-06-30")),
    _a("SD.C1.1", "Regeneration Strategy and Pipeline", "A", "Regeneration Strategy and Pipeline approved, with six-monthly monitoring to Cabinet.",
       DRG, "Regeneration Programme Manager", "2023-07-31", "Complete",
       "Pipeline six-monthly update presented to Cabinet in July 2023.", done="2023-07-19"),
    _a("SD.C1.2", "Regeneration Strategy and Pipeline", "A", "Procure a strategic delivery partner for the regeneration pipeline.",
       DRG, "Regeneration Programme Manager", "2024-06-30", "Green",
       "Cabinet approved the procurement of a strategic delivery partner in July 2023; report returns to Cabinet once procurement concludes."),
    _a("SD.D1.3", MTFP, "A", "Leadership Team agree clear medium-term financial objectives and principles for financial planning.",
       DOF, HFBP, "2022-11-30", "Complete",
       "Medium Term Financial Strategy agreed by Cabinet in November 2022, setting out financial objectives and principles.", done="2022-11-16"),
    _a("SD.D1.4", MTFP, "A", "Refresh the MTFS/MTFP and Capital Strategy each year, reported to Cabinet in the autumn and in February.",
       DOF, HFBP, "2024-02-29", "Green",
       "MTFS refresh under way for the autumn Cabinet report; Capital Strategy to be published with the February budget."),
    _a("SD.D1.5", MTFP, "A", "Star Chamber meetings scrutinise each directorate's delivery of savings and new savings proposals.",
       DOF, HFBP, "2023-10-31", "Complete",
       "Star Chamber meetings held across the summer; a suite of savings options formulated to balance the 2024/25 budget.", done="2023-09-29"),
    _a("SD.D1.6", MTFP, "AA", "Assurance action: delivery of asset rationalisation savings monitored monthly and reported to Leadership Team and Cabinet.",
       DOF, HFBP, "Monthly", "Green",
       "Outstanding savings reported monthly to Leadership Team and quarterly to Cabinet."),
    _a("SD.E1.1", "Equality, Diversity and Inclusion", "A", "Equality objectives approved.",
       ACE, "Equalities Lead", "2023-09-30", "Complete", "Equality objectives approved by Cabinet in September 2023.",
       done="2023-09-20"),
    _a("SD.E1.2", "Equality, Diversity and Inclusion", "A", "EDI audit and new Equality, Diversity and Inclusion Strategy.",
       ACE, "Equalities Lead", "2024-06-30", "Green",
       "EDI draft audit presented to Leadership Team; strategy development to follow."),
    _a("SD.F1.1", "Procurement Strategy", "A", "Refresh the Corporate Procurement Strategy and its action plan.",
       DOF, "Head of Procurement", "2023-10-31", "Complete",
       "Corporate Procurement Strategy action plan finalised and refreshed strategy approved.", done="2023-10-04"),
    _a("SD.G1.1", "Resident Engagement", "A", "Procure a consultant to deliver the regular residents' survey, budget consultation and Citizen Space.",
       ACE, SLSI, "2023-06-30", "Complete", "Regular resident survey in place; 2023 surveys under way.",
       added=PHASE_2, done="2023-06-30"),
    _a("SD.G1.2", "Resident Engagement", "A", "Consultation and Engagement Framework and corporate standards produced.",
       ACE, SLSI, "2024-03-31", "Green",
       "Corporate Consultation and Engagement Working Group developing corporate standards.", added=PHASE_2),
    # --- Decision Making
    _a("DM.A1.1", "Scrutiny", "A", "Review of scrutiny arrangements.",
       DLG, "Democratic and Member Services Manager", "2022-09-30", "Complete", "Review complete.", done="2022-09-30"),
    _a("DM.A1.2", "Scrutiny", "A", "Approval of any changes to scrutiny (if required following the review).",
       DLG, "Democratic and Member Services Manager", "2022-12-31", "Complete", "Changes approved by Council.", done="2022-12-07"),
    _a("DM.A1.3", "Scrutiny", "A", "Scrutiny work planning event.",
       DLG, "Democratic and Member Services Manager", "2023-06-30", "Complete", "Work planning event held.", done="2023-06-15"),
    _a("DM.A1.4", "Scrutiny", "A", "Scrutiny Committees' Annual Report presented to Council.",
       DLG, "Democratic and Member Services Manager", "2023-10-31", "Complete",
       "Scrutiny Committees' Annual Report presented to Council on 24 October 2023.",
       done="2023-10-24", closure="Proposed to close",
       achievement="Scrutiny Committees' Annual Report presented to Council on 24 October 2023."),
    _a("DM.A1.5", "Scrutiny", "AA", "Assurance action: scrutiny work programmes reviewed against the Improvement Plan each quarter.",
       DLG, "Democratic and Member Services Manager", "Quarterly", "Complete",
       "Improvement Plan progress is a standing item on the Budget and Corporate Scrutiny Management Board work programme.",
       done="2023-10-17", closure="Proposed to close"),
    _a("DM.B1.1", "Embedding Constitutional Changes", "A", "Governance Review Phase 2: agree project plans for embedding each change to the Constitution.",
       DLG, ADLA, "2023-12-31", "Green",
       "Phase 2 of the Corporate Governance Review under way; revised templates and guidance in use for key decisions."),
    _a("DM.B1.2", "Embedding Constitutional Changes", "A", "Review adherence to process and the quality of recording of delegated decisions during the 2023-24 municipal year.",
       DLG, ADLA, "2024-05-31", "Green", "Quality assurance checks in place; review scheduled for the spring."),
    _a("DM.B1.3", "Embedding Constitutional Changes", "A", "Final decision on the Cox reports.",
       DLG, ADLA, "2023-01-31", "Complete", "Final decision made by the Leader.", done="2023-01-26", closure="Closed"),
    # --- Procurement and Commercial
    _a("PC.A1.3", SLT, "A", "Sandwell Leisure Trust plan for a subsidy-free position, including eliminating forecast losses at the Aquatics Centre.",
       ADC, "Contracts Manager – Leisure", "2024-03-31", "Green",
       "Supplementary agreement reached to extend SLT's operation of leisure centres to 31 March 2027 with an enhanced contract management regime."),
    _a("PC.A1.4", SLT, "A", "Termination notice for the SLT contract approved by Cabinet.",
       ADC, "Contracts Manager – Leisure", "2022-10-31", "Complete", "Approved by Cabinet.", done="2022-10-19"),
    _a("PC.A1.5", SLT, "A", "Sandwell Aquatics Centre handed over to Sandwell Leisure Trust.",
       ADC, "Contracts Manager – Leisure", "2023-07-31", "Complete",
       "Handover took place as scheduled on 13 July; open to the public 24 July.", added=PHASE_2, done="2023-07-13"),
    _a("PC.A1.6", SLT, "AA", "Assurance action: monitor SLT's operational and financial performance against its 2023/24 contractual targets.",
       ADC, "Contracts Manager – Leisure", "Quarterly", "Green",
       "Quarterly corporate reporting through the PMF continues."),
    _a("PC.A5.1", "Waste contract", "A", "Waste and Recycling Recovery Plan implementation.",
       DBE, "Waste Contract Manager", "2022-12-31", "Complete", "Recovery plan implemented.", done="2022-12-16"),
    _a("PC.A5.2", "Waste contract", "A", "Revised contract governance arrangements in place for the Serco contract, with performance reporting embedded in the PMF.",
       DBE, "Waste Contract Manager", "2023-03-31", "Complete",
       "Contract monitoring framework embedded in PMF reporting; review of the contract complete.", done="2023-03-31"),
    _a("PC.A5.3", "Waste contract", "A", "Conclude the fleet review with Serco through the monthly Fleet Steering Group.",
       ADC, "Fleet Manager", "2024-03-31", "Green",
       "Monthly Fleet Steering Group taking place; priority fleet vehicles received and in service."),
    _a("PC.A5.4", "Waste contract", "A", "Specification for a new integrated Fleet Management System as part of the Corporate Fleet Review.",
       ADC, "Fleet Manager", "2024-06-30", "Not started", "Starts when the fleet review concludes."),
    _a("PC.A5.5", "Waste contract", "A", "Business Continuity Plan drafted with Serco capturing lessons learned to mitigate the risk of industrial action.",
       ADC, "Waste Contract Manager", "2023-12-31", "Amber",
       "Industrial action took place during the quarter; lessons learned being captured with Serco.",
       "Plan to be finalised once the industrial action settlement is agreed."),
    _a("PC.A5.6", "Waste contract", "AA", "Assurance action: industrial relations a standing agenda item at monthly Senior Management Meetings with Serco.",
       ADC, "Waste Contract Manager", "Monthly", "Green",
       "Senior Management Meetings and Partnership Board meetings proceeding as scheduled."),
    _a("PC.B3.5", "SEND Transport", "A", "SEND Transport procurement published.",
       DCE, "AD Education Support Services", "2023-01-31", "Complete", "Procurement published.", done="2023-01-20"),
    _a("PC.B3.6", "SEND Transport", "A", "SEND Transport programme board and operational group established to oversee the SEND 3 programme.",
       DCE, "AD Education Support Services", "2023-12-31", "Green",
       "Project team members identified and launch meeting scheduled; directorate representatives confirmed and terms of reference being finalised."),
    _a("PC.B3.7", "SEND Transport", "AA", "Assurance action: check the MTFS Autumn update shows how SEND Transport costs are built into the future programme.",
       DCE, "AD Education Support Services", "Quarterly", "Green",
       "Costing model being used to monitor the cost per passenger."),
    _a("PC.C1.1", "New System Procurement", "A", "Performance Management System: options appraisal and business case.",
       ACE, "Corporate Performance Lead", "2023-09-30", "Red",
       "A performance management system is being explored to support business intelligence and reporting within the performance management framework. The final system demo was held in August; the options appraisal and business case are being finalised, with further engagement with service areas to refine requirements.",
       "The original timescales to bring forward an options appraisal have been pushed back due to supplier availability for system demos.",
       revised=_d("2023-11-30")),
    _a("PC.D1.1", "Corporate Asset Management", "A", "Corporate Asset Management Strategy approved by Cabinet.",
       DRG, "Asset Management Lead", "2022-11-30", "Complete",
       "Strategy approved by Cabinet in November 2022, including a review of 140 surplus assets.",
       done="2022-11-16", closure="Closed"),
    _a("PC.D1.2", "Corporate Asset Management", "A", "Phase 2 of the Tech Forge asset management system implementation.",
       DRG, "Asset Management Lead", "2023-09-30", "Complete",
       "Phase 2 Tech Forge implementation complete; project closedown exercise details the workstreams that become business as usual.",
       done="2023-09-29", closure="Proposed to close",
       achievement="Completion of Phase 2 of the Tech Forge Asset Management System implementation."),
    _a("PC.E1.1", "Lion Farm", "A", "Lion Farm: conclude the Expert Determination process.",
       DRG, "Asset Management Lead", "2023-05-31", "Complete",
       "Expert Determination process completed; removed from the plan and managed as business as usual.",
       done="2023-05-31", closure="Moved to business as usual"),
    # --- Partnerships and Relationships
    _a("PR.A1.8", SCT, "A", "Review of the SCT contract concludes.",
       DCE, "Commissioning Manager – Children's", "2023-01-31", "Complete",
       "Contract review presented to Cabinet; revised contract commenced April 2023.", done="2023-01-31"),
    _a("PR.A1.9", SCT, "A", "SCT KPIs (with accompanying tolerances) implemented.",
       DCE, "Commissioning Manager – Children's", "2023-10-31", "Amber",
       "KPIs and tolerances are under review by the DfE appointed independent chair of the SCT Improvement Board and in negotiation with the DCS and the Chief Executive of SCT.",
       "KPIs reopened by the DfE appointed chair; implementation moved to November 2023.",
       revised=_d("2023-11-30")),
    _a("PR.A1.10", SCT, "A", "SCT contract performance reporting embedded within the council's PMF.",
       DCE, "Commissioning Manager – Children's", "2023-04-30", "Complete",
       "Quarterly SCT contract report in the PMF.", done="2023-04-28"),
    _a("PR.A1.11", SCT, "AA", "Assurance action: area partnership working and system leadership with SCT, including Family Hubs.",
       DCE, "Early Help Strategic Lead", "Quarterly", "Green",
       "Family Hubs being embedded across Sandwell; partnership working recognised at the DfE review meetings."),
    _a("PR.A1.12", SCT, "AA", "Assurance action: SCT invest to save savings monitored quarterly.",
       DCE, "Commissioning Manager – Children's", "Quarterly", "Green",
       "Monitored through the Operational Partnership Board and quarterly contract reporting."),
    _a("PR.B1.1", "Early Help", "A", "Early Help Strategy approved and launched.",
       DCE, "Early Help Strategic Lead", "2022-11-30", "Complete", "Strategy approved and launched.", done="2022-11-30"),
    _a("PR.B1.2", "Early Help", "AA", "Assurance action: Early Help Strategy implementation reviewed at the Children and Families Strategic Partnership.",
       DCE, "Early Help Strategic Lead", "Quarterly", "Complete",
       "KPI dashboard and Early Help Action Plan in place; quarterly reporting through the PMF now business as usual.",
       done="2023-09-27", closure="Proposed to close"),
    _a("PR.C1.1", "Voluntary and Community Sector", "A", "Consultation on the VCS draft strategy.",
       ACE, "VCS Partnership Manager", "2023-12-31", "Amber",
       "Annual report on 2022/23 grants shared with the Leader, Cabinet Member for Communities and Chair of Budget & Corporate Scrutiny Management Board.",
       "Approach for wider VCS engagement still being developed."),
    _a("PR.C1.2", "Voluntary and Community Sector", "A", "Tackling Poverty Plan launched with local partners.",
       ACE, "VCS Partnership Manager", "2023-10-31", "Complete",
       "Second Cost of Living Summit involved 30 local partner organisations to launch the joint Tackling Poverty Plan.", done="2023-10-05"),
    _a("PR.D1.1", "Transitions", "A", "Review of the transition from children's to adults' services.",
       DASC, "Corporate Transformation Manager", "2024-03-31", "Green",
       "Benchmarking findings report complete and draft shared with the Corporate Transformation Manager."),
    _a("PR.E1.1", "Corporate Parenting", "A", "Corporate Parenting Strategy refresh approved.",
       DCE, "Commissioning Manager – Children's", "2023-02-28", "Complete", "Refreshed strategy approved.", done="2023-02-22"),
]

#: Rows added this period (October 2023): 1 assurance action and 7 sub-actions.
_NEW_ACTIONS: list[dict] = [
    _a("PC.A1.7", SLT, "AA", "Assurance action: quarterly performance monitoring of Sandwell Leisure Trust presented at Performance Board to Leadership Team.",
       ADC, "Contracts Manager – Leisure", "Quarterly", "Green",
       "First quarterly report presented to Performance Board in October 2023; the next is due in January 2024.",
       added=SEP_CHANGES),
    _a("SD.B2.2.1", "Customer Journey", "S", "Agree funding for external support to produce the Customer Engagement Strategy.",
       DRG, "Strategic Improvement Manager", "2023-10-31", "Complete",
       "Funding agreed by the Director of Finance and the Assistant Chief Executive.", added=OCT_CHANGES, done="2023-10-17",
       achievement="Funding agreed for external support to produce the Customer Engagement Strategy."),
    _a("SD.B2.2.2", "Customer Journey", "S", "Procure an external delivery partner for customer engagement sessions.",
       DRG, "Strategic Improvement Manager", "2024-01-31", "Not started",
       "Specification in early stages.", added=OCT_CHANGES),
    _a("PC.C1.1.1", "New System Procurement", "S", "Finalise the Performance Management System options appraisal and business case.",
       ACE, "Corporate Performance Lead", "2023-11-30", "Green",
       "Options appraisal drafted following the final supplier demo in August.", added=OCT_CHANGES),
    _a("PC.C1.1.2", "New System Procurement", "S", "Further engagement with service areas to refine system requirements.",
       ACE, "Corporate Performance Lead", "2023-11-30", "Green",
       "Engagement sessions with service areas under way.", added=OCT_CHANGES),
    _a("CO.E1.4.1", CT, "S", "Analysis of spans and layers discussed by senior officers.",
       CEX, ADHR, "2023-11-30", "Not started", "Scheduled for senior officers in November 2023.", added=OCT_CHANGES),
    _a("CO.E1.4.2", CT, "S", "Recruit to the new Senior Leadership Team roles approved by Full Council.",
       CEX, ADHR, "2024-03-31", "Green", "Recruitment timetable in place; roles to be advertised in November.", added=OCT_CHANGES),
    _a("OC.B1.2.1", MD, "S", "Analyse Member session evaluations and LGA findings to inform the Autumn review of the MDP.",
       DLG, "Member Development Officer", "2023-12-31", "Green",
       "Session evaluations being collated.", added=OCT_CHANGES),
]

#: How each action looked at the end of July 2023, where it differs.
_PREVIOUS_ACTIONS: dict[str, dict] = {
    "OC.A1.4": {"status": "Not started", "progress_update": "Scoping of the new Employee Performance Review approach to start in the autumn."},
    "OC.B1.2": {"status": "Green", "delivery_lead": "Democratic and Member Services Manager", "exception_reason": None,
                "progress_update": "New Member survey issued to all Members elected in May 2023."},
    "OC.B1.3": {"status": "Amber", "progress_update": "Trainer being confirmed; date to be set for the autumn.",
                "exception_reason": "Trainer availability means the July 2023 date will be missed."},
    "OC.D1.2": {"status": "Green", "exception_reason": None,
                "progress_update": "Project group planning scenario-based sessions across finance, procurement and governance."},
    "OC.D1.3": {"status": "Green", "completion_date": None, "progress_update": "Decision making training booked for October 2023."},
    "OC.E2.7": {"status": "Green", "completion_date": None, "progress_update": "Draft social media policy shared with Trade Unions."},
    "CO.A1.8": {"status": "Green", "completion_date": None, "progress_update": "Modelling phase on track; Gateway 2 review planned for September."},
    "CO.B3.1": {"status": "Green", "exception_reason": None, "progress_update": "Service planning approach in development."},
    "CO.B3.3": {"closure": "Open"},
    "CO.D4.5": {"status": "Amber", "completion_date": None, "closure": "Open",
                "progress_update": "Audit of the 2020/21 accounts in its final stages; valuation queries being resolved.",
                "exception_reason": "Sign-off depends on the external auditor's timetable."},
    "CO.E1.3": {"delivery_lead": "Corporate Transformation Manager",
                "progress_update": "Verto configured; user acceptance testing planned for September."},
    "SD.A5.1": {"closure": "Open"},
    "SD.B2.2": {"status": "Amber", "revised_due_date": None,
                "progress_update": "Workstream scoping under way; customer engagement sessions being planned.",
                "exception_reason": "Limited internal resource to run customer engagement sessions."},
    "SD.D1.5": {"status": "Green", "completion_date": None, "progress_update": "Star Chamber meetings scheduled across the summer."},
    "SD.E1.1": {"status": "Green", "completion_date": None, "progress_update": "Draft equality objectives out for consultation."},
    "SD.E1.2": {"status": "Amber", "progress_update": "EDI consultant appointed; audit in progress.",
                "exception_reason": "Appointment of the EDI consultant took longer than planned."},
    "SD.F1.1": {"status": "Green", "completion_date": None, "progress_update": "Procurement Strategy action plan in draft."},
    "DM.A1.4": {"status": "Green", "completion_date": None, "closure": "Open",
                "progress_update": "Annual Report being drafted for Council in October."},
    "DM.A1.5": {"status": "Green", "completion_date": None, "closure": "Open"},
    "PC.A5.3": {"status": "Amber", "progress_update": "Fleet Steering Group meeting monthly; vehicle deliveries awaited.",
                "exception_reason": "Supplier lead times for replacement vehicles."},
    "PC.B3.6": {"delivery_lead": "Head of SEND Transport"},
    "PC.C1.1": {"status": "Amber", "revised_due_date": None,
                "progress_update": "Supplier demos being scheduled; requirements gathered from service areas.",
                "exception_reason": "Supplier availability for system demos may delay the options appraisal."},
    "PC.D1.2": {"status": "Green", "completion_date": None, "closure": "Open",
                "progress_update": "Phase 2 configuration and organisation of data in progress."},
    "PR.A1.9": {"status": "Green", "revised_due_date": None, "exception_reason": None,
                "progress_update": "KPIs and tolerances agreed with SCT for implementation in Q2."},
    "PR.B1.2": {"status": "Green", "completion_date": None, "closure": "Open",
                "progress_update": "Early Help Operational Group reporting quarterly to the partnership."},
    "PR.C1.2": {"status": "Green", "completion_date": None,
                "progress_update": "Cost of Living Summit planned for October with local partners."},
}

# ------------------------------------------------------------------ recommendations

GT21 = "Grant Thornton VFM Governance Review 2021"
GT22 = "Grant Thornton follow-up 2022"
LGA22 = "LGA follow-up 2022"
CIPFA = "CIPFA Financial Management Review 2022"


def _r(rec_id, review, category, recommendation, response, action_refs, lead, kloe=None, area=None, follow_up=None) -> dict:
    return {
        "rec_id": rec_id,
        "review": review,
        "category": category,
        "kloe_ref": kloe,
        "area": area,
        "recommendation": recommendation,
        "response": response,
        "action_refs": action_refs,
        "lead": lead,
        "follow_up": follow_up,
    }


RECOMMENDATIONS: list[dict] = [
    _r("S1", GT21, "Statutory",
       "It is imperative that senior officers and senior members take effective corporate grip of long-standing service issues highlighted by the findings in this report (including SLT, SCT, the waste service, the ERP system, and Lion Farm) and prioritise corporate effort in managing the issues identified and embed the solutions into the Council.",
       "Continuing to implement strategies to address the service issues highlighted in the Grant Thornton report: SLT agreement extended to March 2027 and Aquatics Centre handed over; SCT governance arrangements and revised contract in place; waste contract monitoring embedded in PMF reporting; Oracle Fusion support provider in place and implementation commenced; Lion Farm Expert Determination completed.",
       "PC.A1.4;PC.A1.5;PR.A1.8;PR.A1.9;PC.A5.1;PC.A5.2;CO.A1.8;CO.A1.10;PC.E1.1;SD.C1.1;SD.C1.2;DM.A1.1", CEX),
    _r("S2", GT21, "Statutory",
       "The Council must ensure that the learning in relation to commercial decisions, procurement and contract management highlighted in this report are understood through the organisation.",
       "The first phase of the Governance Review completed with the Constitution refresh. The Corporate Governance Training Programme commenced in September 2022 and the next phase is being rolled out during 2023-2024. Commercial Strategy approved in March 2023; Corporate Asset Management Strategy approved in November 2022; SEND Transport lessons learnt completed and shared with Wider Leadership Team.",
       "OC.D1.1;OC.D1.2;OC.D1.3;SD.A5.1;PC.D1.1;PC.B3.5;CO.B3.2;CO.B3.3", DLG),
    _r("S3", GT21, "Statutory",
       "Senior leadership, both officers and members, must demonstrate that they can continue to work together effectively, that they operate in line with the Council's values, codes, policies and procedures, and that there is zero tolerance to inappropriate behaviours. This includes changing the organisational culture in relation to complaints so that they restore balance and proportionality.",
       "New Member induction arrangements are in place and the Member Development Programme is regularly reviewed by the Ethical Standards and Member Development Committee. Extensive engagement informed the One Team Framework (values and behaviours) approved in March 2023. Meeting structures to facilitate Cabinet Member and Leadership Team cross-working are in place.",
       "OC.A1.1;OC.A1.2;OC.B1.1;OC.B1.3;OC.C4.1;OC.C4.2", CEX),
    # The 2021 review's recommendations on scrutiny and the follow-up's on the audit
    # committee: Appendix 4 of the pack ("Scrutiny and Audit Recommendations Reporting").
    _r("GT-SC1", GT21, "Improvement",
       "The Council should review its scrutiny arrangements so that scrutiny is member-led, properly resourced and able to hold the executive to account, drawing on good practice elsewhere.",
       "Review of scrutiny arrangements completed and changes to scrutiny approved.",
       "DM.A1.1;DM.A1.2", DLG, area="Scrutiny",
       follow_up="Grant Thornton follow-up 2022: positive progress has been made to improve the culture and professionalism of key Council committees, with the scrutiny function making particular progress."),
    _r("GT-SC2", GT21, "Improvement",
       "Scrutiny work programmes should focus on the issues that matter most to the Council's improvement, including the service issues raised in this report.",
       "Scrutiny work planning event held; work programmes are reviewed against the Improvement Plan each quarter.",
       "DM.A1.3;DM.A1.5", DLG, area="Scrutiny",
       follow_up="LGA Corporate Peer Challenge follow-up 2022: scrutiny is 'going from strength to strength'. No further recommendations on the role and function of scrutiny were made by CIPFA, Grant Thornton or the LGA."),
    _r("GT-SC3", GT21, "Improvement",
       "Scrutiny should report on its work to Council each year, so that members can see the difference it makes.",
       "The Scrutiny Committees' Annual Report was presented to Council on 24 October 2023.",
       "DM.A1.4", DLG, area="Scrutiny"),
    _r("GT-A22", GT22, "Improvement",
       "A final decision on the Cox reports needs to be made by the Leader before this matter can be considered formally closed.",
       "The Leader made the final decision on the Cox reports in January 2023 and the matter has been formally closed.",
       "DM.B1.3", DLG, kloe="KLOE B6-22", area="Audit Committee",
       follow_up="Raised by Grant Thornton's 2022 follow-up review (KLOE B6-22)."),
    _r("GT-K1", GT22, "Key",
       "The Council must conclude the design of Phase 2 of the Improvement Plan, which will focus on organisational culture, values and behaviours required to deliver change, and introduce a 'golden thread' aligning corporate aims to individual performance objectives, so that planned improvements and changes become embedded across the organisation.",
       "Phase 2 of the Improvement Plan approved by Cabinet in March 2023, including the One Team Framework and the workforce strategy. The golden thread is being developed in 2023-24 through the Vision 2030 refresh, Directorate Business Plans, a service planning pilot and a refreshed appraisal process.",
       "OC.A1.1;OC.A1.4;CO.G1.5", ACE),
    _r("GT-K2", GT22, "Key",
       "The Council needs to ensure that the new corporate PMO remains appropriately resourced, integrates all transformation and change activity being undertaken across the Council, and has access to appropriate data sources to be able to effectively monitor the delivery.",
       "The Corporate Transformation Office has been established with an agreed transformation framework. A Corporate PMO is being explored with support from Local Partnerships and a reporting tool is being implemented.",
       "CO.E1.1;CO.E1.2;CO.E1.3", DOF),
    _r("GT-K3", GT22, "Key",
       "The Council should progress and finalise outstanding actions relating to our previous recommendations, in particular introducing a commercial strategy and an asset management strategy, and conclude the service based actions. The Leadership Team needs to ensure there is appropriate corporate focus on medium term financial planning and financial statement production.",
       "All issues raised are monitored through the Improvement Plan. The commercial strategy was approved in March 2023 and the asset management strategy in November 2022. Leadership Team keeps a corporate focus on medium term financial planning through monthly budget monitoring.",
       "SD.A5.1;PC.D1.1;PC.D1.2;PC.A5.2;SD.D1.3;CO.D4.5", DOF),
    _r("GT-K4", GT22, "Key",
       "Once all the planned revisions to the Constitution have been agreed, the Council will need to embed these changes and demonstrate sustainable improvements in governance and scrutiny of decision making.",
       "Phase 2 of the governance review has commenced and focuses on embedding the changes, with project plans for each change to the Constitution and performance monitoring built in.",
       "DM.B1.1;DM.B1.2", DLG),
    _r("GT-I1", GT22, "Improvement",
       "The Council has not yet concluded introducing a 'golden thread' that aligns corporate plans to individual's annual performance reviews, and this approach should be progressed to include the behaviours set out in the One Team Framework, so that expected values and behaviours can be monitored and measured.",
       "Values and behaviours incorporated into core corporate learning and development, including induction and management training; the refreshed appraisal approach will include values and behaviours.",
       "CO.G1.5;OC.A1.4", ACE, area="Improvement Plan"),
    _r("GT-I2", GT22, "Improvement",
       "The senior leadership team should make time to agree clear objectives for financial planning, and the financial, organisational and behavioural actions required to achieve these objectives.",
       "The MTFS/MTFP is updated throughout the year and reported to Cabinet in the autumn and in February. Star Chamber meetings scrutinise each directorate's financial position and savings proposals.",
       "SD.D1.3;SD.D1.4;SD.D1.5", HFBP, area=MTFP),
    _r("GT-I3", GT22, "Improvement",
       "As part of the new transformation arrangements the Council should ensure there is corporate oversight of the use of external consultants, including how such commissions align to the Council's transformation strategy.",
       "The Consultancy Approval Panel, managed by the Corporate Transformation Office, oversees all requests for external commissions, with bimonthly updates to Leadership Team.",
       "CO.E1.5", DOF, area=CT),
    _r("GT-I4", GT22, "Improvement",
       "The Council should consider developing an agreed definition of commercial as a way of revitalising the progress of the commercial strategy. Once the strategy has been adopted it will need to align the Council's transformation strategy and MTFP assumptions.",
       "Commercial Strategy approved in March 2023. Business case documentation for the MTFS has been enhanced and fees and charges revised to increase cost recovery.",
       "SD.A5.1", DOF, area="Commercial Strategy"),
    _r("GT-I5", GT22, "Improvement",
       "The Council should consider enhancing customer journey metrics to measure its performance through full customer journeys including the customer experience and satisfaction.",
       "Customer satisfaction metrics are captured at the One Stop Shop, Community Hubs, Corporate Contact Centre and on MySandwell; a 'customer effort' metric is being considered.",
       "Commentary", ACE, area="Customer Journey"),
    _r("GT-I6", GT22, "Improvement",
       "Ensure that appropriate decisions are taken on proposed asset disposals to ensure the savings targets are realised.",
       "Delivery of asset rationalisation savings is monitored monthly with all other savings in the MTFS; outstanding savings are reported monthly to Leadership Team and quarterly to Cabinet.",
       "SD.D1.6", HFBP, area="Asset Management Strategy and Database"),
    _r("GT-I7", GT22, "Improvement",
       "Greater emphasis is required by the Council and SCT on progressing area partnership working, including greater clarity on system leadership.",
       "Family Hubs are being embedded across Sandwell and partnership working has been recognised at the DfE review meetings.",
       "PR.A1.11", DCE, kloe="KLOE A1", area=SCT),
    _r("GT-I8", GT22, "Improvement",
       "The Council should continue to monitor the vacancy rate tolerance, and use of agency staff at the Trust, in particular the impact and effectiveness of the Sandwell Deal in improving recruitment and retention rates.",
       "The vacancy rate is reported monthly to the Operational Partnership Board and quarterly through the performance monitoring framework.",
       "Commentary", DCE, kloe="KLOE A1", area=SCT),
    _r("GT-I9", GT22, "Improvement",
       "Realising the planned Invest to Save savings will be critical to the Trust meeting its planned revenue budget and the invest to save payments being repaid to the Council.",
       "Invest to save activity is monitored through the Operational Partnership Board and the quarterly SCT contract report.",
       "PR.A1.12;CO.C1.7", DCE, kloe="KLOE A1", area=SCT),
    _r("GT-I10", GT22, "Improvement",
       "The Council should continue to monitor SLT's operational and financial performance to ensure that SLT meets its 2023/24 contractual targets and planned changes and efficiencies result in a management funding agreement in line with the Council's MTFP assumptions.",
       "Quarterly reviews with Sandwell Leisure Trust through the PMF and an enhanced contract management regime.",
       "PC.A1.6", ADC, kloe="KLOE A2", area=SLT),
    _r("GT-I11", GT22, "Improvement",
       "The Council should ensure that Sandwell Leisure Trust builds on its more commercial approach and sets out a plan for the timeframe when the Trust's financial position requires no subsidy from the Council, including a clear and deliverable plan for eliminating the forecast losses at the aquatics centre.",
       "Supplementary agreement with SLT agreed 13 July 2023; plan for a subsidy-free position being developed.",
       "PC.A1.3", ADC, kloe="KLOE A2", area=SLT),
    _r("GT-I12", GT22, "Improvement",
       "The next SEND Transport procurement should consider how services can be commissioned to manage significant and ongoing budgetary pressures.",
       "The Children and Education Transformation Board maintains oversight of the SEND programme, with an operational group ensuring robust contract monitoring.",
       "PC.B3.6;PC.B3.7", DCE, kloe="KLOE A4", area="SEND Transport"),
    _r("GT-I13", GT22, "Improvement",
       "The Council should ensure that it concludes the fleet review and Serco confirm that they are content with the value for money of the fleet maintenance undertaken by the Council.",
       "Monthly Fleet Steering Group in place; specification for an integrated Fleet Management System to follow.",
       "PC.A5.3;PC.A5.4", ADC, kloe="KLOE A7", area="Waste Service"),
    _r("GT-I14", GT22, "Improvement",
       "The Council must work with Serco to ensure that the risk of future industrial action is effectively mitigated.",
       "Lessons learned being captured in an updated Business Continuity Plan with Serco; industrial relations a standing item at Senior Management Meetings.",
       "PC.A5.5;PC.A5.6", ADC, kloe="KLOE A7", area="Waste Service"),
    _r("GT-I15", GT22, "Improvement",
       "The Council should conclude its plans to introduce a policy for working with local MPs and associated guidance.",
       "Public Health and the Communications Team will create guidance and a protocol for working with MPs.",
       "OC.E2.8", "Comms and Corporate Affairs Manager", kloe="KLOE A8", area="Governance and Legal Support to DPH"),
    _r("GT-I16", GT22, "Improvement",
       "The Council should continue its work on defining financial and non-financial benefits, and that benefits identified and agreed are measurable, and can be effectively tracked and the transformational opportunities of the new system are fully realised.",
       "Strategic benefits mapped into 5 categories and 13 sub-categories; benefit owners will be identified and benefits reported to the programme board.",
       "CO.A1.11", DOF, kloe="KLOE A10", area="Introduction of new ERP system"),
    _r("GT-I17", GT22, "Improvement",
       "The Council should develop a business case for a performance management system, to appropriately consider this investment.",
       "Options appraisal and business case being finalised following supplier demos.",
       "PC.C1.1", ACE, kloe="KLOE B4b", area="Performance management"),
    _r("GT-I18", GT22, "Improvement",
       "The Council should take urgent steps to resolve the issues relating to delays in providing and the quality of financial statements production.",
       "2020/21 accounts signed off with no qualifications; a timetable for the 2021/22 accounts is being agreed with the auditor.",
       "CO.D4.5;CO.D4.6", HFBP, kloe="KLOE B7", area="Financial reporting"),
    _r("GT-I19", GT22, "Improvement",
       "The Interim Director of Finance should review finance team capacity, capability and training needs to ensure they meet the needs of the organisation.",
       "Finance staff skills survey complete; proposed structure being formulated.",
       "CO.D1.3", HFBP, kloe="KLOE B7", area="Financial reporting"),
    _r("GT-I20", GT22, "Improvement",
       "The Chief Executive should ensure that the Monitoring Officer continues to be a standing member of the Council's Senior Leadership Team on a permanent basis.",
       "The Monitoring Officer is a member of and attends all meetings of the Strategic Leadership Team.",
       "Business as usual", ADLA, kloe="KLOE B2", area="Senior Leadership"),
    _r("LGA-1", LGA22, "Improvement",
       "There needs to be a stocktake around the level of available resources, pace and capacity going forward.",
       "Resources are reviewed at monthly Improvement Plan Review Meetings and the risk is monitored through the Improvement Plan risk register.",
       "Business as usual", SLSI, area="Corporate Oversight / Strategic Director"),
    _r("LGA-2", LGA22, "Improvement",
       "Re PAF - the golden thread can be articulated at Director, Assistant Director and Service Manager level but not yet below that.",
       "See the response to GT-K1.", "CO.G1.5", ACE, area="Corporate Oversight / Strategic Director"),
    _r("LGA-3", LGA22, "Improvement",
       "Establishing a clear shared understanding of the extent of the budget gap will be important, with a corporate and cross-cutting approach to addressing the financial challenge and a whole-council approach to solutions.",
       "Transformational savings within the MTFS are cross-directorate projects; resolving the budget gap was a collaborative approach across Leadership Team.",
       "SD.D1.3;SD.D1.5", DOF, area="Corporate Oversight / Strategic Director"),
    _r("LGA-4", LGA22, "Improvement",
       "There is an emerging risk around the organisational responsiveness to the customer and to casework issues brought forward by Elected Members, to be avoided through intensive focus on casework management and the customer journey.",
       "Changes through the customer journey programme will improve the management of, and response to, casework issues.",
       "CO.F5.4;CO.F5.5", DRG, area="Governance / Decision Making"),
    _r("LGA-5", LGA22, "Improvement",
       "It will be important to ensure that the pace of delivery of the Member development programme is made to feel sustainable.",
       "Feedback from Members on the intensity of the MDP is informing its next iteration.",
       "OC.B1.2", DLG, area="Governance / Decision Making"),
    _r("LGA-6", LGA22, "Improvement",
       "The customer journey, Equalities Diversity and Inclusion, and organisational culture are major pieces of inter-related work that are fundamental to future success. They require a clear plan and sense of directionality.",
       "The Customer Journey Programme has a programme board; EDI and organisational culture work are linked through the Organisational Working Group.",
       "SD.B2.1;SD.E1.2;OC.A1.2", ACE, area="Customer Journey / Organisational Culture"),
    _r("LGA-7", LGA22, "Improvement",
       "There needs to be a quickly established shared understanding regarding what the council's service standards and timescales for responding are currently and/or will be going forward.",
       "The Customer Experience Strategy workstream will map end to end customer processes, leading to service standards and an SLA.",
       "SD.B2.2", DRG, area="Customer Journey / Organisational Culture"),
    _r("CIPFA-1", CIPFA, "Improvement",
       "Strengthen medium-term financial planning so that savings proposals are robust, owned by directors and challenged before inclusion in the budget.",
       "Star Chamber meetings now scrutinise each directorate's savings delivery and new proposals each summer.",
       "SD.D1.5", DOF, area=MTFP),
    _r("CIPFA-2", CIPFA, "Improvement",
       "Review the capacity and capability of the finance function and put in place a training and development programme for finance staff.",
       "Skills survey complete; new finance structure being formulated with recruitment to key roles to follow.",
       "CO.D1.3;CO.D1.4", DOF, area="Finance capacity"),
    _r("CIPFA-3", CIPFA, "Improvement",
       "Clear the backlog of statements of accounts and agree a timetable for their audit.",
       "2020/21 accounts signed off; timetable for 2021/22 being agreed with the external auditor.",
       "CO.D4.6", HFBP, area="Financial reporting"),
]

# ------------------------------------------------------------------------- milestones


def _m(ref, milestone, due, status, completed=None, added=PLAN_AGREED) -> dict:
    return {
        "ref": ref,
        "milestone": milestone,
        "due_date": _d(due) if isinstance(due, str) and due[:1].isdigit() else due,
        "status": status,
        "completed_date": _d(completed) if completed else None,
        "date_added": added,
    }


MILESTONES: list[dict] = [
    _m("CO.A1.9", "Procure new support provider to deliver Oracle Fusion", "2022-12-31", "Complete", "2022-11-30"),
    _m("CO.A1.8", "Oracle Fusion modelling phase complete (Gateway 2)", "2023-09-30", "Complete", "2023-09-14"),
    _m("CO.A1.8", "Oracle Fusion system configuration for Finance, Procurement and EPM complete", "2023-10-31", "Complete", "2023-10-06"),
    _m("CO.A1.10", "Oracle Fusion go-live", "2024-07-01", "Not started"),
    _m("CO.A1.11", "Benefit profiles developed and baselined ahead of go-live", "2024-06-30", "Not started"),
    _m("PR.A1.8", "Review of SCT Contract concludes", "2023-01-31", "Complete", "2023-01-31"),
    _m("PR.A1.10", "SCT Contract performance reporting embedded within Council PMF", "2023-04-30", "Complete", "2023-04-28"),
    _m("PR.A1.9", "SCT KPIs and tolerances agreed with SCT and the DfE", "2023-11-30", "Not complete"),
    _m("DM.A1.1", "Review of scrutiny arrangements", "2022-09-30", "Complete", "2022-09-30"),
    _m("DM.A1.2", "Approval of any changes to scrutiny (if required following review)", "2022-12-31", "Complete", "2022-12-07"),
    _m("DM.A1.3", "Scrutiny work planning event", "2023-06-30", "Complete", "2023-06-15"),
    _m("PC.A1.4", "Termination notice for SLT contract approved by Cabinet", "2022-10-31", "Complete", "2022-10-19"),
    _m("PC.A1.3", "Option appraisal for future leisure management options", "2022-11-30", "Complete", "2022-11-16"),
    _m("PC.A1.5", "Aquatics Centre handover to Sandwell Leisure Trust", "2023-07-31", "Complete", "2023-07-13", added=PHASE_2),
    _m("PC.A5.1", "Waste and Recycling Recovery Plan implementation", "2022-12-31", "Complete", "2022-12-16"),
    _m("PC.A5.1", "Street Cleansing Recovery Plan approval", "2023-02-28", "Complete", "2023-02-23"),
    _m("PC.A5.2", "Revised contract governance arrangements in place for Serco contract", "2022-11-30", "Complete", "2022-11-30"),
    _m("PC.A5.2", "SERCO contract performance reporting embedded in Performance Management Framework", "2023-03-31", "Complete", "2023-03-31"),
    _m("PC.B3.5", "SEND Transport procurement published", "2023-01-31", "Complete", "2023-01-20"),
    _m("PC.D1.2", "Tech Forge phase 2 configuration and organisation of data completed", "2023-09-30", "Complete", "2023-09-29"),
    _m("PC.C1.1", "Options appraisal and business case finalised", "2023-11-30", "Not complete"),
    _m("PR.B1.1", "Early Help Strategy approved and launched", "2022-11-30", "Complete", "2022-11-30"),
    _m("PR.E1.1", "Corporate Parenting Strategy Refresh approved", "2023-02-28", "Complete", "2023-02-22"),
    _m("SD.C1.1", "Regeneration pipeline six-monthly update to Cabinet", "2023-07-31", "Complete", "2023-07-19"),
    _m("SD.C1.2", "Regeneration pipeline: strategic delivery partner in place", "2024-06-30", "Not started"),
    _m("SD.G1.1", "Regular Resident Survey in place", "2023-06-30", "Complete", "2023-06-30", added=PHASE_2),
    _m("OC.D1.1", "Corporate Governance Training delivery commenced and approach to next phase agreed", "2023-03-31", "Complete", "2023-03-31"),
    _m("OC.A1.1", "Organisational Culture - Part 1 Engagement: Starting the Conversation", "2022-09-30", "Complete", "2022-09-30"),
    _m("OC.A1.1", "Organisational Culture - Part 2 Engagement: determining the desired culture", "2022-12-31", "Complete", "2022-12-16"),
    _m("OC.A1.1", "Approval of 'Our Values: Our Behaviours' statement of the desired organisational culture", "2023-03-31", "Complete", "2023-03-15"),
    _m("OC.A1.3", "Workforce Strategy agreed at Cabinet", "2024-03-13", "Not started"),
    _m("OC.B1.1", "New Member Induction", "2022-06-30", "Complete", "2022-06-28"),
    _m("OC.B1.1", "Member Development Programme approved", "2022-07-31", "Complete", "2022-07-20"),
    _m("OC.C4.1", "Meeting structures to support Senior Leadership (Officer and Member)", "2022-09-30", "Complete", "2022-09-30"),
    _m("CO.E1.3", "Verto user acceptance testing complete", "2023-10-31", "Complete", "2023-10-20"),
    _m("OC.B1.2", "Autumn review of the Member Development Programme", "2023-12-31", "Not started"),
]

# ---------------------------------------------------------------------------- changes


def _c(date, ref, change_type, old, new, reason, approved) -> dict:
    return {
        "date": _d(date) if isinstance(date, str) else date,
        "ref": ref,
        "change_type": change_type,
        "old_value": _d(old) if isinstance(old, str) and old[:4].isdigit() and old[4:5] == "-" else old,
        "new_value": _d(new) if isinstance(new, str) and new[:4].isdigit() and new[4:5] == "-" else new,
        "reason": reason,
        "approved_by": approved,
    }


_PHASE_2_REASON = "Phase 2 of the Improvement Plan: response to the Grant Thornton and LGA follow-up reviews."
_CAB_MAR = "Cabinet 15/03/2023"

CHANGES: list[dict] = [
    _c("2023-01-17", "PC.D1.1", "Action closed", "Open", "Closed",
       "Strategy approved by Cabinet; delivery plan overseen by the Asset Management working group.", "Leadership Team 17/01/2023"),
    *[
        _c("2023-03-15", ref, kind, None, "Added", _PHASE_2_REASON, _CAB_MAR)
        for ref, kind in (
            ("OC.E2.7", "New action"), ("CO.B3.2", "New action"), ("CO.C1.7", "New action"),
            ("CO.C2.6", "New action"), ("CO.F5.4", "New action"), ("CO.F5.5", "New action"),
            ("CO.G1.5.1", "New sub-action"), ("CO.G1.5.2", "New sub-action"),
            ("SD.G1.1", "New action"), ("SD.G1.2", "New action"), ("PC.A1.5", "New action"),
        )
    ],
    _c("2023-03-15", "DM.B1.3", "Action closed", "Open", "Closed", "Leader's final decision on the Cox reports made.", _CAB_MAR),
    _c("2023-06-20", "CO.A1.10", "Timescale change", "2024-04-01", "2024-07-01",
       "Revised implementation plan from the new Oracle Fusion support provider.", LT_JUN),
    _c("2023-06-20", "PC.E1.1", "Action closed", "Open", "Moved to business as usual",
       "Expert Determination process completed; removed from the plan to be managed as business as usual.", LT_JUN),
    _c("2023-06-20", "OC.E2.8", "New action", None, "Added",
       "Grant Thornton recommendation to introduce a policy for working with local MPs.", LT_JUN),
    # ---- October 2023 period
    _c(SEP_CHANGES, "PC.A1.7", "New assurance action", None, "Added",
       "Assurance over SLT performance following the Aquatics Centre handover.", LT_SEP),
    _c(SEP_CHANGES, "PC.C1.1", "Timescale change", "2023-09-30", "2023-11-30",
       "Supplier availability for system demos; final demo held in August.", LT_SEP),
    *[
        _c(OCT_CHANGES, ref, "New sub-action", None, "Added", reason, LT_OCT)
        for ref, reason in (
            ("SD.B2.2.1", "Funding for external support to the Customer Engagement Strategy."),
            ("SD.B2.2.2", "Delivery partner needed for customer engagement sessions."),
            ("PC.C1.1.1", "Break down the options appraisal into deliverable steps."),
            ("PC.C1.1.2", "Break down the options appraisal into deliverable steps."),
            ("CO.E1.4.1", "New Senior Leadership Team structure going to Full Council on 24/10/23."),
            ("CO.E1.4.2", "New Senior Leadership Team structure going to Full Council on 24/10/23."),
            ("OC.B1.2.1", "Low New Member survey return rate; use session evaluations instead."),
        )
    ],
    _c(OCT_CHANGES, "SD.B2.2", "Timescale change", "2023-12-31", "2024-06-30",
       "An external delivery partner must be procured to run customer engagement sessions.", LT_OCT),
    _c(OCT_CHANGES, "PR.A1.9", "Timescale change", "2023-10-31", "2023-11-30",
       "KPIs and tolerances under review by the DfE appointed independent chair of the SCT Improvement Board.", LT_OCT),
    _c(OCT_CHANGES, "OC.B1.2", "Delivery lead change", "Democratic and Member Services Manager", "Member Development Officer",
       "New lead officer for member development appointed.", LT_OCT),
    _c(OCT_CHANGES, "CO.E1.3", "Delivery lead change", "Corporate Transformation Manager",
       "Programme Manager – Corporate Transformation Office", "Programme Manager appointed to the Corporate Transformation Office.", LT_OCT),
    _c(OCT_CHANGES, "PC.B3.6", "Delivery lead change", "Head of SEND Transport", "AD Education Support Services",
       "AD Education Support Services coordinating the SEND Transport board.", LT_OCT),
    _c(OCT_CHANGES, "SD.A5.1", "Action closed", "Open", "Proposed to close",
       "Commercial Strategy approved; closure will result in closure of the Commercial Strategy workstream.", LT_OCT),
    _c(OCT_CHANGES, "PC.D1.2", "Action closed", "Open", "Proposed to close",
       "Tech Forge phase 2 complete; closure will result in closure of the Corporate Asset Management workstream.", LT_OCT),
    _c(OCT_CHANGES, "DM.A1.4", "Action closed", "Open", "Proposed to close", "Annual Report to be presented to Council on 24/10/2023.", LT_OCT),
    _c(OCT_CHANGES, "CO.D4.5", "Action closed", "Open", "Proposed to close", "2020/21 accounts signed off with no qualifications.", LT_OCT),
    _c(OCT_CHANGES, "CO.B3.3", "Assurance action closed", "Open", "Proposed to close",
       "SEND Transport lessons learnt shared; action plan delivered.", LT_OCT),
    _c(OCT_CHANGES, "PR.B1.2", "Assurance action closed", "Open", "Proposed to close",
       "Early Help Strategy monitoring embedded in quarterly PMF reporting.", LT_OCT),
    _c(OCT_CHANGES, "DM.A1.5", "Assurance action closed", "Open", "Proposed to close",
       "Improvement Plan progress a standing item on the scrutiny work programme.", LT_OCT),
]

# ------------------------------------------------------------------------------ risks


def _k(ref, risk, cause, consequence, owner, li, im, mitigations, tli, tim, direction) -> dict:
    score = li * im
    return {
        "risk_ref": ref,
        "risk": risk,
        "cause": cause,
        "consequence": consequence,
        "owner": owner,
        "likelihood": li,
        "impact": im,
        "score": score,
        "rating": _rating(score),
        "mitigations": mitigations,
        "target_likelihood": tli,
        "target_impact": tim,
        "direction": direction,
    }


def _rating(score: int) -> str:
    from ..defaults import SCORE_BANDS

    for band in SCORE_BANDS:
        if band.low <= score <= band.high:
            return band.rating
    raise ValueError(f"score {score} falls in no band")


RISKS: list[dict] = [
    _k("IPR01", "Resources: insufficient resources to deliver key components of the plan, including the corporate programme management office.",
       "Competing priorities and recruitment difficulties.", "Slippage across the plan and loss of confidence of Commissioners.",
       CEX, 3, 4, "Financial resources identified and approved by Council in June; Improvement Reserve funding National Graduate Development Programme placements from September 2023.", 2, 3, "Improving"),
    _k("IPR02", "Communication: officers and Members are not aware of their respective roles and responsibilities in the plan.",
       "Scale and pace of change.", "Changes are not understood or embedded.",
       ACE, 2, 3, "Briefings, live events, Team Talk and regular messages from Leadership Team.", 1, 3, "Stable"),
    _k("IPR03", "Investment and Financial Resources: financial resources are not made available to deliver the plan.",
       "Budget gap in the medium term.", "Actions cannot be delivered to timescale.",
       DOF, 3, 4, "Resource gaps and pressures associated with the Improvement Plan identified and monitored monthly by Leadership Team.", 2, 4, "Stable"),
    _k("IPR04", "Constitutional Changes: key governance changes agreed during 2022 are not embedded throughout the organisation.",
       "Turnover of officers and Members; training not reaching all decision makers.", "Opportunities will be missed and poor decisions recur.",
       DLG, 3, 3, "First round of training delivered with revised templates and guidance; Phase 2 of the Corporate Governance Review focuses on embedding the changes.", 2, 3, "Improving"),
    _k("IPR05", "Organisational culture: the One Team Framework values and behaviours are not embedded.",
       "Culture change takes time; capacity of managers.", "Improvements are not sustained after intervention ends.",
       ADHR, 3, 4, "Manager events, values in recruitment and appraisal, employee engagement survey.", 2, 4, "Stable"),
    _k("IPR06", "Partner and contract performance: SCT, SLT or Serco do not deliver to contract.",
       "Financial pressures on partners; industrial action.", "Service failure and financial cost to the council.",
       ADC, 4, 4, "Enhanced contract management regimes, quarterly PMF reporting and partnership boards for each contract.", 3, 4, "Worsening"),
    _k("IPR07", "Oracle Fusion ERP implementation is delayed or does not deliver its benefits.",
       "Complex data migration and configuration.", "Continued reliance on legacy systems; benefits not realised.",
       DOF, 4, 5, "Programme Board with gateway reviews, new support provider, benefits working group.", 2, 5, "Stable"),
    _k("IPR08", "Financial statements: audit backlog is not cleared.",
       "Legacy issues from prior years; capacity in the finance team.", "Uncertainty over the council's financial position.",
       DOF, 3, 5, "Experienced interim staff, agreed timetable with the external auditor, finance restructure.", 2, 4, "Improving"),
    _k("IPR09", "Government intervention: Commissioners do not have confidence that improvements are being implemented and sustained.",
       "Slow progress against the Directions.", "Further government intervention, increased costs and damage to reputation.",
       CEX, 2, 5, "Monthly Leadership Team monitoring, quarterly reporting to Cabinet and six-monthly reports to the Secretary of State.", 1, 5, "Improving"),
    _k("IPR10", "Member-officer relationships deteriorate following changes in senior roles.",
       "Changes to those in senior officer or senior member roles.", "Return of the behaviours identified by the Grant Thornton review.",
       DLG, 2, 4, "No surprises principle, regular portfolio meetings and Member-Officer surveys.", 1, 4, "Stable"),
    _k("IPR11", "Performance information: KPI data gaps prevent effective oversight.",
       "Lack of a performance management system.", "Decisions not informed by performance insight.",
       ACE, 3, 3, "Corporate Performance Team in place; performance management system options appraisal.", 2, 2, "Stable"),
    _k("IPR12", "Loss of external support and challenge (LGA, CIPFA, Grant Thornton).",
       "End of funded support.", "Fewer independent checks on progress.",
       ACE, 1, 4, "Follow-up reviews scheduled; LGA co-design of member development.", 1, 3, "Stable"),
]

_PREVIOUS_RISKS: dict[str, dict] = {
    "IPR01": {"likelihood": 4, "impact": 4, "direction": "Stable"},
    "IPR04": {"likelihood": 3, "impact": 4, "direction": "Stable"},
    "IPR06": {"likelihood": 3, "impact": 4, "direction": "Stable"},
    "IPR08": {"likelihood": 4, "impact": 5, "direction": "Stable"},
    "IPR09": {"likelihood": 3, "impact": 5, "direction": "Stable"},
}

# ------------------------------------------------------------------------ assembling


def _link_recommendations(actions: list[dict], recs: list[dict]) -> None:
    """Fill each action's Recommendations column from the recommendations' Action refs."""
    linked: dict[str, list[str]] = {}
    for rec in recs:
        for ref in str(rec["action_refs"] or "").split(";"):
            linked.setdefault(ref.strip(), []).append(rec["rec_id"])
    for action in actions:
        ids = linked.get(action["ref"])
        action["recommendations"] = "; ".join(ids) if ids else None


def appendices() -> list[dict]:
    """The sample's Appendices sheet: the report's list, with the governance diagram
    supplied as a picture beside the workbook, and the plan by Best Value theme with
    its measures of impact as Appendix 8."""
    rows = [
        {"number": n, "appendix": next(k.name for k in APPENDIX_KINDS if k.key == key), "title": title,
         "filter": filt or None, "file": None, "alt_text": None}
        for n, key, title, filt in DEFAULT_PACK
    ]
    rows[-1]["file"] = GOVERNANCE_NAME
    rows[-1]["alt_text"] = GOVERNANCE_ALT
    best_value = next(k.name for k in APPENDIX_KINDS if k.key == "best-value")
    rows.append({"number": "8", "appendix": best_value, "title": None, "filter": None, "file": None, "alt_text": None})
    return rows


def current_plan() -> dict:
    """The October 2023 plan: ``settings`` plus a list of records per record sheet."""
    actions = copy.deepcopy(_ACTIONS) + copy.deepcopy(_NEW_ACTIONS)
    actions.sort(key=_action_order)
    _link_recommendations(actions, RECOMMENDATIONS)
    sample_impact.tag(actions)
    return {
        "settings": dict(CURRENT_SETTINGS),
        "actions": actions,
        "measures": sample_impact.measures(),
        "milestones": copy.deepcopy(MILESTONES),
        "recommendations": copy.deepcopy(RECOMMENDATIONS),
        "changes": sorted(copy.deepcopy(CHANGES), key=lambda c: c["date"]),
        "risks": copy.deepcopy(RISKS),
        "appendices": appendices(),
        "report": sample_report.report(),
    }


def previous_plan() -> dict:
    """The July 2023 plan: the same plan before this period's changes."""
    end = PREVIOUS_SETTINGS["period_end"]
    actions = []
    for action in copy.deepcopy(_ACTIONS):
        action.update(_PREVIOUS_ACTIONS.get(action["ref"], {}))
        actions.append(action)
    actions.sort(key=_action_order)
    _link_recommendations(actions, RECOMMENDATIONS)
    milestones = []
    for m in copy.deepcopy(MILESTONES):
        if m["completed_date"] and m["completed_date"] > end:
            m["status"], m["completed_date"] = "Not complete", None
        milestones.append(m)
    risks = []
    for r in copy.deepcopy(RISKS):
        r.update(_PREVIOUS_RISKS.get(r["risk_ref"], {}))
        r["score"] = r["likelihood"] * r["impact"]
        r["rating"] = _rating(r["score"])
        risks.append(r)
    sample_impact.tag(actions)
    return {
        "settings": dict(PREVIOUS_SETTINGS),
        "actions": actions,
        "measures": sample_impact.previous_measures(),
        "milestones": milestones,
        "recommendations": copy.deepcopy(RECOMMENDATIONS),
        "changes": sorted((c for c in copy.deepcopy(CHANGES) if c["date"] <= end), key=lambda c: c["date"]),
        "risks": risks,
        "appendices": appendices(),
    }


_THEME_ORDER = {code: i for i, code in enumerate(THEMES)}


def _action_order(action: dict) -> tuple:
    """Theme order of the plan, then refs in natural order (CO.A1.9 before CO.A1.10)."""
    parts = action["ref"].split(".")
    return (_THEME_ORDER[parts[0]], parts[1], *[int(p) for p in parts[2:]])


#: What this period changed, as committee reports word it (for tests and demos).
PERIOD_CHANGES = {
    "timescale_changes": ["SD.B2.2", "PC.C1.1", "PR.A1.9"],
    "timescale_changes_over_three_months": ["SD.B2.2"],
    "new_assurance_actions": ["PC.A1.7"],
    "new_sub_actions": ["SD.B2.2.1", "SD.B2.2.2", "PC.C1.1.1", "PC.C1.1.2", "CO.E1.4.1", "CO.E1.4.2", "OC.B1.2.1"],
    "actions_proposed_to_close": ["SD.A5.1", "PC.D1.2", "DM.A1.4", "CO.D4.5"],
    "assurance_actions_proposed_to_close": ["CO.B3.3", "PR.B1.2", "DM.A1.5"],
    "delivery_lead_changes": ["OC.B1.2", "CO.E1.3", "PC.B3.6"],
}
