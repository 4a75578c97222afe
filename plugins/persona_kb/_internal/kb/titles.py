"""Display casing for titles: acronyms and brand names as their owners write them.

Slug-derived titles ("ai-team-dev" → "Ai Team Dev") lose the casing of acronyms and
brands; [`display_title`][persona_kb._internal.kb.titles.display_title] restores it
("AI Team Dev", "AWS Cloud Expert", "CI/CD Automation", ".NET", "iOS", "GitHub").
Only words written all lower-case or capitalised the slug way are changed: a title the
author cased on purpose keeps its casing.
"""

from __future__ import annotations

import re
from functools import lru_cache

BRAND_CASING: dict[str, str] = {
    word.lower().replace(".", "").replace("/", ""): word
    for word in """AI AWS API APIs CI CD CLI SDK SDKs UI UX LLM LLMs ML NLP SQL NoSQL HTML CSS
    JSON YAML XML HTTP HTTPS REST gRPC JWT OAuth SEO QA TDD BDD DDD SRE SSDLC AppSec OWASP
    DevOps DevSecOps MLOps GitOps K8s GCP IoT SaaS PHP CRM ERP DB DBA MCP RAG GPT URL PDF CSV
    SVG CDN DNS TLS SSL SSH VPC IAM ETL GPU CUDA JAX iOS macOS iPadOS watchOS tvOS GitHub
    GitLab PostgreSQL MySQL MongoDB GraphQL JavaScript TypeScript FastAPI NumPy SciPy PyTorch
    TensorFlow OpenAI ChatGPT WordPress YouTube LinkedIn SwiftUI SvelteKit NestJS OpenAPI
    DynamoDB BigQuery WebAssembly Wasm WebSocket WebSockets WebGL WebGPU PowerShell
    SQLAlchemy SQLite MariaDB CockroachDB ClickHouse Elasticsearch OpenSearch RabbitMQ
    NGINX JetBrains IntelliJ PyPI npm pnpm LangChain LangGraph LlamaIndex HuggingFace
    DevTools MAUI ASP.NET .NET Node.js Next.js Nuxt.js Vue.js Express.js Three.js D3.js
    C# C++ F# ARM RTOS FPGA HIPAA GDPR SOC2 PCI ADR ADRs C4 PR PRs MVP PoC KPI KPIs OKR
    OKRs B2B B2C""".split()
}
# Words whose lower-case slug form differs from the brand once punctuation is dropped.
BRAND_CASING.update({"dotnet": ".NET", "net": ".NET", "nodejs": "Node.js", "nextjs": "Next.js",
                     "vuejs": "Vue.js", "csharp": "C#", "cpp": "C++", "fsharp": "F#",
                     "cicd": "CI/CD", "aspnet": "ASP.NET", "vscode": "VS Code"})
_PAIRS = {("ci", "cd"): "CI/CD", ("vs", "code"): "VS Code", ("asp", "net"): "ASP.NET"}
_WORD_RE = re.compile(r"[A-Za-z0-9#+.]+")


def _canonical(word: str) -> str | None:
    if word != word.lower() and word != word.capitalize():
        return None  # cased on purpose by the author
    key = word.lower().rstrip(".").replace(".", "").replace("/", "")
    return BRAND_CASING.get(key)


@lru_cache(maxsize=8192)  # pure, and asked for every persona label of every page
def display_title(text: str) -> str:
    """``text`` with acronyms and brand names cased: ``"Aws Cloud Expert"`` → ``"AWS Cloud
    Expert"``, ``"Ci Cd Automation"`` → ``"CI/CD Automation"``."""
    words = list(_WORD_RE.finditer(text))
    out: list[str] = []
    last = 0
    skip = False
    for index, match in enumerate(words):
        if skip:
            skip = False
            last = match.end()
            continue
        word = match.group(0)
        following = words[index + 1] if index + 1 < len(words) else None
        pair = (word.lower(), following.group(0).lower()) if following else None
        gap = text[match.end() : following.start()] if following else ""
        replacement: str | None
        if pair in _PAIRS and gap in (" ", "-", "/", "_") and _canonical(word) is not None:
            replacement, skip = _PAIRS[pair], True
        else:
            replacement = _canonical(word)
        out.append(text[last : match.start()])
        out.append(replacement if replacement is not None else word)
        last = following.end() if skip and following else match.end()
    out.append(text[last:])
    return "".join(out)
