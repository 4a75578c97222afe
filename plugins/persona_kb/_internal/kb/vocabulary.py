"""The technology and domain vocabulary automatic topics are built on.

Each entry is ``slug → (display title, aliases)``. Aliases are matched as whole words
in names, titles and descriptions (hyphens, underscores and slashes separate words;
trailing digits are allowed, so ``rails8`` is Rails). Entries come in tiers, and in a
persona's name a more specific subject beats a more general one wherever it stands:
``azure-verified-modules-terraform`` is about Terraform, ``python-mcp-server`` about MCP.

1. ``TOOLS``: tools, frameworks and products with a community of their own;
2. ``PLATFORMS``: clouds and operating systems;
3. ``LANGUAGES``: programming languages (frameworks without a topic of their own count
   for their language, so a Django persona joins ``python``);
4. ``DOMAINS``: kinds of work (``security``, ``testing``, ``documentation``…), tried
   only after every technology.

``GENERIC_WORDS`` are the words that say nothing about a persona's subject (``expert``,
``instructions``, ``best-practices``…): they never make a topic.
"""

from __future__ import annotations

from collections.abc import Mapping

Vocabulary = Mapping[str, tuple[str, tuple[str, ...]]]

TOOLS: Vocabulary = {
    "mcp": ("MCP", ("mcp", "model context protocol")),
    "semantic-kernel": ("Semantic Kernel", ("semantic kernel",)),
    "terraform": ("Terraform", ("terraform", "terragrunt", "opentofu", "hcl")),
    "games": (
        "Game development",
        ("game", "games", "gamedev", "game development", "unity", "unreal", "unreal engine",
         "godot", "minecraft", "bukkit"),
    ),  # fmt: skip
    "bicep": ("Bicep", ("bicep", "arm template", "arm templates")),
    "pulumi": ("Pulumi", ("pulumi",)),
    "ansible": ("Ansible", ("ansible",)),
    "kubernetes": ("Kubernetes", ("kubernetes", "k8s", "helm", "kubectl", "aks", "eks", "gke")),
    "docker": ("Docker", ("docker", "dockerfile", "docker compose", "containerization", "podman")),
    "power-bi": ("Power BI", ("power bi", "powerbi", "pbi", "dax", "power query")),
    "power-platform": (
        "Power Platform",
        ("power apps", "powerapps", "power platform", "power automate", "power pages", "dataverse"),
    ),
    "pcf": ("Power Apps component framework", ("pcf", "power apps component framework")),
    "dynamics": ("Dynamics 365", ("dynamics", "dynamics 365", "d365")),
    "playwright": ("Playwright", ("playwright",)),
    "cypress": ("Cypress", ("cypress",)),
    "selenium": ("Selenium", ("selenium",)),
    "github-actions": ("GitHub Actions", ("github actions", "github workflows")),
    "react-native": ("React Native", ("react native", "expo")),
    "react": ("React", ("react", "reactjs", "react.js", "next.js", "nextjs", "remix")),
    "vue": ("Vue", ("vue", "vuejs", "vue.js", "vue3", "nuxt", "nuxt.js", "pinia")),
    "svelte": ("Svelte", ("svelte", "sveltekit")),
    "angular": ("Angular", ("angular", "angularjs", "ngrx")),
    "astro": ("Astro", ("astro",)),
    "tailwind": ("Tailwind CSS", ("tailwind", "tailwindcss")),
    "flutter": ("Flutter", ("flutter", "dart")),
    "wordpress": ("WordPress", ("wordpress",)),
    "drupal": ("Drupal", ("drupal",)),
    "shopify": ("Shopify", ("shopify", "liquid")),
    "langchain": ("LangChain", ("langchain", "langgraph")),
    "pytorch": ("PyTorch", ("pytorch", "torch")),
    "tensorflow": ("TensorFlow", ("tensorflow", "keras")),
    "jupyter": ("Jupyter", ("jupyter", "notebook", "notebooks")),
    "graphql": ("GraphQL", ("graphql", "apollo")),
    "grpc": ("gRPC", ("grpc", "protobuf")),
    "kafka": ("Kafka", ("kafka",)),
    "elasticsearch": ("Elasticsearch", ("elasticsearch", "opensearch")),
    "supabase": ("Supabase", ("supabase",)),
    "firebase": ("Firebase", ("firebase", "firestore")),
    "prisma": ("Prisma", ("prisma",)),
    "stripe": ("Stripe", ("stripe",)),
    "salesforce": ("Salesforce", ("salesforce", "apex", "lwc")),
    "sap": ("SAP", ("sap", "abap")),
    "servicenow": ("ServiceNow", ("servicenow",)),
    "chrome-extension": ("Chrome extensions", ("chrome extension", "browser extension")),
    "electron": ("Electron", ("electron",)),
    "tauri": ("Tauri", ("tauri",)),
    "solidity": ("Solidity", ("solidity", "ethereum", "web3", "smart contract", "blockchain")),
    "git": ("Git", ("git", "gitflow", "conventional commits")),
    "markdown": ("Markdown", ("markdown", "mdx")),
    "mermaid": ("Mermaid", ("mermaid",)),
    "openapi": ("OpenAPI", ("openapi", "swagger")),
    "nginx": ("nginx", ("nginx",)),
    "figma": ("Figma", ("figma",)),
}

