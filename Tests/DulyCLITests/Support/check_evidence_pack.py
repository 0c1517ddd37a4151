"""An independent check of a Duly evidence pack, written from the pack's own documentation.

Usage: python3 check_evidence_pack.py PACK.zip FOLDER

Unzips PACK.zip into FOLDER with Python's zipfile (which checks every entry's CRC), recomputes the timeline's hash
chain from timeline/timeline.jsonl following the formula in timeline/VERIFY.txt, with hashlib and none of Duly's
code, and compares every file's SHA-256 and size with manifest.json and SHA256SUMS. Prints one JSON object with
what it found; the Swift test decides what is right.
"""

import hashlib
import json
import sys
import zipfile

GENESIS = "0" * 64


def field(text):
    """A field as VERIFY.txt describes it: its UTF-8 length in decimal, a colon, its UTF-8 bytes."""
    data = text.encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data


def entry_hash(entry):
    fields = [
        "duly-timeline-v1",
        str(entry["sequence"]),
        entry["customer_id"],
        entry["date"],
        entry["recorded_at"],
        entry["kind"],
        entry["summary"],
    ]
    for key in sorted(entry["details"]):
        fields += [key, entry["details"][key]]
    canonical = b"".join(field(text) for text in fields)
    return hashlib.sha256(entry["previous_hash"].encode("ascii") + canonical).hexdigest()


def verify(entries):
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if entry["sequence"] != position:
            return {"status": "broken", "first_bad_entry": entry["sequence"], "problem": "sequence"}
        if entry["previous_hash"] != previous:
            return {"status": "broken", "first_bad_entry": entry["sequence"], "problem": "link"}
        if entry_hash(entry) != entry["hash"]:
            return {"status": "broken", "first_bad_entry": entry["sequence"], "problem": "hash"}
        previous = entry["hash"]
    return {"status": "ok", "entries": len(entries), "head": previous if entries else None}


def main(pack, folder):
    with zipfile.ZipFile(pack) as archive:
        bad_crc = archive.testzip()
        names = archive.namelist()
        archive.extractall(folder)
        contents = {name: archive.read(name) for name in names}

    manifest = json.loads(contents["manifest.json"])
    problems = []
    if bad_crc is not None:
        problems.append(f"{bad_crc}: CRC does not match")
    listed = {item["path"]: item for item in manifest["files"]}
    for path, item in listed.items():
        if path not in contents:
            problems.append(f"{path}: listed in the manifest, missing from the zip")
            continue
        data = contents[path]
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            problems.append(f"{path}: SHA-256 differs from the manifest")
        if len(data) != item["size"]:
            problems.append(f"{path}: size differs from the manifest")
    for name in names:
        if name not in listed and name not in ("manifest.json", "SHA256SUMS"):
            problems.append(f"{name}: in the zip, not listed in the manifest")
    summed = set()
    for line in contents["SHA256SUMS"].decode("utf-8").splitlines():
        digest, path = line.split("  ", 1)
        summed.add(path)
        if path not in contents or hashlib.sha256(contents[path]).hexdigest() != digest:
            problems.append(f"{path}: SHA256SUMS does not match")
    if summed != set(names) - {"SHA256SUMS"}:
        problems.append("SHA256SUMS does not list every other file")

    entries = [json.loads(line) for line in contents["timeline/timeline.jsonl"].decode("utf-8").splitlines()]
    print(
        json.dumps(
            {
                "names": names,
                "problems": problems,
                "recomputed": verify(entries),
                "entries": entries,
                "manifest": manifest,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
