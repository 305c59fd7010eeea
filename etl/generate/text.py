"""Words of the sample: agent names, call and visit notes, threatening phrases, comments."""

from __future__ import annotations

import numpy as np
import polars as pl

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
    "梁",
    "宋",
    "郑",
    "谢",
    "韩",
    "唐",
    "冯",
    "于",
    "董",
    "萧",
)
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "鹏",
    "晓东",
    "雪",
    "婷",
    "建华",
    "志强",
    "海燕",
)
ENGLISH_NAMES = (
    "Chen Wei",
    "Linda Zhou",
    "Kevin Li",
    "Grace Wang",
    "Jason Liu",
    "Amy Huang",
    "Tony Xu",
    "Cindy Lin",
    "Eric Zhang",
    "Vivian Guo",
)

#: Exactly the phrases the compliance lexicon lists; a few notes carry one of them.
THREAT_PHRASES = (
    "不还钱就找你家人",
    "让你好看",
    "让你坐牢",
    "曝光你",
    "上门堵你",
    "we will come to your house",
    "you will regret",
    "arrest you",
    "ruin your life",
    "tell your employer",
)

#: Ordinary notes by call outcome group (Chinese and English mixed as in real desks).
CALL_NOTES: dict[str, tuple[str, ...]] = {
    "unreached": ("", "", "无人接听", "占线", "no answer", "留言", "left voicemail", "关机"),
    "wrong": ("号码错误", "空号", "wrong number", "not the debtor's phone"),
    "third_party": (
        "家属接听，已请其转告回电",
        "同事接听",
        "spouse answered, asked to call back",
        "third party answered, no details given",
    ),
    "promise": (
        "客户承诺还款",
        "同意月底前还款",
        "承诺发薪日还款",
        "promised to pay on payday",
        "agreed to pay part now",
        "客户同意先还部分",
    ),
    "talk": (
        "客户表示资金困难",
        "已说明逾期后果",
        "客户要求减免",
        "客户称已还款，待核实",
        "discussed repayment options",
        "debtor asked for a plan",
        "客户态度良好",
        "约定明天回电",
        "customer disputes the amount",
        "客户失业，收入不稳定",
        "explained fees and balance",
        "客户情绪激动",
    ),
}
VISIT_NOTES = (
    "上门未见本人",
    "家属在家，留下联系卡",
    "本人在家，沟通还款",
    "单位前台拒绝通报",
    "met debtor at home, discussed plan",
    "debtor not at address",
    "现场收取部分还款",
    "客户情绪激动，拒绝沟通",
    "neighbour says moved out",
)
PULSE_COMMENTS_LOW = ("太累了", "客户骂人太多", "加班太多，睡不好", "need a break", "压力很大")
PULSE_COMMENTS_OK = ("还行", "本周顺利", "good week", "团队氛围不错")
ABSENCE_REASONS = ("病假", "事假", "年假", "sick leave")


def people_names(rng: np.random.Generator, n: int, english_share: float = 0.1) -> pl.Series:
    """Chinese names (surname + given name), about ``english_share`` English ones."""
    surname = pl.Series(SURNAMES).gather(rng.integers(0, len(SURNAMES), n))
    given = pl.Series(GIVEN_NAMES).gather(rng.integers(0, len(GIVEN_NAMES), n))
    english = pl.Series(ENGLISH_NAMES).gather(rng.integers(0, len(ENGLISH_NAMES), n))
    use_english = pl.Series(rng.random(n) < english_share)
    return pl.select(
        pl.when(use_english).then(english).otherwise(surname + given).alias("name")
    ).to_series()


def sample(rng: np.random.Generator, options: tuple[str, ...], n: int) -> pl.Series:
    """n strings drawn uniformly from ``options``."""
    return pl.Series(list(options), dtype=pl.String).gather(rng.integers(0, len(options), n))


def with_threats(
    rng: np.random.Generator, notes: pl.Series, threat_p: np.ndarray
) -> tuple[pl.Series, np.ndarray]:
    """Append a threatening phrase to each note with its own probability; returns the notes
    and the mask of threatening ones."""
    mask = rng.random(len(notes)) < threat_p
    phrase = sample(rng, THREAT_PHRASES, len(notes))
    out = pl.select(
        pl.when(pl.Series(mask))
        .then(pl.concat_str([notes, phrase], separator="，"))
        .otherwise(notes)
        .alias("notes")
    ).to_series()
    return out, mask
