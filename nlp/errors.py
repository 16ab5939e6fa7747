"""Every error the library raises, with a code, in one place (spaCy's ``errors.py`` way).

Raise ``XxgkError(Errors.E001, path=..., detail=...)``; the CLI prints ``str(err)`` as one
line that names the file and the problem.
"""

from __future__ import annotations


class Errors:
    E001 = "E001 {path}: no such file or folder"
    E002 = "E002 {path}: unsupported file type '{suffix}' (use .txt .md .html .htm .pdf .docx .doc .wps)"
    E003 = "E003 {path}: the file is empty"
    E004 = "E004 {path}: cannot decode the text ({detail})"
    E005 = "E005 {path}: not a readable {fmt} file ({detail})"
    E006 = "E006 {path}: the PDF has no text layer (its pages are images: a scan?); {detail}"
    E007 = "E007 {path}: the file is too large ({size} bytes; the limit is {limit})"
    E008 = "E008 {path}: no report text found ({detail})"
    E009 = "E009 {path}: internal error while checking ({detail}); please report it"
    E012 = "E012 {path}: not recognised as a 政府信息公开工作年度报告 (no section headings such as 一、总体情况, and no standard table)"
    E014 = "E014 {path}: a .{fmt} file is read through LibreOffice, which is not installed: install it (Debian: apt-get install libreoffice-writer-nogui) or save the report as .docx or .pdf"
    E010 = "E010 model {path}: cannot load ({detail})"
    E011 = "E011 no labelled data to train on ({detail})"
    E013 = "E013 model {path}: no such file; train one with `xxgk model train`, or pass `--model rules` for the rules-only baseline"
    E020 = "E020 Label Studio at {url}: {detail}"
    E021 = "E021 no Label Studio API token: set LABEL_STUDIO_API_KEY or create {path}"
    E022 = "E022 {path}: cannot install Label Studio ({detail})"
    E023 = "E023 port {port} on 127.0.0.1 is busy: free it, or choose another with --port or XXGK_LS_PORT (0 picks a free one)"
    E030 = "E030 store {path}: {detail}"
    E040 = "E040 {where} {name}={value!r}: {detail}"
    E041 = "E041 no check named '{name}' (known: {known})"
    E043 = "E043 configuration file {path}: {detail}"


class XxgkError(Exception):
    """An error a user can act on; ``str()`` is one line naming the file and the problem."""

    def __init__(self, template: str, **kwargs: object) -> None:
        self.code = template.split(" ", 1)[0]
        self.kwargs = kwargs
        super().__init__(template.format(**kwargs))


class IngestError(XxgkError):
    """A file that cannot be read as a report."""
