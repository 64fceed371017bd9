#!/usr/bin/env python3
"""Parses Prometheus text exposition from stdin with the reference client's parser
(python3-prometheus-client) and prints one line per sample: name, labels as k=v joined by
commas (sorted), value. Exits 1 with the parser's message if the text does not parse."""
import sys

from prometheus_client.parser import text_string_to_metric_families

try:
    for family in text_string_to_metric_families(sys.stdin.read()):
        print(f"# family {family.name} {family.type}")
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            print(f"{s.name} {labels} {s.value!r}")
except Exception as error:  # the parser raises ValueError and friends on bad input
    print(f"parse error: {error}", file=sys.stderr)
    sys.exit(1)
