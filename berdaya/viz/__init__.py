"""Browser presentation: the comparison page (``compare``) and the background comparisons it starts (``jobs``)."""
