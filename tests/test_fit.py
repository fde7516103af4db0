"""`schakel fit`: constants chosen by cross-validation, figures reported out-of-fold, tuning written once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bot.core.fitting import refusal_threshold
from bot.core.tuning import LinearModel, Tuning, load_tuning, save_tuning
from bot.settings import Settings
from tests.conftest import DEV_SET
from tests.test_cli import schakel


def test_fit_reports_out_of_fold_figures_per_set_and_pooled_without_writing_when_asked(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    small = tmp_path / "klein.jsonl"
    small.write_text("\n".join(DEV_SET.read_text(encoding="utf-8").splitlines()[:12]) + "\n", encoding="utf-8")
    core = Path(__file__).resolve().parents[1] / "bot" / "core"
    shipped = [core / "tuning.json", core / "query_adapter.npz"]
    before = [path.read_bytes() if path.exists() else None for path in shipped]
    result = schakel(indexed_settings, "fit", "--set", str(small), "--folds", "2", "--no-save", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["out_of_fold"]) == {"klein", "alle sets"}
    assert report["out_of_fold"]["alle sets"]["n"] == 12
    assert len(report["per_fold"]["dense_weight"]) == 2  # one choice per fold
    assert [path.read_bytes() if path.exists() else None for path in shipped] == before


def test_fit_by_set_answers_each_set_with_constants_fitted_on_the_others(indexed_settings: Settings,
                                                                          tmp_path: Path) -> None:
    lines = DEV_SET.read_text(encoding="utf-8").splitlines()
    for name, part in (("eerste", lines[:6]), ("tweede", lines[6:12])):
        (tmp_path / f"{name}.jsonl").write_text("\n".join(part) + "\n", encoding="utf-8")
    result = schakel(indexed_settings, "fit", "--set", str(tmp_path / "eerste.jsonl"), "--set",
                     str(tmp_path / "tweede.jsonl"), "--by-set", "--no-save", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["out_of_fold"]["eerste"]["n"] == report["out_of_fold"]["tweede"]["n"] == 6
    assert len(report["per_fold"]["dense_weight"]) == 2  # one fold per set
    one = schakel(indexed_settings, "fit", "--set", str(tmp_path / "eerste.jsonl"), "--by-set", "--no-save")
    assert one.returncode != 0 and "twee sets" in one.stderr


def test_the_refusal_threshold_refuses_at_most_five_percent_of_answerable_questions() -> None:
    answerable = np.array([True] * 20 + [False] * 5)
    probabilities = np.array([0.9] * 18 + [0.3, 0.5] + [0.2, 0.25, 0.4, 0.6, 0.1])
    threshold = refusal_threshold(probabilities, answerable)
    refused = probabilities < threshold
    assert refused[answerable].mean() <= 0.05
    # 0.1, 0.2, 0.25 and 0.4 are refused at the cost of one answerable question (0.3); 0.6 would cost two.
    assert refused[~answerable].sum() == 4


def test_a_tuning_file_round_trips_with_its_fitted_model(tmp_path: Path) -> None:
    model = LinearModel(features=["coverage"], means=[0.5], scales=[0.2], weights=[2.0], bias=0.1, threshold=0.4)
    path = tmp_path / "tuning.json"
    save_tuning(Tuning(dense_weight=0.75, answerable=model), path)
    loaded = load_tuning(path)
    assert loaded.dense_weight == 0.75
    assert loaded.answerable is not None
    assert loaded.answerable.probability({"coverage": 0.9}) > loaded.answerable.probability({"coverage": 0.1})
