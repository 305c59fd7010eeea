"""The generator at larger sizes: teams of about twelve agents under a few sites, the agency's
teams among them, and the shipped sample's six teams kept for the default size."""

from __future__ import annotations

from collections import Counter

import polars as pl

from etl.generate import generate
from etl.generate.staff import AGENCY_NAME, team_layout

SAMPLE_TEAMS = [
    ("T1", "华东一组", "Shanghai", False),
    ("T2", "华东二组", "Shanghai", False),
    ("T3", "华南一组", "Shenzhen", False),
    ("T4", "华北一组", "Beijing", False),
    ("T5", "西南一组", "Chengdu", False),
    ("T6", "外包信达组", "Wuhan", True),
]


def _layout(n_agents: int) -> list[tuple[str, str, str, bool]]:
    teams = team_layout(n_agents)
    return [
        (str(i), str(n), str(s), bool(a))
        for i, n, s, a in zip(teams.team_id, teams.name, teams.site, teams.agency, strict=True)
    ]


def test_the_sample_sizes_keep_the_six_teams():
    for n_agents in (12, 24, 36, 60, 72):
        assert _layout(n_agents) == SAMPLE_TEAMS


def test_teams_grow_with_agents_under_a_few_sites():
    teams = team_layout(2400)
    assert teams.size == 200  # 12 agents a team
    assert len(set(teams.team_id.tolist())) == 200 and len(set(teams.name.tolist())) == 200
    assert teams.team_id[0] == "T001" and teams.team_id[-1] == "T200"  # sort in number order
    per_site = Counter(teams.site.tolist())
    assert set(per_site) == {"Shanghai", "Shenzhen", "Beijing", "Chengdu", "Wuhan"}
    assert min(per_site.values()) >= 20  # every site has several teams
    # about one team in six is the agency's, all at the agency's site, after the in-house ones
    assert teams.agency.sum() == 33
    assert set(teams.site[teams.agency].tolist()) == {"Wuhan"}
    assert not teams.agency[: teams.size - 33].any()
    assert teams.name[teams.agency][:3].tolist() == ["外包信达组", "外包信达二组", "外包信达三组"]
    assert teams.name[teams.site == "Shanghai"][-1] == "华东六十七组"


def test_a_larger_operation_writes_teams_of_about_twelve(tmp_path):
    generate(tmp_path, seed=7, agents=150, accounts=3000, weeks=1)
    agents = pl.read_csv(tmp_path / "agents.csv", infer_schema=False)
    sizes = agents.group_by("team_id").len()["len"]
    assert sizes.len() == 12 and sizes.min() >= 12 and sizes.max() <= 13
    assert agents["site"].null_count() == 0
    per_team = agents.group_by("team_id").agg(
        pl.col("site").n_unique().alias("sites"),
        (pl.col("role") == "supervisor").sum().alias("supervisors"),
        (pl.col("role") == "field").sum().alias("field"),
        pl.col("employment").unique().alias("employment"),
    )
    assert (per_team["sites"] == 1).all() and (per_team["supervisors"] == 1).all()
    assert (per_team["field"] == 2).all()
    agency = agents.filter(pl.col("employment") == "agency")
    assert agency.height > 0 and (agency["agency_name"] == AGENCY_NAME).all()
    assert (per_team["employment"].list.len() == 1).all()  # a team is in-house or the agency's
    # every account belongs to its collector's team, in its team's region
    accounts = pl.read_csv(tmp_path / "accounts.csv", infer_schema=False)
    owners = accounts.join(
        agents.select("agent_id", owner_team="team_id", site="site"), on="agent_id"
    )
    assert owners.height == accounts.height
    assert (owners["team_id"] == owners["owner_team"]).all()
    regions = owners.select("site", "region").unique()
    assert regions["site"].is_unique().all()  # one region per site
