"""Stage 2, the checks: what officers typed, judged against the workbook's own Lists
(:mod:`.vocab`), per-column pandera schemas (:mod:`.schemas`) and the cross-field and
cross-sheet rules (:mod:`.validation`), all returning findings, never raising."""
