"""The sample plan's Report sheet: the committee report's own words for October 2023.

The words are Sandwell Council's, from its report to the Budget and Corporate Scrutiny
Management Board of 22 November 2023; the same quarter went to the Audit and Risk
Assurance Committee and to Cabinet, whose front sheets, recommendations and reasons
are their own. Keyed by :data:`ipxl.defaults.REPORT_ITEMS` keys: ``all`` for every
meeting, a meeting's name for what its report says instead.
"""

from __future__ import annotations

import datetime as dt

CABINET = "Cabinet"
SCRUTINY = "Budget and Corporate Scrutiny Management Board"
AUDIT = "Audit and Risk Assurance Committee"
MEETINGS = (CABINET, SCRUTINY, AUDIT)
OFF = "Not included"

#: Reporting Framework and Governance, up to its last paragraph, which is each meeting's own.
_GOVERNANCE = (
    "To ensure that senior officers and members have oversight of delivery, Council approved the reporting "
    "mechanism for the Improvement Plan in June 2022. This set out that progress will be monitored by "
    "Leadership Team monthly and reported to Cabinet quarterly until all actions have been completed, or "
    "changes have been embedded into business as usual. The diagram included at Appendix 7 sets out the "
    "governance framework.\n"
    "The Government Directions require reporting on the delivery of the Improvement Plan at six monthly "
    "intervals to the Secretary of State from the council and the Commissioners. Reports were submitted in "
    "December 2022 and June 2023. The next report is due December 2023.\n"
    "Member-led committees, such as the Governance & Constitution Review Committee, Audit & Risk Assurance "
    "Committee and Scrutiny Committees, are used for providing a steer and maintaining oversight of the actions "
    "and implementation of the Improvement Plan.\n"
    "Audit & Risk Assurance Committee receive quarterly updates on the Improvement Plan and the Improvement Plan "
    "Risk Register.\n"
    "Budget & Corporate Scrutiny Management Board has included several elements of the Improvement Plan on "
    "their work programme as well as regular reports on overall progress. This has included a 'deep dive' "
    "focus on the work under the Organisational Culture theme and engagement with the workforce.\n"
)

