"""Benchmark claim verification with the shipped adversarial evaluation (qa/adversarial.py).

    python -m bench.verification

Prints the CPU, the table of altered claims accepted and faithful claims rejected (per
type and language, tuning half and held-out half), and the verification time per answer.
``measure(settings)`` returns the same for code that assembles a report. Semantics are
centred on the corpus's sentences, so no index needs to be built.
"""

from __future__ import annotations


from bench.report import cpu_model
from core.settings import Settings, load_settings
from qa.adversarial import corpus_semantics, format_table, run


def measure(settings: Settings) -> dict:
    result = run(settings, corpus_semantics(settings))
    return result | {"cpu": cpu_model()}


def main() -> None:
    result = measure(load_settings())
    print(f"CPU: {result['cpu']}")
    print(format_table(result))
    latency = result["latency_ms"]
    print(f"verification p50 per answer: {latency['p50']} ms over {latency['answers']} answers")


if __name__ == "__main__":
    main()
