"""Extracts UCR/UEA time-series datasets (.ts files) that ship inside the `aeon` wheel.

The product never downloads data at run time. This one-off tool fetches the aeon wheel with
pip (no install, no dependencies), and copies the `<Name>_TRAIN.ts` / `<Name>_TEST.ts` files
of the named problems into ~/.cache/contrastive/datasets/<Name>/, where a config's
`data: { use: ts-files, train: ..., test: ... }` can read them.

Usage:
  python3 tools/datasets/extract_aeon_datasets.py [JapaneseVowels BasicMotions ...] [--list]
  (default: JapaneseVowels; --list prints the problems the wheel contains)
"""
import glob
import os
import subprocess
import sys
import tempfile
import zipfile

AEON_VERSION = "1.6.0"
DEST = os.path.expanduser("~/.cache/contrastive/datasets")
PREFIX = "aeon/datasets/data/"


def fetch_wheel(workdir):
    subprocess.run([sys.executable, "-m", "pip", "download", f"aeon=={AEON_VERSION}", "--no-deps", "--only-binary=:all:",
                    "-d", workdir, "-q"], check=True)
    wheels = glob.glob(os.path.join(workdir, "aeon-*.whl"))
    if not wheels:
        sys.exit("pip did not produce an aeon wheel")
    return wheels[0]


def main(argv):
    names = [a for a in argv if not a.startswith("--")] or ["JapaneseVowels"]
    with tempfile.TemporaryDirectory() as workdir:
        wheel = fetch_wheel(workdir)
        with zipfile.ZipFile(wheel) as z:
            ts_files = [n for n in z.namelist() if n.startswith(PREFIX) and n.endswith(".ts")]
            problems = sorted({n[len(PREFIX):].split("/")[0] for n in ts_files})
            if "--list" in argv:
                print("\n".join(problems))
                return
            for name in names:
                members = [n for n in ts_files if n.startswith(f"{PREFIX}{name}/") and ("_TRAIN" in n or "_TEST" in n)]
                if not members:
                    sys.exit(f"{name}: not in aeon {AEON_VERSION}; problems in the wheel: {', '.join(problems)}")
                os.makedirs(os.path.join(DEST, name), exist_ok=True)
                for m in members:
                    target = os.path.join(DEST, name, os.path.basename(m))
                    with z.open(m) as src, open(target, "wb") as out:
                        out.write(src.read())
                    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
