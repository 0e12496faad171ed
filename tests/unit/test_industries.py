"""Unit tests of hokuriku.codes.industries (canonical keys, name mapping across JSIC revisions)."""

import pandas as pd
import pytest

from hokuriku.codes import industries as ind
from hokuriku.errors import InputError


def test__rev13_keys__are_the_24_classes_in_code_order():
    keys = ind.rev13_keys()
    assert len(keys) == 24
    assert [ind.rev13_code(k) for k in keys] == [f"{i:02d}" for i in range(9, 33)]


def test__labels():
    assert ind.name_ja("chemicals") == "化学工業"
    assert ind.short_label("production_machinery") == "生産用機械器具"
    assert ind.short_label("chemicals") == "化学工業"
    assert ind.key_of_rev13_code("28") == "electronic_parts"
    with pytest.raises(InputError, match="Unknown industry_key"):
        ind.name_ja("semiconductors")


def test__map_names__same_class_across_revisions():
    names = pd.Series(["電子部品・デバイス製造業", "電子部品・デバイス・電子回路製造業"])
    assert ind.map_names(names, pd.Series(["11", "12"])).tolist() == ["electronic_parts", "electronic_parts"]


def test__map_names__same_name_different_scope_by_revision():
    # 電気機械器具製造業 is broader in Rev.10 (it still contains 情報通信機械 and 電子部品).
    names = pd.Series(["電気機械器具製造業", "電気機械器具製造業"])
    assert ind.map_names(names, pd.Series(["10", "12"])).tolist() == ["electrical_machinery_broad",
                                                                        "electrical_machinery"]


def test__map_names__width_and_space_variants():
    names = pd.Series(["繊維工業（衣服、その他の繊維製品を除く）", "繊維工業(衣服、その他の繊維製品を除く)", "化学 工業"])
    assert ind.map_names(names, "11").tolist() == ["textiles_excl_apparel", "textiles_excl_apparel", "chemicals"]


def test__map_names__unmapped_raises_or_warns():
    with pytest.raises(InputError, match="半導体製造業"):
        ind.map_names(pd.Series(["半導体製造業"]), "13", context="x.csv")
    with pytest.warns(UserWarning, match="not in"):
        out = ind.map_names(pd.Series(["半導体製造業"]), "13", on_unmapped="warn")
    assert out.isna().all()


def test__unused_mappings__lists_what_a_dataset_did_not_use():
    names = pd.Series([r for r in ind.name_map().query("jsic_revision == '13'")["name_published"] if r != "鉄鋼業"])
    assert ind.unused_mappings(names, "13") == [("13", "鉄鋼業")]
    with pytest.warns(UserWarning, match="鉄鋼業"):
        ind.map_names(names, "13", warn_on_unused=True)


def test__panel_group__collapses_revision_changes():
    assert {ind.panel_group(k) for k in ("general_machinery", "precision_machinery", "production_machinery")} == {
        "machinery"}
    assert {ind.panel_group(k) for k in ("electrical_machinery_broad", "electronic_parts")} == {
        "electrical_electronics"}
    assert {ind.panel_group(k) for k in ("textiles", "apparel", "textiles_excl_apparel")} == {"textiles_apparel"}
