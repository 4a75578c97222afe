"""Implementation of persona-kb. Everything here is private; import from ``persona_kb``."""
