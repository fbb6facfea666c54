from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_overrides import IDEAS, machine_tables

from pipeline.io.artefacts import read_parquet, write_parquet
from pipeline.stages import review as review_stage


class TestReviewStage:
    @staticmethod
    def _inputs(tmp_path: Path, overrides: str) -> tuple[list[str], dict[str, Path]]:
        paths = {}
        for name, frame in machine_tables().items():
            paths[name] = tmp_path / "in" / f"{name}.parquet"
            write_parquet(frame, paths[name])
        paths["overrides"] = tmp_path / "review" / "overrides.yaml"
        paths["overrides"].parent.mkdir()
        paths["overrides"].write_text(overrides, encoding="utf-8")
        out = tmp_path / "out"
        paths |= {
            "out": out / "reviewed_ideas.parquet",
            "themes_out": out / "reviewed_themes.parquet",
            "log_out": out / "review_log.json",
            "metrics_out": out / "metrics" / "review.json",
        }
        argv = [
            "--ideas", str(paths["ideas"]),
            "--idea-themes", str(paths["idea_themes"]),
            "--idea-swot", str(paths["idea_swot"]),
            "--themes", str(paths["themes"]),
            "--overrides", str(paths["overrides"]),
            "--out", str(paths["out"]),
            "--themes-out", str(paths["themes_out"]),
            "--log-out", str(paths["log_out"]),
            "--metrics-out", str(paths["metrics_out"]),
        ]  # fmt: skip
        return argv, paths

    def test_writes_the_reviewed_tables_log_and_metrics(self, tmp_path: Path) -> None:
        overrides = """\
# Plānotāja labojumi
rename:
  culture: {lv: "Kultūra un bibliotēkas", en: "Culture and libraries"}
merge:
  - themes: [new-1, culture]
    into: culture
move:
  "3-1": families_children
  "77-1": roads
swot:
  ideas: {"6-1": v}
hide: ["12-1"]
"""
        argv, paths = self._inputs(tmp_path, overrides)
        assert review_stage.main(argv) == 0

        ideas = read_parquet(paths["out"]).set_index("idea_id")
        assert ideas.index.tolist() == [row[0] for row in IDEAS]
        assert ideas.loc["3-1", ["theme", "machine_theme"]].tolist() == [
            "families_children", "roads"
        ]  # fmt: skip
        assert ideas.loc["3-1", "theme_by_person"]
        assert ideas.loc["6-1", ["swot", "machine_swot"]].tolist() == ["W", "S"]
        assert ideas.loc["12-1", "hidden"] and not ideas.loc["1-1", "hidden"]
        assert ideas.loc["5-1", "theme_name"] == "Kultūra un bibliotēkas"

        themes = read_parquet(paths["themes_out"]).set_index("theme")
        assert themes.index.tolist() == ["culture", "families_children", "roads"]
        assert list(themes.loc["culture", "keywords"]) == ["kultūras nams", "bibliotēka",
                                                           "koncerts"]  # fmt: skip
        assert list(themes.loc["culture", "merged_from"]) == ["new-1"]
        assert list(themes.loc["roads", "merged_from"]) == []
        assert themes.loc["culture", ["name_en", "renamed"]].tolist() == [
            "Culture and libraries", True
        ]  # fmt: skip
        assert themes.loc["roads", ["n_ideas", "n_responses", "votes"]].tolist() == [3, 3, 14.0]

        log = json.loads(paths["log_out"].read_text(encoding="utf-8"))
        assert [entry["kind"] for entry in log["applied"]] == [
            "merge", "rename", "move", "swot_idea", "hide"
        ]  # fmt: skip
        assert log["unmatched"] == [
            {"kind": "move", "target": "77-1", "reason": log["unmatched"][0]["reason"]}
        ]
        assert "no idea '77-1'" in log["unmatched"][0]["reason"]
        # The stage names the ideas file it was given: that is where the user finds the ids.
        assert log["unmatched"][0]["reason"].endswith(f"of {paths['ideas']})")
        metrics = json.loads(paths["metrics_out"].read_text(encoding="utf-8"))
        assert metrics == {"merge": 1, "rename": 1, "move": 1, "swot_theme": 0,
                           "swot_idea": 1, "hide": 1, "unmatched": 1}  # fmt: skip

    def test_missing_overrides_file_means_the_machine_results(self, tmp_path: Path) -> None:
        argv, paths = self._inputs(tmp_path, "")
        paths["overrides"].unlink()
        assert review_stage.main(argv) == 0
        ideas = read_parquet(paths["out"])
        assert (ideas["theme"] == ideas["machine_theme"]).all()
        assert not ideas["hidden"].any()
        assert json.loads(paths["log_out"].read_text(encoding="utf-8")) == {
            "applied": [],
            "unmatched": [],
        }

    def test_broken_overrides_file_stops_with_a_clear_message(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        argv, paths = self._inputs(tmp_path, 'swot:\n  ideas: {"6-1": X}\n')
        assert review_stage.main(argv) == 2
        message = capsys.readouterr().err
        assert message.startswith("balsis review: error: ")
        assert str(paths["overrides"]) in message
        assert "swot ideas '6-1'" in message and "'X' is not a SWOT quadrant" in message
        assert "V (vājās puses)" in message
        assert "Traceback" not in message
        assert not (tmp_path / "out").exists()
