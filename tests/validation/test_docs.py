"""The docs generator (validation.docs): pages from a real run's CSVs, hand notes kept."""

import csv
import json

from dctheory.cli import main as dctheory_main
from validation import docs


def test_page_from_a_quick_run_keeps_the_hand_notes(tmp_path, capsys):
    out, pages = tmp_path / "out", tmp_path / "pages"
    assert dctheory_main(["validate", "lemma1", "--quick", "--out", str(out), "--no-progress"]) == 0
    capsys.readouterr()
    (pages / "notes").mkdir(parents=True)
    (pages / "notes" / "lemma1.md").write_text("## Why these settings\n\nbecause of X.\n")
    command = "python -m dctheory validate lemma1 --quick"
    assert docs.main([str(out), str(pages), command]) == 0

    verdicts = list(csv.DictReader((out / "lemma1" / "verdicts.csv").open()))
    judged = [v for v in verdicts if v["verdict"] in ("PASS", "FAIL")]
    passed = sum(v["verdict"] == "PASS" for v in judged)
    claims = list(csv.DictReader((out / "lemma1" / "claims.csv").open()))
    text = (pages / "lemma1.md").read_text()
    assert text.index("because of X.") < text.index("Produced by a real run of:")
    assert f"    {command}" in text
    assert f"**{passed}/{len(judged)} judged rows PASS" in text and len(judged) > 0
    assert f"claims: {len(claims)} PASS, 0 FAIL, 0 SKIPPED" in text
    assert all(c["resolvable"] and f"| {c['name']} | PASS | {c['resolvable']} |" in text for c in claims)
    assert "nan" not in text and "inf |" not in text
    assert text.count("\n| ") >= len(verdicts) + len(claims)  # one table row each
    assert (pages / "figures" / "lemma1.png").stat().st_size > 0
    index = (pages / "index.md").read_text()
    assert f"| [lemma1](lemma1.md) | {passed}/{len(judged)} | {len(claims)} | 0 | 0 |" in index


def test_costs_are_recorded_per_experiment_and_size(tmp_path):
    path = tmp_path / "costs.json"
    docs.write_costs([{"name": "lemma1", "seconds": 12.34}, {"name": "fig2", "seconds": None}], True, path)
    docs.write_costs([{"name": "lemma1", "seconds": 100.0}], False, path)
    costs = json.loads(path.read_text())
    assert costs["lemma1"] == {"quick": 12.3, "full": 100.0} and "fig2" not in costs
