"""Runs AWS's cloudformation-validate (the validator CDK runs at synth) over templates.

Usage: python cfn_validate.py TEMPLATE...  Prints one line per warning or error
(`path: SEVERITY rule_id logical_id: message`); exits 1 when any is an error or fatal, 0 otherwise.
"""
import sys

from cloudformation_validate import CompositeEngine


def main(paths):
    engine = CompositeEngine()
    errors = 0
    for path in paths:
        report = engine.validate_template(path)
        for d in report.diagnostics:
            severity = d.severity.name
            if severity == "INFO":
                continue
            entity = getattr(getattr(d, "entity", None), "logical_id", None) or ""
            print(f"{path}: {severity} {d.rule_id} {entity}: {d.message}")
            if severity in ("ERROR", "FATAL"):
                errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
