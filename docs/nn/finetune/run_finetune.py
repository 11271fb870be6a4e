# Secondary, pre-declared setting of the nn sweep: retrain="finetune", all else the default.
import time
from pathlib import Path
from validation import report, runner
from validation.catalog import get_experiment
out = Path("results/nn-finetune")
e = get_experiment("nn")
config = e.load_config()
config["retrain"] = "finetune"
start = time.perf_counter()
s = runner.run(e, config, out_dir=out, jobs=1, progress=False)
v = e.compare(s.rows, [], s.config)
claims = e.claims(s.rows, [], v, s.config)
folder = out / "nn"
report.write_csv(folder / "simulation.csv", s.rows)
report.write_csv(folder / "verdicts.csv", v)
report.write_csv(folder / "claims.csv", [c.__dict__ for c in claims])
e.figure(s.rows, [], v, s.config, folder / "nn")
for c in claims:
    print(("PASS" if c.passed else "FAIL"), c.name, c.detail)
print(s.line(), f"total {time.perf_counter() - start:.1f} s")
