"""The docs generator (validation.docs): pages from a real run's CSVs, hand notes kept."""

import csv

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
    judged = [v for v in verdicts if v["verdict"] != "INFO"]
    passed = sum(v["verdict"] == "PASS" for v in judged)
    claims = list(csv.DictReader((out / "lemma1" / "claims.csv").open()))
    text = (pages / "lemma1.md").read_text()
    assert text.index("because of X.") < text.index("Produced by a real run of:")
    assert f"    {command}" in text
    assert f"**{passed}/{len(judged)} judged points PASS" in text and len(judged) > 0
    assert f"{len(claims)}/{len(claims)} claims PASS" in text
    assert text.count("\n| ") >= len(verdicts) + len(claims)     # one table row each
    assert (pages / "figures" / "lemma1.png").stat().st_size > 0
    index = (pages / "index.md").read_text()
    assert f"| [lemma1](lemma1.md) | {passed}/{len(judged)} |" in index
