"""Annual reports: an organisation's report for a calendar year, drafted, approved by a
second person, issued with its figures frozen, and sent to its integrated care board if
it chooses (docs/adr/0023-annual-reports-and-the-icb-view.md).

- models: the report, its versions and the questions an ICB sends back.
- parts: the registry of report parts (pure). A kind of report (lessons learnt; the
  equity report of issue 13 later) is the parts registered for it, in order.
- lessons: the lessons-learnt parts: themes and trends, learning summaries, actions.
- snapshot: a report's figures computed once, as JSON, and read back.
- document: the issued report laid out for paper (DOCX and PDF).
- services, selectors: writes and reads, each audited.
- icb: the ICB's view of its members' themes, side by side.
"""
