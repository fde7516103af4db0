"""The approved overlay as a YAML patch against knowledge/units.yaml (`schakel knowledge export`)."""

from __future__ import annotations

import yaml

from bot.knowledge.schema import ReportedFact, UnitPatch, UnitsPatchFile
from bot.state.corrections import Correction

HEADER = (
    "# Goedgekeurde meldingen uit Schakel, als patch op knowledge/units.yaml (schakel knowledge export).\n"
    "# Per eenheid: wat gebruikers meldden en een beheerder goedkeurde. Neem het over in units.yaml met de\n"
    "# bronregels uit de studie, of laat het als melding staan; `load_units_patch` controleert dit bestand.\n"
)


def units_patch(approved: list[Correction]) -> UnitsPatchFile:
    by_unit: dict[str, list[ReportedFact]] = {}
    for correction in approved:
        fact = correction.overlay_fact()
        by_unit.setdefault(correction.unit_id, []).append(ReportedFact(
            melding=correction.id, field=correction.field, text=correction.new_value,
            replaces=correction.old_value, source=fact.source_label()))
    return UnitsPatchFile(patch_of="knowledge/units.yaml",
                          units=[UnitPatch(id=unit_id, reported=facts) for unit_id, facts in by_unit.items()])


def patch_yaml(patch: UnitsPatchFile) -> str:
    body = yaml.safe_dump(patch.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=110)
    return HEADER + body
