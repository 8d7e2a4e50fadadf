"""The triage checker's public address (the README's contract): backspasm_edu.engines.triage."""

from backspasm_edu.engines.triage import Assessment, CareLevel, Case, Reason, assess, parse_case

__all__ = ["Assessment", "CareLevel", "Case", "Reason", "assess", "parse_case"]
