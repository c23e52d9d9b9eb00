"""Stage 3, the analysis: pure functions over read workbooks. RAG counts
(:mod:`.rollup`) and what changed since last period, in committee wording
(:mod:`.changes`)."""
