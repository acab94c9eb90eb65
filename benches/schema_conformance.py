"""Conformance of ironcdk's schema validation with cfn-lint's, per rule family.

Runs cfn-lint (the pinned one in .venv) and `ironcdk check --format json` over a directory of
templates (cfn-lint's own test fixtures: test/fixtures/templates of a cfn-lint checkout) and
counts, for each of cfn-lint's schema rule families, how many of its error findings ironcdk
reports at the same resource and property path (rule `schema` or `template-sections`), and how
many errors ironcdk reports that cfn-lint does not.

Usage: python benches/schema_conformance.py TEMPLATES_DIR [IRONCDK_BINARY]
"""
import collections
import json
import os
import re
import subprocess
import sys

FAMILIES = {
    "E3002": "unknown property", "E3003": "required property", "E3012": "type",
    "E3030": "enum", "E3031": "pattern", "E3033": "string length", "E3034": "number range",
    "E3032": "array length", "E3037": "unique items", "E3006": "resource type",
    "E3014": "one of", "E3017": "any of", "E3018": "one of", "E3020": "dependent excluded",
    "E3021": "dependent required", "E3058": "required or", "E3015": "value required",
    # Outside resource properties (`template-sections` here).
    "E2015": "parameter default", "E3035": "deletion policy", "E3036": "update replace policy",
    "E8004": "Fn::And", "E8006": "Fn::Or", "E1017": "Fn::Select", "E3510": "IAM policy",
    "E3512": "IAM policy", "E1010": "Fn::GetAtt",
}


def lint(path):
    out = subprocess.run([os.path.join(ROOT, ".venv/bin/cfn-lint"), path, "--format", "json"], capture_output=True, text=True)
    try:
        return json.loads(out.stdout or "[]")
    except json.JSONDecodeError:
        return []


def prop_path(location):
    """`Resources/R/Properties/A/0/B` -> (R, 'Properties.A[0].B')."""
    p = location.get("Path") or []
    if len(p) < 2 or p[0] not in ("Resources", "Parameters", "Conditions", "Outputs"):
        return None
    text = ""
    for seg in p[2:]:
        if isinstance(seg, int):
            text += f"[{seg}]"
        else:
            text += ("." if text else "") + str(seg)
    return p[1], text


def ours(binary, path):
    out = subprocess.run([binary, "check", "--format", "json", path], capture_output=True, text=True)
    try:
        findings = json.loads(out.stdout)["findings"]
    except (json.JSONDecodeError, KeyError):
        return None
    got = []
    for f in findings:
        if f["rule"] not in ("schema", "template-sections") or f["severity"] != "error":
            continue
        m = re.match(r"\S+: (Properties[^ ;,]*)", f["message"])
        got.append((f.get("logical_id"), m.group(1) if m else "", f["message"]))
    return got


def main(directory, binary):
    per = collections.Counter()
    matched = collections.Counter()
    extra = 0
    files = 0
    for base, _, names in os.walk(directory):
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml", ".json")):
                continue
            path = os.path.join(base, name)
            mine = ours(binary, path)
            if mine is None:
                continue
            files += 1
            theirs = []
            for f in lint(path):
                rule = f.get("Rule", {}).get("Id", "")
                if rule in FAMILIES and f.get("Level") == "Error":
                    where = prop_path(f.get("Location", {}))
                    if where:
                        theirs.append((rule, where))
            for rule, (rid, ppath) in theirs:
                per[rule] += 1
                # Same resource and the same property path, or one containing it (a required
                # property is reported at its object, an unknown one at itself).
                # A finding here without a property path (a parameter, a policy, DeletionPolicy)
                # matches at its element.
                if any(r == rid and (p == "" or p == ppath or p.startswith(ppath + ".") or ppath.startswith(p + ".") or p.startswith(ppath + "[")) for r, p, _ in mine):
                    matched[rule] += 1
            for rid, p, message in mine:
                if not any(r == rid for _, (r, _) in theirs):
                    extra += 1
                    print(f"not in cfn-lint: {path} {rid}: {message}", file=sys.stderr)
    print(f"{files} templates read by both")
    print("| cfn-lint rule | what | its errors | at the same resource and path here |")
    print("|---|---|---|---|")
    for rule in sorted(per):
        print(f"| {rule} | {FAMILIES[rule]} | {per[rule]} | {matched[rule]} |")
    print(f"| all | | {sum(per.values())} | {sum(matched.values())} |")
    print(f"errors reported here at a resource where cfn-lint reports no schema error: {extra}")


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "target/release/ironcdk"))
