"""Reads runs with Python's own mlflow client and prints them as one JSON line.

The reference reader of the interoperability tests: whatever this project writes (to a
tracking server or to a local file store) must read back here with the same params,
metric histories, tags, artifacts and dataset inputs.

Usage: python read_runs.py <tracking-uri> <run-id> [<run-id> ...]
       (a file store needs MLFLOW_ALLOW_FILE_STORE=true with mlflow >= 3.7)
"""
import json
import math
import sys

from mlflow.tracking import MlflowClient


def value(v):
    # JSON has no NaN/Infinity: spell them as MLflow's REST API does.
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def artifacts(client, run_id, path=None):
    out = []
    for f in client.list_artifacts(run_id, path):
        if f.is_dir:
            out.extend(artifacts(client, run_id, f.path))
        else:
            out.append({"path": f.path, "size": f.file_size})
    return out


def read_run(client, run_id):
    run = client.get_run(run_id)
    experiment = client.get_experiment(run.info.experiment_id)
    histories = {}
    for key in run.data.metrics:
        history = client.get_metric_history(run_id, key)
        histories[key] = [
            {"step": m.step, "value": value(m.value), "timestamp": m.timestamp}
            for m in sorted(history, key=lambda m: (m.step, m.timestamp))
        ]
    return {
        "run_id": run.info.run_id,
        "run_name": run.info.run_name,
        "status": run.info.status,
        "experiment": experiment.name,
        "params": run.data.params,
        "tags": run.data.tags,
        "metrics": histories,
        "artifacts": sorted(artifacts(client, run_id), key=lambda a: a["path"]),
        "inputs": [
            {
                "name": d.dataset.name,
                "digest": d.dataset.digest,
                "source_type": d.dataset.source_type,
                "tags": {t.key: t.value for t in d.tags},
            }
            for d in (run.inputs.dataset_inputs if run.inputs else [])
        ],
    }


def main():
    uri, run_ids = sys.argv[1], sys.argv[2:]
    client = MlflowClient(tracking_uri=uri)
    print(json.dumps({"runs": [read_run(client, r) for r in run_ids]}))


if __name__ == "__main__":
    main()