TEXTS: dict[str, dict[str, object]] = {
    "meeting_date": {
        CABINET: dt.date(2023, 12, 13),
        SCRUTINY: dt.date(2023, 11, 22),
        AUDIT: dt.date(2023, 11, 23),
    },
    "subject": {"all": "Improvement Plan Progress"},
    "director": {"all": "Chief Executive\nShokat Lal"},
    "contact_officers": {
        "all": "Strategic Lead – Service Improvement, Kate Ashley, kate1_ashley@sandwell.gov.uk\n"
        "Lead Officer – Service Improvement, Dawn Webster, dawn_webster@sandwell.gov.uk\n"
        "Democratic and Member Services Manager, Suky Suthi-Nagra, suky_suthinagra@sandwell.gov.uk"
    },
    "recommendations": {
        CABINET: "That Cabinet receives the quarterly update on progress of the Improvement Plan up to November 2023.\n"
        "That Cabinet approves the changes to the Improvement Plan set out in Appendix 5.\n"
        "That Cabinet notes that the Audit and Risk Assurance Committee (23 November 2023) and the Budget and "
        "Corporate Scrutiny Management Board (22 November 2023) considered this progress and made no further "
        "recommendations.",
        SCRUTINY: "That the Board considers and comments upon the progress of the Improvement Plan up to November 2023.\n"
        "That any recommendations or comments in relation to the progress of the Improvement Plan are reported "
        "to Cabinet.\n"
        "That the Board considers any additional areas of focus for its work plan.",
        AUDIT: "That the Committee considers and comments upon the progress of the Improvement Plan up to November "
        "2023 and the Improvement Plan Risk Register.\n"
        "That any recommendations or comments of the Committee are reported to Cabinet.",
    },
    "reasons": {
        CABINET: "This report provides a quarterly update on progress against the Improvement Plan agreed by Council "
        "on 7 June 2022. The Improvement Plan incorporates all recommendations from the Grant Thornton Governance "
        "Review, the LGA Corporate Peer Challenge and the CIPFA Financial Management Review, as well as the "
        "Statutory Directions from the Secretary of State for Levelling Up, Housing and Communities.\n"
        "As part of the governance and assurance arrangements for the Improvement Plan, Audit and Risk Assurance "
        "Committee and Budget and Corporate Scrutiny Management Board review progress of the Improvement Plan and "
        "utilise the plan for work programming purposes. Both Committees considered this progress at their "
        "meetings in November and made no further recommendations for Cabinet's consideration.\n"
        "Council's approval of the Improvement Plan set out that Cabinet retains oversight of changes to the plan "
        "through regular formal reporting; the changes made this quarter are set out in Appendix 5 for approval.",
        "all": "This report provides a quarterly update on progress against the Improvement Plan agreed by Council "
        "on 7 June 2022. The Improvement Plan incorporates all recommendations from the Grant Thornton Governance "
        "Review, the LGA Corporate Peer Challenge and the CIPFA Financial Management Review, as well as the "
        "Statutory Directions from the Secretary of State for Levelling Up, Housing and Communities.\n"
        "As part of the governance and assurance arrangements for the Improvement Plan, Audit and Risk Assurance "
        "Committee and Budget and Corporate Scrutiny Management Board review progress of the Improvement Plan and "
        "utilise the plan for work programming purposes. Both Committees are due to consider progress at their "
        "meetings in November and any recommendations or comments will be presented for Cabinet's consideration.\n"
        "As part of the council's assurance framework for the Improvement Plan, the LGA, Grant Thornton and CIPFA "
        "conducted follow-up reviews in Autumn 2022 to evaluate the council's progress on implementing the "
        "specific recommendations from those individual reviews. Their findings are incorporated into a refresh "
        "of the Improvement Plan which has been managed through the established change control process.",
        SCRUTINY: "This report provides a quarterly update on progress against the Improvement Plan agreed by Council "
        "on 7 June 2022. The Improvement Plan incorporates all recommendations from the Grant Thornton Governance "
        "Review, the LGA Corporate Peer Challenge and the CIPFA Financial Management Review, as well as the "
        "Statutory Directions from the Secretary of State for Levelling Up, Housing and Communities.\n"
        "On 22 September 2022, Budget and Corporate Scrutiny Management Board received the Improvement Plan and "
        "requested regular updates on progress. This report is the sixth quarterly progress report to Budget and "
        "Corporate Scrutiny Management Board.\n"
        "As part of the council's assurance framework for the Improvement Plan, the LGA, Grant Thornton and CIPFA "
        "conducted follow-up reviews in Autumn 2022 to evaluate the council's progress on implementing the "
        "specific recommendations from those individual reviews. Their findings are incorporated into a refresh "
        "of the Improvement Plan which has been managed through the established change control process.\n"
        "Scrutiny's consideration of progress of the Improvement Plan and scrutiny of specific areas within the "
        "plan contributes to creating an effective scrutiny function.",
    },
    "corporate_plan": {
        "all": "Sandwell Council's Improvement Plan focuses on the governance arrangements of the council and areas "
        "of improvement across the organisation. The underpinning objective of the Improvement Plan is to ensure "
        "that the council can deliver on the aims and priorities as set out in the Corporate Plan. The deliverables "
        "set out in this Improvement Plan will achieve long-term sustainable improvements in how the council "
        "operates and is able to make effective decisions focused on improving outcomes for residents and "
        "experiences of service users. Therefore, this impacts on the council's ability to deliver all the "
        "objectives in the Corporate Plan:\n"
        "- Best start in life for children and young people\n"
        "- People live well and age well\n"
        "- Strong resilient communities\n"
        "- Quality homes in thriving neighbourhoods\n"
        "- A strong and inclusive economy\n"
        "- A connected and accessible Sandwell"
    },
    "background": {
        "all": "A single Improvement Plan was agreed by Council on 7 June 2022 to address recommendations from a Value "
        "for Money Review into the council's governance arrangements, a CIPFA financial management review, an LGA "
        "Corporate Peer Challenge, and Statutory Directions from the Secretary of State for Levelling Up, Housing "
        "and Communities. The single Improvement Plan replaced the Governance Review Improvement Plan which was "
        "approved in January 2022.\n"
        "To ensure that senior officers and members have oversight of delivery against the Improvement Plan, "
        "Council approved that progress will be monitored by Leadership Team monthly and reported to Cabinet "
        "quarterly. This will continue until all actions have been completed, or changes have been embedded into "
        "business-as-usual management mechanisms.",
        SCRUTINY: "A single Improvement Plan was agreed by Council on 7 June 2022 to address recommendations from a "
        "Value for Money Review into the council's governance arrangements, a CIPFA financial management review, an "
        "LGA Corporate Peer Challenge, and Statutory Directions from the Secretary of State for Levelling Up, "
        "Housing and Communities. The single Improvement Plan replaced the Governance Review Improvement Plan which "
        "was approved in January 2022.\n"
        "To ensure that senior officers and members have oversight of delivery against the Improvement Plan, "
        "Council approved that progress will be monitored by Leadership Team monthly and reported to Cabinet "
        "quarterly. This will continue until all actions have been completed, or changes have been embedded into "
        "business-as-usual management mechanisms.\n"
        "This report is the sixth quarterly update to Scrutiny on progress of the Improvement Plan.",
    },
    "progress": {
        "all": "Over the three months to 1 November, we have continued to deliver at pace and embed changes. We are "
        "seeing more evidence of the impact of our improvements. We have received an Area SEND inspection and have "
        "now moved up a level, we achieved a key milestone with the signing of our 2020-2021 accounts and "
        "implemented our Asset Management System providing the tools for us to address an area of concern "
        "previously raised by external reviewers.\n"
        "A comprehensive monitoring tool has been developed which includes a progress status rating for all "
        "actions. The monitoring tool provides quick reference around which actions are on track for delivery, as "
        "well as highlighting areas that may require remedial action or additional levels of assurance."
    },
    "statutory": {
        "all": "In their follow up review 2022, Grant Thornton recognised progress against all three statutory "
        "recommendations."
    },
    "scrutiny": {
        "all": "The Statutory Directions set out that the Council must secure improvement in relation to the proper "
        "functioning of the scrutiny and associated audit functions.\n"
        "In the original Value for Money Governance Review (2021) Grant Thornton set out 3 recommendations that "
        "relate to scrutiny. In their follow up review in Autumn 2022, Grant Thornton commented that 'positive "
        "progress has been made to improve the culture and professionalism of key Council committees, with the "
        "scrutiny function making particular progress.' The LGA Corporate Peer Challenge Follow up review also "
        "found that scrutiny is 'going from strength to strength'.\n"
        "No further improvement recommendations relating to the role and function of scrutiny were made by CIPFA, "
        "Grant Thornton or the LGA in their follow-up reviews of Autumn 2022.",
    },
    "work_programme": {
        SCRUTINY: "Budget & Corporate Scrutiny Management Board have included regular reports on overall progress of "
        "the Improvement Plan on their work programme.\n"
        "Scrutiny's consideration of overall progress of the Improvement Plan and of specific areas within the plan "
        "contributes to creating an effective scrutiny function. This will also assist scrutiny to identify any "
        "additional work planning items linked to the Improvement Plan. An update on the work programme is "
        "provided below.\n"
        "Work Programme Item Requested | Update\n"
        "Combined Authority | The WMCA Chief Executive will be attending the next scrutiny meeting to discuss the "
        "devolution deal and opportunities for funding for Sandwell to ensure there are stronger links between "
        "Sandwell and the WMCA and transparency of decisions that impact on Sandwell.",
        CABINET: OFF,
        AUDIT: OFF,
    },
    "external_reviews": {
        "all": "External assurance continues to play a part in our improvement journey to monitor our progress in "
        "addressing the recommendations made through external reviews. Grant Thornton, LGA and CIPFA conducted "
        "follow up reviews in late 2022. Scrutiny received the follow up reports in March 2023.\n"
        "Reports from Sandwell's Commissioners have been submitted to the Secretary of State on a six-monthly basis. "
        "In their June 2023 report, Commissioners noted the considerable progress made over the first fifteen "
        "months of the intervention towards addressing the significant challenges facing the authority. In their "
        "third report, the Commissioners outlined that their focus over the coming months will be in the following "
        "areas:\n"
        "- Developing the strategic capacity of the organisation\n"
        "- Implementation and embedding of the council's values and behaviours (One Team Framework)\n"
        "- Establishing a comprehensive transformation programme linked to the delivery of the medium-term "
        "financial strategy\n"
        "- Approval of the 2020/21 accounts by the external auditors and a clear timetable for approval of the "
        "2021/22 accounts\n"
        "Grant Thornton returned to Sandwell in October 2023 to conduct a further follow up review and monitor the "
        "council's further progress in addressing the Statutory Recommendations made in 2021 and the additional "
        "key and improvement recommendations made in 2022. Following the receipt of the second follow-up report, "
        "the Improvement Plan will be reviewed to ensure the council is addressing any further recommendations at "
        "either corporate level or within 'business as usual' mechanisms. Changes to the Improvement Plan will be "
        "reported to members through the normal quarterly reporting schedule."
    },
    "risk": {
        "all": "The Improvement Plan Risk Register underpins the council's strategic risk relating to the council's "
        "Improvement Plan (59a 02/22). The risk register is reported monthly to Leadership Team and quarterly to "
        "Cabinet and Audit & Risk Assurance Committee."
    },
    "changes": {
        "all": "The Improvement Plan is intended to be a live document updated to take account of progress and "
        "relevant changes.\n"
        "The Improvement Plan report to Council in June 2022 set out that changes (which may include the addition "
        "of new workstreams or objectives, or the amendment of timescales for delivery of actions) will be tracked "
        "through programme management mechanisms and that Cabinet will retain oversight of changes through regular "
        "formal reporting."
    },
    "governance": {
        "all": _GOVERNANCE + "Any recommendations or comments from Audit & Risk Assurance Committee and Budget & "
        "Corporate Scrutiny Management Board will be reported to Cabinet.",
        CABINET: _GOVERNANCE + "Audit & Risk Assurance Committee and Budget & Corporate Scrutiny Management Board "
        "considered this progress at their meetings in November and made no further recommendations for Cabinet's "
        "consideration.",
    },
    "implications_resources": {
        "all": "The monitoring of the Improvement Plan is being carried out within existing resources. Council's "
        "approval of the single Improvement Plan included allocation of resources to ensure delivery of the "
        "Improvement Plan. These resources are monitored regularly by the Programme Management Office and "
        "Leadership Team."
    },
    "implications_legal": {
        "all": "On 22 March 2022, the Secretary of State for Levelling Up, Housing and Communities issued Directions "
        "under Section 15(5) and (6) of the Local Government Act 1999 (the 1999 Act) in order to ensure that the "
        "council can comply with the requirements of Part 1 of the 1999 Act. Failure to comply with these "
        "Directions may lead to further intervention measures for the council.\n"
        "The delivery of actions within the Plan agreed by Council in June 2022, as well as any subsequently "
        "identified actions, will support the council to achieve sustainable improvement. This will support the "
        "end of government intervention. Ultimately, the changes made through the Improvement Plan will enable "
        "the council to effectively deliver its strategic priorities and ensure it is delivering value for money "
        "for Sandwell."
    },
    "implications_risk": {
        "all": "If the Council fails to take appropriate action to meet the requirements set out in the government "
        "Direction, or the Commissioners appointed by the Secretary of State do not have sufficient confidence that "
        "appropriate actions are being taken to implement and sustain the required improvements, then the council "
        "risks not having appropriate arrangements in place to comply with its best value duty under Part 1 of the "
        "1999 Act. This could lead to further government intervention, increased costs and damage to reputation.\n"
        "A risk register is in place and will be maintained for the duration of the Improvement Plan which will "
        "underpin the council's strategic risk relating to the council's Improvement Plan (59a 02/22). This will "
        "be reported monthly to Leadership Team, quarterly to Cabinet and will be regularly reported to Audit and "
        "Risk Assurance Committee."
    },
    "implications_equality": {
        "all": "The successful delivery of this Improvement Plan will require the development and review of many of "
        "the council's policies and procedures. These changes will build in consideration of the impact on "
        "equalities throughout the development and will include an Equality Impact Assessment where appropriate."
    },
    "implications_health": {
        "all": "The underpinning objective of the Improvement Plan is to ensure the council is able to achieve the "
        "strategic priorities as set out in the Corporate Plan. These priorities focus on improving the health and "
        "wellbeing of our residents and tackling health inequalities in a multi-faceted way. Therefore, any "
        "improvements to the council's governance structures will strengthen the council's ability to deliver "
        "services that will improve the health and wellbeing of Sandwell."
    },
    "implications_social_value": {
        "all": "Within the Improvement Plan, the council is committed to developing the Social Value Policy in "
        "conjunction with the refresh of the Procurement & Contract Procedure Rules. Through strengthening our asks "
        "of contractors through this Social Value Policy and linking them to the Corporate Plan objectives, the "
        "council will be able to maximise its social value return."
    },
    "implications_climate": {
        "all": "The underpinning objective of the Improvement Plan is to ensure the council is able to achieve the "
        "strategic priorities as set out in the Corporate Plan. Green in everything we do is one of the Fairer "
        "Sandwell principles running throughout the Corporate Plan. Any improvements to the council's governance "
        "structures will strengthen the council's ability to embed this principle and further the climate change "
        "agenda."
    },
    "implications_corporate_parenting": {
        "all": "The underpinning objective of the Improvement Plan is to ensure the council is able to achieve the "
        "strategic priorities as set out in the Corporate Plan. These priorities include being a good Corporate "
        "Parent for the children in our care and supporting young people once they leave care. Therefore, any "
        "improvements to the council's governance structures will strengthen the council's ability to be a good "
        "Corporate Parent."
    },
    "background_papers": {
        "all": "Sandwell Council Improvement Plan\n"
        "Approval of Sandwell Council Improvement Plan, Report to Council 7 June 2022\n"
        "Sandwell Council Report to Secretary of State for Levelling Up, Housing and Communities, June 2023\n"
        "Sandwell Council Commissioners: third report to Secretary of State for Levelling Up, Housing and "
        "Communities, June 2023 (published July 2023)\n"
        "Ministerial response to third letter (July 2023)\n"
        "Improvement Plan Progress Reports to Cabinet, Audit and Risk Assurance Committee and Budget and Corporate "
        "Scrutiny Management Board, September 2023\n"
        "Grant Thornton Value for Money Governance Review Follow-up Report 2022\n"
        "Grant Thornton Value for Money Governance Review December 2021 (reissued October 2022)\n"
        "LGA Corporate Peer Challenge Progress Review Report 2022\n"
        "CIPFA Financial Management Report January 2022"
    },
}


def report() -> dict:
    """The sample's Report sheet: ``{"meetings": [...], "texts": {item key: {...}}}``."""
    return {"meetings": list(MEETINGS), "texts": {k: dict(v) for k, v in TEXTS.items()}}