PLATFORMS: Vocabulary = {
    "azure": ("Azure", ("azure", "azd", "entra", "microsoft fabric")),
    "aws": ("AWS", ("aws", "amazon web services", "lambda", "cdk", "cloudformation")),
    "gcp": ("Google Cloud", ("gcp", "google cloud", "bigquery")),
    "cloudflare": ("Cloudflare", ("cloudflare",)),
    "vercel": ("Vercel", ("vercel",)),
    "linux": (
        "Linux",
        ("linux", "arch linux", "ubuntu", "debian", "fedora", "centos", "rhel", "systemd"),
    ),
    "windows": ("Windows", ("windows", "winui", "wpf", "winforms")),
    "macos": ("macOS", ("macos",)),
    "android": ("Android", ("android", "jetpack compose")),
    "ios": ("iOS", ("ios", "swiftui", "uikit")),
    "github": ("GitHub", ("github",)),
    "database": (
        "Databases",
        ("database", "databases", "dba", "sql", "postgresql", "postgres", "psql", "mysql",
         "mariadb", "sql server", "mssql", "ms sql", "t sql", "tsql", "oracle", "plsql",
         "sqlite", "mongodb", "mongo", "redis", "cosmos db", "cosmosdb", "dynamodb",
         "cassandra", "data modeling"),
    ),  # fmt: skip
}

LANGUAGES: Vocabulary = {
    "python": ("Python", ("python", "django", "fastapi", "flask", "pydantic", "pytest", "numpy",
                          "pandas", "polars")),
    "typescript": (
        "TypeScript and JavaScript",
        ("typescript", "ts", "javascript", "ecmascript", "js", "jquery"),
    ),
    "node": ("Node.js", ("node", "nodejs", "node.js", "express", "nestjs", "fastify", "deno", "bun")),
    "go": ("Go", ("go", "golang")),
    "rust": ("Rust", ("rust", "cargo")),
    "java": ("Java", ("java", "jakarta", "maven", "gradle", "jvm", "spring", "spring boot",
                      "springboot", "quarkus")),
    "kotlin": ("Kotlin", ("kotlin", "ktor")),
    "swift": ("Swift", ("swift",)),
    "csharp": (
        "C#",
        ("csharp", "c#", ".net", "dotnet", "asp.net", "aspnet", "asp.net core", "ef core", "nuget",
         "blazor", "maui", "xamarin"),
    ),
    "fsharp": ("F#", ("fsharp", "f#")),
    "ruby": ("Ruby", ("ruby", "rspec", "rails", "ruby on rails")),
    "php": ("PHP", ("php", "symfony", "composer", "laravel")),
    "elixir": ("Elixir", ("elixir", "phoenix")),
    "erlang": ("Erlang", ("erlang",)),
    "scala": ("Scala", ("scala",)),
    "clojure": ("Clojure", ("clojure",)),
    "haskell": ("Haskell", ("haskell",)),
    "ocaml": ("OCaml", ("ocaml",)),
    "cpp": ("C++", ("c++", "cpp", "cmake")),
    "c": ("C", ("c language", "ansi c")),
    "zig": ("Zig", ("zig",)),
    "lua": ("Lua", ("lua",)),
    "perl": ("Perl", ("perl",)),
    "r": ("R", ("r language", "rstats", "tidyverse", "ggplot2")),
    "julia": ("Julia", ("julia",)),
    "matlab": ("MATLAB", ("matlab", "octave")),
    "powershell": ("PowerShell", ("powershell", "pwsh")),
    "bash": ("Shell", ("bash", "shell", "zsh", "shell script")),
    "html-css": ("HTML and CSS", ("html", "css", "sass", "scss")),
}

