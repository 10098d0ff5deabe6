"""The roles a LOTUS user can hold (DOMAIN.md section 1). Pure: no Django import."""

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    CASE_MANAGER = "case_manager"
    PROFESSIONAL_ADVISOR = "professional_advisor"
    PANEL_MEMBER = "panel_member"
    PASTORAL_CONTACT = "pastoral_contact"
    PRACTITIONER = "practitioner"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.CASE_MANAGER: "Case manager",
    Role.PROFESSIONAL_ADVISOR: "Professional advisor",
    Role.PANEL_MEMBER: "Panel member",
    Role.PASTORAL_CONTACT: "Pastoral contact",
    Role.PRACTITIONER: "Practitioner",
    Role.ANALYST: "Analyst",
}

#: Roles that work on named cases as part of a case team.
CASE_STAFF_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.CASE_MANAGER,
        Role.PROFESSIONAL_ADVISOR,
        Role.PANEL_MEMBER,
        Role.PASTORAL_CONTACT,
    }
)

#: Staff roles that may see investigation evidence (documents). A pastoral contact
#: supports the person and is deliberately kept apart from the evidence.
EVIDENCE_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.CASE_MANAGER, Role.PROFESSIONAL_ADVISOR, Role.PANEL_MEMBER}
)

#: Roles that may hold a place on a case team (docs/adr/0016-who-joins-a-case-team.md):
#: the people who investigate and manage the concern. Administrators reach every case of
#: their organisation anyway; a place on the team lets them own tasks on it.
CASE_TEAM_ROLES = frozenset({Role.ADMINISTRATOR, Role.CASE_MANAGER, Role.PROFESSIONAL_ADVISOR})

#: Roles that keep a person off every case team, whatever other roles they hold: a
#: pastoral contact supports the person and must have no part in any investigation.
NEVER_ON_A_CASE_TEAM = frozenset({Role.PASTORAL_CONTACT})


def may_hold_team_place(roles: frozenset) -> bool:
    """Whether someone holding `roles` may be on a case team at all (before the checks
    that depend on the case: organisation, named pastoral contact, the practitioner)."""
    return bool(roles & CASE_TEAM_ROLES) and not roles & NEVER_ON_A_CASE_TEAM


ROLE_CHOICES = [(role.value, role.label) for role in Role]

#: Roles that must use two-step verification (MFA) before reaching any page with data.
#: Practitioners are offered it but not made to use it.
MFA_REQUIRED_ROLES = frozenset(role for role in Role if role is not Role.PRACTITIONER)
