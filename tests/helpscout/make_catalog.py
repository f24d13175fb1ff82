#!/usr/bin/env python3
"""Turns the tap's discovery output into a catalog with streams selected.

    python3 make_catalog.py discovered.json catalog.json [STREAM ...]

tap-helpscout (singer-python 5.14.3) syncs a stream only when its catalog entry
is selected: CatalogEntry.is_selected() reads `selected` from the stream-level
metadata entry (breadcrumb []) (or the legacy `schema.selected`). Discovery
marks nothing selected, so a sync with the raw discovery output (or with no
--catalog at all) emits no records. This script sets
metadata[breadcrumb=[]].metadata.selected = true on every stream (or only on
the STREAM names given) and leaves field-level metadata alone: fields with
inclusion "available" and no `selected: false` are kept by singer's
Transformer, so every field of the schema is emitted.

Child streams (conversation_threads, mailbox_fields, mailbox_folders,
team_members) are synced only through their parent, so their parent must be
selected too.
"""
import json
import sys

PARENT = {"conversation_threads": "conversations", "mailbox_fields": "mailboxes",
          "mailbox_folders": "mailboxes", "team_members": "teams"}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    src, dst, wanted = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    with open(src, encoding="utf-8") as f:
        catalog = json.load(f)
    names = {s["tap_stream_id"] for s in catalog["streams"]}
    unknown = wanted - names
    if unknown:
        sys.exit(f"unknown streams: {sorted(unknown)}")
    for child in sorted(wanted):
        if child in PARENT and PARENT[child] not in wanted:
            sys.exit(f"{child} is synced through {PARENT[child]}: select it too")
    for stream in catalog["streams"]:
        selected = not wanted or stream["tap_stream_id"] in wanted
        for entry in stream["metadata"]:
            if entry["breadcrumb"] == []:
                entry["metadata"]["selected"] = selected
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(catalog, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