DOMAINS: Vocabulary = {
    "security": (
        "Security",
        ("security", "secure", "appsec", "devsecops", "owasp", "vulnerability", "pentest",
         "penetration", "penetration tester"),
    ),
    "testing": (
        "Testing",
        ("testing", "test", "tests", "tester", "qa", "quality assurance", "test automation",
         "tdd", "bdd", "unit test", "e2e"),
    ),  # fmt: skip
    "performance": ("Performance", ("performance", "optimization", "profiling")),
    "accessibility": ("Accessibility", ("accessibility", "a11y", "wcag")),
    "api": ("API design", ("api", "apis", "rest", "rest api", "restful")),
    "infrastructure": (
        "Infrastructure and DevOps",
        ("devops", "ci cd", "cicd", "ci", "pipeline", "pipelines", "deployment", "sre",
         "infrastructure", "iac", "observability", "monitoring", "incident",
         "platform engineer", "platform engineering"),
    ),  # fmt: skip
    "documentation": (
        "Documentation",
        ("documentation", "docs", "readme", "technical writer", "technical writing", "docstring"),
    ),
    "code-review": ("Code review", ("code review", "reviewer", "review", "pr review")),
    "refactoring": ("Refactoring", ("refactor", "refactoring", "janitor", "cleanup", "legacy")),
    "debugging": (
        "Debugging",
        ("debug", "debugger", "debugging", "troubleshoot", "troubleshooting", "error", "errors"),
    ),
    "compliance": (
        "Compliance",
        ("compliance", "gdpr", "ccpa", "hipaa", "soc 2", "soc2", "pci", "regulatory"),
    ),
    "planning": (
        "Planning",
        ("plan", "planner", "planning", "prd", "specification", "spec", "requirements", "roadmap"),
    ),
    "architecture": ("Architecture", ("architecture", "architect", "system design", "adr")),
    "ai": (
        "AI and LLMs",
        ("ai", "llm", "llms", "genai", "rag", "prompt engineering", "prompt engineer", "nlp"),
    ),
    "machine-learning": (
        "Machine learning",
        ("ml", "mlops", "machine learning", "deep learning", "reinforcement learning"),
    ),  # fmt: skip
    "data": ("Data", ("data", "analytics", "etl", "data engineering", "data science")),
    "design": ("Design", ("design", "ui", "ux", "ui ux", "frontend design")),
    "mobile": ("Mobile", ("mobile",)),
    "backend": ("Backend", ("backend", "back end", "server side")),
    "frontend": ("Frontend", ("frontend", "front end")),
    "fullstack": ("Full stack", ("fullstack", "full stack")),
    "product": ("Product", ("product", "product manager", "business analyst")),
    "writing": ("Writing", ("writing", "writer", "blog", "copywriting")),
}

ROLE_DOMAINS = frozenset({"backend", "frontend", "fullstack", "mobile"})
"""Domains that name where in a stack a persona works, not what it does: a persona's
``stack`` says more, so these are tried after it."""

TIERS: tuple[Vocabulary, ...] = (TOOLS, PLATFORMS, LANGUAGES)
"""Technology tiers, most specific first; ``DOMAINS`` come after all of them."""

GENERIC_WORDS = frozenset(
    {
        # Roles and adjectives that any persona may carry.
        "expert", "experts", "specialist", "specialists", "engineer", "engineers",
        "developer", "developers", "dev", "pro", "professional", "senior", "principal",
        "lead", "staff", "junior", "master", "guru", "ninja", "wizard", "assistant",
        "helper", "consultant", "advisor", "mentor", "coach", "agent", "subagent", "bot",
        "mode", "chatmode", "beast", "gpt", "claude", "sonnet", "opus", "copilot",
        "persona", "personas", "role", "overview", "introduction", "instructions", "system",
        "cursor", "cursorrules", "windsurf", "cline", "skill", "skills",
        # File kinds and boilerplate.
        "instructions", "instruction", "prompt", "prompts", "rules", "rule", "cursorrules",
        "file", "files", "guide", "guidelines", "guidance", "best", "practices", "practice",
        "standards", "standard", "conventions", "convention", "style", "styleguide",
        "patterns", "pattern", "tips", "general", "common", "core", "basic", "basics",
        "advanced", "modern", "official", "custom", "default", "template", "templates",
        "project", "projects", "setup", "config", "configuration", "workflow", "workflows",
        # Verbs prompt and agent names start with.
        "create", "generate", "generator", "update", "write", "add", "make", "build",
        "builder", "implement", "implementation", "implementer", "convert", "converter",
        "migrate", "migration", "fix", "fixer", "run", "use", "using", "init", "new", "get",
        "manage", "manager", "analyze", "analyzer", "analysis", "optimize", "optimizer",
        "improve", "review", "reviewer", "check", "checker", "validate", "validator",
        "explain", "suggest", "plan", "planner", "planning",
        # Small words.
        "the", "and", "or", "for", "with", "of", "to", "in", "on", "a", "an", "by", "from",
        "my", "your", "v1", "v2", "v3", "md", "mdc",
        # Kinds of code without a subject.
        "code", "coding", "software", "app", "apps", "application", "applications",
        "development", "programming", "system", "systems", "service", "services", "tool",
        "tools", "utility", "utilities", "misc", "other", "stuff", "various",
    }
)  # fmt: skip
"""Words that say nothing about a persona's subject: never a topic."""

GENERIC_FOLDERS = GENERIC_WORDS | frozenset(
    {
        "agents", "subagents", "personas", "persona", "prompts", "rules", "patterns",
        "skills", "plugins", "categories", "category", "data", "chatmodes", "instructions",
        "commands", "vendor", "vendored", "third-party", "third_party", "external", "src",
        "docs", "lib", "library", "collection", "collections", "examples", "example",
        "samples", "sample", "contrib", "community", "experimental", "archive", "old",
        "legacy", "deprecated", "specialized", "specialised", "extras", "extra", "shared",
        ".claude", ".cursor", ".github", ".windsurf", ".clinerules",
    }
)  # fmt: skip
"""Folder names that hold personas without saying anything about their subject."""
