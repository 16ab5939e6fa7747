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
    E023 = "E023 port {port} on 127.0.0.1 is busy: free it, or choose another with --port or its setting (0 picks a free one)"
    E024 = "E024 port {port} on {address} is busy (another xxgk app?): stop it, or choose another port with --port"
    E030 = "E030 store {path}: {detail}"
    E031 = "E031 store {path}: no such file; check reports into it first (xxgk check FILES --db {path}); `xxgk app --new` opens an empty one"
    E032 = "E032 store {path}: the folder {folder} does not exist"
    E033 = "E033 store {path}: opened read-only (the file is not writable), so nothing can be saved to it"
    E034 = "E034 correction of report {sha}: {detail}"
    E035 = "E035 report {sha}: cannot reconcile it again from the store ({detail}); check its file again with xxgk check"
    E036 = "E036 report {name}: not in the store {path} (give a sha256 prefix, a file name or a path as checked)"
    E040 = "E040 {where} {name}={value!r}: {detail}"
    E041 = "E041 no check named '{name}' (known: {known})"
    E043 = "E043 configuration file {path}: {detail}"
    E050 = "E050 {url}: cannot fetch ({detail})"
    E051 = "E051 manifest {path}: cannot read it ({detail})"
    E052 = "E052 engine {engine}: {detail}"
    E060 = "E060 a valid bearer token is required (Authorization: Bearer <the token in the service's token file>)"
    E061 = "E061 {what} {key}: not found"
    E062 = "E062 request: {detail}"
    E063 = "E063 {path}: checking took longer than {seconds} s; check it with xxgk check"


ZH = {
    "E001": "{path}: 文件或文件夹不存在",
    "E002": "{path}: 不支持的文件类型“{suffix}”(支持 .txt .md .html .htm .pdf .docx)",
    "E003": "{path}: 文件是空的",
    "E004": "{path}: 无法识别文字编码({detail})",
    "E005": "{path}: 不是可读取的 {fmt} 文件({detail})",
    "E006": "{path}: PDF 没有文字层(扫描件?),请先做文字识别(OCR)",
    "E007": "{path}: 文件过大({size} 字节,上限 {limit} 字节)",
    "E008": "{path}: 没有找到报告正文({detail})",
    "E009": "{path}: 检查时出现内部错误({detail}),请报告此问题",
    "E012": "{path}: 不像政府信息公开工作年度报告(没有“一、总体情况”等章节标题,也没有标准表格)",
    "E030": "数据库 {path}: {detail}",
    "E031": "数据库 {path} 不存在。请先用 xxgk check 文件 --db {path} 检查报告(xxgk app --new 可打开一个空数据库)",
    "E032": "数据库 {path}: 文件夹 {folder} 不存在",
    "E033": "数据库 {path} 是只读的(文件不可写),不能保存复核结论或更正",
    "E034": "报告 {sha} 的更正: {detail}",
    "E035": "报告 {sha}: 无法根据数据库重新核对({detail}),请用 xxgk check 重新检查该文件",
    "E036": "报告 {name} 不在数据库 {path} 中",
}
"""Chinese wording of the errors a reviewer can meet in the app (same fields as ``Errors``)."""


class XxgkError(Exception):
    """An error a user can act on; ``str()`` is one line naming the file and the problem
    (``zh``: the same in Chinese, where the app shows it)."""

    def __init__(self, template: str, **kwargs: object) -> None:
        self.code = template.split(" ", 1)[0]
        self.kwargs = kwargs
        super().__init__(template.format(**kwargs))

    @property
    def zh(self) -> str:
        """The message in Chinese (``E003 报告.txt: 文件是空的``); English if it has none."""
        template = ZH.get(self.code)
        if template is None:
            return str(self)
        try:
            return f"{self.code} {template.format(**self.kwargs)}"
        except (KeyError, IndexError):
            return str(self)


class IngestError(XxgkError):
    """A file that cannot be read as a report."""
