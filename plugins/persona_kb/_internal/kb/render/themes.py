"""Themes of the comprehensive guide: what a persona section is about.

A section's theme comes from its heading: the role a heading plays (``Identity``,
``Best Practices``) and the subject words in it (``Security``, ``Testing``). Subject
words win over the generic roles, so "Security Best Practices" is about security and
"Testing Checklist" about testing; a heading with neither takes its parent's theme.
"""

from __future__ import annotations

from persona_kb._internal.core.model import Section, SectionRole
from persona_kb._internal.markdown.roles import heading_words

THEMES: tuple[tuple[str, str], ...] = (
    ("overview", "Role and scope"),
    ("architecture", "Architecture and patterns"),
    ("practices", "Practices and rules"),
    ("testing", "Testing and quality"),
    ("security", "Security"),
    ("performance", "Performance"),
    ("data", "Data and databases"),
    ("errors", "Errors and troubleshooting"),
    ("tooling", "Tooling and workflow"),
    ("output", "Output and communication"),
    ("learnings", "Learnings and references"),
    ("other", "Other topics"),
)
"""Theme id and heading, in the order the guide shows them."""

_SUBJECTS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "security",
        frozenset(
            """security secure auth authentication authorization authorisation secret secrets
            vulnerability vulnerabilities owasp threat threats privacy compliance crypto
            cryptography encryption permission permissions safety""".split()
        ),
    ),
    (
        "testing",
        frozenset(
            """test tests testing qa coverage tdd bdd e2e quality verification""".split()
        ),
    ),
    (
        "performance",
        frozenset(
            """performance optimization optimisation optimize optimizing caching cache
            latency scalability scaling profiling memory speed""".split()
        ),
    ),
    (
        "data",
        frozenset(
            """database databases sql schema schemas migration migrations orm query queries
            data storage persistence""".split()
        ),
    ),
    (
        "errors",
        frozenset(
            """error errors exception exceptions troubleshooting troubleshoot debugging debug
            failure failures incident incidents recovery""".split()
        ),
    ),
    (
        "tooling",
        frozenset(
            """tool tools tooling ci cd build builds deploy deployment command commands git
            environment setup install installation config configuration workflow process
            steps cli pipeline pipelines""".split()
        ),
    ),
    (
        "output",
        frozenset(
            """output outputs format formatting report reports reporting communication
            documentation docs response deliverable deliverables""".split()
        ),
    ),
    (
        "architecture",
        frozenset(
            """architecture design pattern patterns structure component components api apis
            state organization organisation layout""".split()
        ),
    ),
)

_ROLES: dict[SectionRole, str] = {
    SectionRole.IDENTITY: "overview",
    SectionRole.PURPOSE: "overview",
    SectionRole.GOAL: "overview",
    SectionRole.EXPERTISE: "overview",
    SectionRole.KNOWLEDGE: "overview",
    SectionRole.RESPONSIBILITIES: "overview",
    SectionRole.INPUT: "overview",
    SectionRole.CORE_PATTERNS: "architecture",
    SectionRole.PATTERNS: "architecture",
    SectionRole.BEST_PRACTICES: "practices",
    SectionRole.ANTI_PATTERNS: "practices",
    SectionRole.CONSTRAINTS: "practices",
    SectionRole.ANTI_DRIFT: "practices",
    SectionRole.CHECKLIST: "practices",
    SectionRole.TESTING: "testing",
    SectionRole.PLAYBOOK: "errors",
    SectionRole.WORKFLOW: "tooling",
    SectionRole.STEPS: "tooling",
    SectionRole.OUTPUT: "output",
    SectionRole.LEARNINGS: "learnings",
    SectionRole.REFERENCES: "learnings",
}
_FIRM = frozenset({SectionRole.IDENTITY, SectionRole.PURPOSE, SectionRole.GOAL})
"""Roles no subject word overrides: "Security Engineer Identity" is still the identity."""


def theme_of(section: Section, inherited: str = "other") -> str:
    """The theme of ``section`` (``inherited``, its parent's, when its heading says none)."""
    if section.role in _FIRM:
        return "overview"
    words = set(heading_words(section.title))
    for theme, subjects in _SUBJECTS:
        if words & subjects:
            return theme
    return _ROLES.get(section.role, inherited)


def theme_title(theme: str) -> str:
    """The guide heading of a theme id."""
    return dict(THEMES)[theme]
