# ruff: noqa: E501
"""Texts of the questionnaires assessment ships, listed so that makemessages extracts them.

Generated from ``data/instruments/mapping_survey.json``, ``data/instruments/maturity_model.json`` by
``python -m echos.assessment.instruments_i18n``: regenerate after editing them (a test checks).
See echos.questionnaires.i18n: ``_`` and ``pgettext`` only mark texts, under the names
makemessages extracts (``pgettext`` with its context).
"""

from echos.questionnaires.i18n import gettext_noop as _
from echos.questionnaires.i18n import pgettext_noop as pgettext
from echos.questionnaires.i18n import regenerate

SOURCES = ("data/instruments/mapping_survey.json", "data/instruments/maturity_model.json")
INSTRUMENTS = ("mapping-survey", "ncmh-maturity")
TEXTS = [
    _("Mapping survey of hub-like structures"),
    _(
        "This survey describes a structure that already brings cancer stakeholders together in a country, region or municipality, whether or not it calls itself a Cancer Mission Hub. The answers show how such structures are organised, governed, funded and engaged with citizens, and what they need, so the network can compare them and match peers that can help each other."
    ),
    _("Organisational characteristics"),
    _("What kind of structure this is, who hosts it, how big it is and which area it covers."),
    _("What is the legal form of the structure?"),
    _("Choose how the structure itself is constituted, not the legal form of its members."),
    _("No legal entity (informal network or partnership)"),
    _("Association or non-profit membership organisation"),
    _("Foundation"),
    _("Public body or agency in its own right"),
    _("Unit, programme or project within a host organisation"),
    _("Company (including non-profit or public company)"),
    _("Other"),
    _("What type of organisation hosts the structure?"),
    _("Ministry or government department"),
    _("Public health or research agency"),
    _("Regional or local authority"),
    _("Cancer centre or hospital"),
    _("University or research institute"),
    _("Research funder or funding agency"),
    _("Patient organisation or cancer charity"),
    _("Industry association or business cluster"),
    _("In which year was the structure founded?"),
    _("The year of the first formal meeting, agreement or launch, whichever came first."),
    _("How many staff work for the structure, in full-time equivalents?"),
    _(
        "Count paid time and time seconded by members; leave out unpaid volunteering. Two people at half time are 1 FTE."
    ),
    _("FTE"),
    _("How many organisations are members of the structure?"),
    _("Count organisations, not people; enter 0 if only individuals take part."),
    _("organisations"),
    _("Which stakeholder groups are represented among the members?"),
    _(
        "Tick a group when at least one member organisation (or, for citizens, individual members) belongs to it."
    ),
    _("What is the geographic scope of the structure?"),
    pgettext("questionnaire", "National"),
    pgettext("questionnaire", "Regional"),
    _("Local (municipality or metropolitan area)"),
    _("Multi-level (a national structure with regional or local branches)"),
    _("Which description fits the way the structure was started and is led?"),
    _("If several organisations co-lead and none clearly dominates, choose 'Mixed'."),
    _("Governance"),
    _("How the structure is steered, who sits at the table and how decisions are taken."),
    _("Which decision-making or advisory bodies does the structure have?"),
    _("General assembly of all members"),
    _("Steering or executive board"),
    _("Coordination group or secretariat"),
    _("Scientific or expert advisory board"),
    _("Patient or citizen advisory board"),
    _("Thematic working groups"),
    _("Decisions taken by the host organisation's management"),
    _("No formal bodies yet"),
    _("Does a named group coordinate the structure's day-to-day work?"),
    _("Yes"),
    _("No"),
    _("How many organisations are in the coordination group?"),
    _("Has the structure adopted written terms of reference, statutes or a charter?"),
    _("Yes, adopted"),
    _("A draft exists but has not been adopted"),
    _("Please share the adopted terms of reference (link or file)."),
    _("Optional. It stays visible only to the network team unless you publish it yourself."),
    _("Are patients or patient organisations represented in the structure's governance?"),
    _("Yes, with voting rights in a decision body"),
    _("Yes, in an advisory role only"),
    _("Not yet, but it is planned"),
    _("Are citizens, taking part as individuals, represented in the structure's governance?"),
    _("Citizens here means members of the public, not representatives of an organisation."),
    _("How are most decisions made?"),
    _("By consensus of the members or their representatives"),
    _("By majority vote in a decision body"),
    _("By the lead or host organisation after consulting members"),
    _("By the public authority that mandated the structure"),
    _("Case by case, no fixed rule"),
    _("Stakeholder engagement"),
    _(
        "Which stakeholder groups take part in the structure's work and how deeply each one is engaged."
    ),
    _(
        "Which stakeholder groups take part in the structure's activities, whether or not they are members?"
    ),
    _("At which level are citizens engaged in the structure's work?"),
    _(
        "Pick the level that describes most of your work with this group over the last 12 months, not the best single occasion."
    ),
    _("At which level are patients and patient organisations engaged in the structure's work?"),
    _("At which level are healthcare providers engaged in the structure's work?"),
    _("At which level are research and academia engaged in the structure's work?"),
    _("At which level are industry engaged in the structure's work?"),
    _(
        "At which level are national, regional and local authorities engaged in the structure's work?"
    ),
    _("Citizen participation"),
    _("How the structure reaches citizens and gives them a voice in its work."),
    _("How does the structure involve citizens?"),
    _("Public information (website, newsletter, social media)"),
    _("Public events, talks or open days"),
    _("Surveys or online questionnaires"),
    _("Through patient and civil-society organisations"),
    _("A standing citizen or patient advisory panel"),
    _("Citizens as partners in research projects"),
    _("Citizens are not involved directly"),
    _("Which participatory formats has the structure used in the last 24 months?"),
    _("Citizen panels, juries or assemblies"),
    _("Public consultations"),
    _("Focus groups or interviews"),
    _("Co-creation workshops"),
    _("Hackathons or challenge events"),
    _("Citizen science projects"),
    _("Living labs"),
    _("None of these"),
    _(
        "Which groups that are often under-represented in cancer policy has the structure reached on purpose?"
    ),
    _("Tick a group only when an activity was designed or adapted to reach it."),
    _("People in rural or remote areas"),
    _("People on low incomes or in socio-economic difficulty"),
    _("Children, adolescents and young adults"),
    _("Older people"),
    _("Migrants and ethnic or linguistic minorities"),
    _("People with disabilities"),
    _("People with low health literacy"),
    _("None specifically"),
    _("Do people who give input learn what happened with it?"),
    _("Yes, we report back after every participation activity"),
    _("Sometimes"),
    _("Not applicable: we have not asked for input yet"),
    _("Funding"),
    _("Where the structure's money comes from, how much it has and for how long it is secured."),
    _("Which sources fund the structure?"),
    _(
        "Include in-kind contributions such as seconded staff or meeting rooms under the source that provides them."
    ),
    _("National government"),
    _("Regional or local government"),
    _("EU programmes (e.g. Horizon Europe, EU4Health, Interreg)"),
    _("Foundations or charities"),
    _("Industry"),
    _("Membership fees"),
    _("In-kind contributions only"),
    _("No funding"),
    _("What is the structure's annual budget in cash?"),
    _(
        "The current or most recent year, excluding in-kind contributions. Leave empty if there is no cash budget."
    ),
    _("Until when is the main funding secured?"),
    _(
        "The end date of the current grant, budget line or agreement; leave empty if open-ended or unknown."
    ),
    _("From today, how long is the structure's core funding secured?"),
    _("Less than 1 year"),
    _("1 to 3 years"),
    _("More than 3 years"),
    _("Open-ended (structural funding)"),
    _("No funding secured"),
    _("Activities"),
    _(
        "What the structure does, which Mission objectives and policy areas it covers and how often it acts."
    ),
    _("Which types of activity has the structure carried out in the last 12 months?"),
    _("Awareness raising and public information"),
    _("Knowledge exchange between members"),
    _("Research coordination or joint research"),
    _("Policy advice or input to cancer plans"),
    _("Citizen engagement events"),
    _("Training and capacity building"),
    _("Matchmaking for projects and calls"),
    _("Data sharing or research infrastructure"),
    _("Running or co-funding calls"),
    _("Which objectives of the EU Mission on Cancer do the activities address?"),
    _("Which policy areas do the activities cover?"),
    _(
        "Areas beyond health, such as employment or education, matter for the 'Cancer in all' approach."
    ),
    _(
        "How many activities (events, meetings open beyond the core team, publications, campaigns) did the structure run in the last 12 months?"
    ),
    _("activities"),
    _("With which European initiatives has the structure worked in the last 24 months?"),
    _("Projects funded by the EU Mission on Cancer"),
    _("Europe's Beating Cancer Plan actions or Joint Actions"),
    _("Comprehensive cancer centre or infrastructure initiatives (e.g. CCI4EU)"),
    _("European Reference Networks"),
    _("ECHoS activities or other Cancer Mission Hubs"),
    _("EU agencies or Commission services"),
    _("Other European initiatives"),
    _("None yet"),
    _("Perspectives"),
    _("Where the structure wants to go in the next three years and what would help it get there."),
    _("What are the structure's top priorities for the next three years?"),
    _("Choose up to three."),
    _("Obtain a formal mandate or recognition"),
    _("Secure long-term funding"),
    _("Bring in missing stakeholder groups"),
    _("Give citizens and patients a stronger voice"),
    _("Set up regional or local branches"),
    _("Influence national cancer policy"),
    _("Start joint research and innovation projects"),
    _("Strengthen prevention and early detection"),
    _("Reduce inequalities in cancer"),
    _("Work with sectors beyond health (employment, education, social affairs)"),
    _("Collaborate with European initiatives and other hubs"),
    _("Measure and show impact"),
    _("What does the structure do well that others could learn from?"),
    _(
        "For example a governance arrangement, a participation format or a funding model that worked."
    ),
    _("What does the structure most need to develop further?"),
    _("A formal mandate or political backing"),
    _("Staff and time"),
    _("Buy-in from stakeholders"),
    _("Skills (e.g. facilitation, evaluation, communication)"),
    _("Data and evidence"),
    _("Visibility"),
    _("Connections with European initiatives"),
    _("Ways to reach citizens"),
    _("What support would the structure like from the network of Cancer Mission Hubs?"),
    _("Peer exchange with other hubs"),
    _("Twinning or study visits"),
    _("Templates (terms of reference, membership agreements, work plans)"),
    _("Training"),
    _("Matchmaking with European initiatives"),
    _("Advice on funding opportunities"),
    _("Communication material"),
    _("None at the moment"),
    _("What could the structure offer other hubs?"),
    _("Host a study visit"),
    _("Mentor a hub that is starting"),
    _("Share documents and templates"),
    _("Present a practice at a knowledge-exchange session"),
    _("Run a joint activity or project"),
    _("Is there anything else the network should know about the structure?"),
    _("NCMH maturity model"),
    _(
        "A self-assessment of how far a Cancer Mission Hub has developed in eight dimensions, from a first initiative (level 1) to a leading, sustained hub (level 5). The hub team rates each dimension together, naming the facts behind each rating, and uses the resulting profile to plan its next steps and find peers to learn from."
    ),
    _("Governance and leadership"),
    _(
        "How clearly the hub is led, how its decisions are taken and how firmly it is anchored in national or regional cancer policy."
    ),
    _("Which level best describes the hub's governance and leadership?"),
    _(
        "Choose the highest level whose description is fully true today. Each level assumes that everything in the levels below it is also in place; if one element is missing, choose the level below."
    ),
    _("Informal"),
    _(
        "No written agreement says who leads the hub or how it decides; one person or organisation calls meetings when needed and decisions are not recorded."
    ),
    _("Convened"),
    _(
        "A named lead organisation and contact person coordinate the hub and a core group meets at least twice a year, but terms of reference are missing or still in draft."
    ),
    _("Formalised"),
    _(
        "Written terms of reference, approved by all founding members, set out roles, membership rules and how decisions are taken; the coordination group meets at least quarterly and minutes go to all members."
    ),
    _("Mandated"),
    _(
        "In addition, a public authority has formally endorsed the hub in writing (for example a ministerial letter or a mention in the national cancer plan), and a multi-year work plan approved by the coordination group is reviewed every year."
    ),
    pgettext("questionnaire", "Sustained"),
    _(
        "In addition, the hub has come through at least one change of chair or lead organisation without a break in its work, and written rules on succession and conflicts of interest are applied; the terms of reference were reviewed with members in the last three years."
    ),
    _("What supports this level? What is missing for the next?"),
    _(
        "Name the documents, decisions or facts behind your rating, and the step that would take the hub one level up."
    ),
    _("Stakeholder representation"),
    _(
        "How completely the hub's membership and decision bodies reflect the stakeholder groups concerned by cancer, inside and beyond health."
    ),
    _("Which level best describes how stakeholders are represented in the hub?"),
    _("Single-sector"),
    _(
        "Members come from one or two stakeholder groups (for example only research institutes, or only authorities), and nobody has checked which groups are missing."
    ),
    _("Broadening"),
    _(
        "Members come from at least three stakeholder groups and the missing groups are known, but there is no written plan or target to bring them in."
    ),
    _("Balanced"),
    _(
        "Members come from at least five stakeholder groups, including patients and public authorities; a member list by group is kept and compared at least once a year with a written list of groups still to recruit."
    ),
    _("Inclusive"),
    _(
        "Members come from at least seven stakeholder groups, including at least one actor beyond health (such as employers, schools or social services); patient or civil-society representatives hold voting seats in the coordination group."
    ),
    _("Comprehensive"),
    _(
        "Every group relevant to the hub's scope, citizens included, is a member or formally linked; a written rule allocates seats so that no single group holds a majority, and the published composition is reviewed yearly for gaps by region and by under-served population."
    ),
    _("Citizen engagement"),
    _(
        "How far citizens, patients and communities can shape the hub's work, from receiving information to sharing decisions."
    ),
    _("Which level best describes how the hub engages citizens?"),
    _("Not addressed"),
    _(
        "The hub has no activity aimed at citizens; any contact with the public happens only through individual members' own channels."
    ),
    _("Informing"),
    _(
        "The hub publishes information for the public (web page, newsletter or open event) at least twice a year, but citizens have no channel to give input."
    ),
    _("Consulting"),
    _(
        "At least once a year the hub runs a structured consultation of citizens (survey, public consultation or focus group) and publishes a summary of what it heard and how the input was used."
    ),
    _("Involving"),
    _(
        "Citizens or patients take part from start to finish in designing at least one hub activity or recommendation a year (for example a citizen panel or co-creation workshop), and at least one activity a year is designed to reach an under-represented group."
    ),
    _("Sharing decisions"),
    _(
        "Citizens hold a standing role in decisions, such as voting seats or a citizen panel whose recommendations the coordination group must answer in writing; who took part and what changed as a result is evaluated and published every year."
    ),
    _("Activities and services"),
    _(
        "How planned, regular and broad the hub's activities are, and how far others rely on the services it offers."
    ),
    _("Which level best describes the hub's activities and services?"),
    _("Ad hoc"),
    _(
        "The hub meets or holds events occasionally, without a plan; there was at most one activity in the last 12 months."
    ),
    pgettext("questionnaire", "Planned"),
    _(
        "A yearly activity plan exists and one to three activities were delivered in the last 12 months, mostly meetings and information sharing among members."
    ),
    _("Regular programme"),
    _(
        "A written annual plan covers at least two Mission objectives, and at least four activities of at least two types (such as knowledge exchange, policy dialogue, awareness) were delivered in the last 12 months, at least one open to non-members."
    ),
    _("Service portfolio"),
    _(
        "The hub offers named services that members and outside stakeholders request (such as matchmaking for calls, policy briefs or training); together its activities cover all Mission objectives and at least one policy area beyond health."
    ),
    _("Reference point"),
    _(
        "Authorities or stakeholders asked the hub for input at least twice in the last 12 months and at least one of its outputs was taken up by others; the portfolio is revised every year using user feedback and request data."
    ),
    _("Alignment and synergies with European initiatives"),
    _(
        "How well the hub knows, connects with and adds to the EU Mission on Cancer, Europe's Beating Cancer Plan and related European initiatives."
    ),
    _("Which level best describes the hub's alignment and synergies with European initiatives?"),
    _("Unconnected"),
    _(
        "The hub does not track European cancer initiatives; any link to the Mission or Europe's Beating Cancer Plan runs only through individual members."
    ),
    _("Aware"),
    _(
        "The hub keeps a list of Mission and Beating Cancer Plan projects with partners in its country and passes on European calls and events to its members."
    ),
    _("Connected"),
    _(
        "The hub has named contacts in at least three European initiatives, takes part in network activities such as knowledge-exchange sessions at least twice a year, and tags its own activities by Mission objective."
    ),
    pgettext("questionnaire", "Collaborating"),
    _(
        "In the last 12 months the hub ran at least one joint activity or output with another hub or European initiative (such as twinning, a joint event or a shared report) and fed European results into a national or regional policy process."
    ),
    _("Synergy driver"),
    _(
        "The hub leads or co-leads a cross-border collaboration, its work plan maps every action to Mission objectives and Beating Cancer Plan pillars, and it mentors at least one other hub."
    ),
    _("Funding and resources"),
    _(
        "How secure, sufficient and diversified the money, staff and in-kind resources behind the hub are."
    ),
    _("Which level best describes the hub's funding and resources?"),
    _("Unfunded"),
    _(
        "The hub has no budget and no staff time set aside; it runs on the goodwill of individual members."
    ),
    _("In-kind or short-term"),
    _(
        "The hub runs on in-kind contributions (staff time, rooms) from one or two members, or on a single grant ending within 12 months; no one is assigned to the hub as part of their job description."
    ),
    _("Dedicated"),
    _(
        "The hub has a recorded budget for the current year that pays for at least 0.5 FTE of coordination, even if it comes from a single source."
    ),
    _("Diversified"),
    _(
        # xgettext:no-python-format
        "At least two independent sources fund the hub, none providing more than 70% of the budget; core costs are secured for at least the next 24 months, and a budget and financial report are approved every year."
    ),
    _(
        "Core funding is structural or secured for at least three years (for example a line in a public budget), staff are on permanent or multi-year contracts, and a written continuity plan says what happens if the largest source stops."
    ),
    _("Monitoring and impact"),
    _(
        "How systematically the hub records what it does, measures what changes as a result and uses that to improve."
    ),
    _("Which level best describes how the hub monitors its work and impact?"),
    _("Not monitored"),
    _("The hub keeps no records of its activities or results beyond e-mails and meeting notes."),
    _("Counted"),
    _(
        "The hub keeps a log of its activities with dates and numbers of participants and members, but has no agreed indicators or targets."
    ),
    _("Indicators set"),
    _(
        "A written set of indicators with baselines and targets, covering at least outputs (such as events held or members by stakeholder group), is reported to members at least once a year."
    ),
    _("Outcome-oriented"),
    _(
        "A written impact model links activities to intended outcomes; indicators include outcomes (such as policy changes influenced or projects started), an annual report is published, and the last work plan was changed because of the results."
    ),
    _("Evaluated and learning"),
    _(
        "An external or peer evaluation took place in the last three years and the findings and the hub's response were published; the hub reports its data to network-level monitoring on time."
    ),
    _("Communication and visibility"),
    _(
        "How visible and understandable the hub is to its members, decision-makers, the media and the public."
    ),
    _("Which level best describes the hub's communication and visibility?"),
    _("Invisible"),
    _("The hub has no channel of its own; only its members know it exists."),
    _("Basic presence"),
    _(
        "A web page, on its own site or the host's, states the hub's purpose and a contact address; news appears now and then through members' channels."
    ),
    pgettext("questionnaire", "Active"),
    _(
        "The hub's own website lists its members and is updated at least monthly, and a newsletter or social-media account publishes at least monthly; Mission and EU funding acknowledgements are used correctly."
    ),
    _("Planned outreach"),
    _(
        "A written communication plan names target audiences, including citizens addressed in the national language(s) in accessible formats; the hub measures its reach and was covered by the media at least once in the last 12 months."
    ),
    _("Recognised voice"),
    _(
        "Media and authorities cite or invite the hub as a reference on the Mission several times a year; its public content is available in every national language and meets accessibility standards, and the communication plan is revised yearly using measured results."
    ),
]


if __name__ == "__main__":
    regenerate("assessment", "instruments_i18n", SOURCES)
