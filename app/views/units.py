"""单位总览: the units of the stored reports with their triage indicators (prompts to look, never
findings), sorted and filtered; the register of units; the aliases that join a unit's names
(editable); coverage of a region for a year. Everything shown is computed by
``nlp.indicators`` over the store; the page only lays it out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.common import clear_cache, report_url, reviewer_field, store, who_saves
from nlp.indicators import INDICATORS, LEVEL_ZH, indicator_table, stored_coverage, unit_indicators, unit_list

ALL = "全部"


def indicators_section() -> None:
    st.subheader("单位指标(提示,不是问题)")
    st.caption("实质公开率 = (予以公开+部分公开)/办结;无法提供占比 = 无法提供/办结;复议纠错率 = 结果纠正/行政复议总计;"
               "结转率 = 结转下年度/(本年新收+上年结转)。同级 = 同一级别、同一年度的单位;件数不足30的比率只显示、不比较;"
               "远超四分位数(1.5倍四分位距)的才提示。")
    every = unit_indicators(store())
    years = sorted({r["year"] for r in every if r["year"] is not None}, reverse=True)
    cols = st.columns([1, 1, 1.4, 1.4, 1, 1])
    year = cols[0].selectbox("年度", [ALL, *years], key="units-year")
    level = cols[1].selectbox("级别", [ALL, *LEVEL_ZH], format_func=lambda k: LEVEL_ZH.get(k, k), key="units-level")
    region = cols[2].text_input("地区", placeholder="如 太原市", key="units-region")
    keys = {i.key: i.zh for i in INDICATORS}
    sort = cols[3].selectbox("排序", [None, *keys], format_func=lambda k: "不排序" if k is None else keys[k], key="units-sort")
    descending = cols[4].toggle("从高到低", value=True, key="units-desc")
    prompted = cols[5].toggle("只看有提示的", key="units-prompted")
    rows = unit_indicators(store(), year=None if year == ALL else year, level=None if level == ALL else level,
                           region=region.strip() or None, prompted_only=prompted, sort=sort, descending=descending)
    if not rows:
        st.info("没有符合条件、有表B或表C的单位报告。")
        return
    table = pd.DataFrame(indicator_table(rows))
    table.insert(0, "打开", [report_url(sha) for sha in table.pop("sha256")])
    st.dataframe(table, hide_index=True, width="stretch", key="units-indicators",
                 column_config={"打开": st.column_config.LinkColumn("打开", display_text="查看"),
                                "年度": st.column_config.NumberColumn("年度", format="%d"),
                                "提示": st.column_config.TextColumn(width=360)})


def register_section() -> None:
    st.subheader("单位登记")
    units = unit_list(store())
    if not units:
        st.info("数据库中还没有能识别单位的报告。")
        return
    st.dataframe(pd.DataFrame([{"单位": u["name"], "简称": u["short"], "级别": u["level_zh"], "地区": u["region"],
                                "报告年度": "、".join(map(str, u["years"])), "报告中的名称": "、".join(u["agencies"]),
                                "编号": u["key"]} for u in units]), hide_index=True, width="stretch", key="units-register")


def aliases_section() -> None:
    st.subheader("单位别名")
    st.caption("报告中的单位名称写法不同或有错字时(如 沐阳县人民政府 → 沭阳县人民政府),在此登记别名,报告即归入同一单位。")
    s = store()
    current = s.alias_rows()
    if current:
        st.dataframe(pd.DataFrame([{"别名": a["alias"], "指向": a["target"], "登记人": a["reviewer"],
                                    "时间": a["created_at"]} for a in current]), hide_index=True, width="stretch",
                     key="units-aliases")
    with st.form("alias-add", clear_on_submit=True, border=False):
        cols = st.columns([2, 2, 1], vertical_alignment="bottom")
        alias = cols[0].text_input("报告中的名称", key="alias-name")
        target = cols[1].text_input("应为", key="alias-target")
        typed = reviewer_field("alias-add")
        if cols[2].form_submit_button("登记别名"):
            name = who_saves(typed, "别名")
            if name:
                try:
                    s.set_alias(alias, target, reviewer=name)
                except ValueError:
                    st.warning("别名和它所指的名称都要填写,且不能相同。")
                else:
                    clear_cache()
                    st.session_state["last_saved"] = f"已登记别名: {alias.strip()} → {target.strip()}"
                    st.rerun()
    if current:
        with st.form("alias-remove-form", border=False):
            cols = st.columns([4, 1], vertical_alignment="bottom")
            gone = cols[0].selectbox("删除别名", [a["alias"] for a in current], key="alias-remove")
            typed = reviewer_field("alias-remove")
            if cols[1].form_submit_button("删除"):
                name = who_saves(typed, "别名的删除")
                if name:
                    s.remove_alias(gone, reviewer=name)
                    clear_cache()
                    st.session_state["last_saved"] = f"已删除别名: {gone}"
                    st.rerun()


def coverage_section() -> None:
    st.subheader("地区覆盖")
    cols = st.columns([1, 2])
    year = cols[0].number_input("年度", min_value=2008, max_value=2100, value=None, step=1, key="cov-year")
    region = cols[1].text_input("地区", placeholder="如 太原市、山西省", key="cov-region")
    if not year or not region.strip():
        st.caption("填写年度和地区,查看该地区哪些单位有该年度的报告、哪些没有。")
        return
    try:
        cov = stored_coverage(store(), int(year), region.strip())
    except ValueError:
        st.warning(f"“{region}”不是行政区划名称。")
        return
    st.markdown(f"**{cov['region']} {cov['year']}年**: {len(cov['reported'])} 个单位有报告,{len(cov['missing'])} 个没有")
    st.dataframe(pd.DataFrame([{"单位": r["name"], "级别": r["level_zh"], "有报告": "是"} for r in cov["reported"]]
                              + [{"单位": r["name"], "级别": r["level_zh"], "有报告": "否"} for r in cov["missing"]]),
                 hide_index=True, width="stretch", key="units-coverage")


def main() -> None:
    st.title("单位总览")
    indicators_section()
    register_section()
    aliases_section()
    coverage_section()


if __name__ == "__main__":
    main()
