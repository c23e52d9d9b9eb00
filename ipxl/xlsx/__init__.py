"""Stage 1, the file: reading a workbook into typed frames (:mod:`.reader`, :mod:`.model`,
:mod:`.convert`; :mod:`.sources` takes what a function is given for the plan and finds
last period's workbook), telling a usable package from one that is not (:mod:`.package`), opening
it as OPC says rather than as Excel lays it out (:mod:`.opc`, :mod:`.calamine`), and
the lossless package engine write-back uses (:mod:`.patch`, :mod:`.sheet`,
:mod:`.styles`, :mod:`.xml`), with atomic writes (:mod:`.safe_write`)."""
