#!/usr/bin/env python3
"""Writes the table of every license provision (rule, provision, dates,
citation, evidence level, text read) into docs/license.md between the
PROVISIONS markers, from rules/license/*.yaml. With --check it only says
whether the document is current (exit 1 when not): CTest runs that, so the
table cannot drift from the data."""
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "license.md"
BEGIN, END = "<!-- PROVISIONS BEGIN (scripts/provision-table.py) -->", "<!-- PROVISIONS END -->"
SECTIONS = ["requirements", "policies", "exceptions", "flags", "information"]


def cite(c):
    parts = [p for p in (c.get("fr"), c.get("fr_doc") and "FR Doc " + c["fr_doc"], c.get("cfr")) if p]
    return "; ".join(parts) if parts else (c.get("url") or "")


def text_read(*citations):
    """The text version the data says was read: eCFR mirror versions, or the kind of source."""
    for c in citations:
        note = (c or {}).get("note", "")
        versions = re.findall(r"version[s]? ([0-9a-f]{7,8})(?: \(([^)]*)\))?", note)
        if "MichalOpoka/ecfr" in note and versions:
            return "eCFR mirror MichalOpoka/ecfr " + ", ".join(v + (f" ({d})" if d else "") for v, d in versions)
        for marker in ("FR abstract", "8-K", "10-K", "10-Q", "guidance"):
            if marker in note:
                return note.split(":")[0][:90]
    return "—"


def rows():
    out = []
    for path in sorted((ROOT / "rules" / "license").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        when = f"{doc['effective_from']}" + (f" – {doc['effective_to']}" if doc.get("effective_to") else " –")
        status = doc.get("status", "in-force")
        for section in SECTIONS:
            for p in doc.get(section) or []:
                c = p.get("citation") or doc.get("citation") or {}
                ev = p.get("evidence") or doc.get("evidence")
                what = (p.get("outcome") or {})
                name = what.get("requirement") or what.get("exception") or what.get("flag") or what.get("information") or ""
                if section == "policies":
                    name = f"{what.get('policy')} for {what.get('requirement')}"
                out.append(f"| {doc['id']} | {section[:-1] if section != 'policies' else 'policy'} `{p['id']}` | {name} | "
                           f"{when}{'' if status == 'in-force' else ' (' + status + ')'} | {cite(c)} | {ev} | "
                           f"{text_read(p.get('citation'), doc.get('citation'))} |")
    return out


def table():
    head = ["| rule | provision | outcome | in force | citation | evidence | text read |",
            "|---|---|---|---|---|---|---|"]
    return "\n".join([BEGIN] + head + rows() + [END])


def main():
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + table() + text[end:]
    if "--check" in sys.argv:
        if updated != text:
            print("docs/license.md: the provision table is out of date; run scripts/provision-table.py")
            return 1
        return 0
    DOC.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
