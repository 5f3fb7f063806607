"""Penta Helix sectors of the stakeholder groups (issue #14).

The Penta Helix model groups stakeholders in five sectors: the public sector, academia and
research, industry, civil society, and citizens. Every stakeholder group of the vocabulary maps to
one; a register entry may override its sector (a foundation of a company, a university hospital).
The mapping is the platform's own reading of the group descriptions in ``vocabularies.json``.
"""

from echos.engagement.models import Sector

GROUP_SECTOR: dict[str, str] = {
    "citizens": Sector.CITIZENS,
    "patients": Sector.CIVIL_SOCIETY,
    "healthcare_providers": Sector.PUBLIC,
    "research": Sector.ACADEMIA,
    "industry": Sector.INDUSTRY,
    "authorities": Sector.PUBLIC,
    "regulators_hta": Sector.PUBLIC,
    "funders": Sector.CIVIL_SOCIETY,
    "civil_society": Sector.CIVIL_SOCIETY,
    "eu_institutions": Sector.PUBLIC,
    "beyond_health": Sector.CIVIL_SOCIETY,
    "media": Sector.CIVIL_SOCIETY,
}


def sector_of(group_code: str) -> str:
    """The Penta Helix sector of a stakeholder group (civil society for a group not listed)."""
    return str(GROUP_SECTOR.get(group_code, Sector.CIVIL_SOCIETY))
