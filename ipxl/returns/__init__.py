"""Stage 5, the monthly update round: one return workbook per lead
(:mod:`.make`), each merged back into the master as it comes in (:mod:`.merge`), and
the list of who to chase for what (:mod:`.chase`).

A return holds only its lead's open actions; the columns a lead may change are
unlocked, the rest locked, and a very hidden sheet keeps what each row was in the
master when the return was made, so the merge can tell the lead's change from the
master's (a conflict) and merging twice changes nothing the second time.
"""
