"""上传: check a report file on the spot (``nlp.pipeline.check``) and store the result; a file
that cannot be read shows its one-line error."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from app.common import report_url, save_result
from nlp.errors import XxgkError

TYPES = ["txt", "html", "htm", "pdf", "docx", "md", "doc", "wps"]
MAX_MB = 20


def check_upload(name: str, data: bytes) -> str:
    """Check the uploaded bytes as a file of the same name; store and return the sha256."""
    from nlp.pipeline import check

    with tempfile.TemporaryDirectory(prefix="xxgk-upload-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        try:
            result = check(path)
        except XxgkError as err:  # name the file as the user knows it, not the temp path
            err.kwargs = {k: (Path(name).name if str(v) == str(path) else v) for k, v in err.kwargs.items()}
            err.args = (str(err).replace(str(path), Path(name).name),)
            raise
    result.document = replace(result.document, source=Path(name).name)
    return save_result(result)


def main() -> None:
    st.title("上传报告")
    st.caption(f"支持 {' '.join('.' + t for t in TYPES)},单个文件不超过 {MAX_MB} MB。检查结果存入数据库。")
    files = st.file_uploader("选择报告文件", type=TYPES, accept_multiple_files=True,
                             max_upload_size=MAX_MB)
    done = st.session_state.setdefault("uploaded", {})
    for f in files or []:
        key = f"{f.name}:{f.size}:{getattr(f, 'file_id', '')}"
        if key not in done:
            if f.size > MAX_MB * 1024 * 1024:
                done[key] = ("error", f"{f.name}: 文件过大({f.size / 1048576:.1f} MB,上限 {MAX_MB} MB)")
            else:
                try:
                    with st.spinner(f"正在检查 {f.name} …"):
                        done[key] = ("ok", check_upload(f.name, f.getvalue()))
                except XxgkError as err:
                    done[key] = ("error", err.zh)
                except Exception as err:  # a defect of ours: one line, not a traceback
                    done[key] = ("error", f"{f.name}: 检查失败,程序内部错误({type(err).__name__}),请报告此问题")
        status, value = done[key]
        if status == "ok":
            st.success(f"{f.name} 已检查并保存。")
            st.markdown(f"[查看 {f.name} 的报告详情]({report_url(value)})")
        else:
            st.error(value)


if __name__ == "__main__":
    main()
