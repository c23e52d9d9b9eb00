"""Stage 7, the templates: the monitoring workbook template and the sample plan that
ship with ipxl (:mod:`.workbook` lays them out, :mod:`.sample_plan` holds the sample's
facts, :mod:`.bundled` writes every file in ``workbook_templates/``)."""
