"""Page tags: the technologies, domains and capabilities a topic's personas are about.

Tags are never agent tool ids (``Read``, ``edit/editFiles``, ``search``): tools stay in
the README's persona table. A tag is a known term found in what the personas say about
themselves (title, description, stack, capabilities, front-matter ``tags``), ranked by
how many personas name it, and there are at most
[`MAX_TAGS`][persona_kb._internal.kb.render.tags.MAX_TAGS] of them per page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from persona_kb._internal.core.model import Persona
from persona_kb._internal.kb.titles import display_title
from persona_kb._internal.kb.topics import DOMAINS, TECHNOLOGIES

MAX_TAGS = 8

AGENT_TOOL_IDS = frozenset(
    t.lower()
    for t in ["Read", "Write", "Edit", "MultiEdit", "Bash", "Glob", "Grep", "LS", "TodoWrite", "TodoRead", "Task", "WebFetch", "WebSearch", "NotebookEdit", "NotebookRead", "KillShell", "BashOutput", "SlashCommand", "ExitPlanMode", "Agent", "Skill", "search", "codebase", "edit", "editFiles", "edit/editFiles", "runCommands", "runTasks", "runTests", "problems", "changes", "usages", "fetch", "githubRepo", "findTestFiles", "testFailure", "terminal", "terminalLastCommand", "terminalSelection", "searchResults", "vscodeAPI", "extensions", "openSimpleBrowser", "new", "runNotebooks", "todos", "think", "read_file", "write_file", "list_dir", "grep_search", "file_search", "codebase_search", "run_terminal_cmd", "web_search"]
)
"""Tool ids of Claude Code, Copilot and Cursor agents: never tags."""

# Terms beyond the topic vocabulary: alias → display name.
_TERMS: dict[str, str] = {
    "django": "Django", "fastapi": "FastAPI", "flask": "Flask", "pydantic": "Pydantic",
    "pytest": "pytest", "sqlalchemy": "SQLAlchemy", "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL", "mysql": "MySQL", "mongodb": "MongoDB", "redis": "Redis",
    "sqlite": "SQLite", "docker": "Docker", "kubernetes": "Kubernetes", "k8s": "Kubernetes",
    "terraform": "Terraform", "aws": "AWS", "azure": "Azure", "gcp": "GCP",
    "google cloud": "GCP", "github actions": "GitHub Actions", "ci/cd": "CI/CD",
    "ci cd": "CI/CD", "graphql": "GraphQL", "openapi": "OpenAPI", "rest": "REST",
    "grpc": "gRPC", "oauth": "OAuth", "jwt": "JWT", "owasp": "OWASP", "next.js": "Next.js",
    "nextjs": "Next.js", "nuxt": "Nuxt", "sveltekit": "SvelteKit", "tailwind": "Tailwind CSS",
    "tailwindcss": "Tailwind CSS", "express": "Express", "nestjs": "NestJS",
    "spring boot": "Spring Boot", "rails": "Rails", "laravel": "Laravel", ".net": ".NET",
    "asp.net": "ASP.NET", "swiftui": "SwiftUI", "jetpack compose": "Jetpack Compose",
    "ios": "iOS", "android": "Android", "playwright": "Playwright", "jest": "Jest",
    "vitest": "Vitest", "cypress": "Cypress", "selenium": "Selenium", "llm": "LLM",
    "llms": "LLM", "machine learning": "Machine learning", "ai": "AI", "mcp": "MCP",
    "rag": "RAG", "pandas": "pandas", "numpy": "NumPy", "pytorch": "PyTorch",
    "tensorflow": "TensorFlow", "accessibility": "Accessibility", "a11y": "Accessibility",
    "observability": "Observability", "monitoring": "Monitoring", "microservices":
    "Microservices", "architecture": "Architecture", "documentation": "Documentation",
    "code review": "Code review", "refactoring": "Refactoring", "debugging": "Debugging",
    "devops": "DevOps", "seo": "SEO", "blockchain": "Blockchain", "webassembly": "WebAssembly",
    "typescript": "TypeScript", "javascript": "JavaScript", "html": "HTML", "css": "CSS",
    "git": "Git", "linux": "Linux", "bash": "Shell scripting", "shell": "Shell scripting",
}


def _normalise(text: str) -> str:
    return " " + re.sub(r"[\s_\-]+", " ", text.lower()) + " "


@cache
def _vocabulary() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for table in (TECHNOLOGIES, DOMAINS):
        for slug, (title, aliases) in table.items():
            names.setdefault(slug.replace("-", " "), title)
            for alias in aliases:
                names.setdefault(alias.replace("-", " "), _TERMS.get(alias, title))
    for alias, name in _TERMS.items():
        names[alias] = name
    ordered = sorted(names, key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in ordered)
    return re.compile(rf"(?<![a-z0-9.])({body})(?![a-z0-9])"), names


def terms_in(text: str) -> list[str]:
    """The display names of the known terms ``text`` mentions, each once, in order."""
    pattern, names = _vocabulary()
    return list(dict.fromkeys(names[m.group(1)] for m in pattern.finditer(_normalise(text))))


def _declared_tags(persona: Persona) -> list[str]:
    found = persona.metadata.extra.get("tags")
    if isinstance(found, str):
        found = [t.strip() for t in found.split(",")]
    if not isinstance(found, list):
        return []
    return [display_title(t.strip()) for t in found if isinstance(t, str) and 0 < len(t) <= 30]


def page_tags(
    personas: Sequence[Persona], names: Sequence[str], *, with_terms: bool = True
) -> list[str]:
    """``names`` (a topic page's topic title; every topic title on the index), then, with
    ``with_terms``, terms the personas name, most personas first, up to ``MAX_TAGS``.

    Never an agent tool id, whichever way it came: a topic named like a tool (a "Codebase"
    topic, `codebase` being a Copilot tool id) is not tagged with its name, on its own
    pages or on the index.
    """
    tools = {t.lower() for p in personas for t in p.metadata.tools} | AGENT_TOOL_IDS
    tags: dict[str, str] = {}
    for name in names:
        if name.lower() not in tools:
            tags.setdefault(name.lower(), name)
    if not with_terms:
        return list(tags.values())
    counts: dict[str, int] = {}
    order: dict[str, int] = {}
    for persona in personas:
        meta = persona.metadata
        texts = [persona.title, persona.description, *meta.stack, *meta.capabilities]
        found = dict.fromkeys(terms_in(" , ".join(texts)))
        found.update(dict.fromkeys(_declared_tags(persona)))
        for term in found:
            counts[term] = counts.get(term, 0) + 1
            order.setdefault(term, len(order))
    for term in sorted(counts, key=lambda t: (-counts[t], order[t])):
        if len(tags) >= MAX_TAGS:
            break
        if term.lower() not in tools:
            tags.setdefault(term.lower(), term)
    return list(tags.values())
