"""Evidence a person can see: claim snapshots from the page, and a country brief.

No Dagster here (the pipeline's ``evidence_snapshots`` asset and the CLI call it):

* :mod:`evidence.page_chars` maps a claim's document offsets back to the characters
  pdfium reads on its page, and their boxes;
* :mod:`evidence.snapshot` renders a PDF claim's region of the page with its
  characters highlighted (pypdfium2), or an HTML/TXT claim's sentence (Pillow);
* :mod:`evidence.claims` looks a claim up in the warehouse and its document in the
  raw store, and stores snapshots content-addressed under ``data/evidence/``;
* :mod:`evidence.brief` writes one self-contained HTML file about a country.
"""
