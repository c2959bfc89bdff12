"""Quotes per second: the pure rule functions and POST /api/v1/policy/quote/, in process.

Run on demand, never in the tests:

    .venv/bin/python bench/quote.py [--seconds 3] [--warmup 1] [--cases 256] [--seed 1]

It migrates a throwaway SQLite database (so it runs on a fresh clone), builds a fixed,
seeded mix of quote requests over every jurisdiction, registration type and care scope of
the rule sets in that database, warms each path up, then times it for a few seconds:

- rules.*          the rule functions a quote calls, on the snapshots already in memory;
- selectors.quote  the whole quote answer, through the per-process snapshot cache;
- POST …/quote/    DRF's APIClient through the middleware, serializers and JSON renderer.

A warm quote must not touch the database beyond reading the rules' version, at most once a second
(policy.selectors.policy_version): the exit status is 1 if it does.
"""

import argparse
import datetime
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "/api/v1/policy/quote/"
CARE_PROVINCES = ["上海市", "浙江省", "安徽省", "广东省"]


def setup_django(database_dir: Path) -> None:
    """Settings from the environment like `make run`, but a fresh database and no throttle."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")  # so no SECRET_KEY is needed
    os.environ["DATABASE_URL"] = f"sqlite:///{database_dir / 'bench.sqlite3'}"
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic

    import django
    from django.conf import settings

    # The anonymous throttle (120/minute) would answer 429 after two seconds, and its
    # per-client history would grow into the timings: measure the quote, not the limiter.
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
    django.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- The request mix ---------------------------------------------------------------------


def _periods(rulesets):
    """(snapshot, first day, last day) of each version: an open end runs to the next start."""
    periods = []
    for jurisdiction in sorted({s.jurisdiction for s in rulesets}):
        versions = sorted((s for s in rulesets if s.jurisdiction == jurisdiction), key=lambda s: s.effective_from)
        for index, version in enumerate(versions):
            ends = [version.effective_from + datetime.timedelta(days=730)]
            if version.effective_to:
                ends.append(version.effective_to)
            if index + 1 < len(versions):
                ends.append(versions[index + 1].effective_from - datetime.timedelta(days=1))
            periods.append((version, version.effective_from, min(ends)))
    return periods


def _case(rng: random.Random, ruleset, first, last, type_rule, care_scope) -> dict:
    """One API request body, with the optional parts a real enquiry sends now and then."""
    on = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    case = {
        "jurisdiction": ruleset.jurisdiction,
        "registration_type": type_rule.code,
        "care_scope": care_scope,
        "on_date": on.isoformat(),
    }
    if type_rule.validity_rule == "proof_expiry" and rng.random() < 0.7:
        case["proof_valid_until"] = (on + datetime.timedelta(days=rng.randint(30, 3 * 365))).isoformat()
    if rng.random() < 0.5:
        case["expense_date"] = (on + datetime.timedelta(days=rng.randint(0, 200))).isoformat()
    if care_scope == "cross_province" and rng.random() < 0.4:
        case["care_province"] = rng.choice(CARE_PROVINCES)
    if ruleset.special_diseases and rng.random() < 0.3:
        rule = rng.choice(list(ruleset.special_diseases.values()))
        case["special_disease"] = rule.disease
        if rule.min_level:  # a qualifying level, or none given (answer: "choose one …")
            case["institution_level"] = rng.choice([None, *range(rule.min_level, 4)])
        if rule.requires_dialysis_qualification:
            case["institution_dialysis_qualified"] = rng.choice([None, True])
    if rng.random() < 0.4:
        case["claim_kind"] = rng.choice(["outpatient", "inpatient"])
        if rng.random() < 0.3:
            case["treatment"] = rng.choice(["tumour_treatment", "tumour_radiotherapy", "dialysis", "other"])
    if rng.random() < 0.2:
        case["agent"] = True
    return case


def request_mix(count: int, seed: int) -> list[dict]:
    """`count` request bodies cycling through every (version, type, care scope), shuffled."""
    from policy import selectors

    rng = random.Random(seed)
    combinations = [
        (ruleset, first, last, type_rule, care_scope)
        for ruleset, first, last in _periods(selectors.all_rulesets())
        for type_rule in ruleset.types
        for care_scope in sorted(ruleset.catalogue)
    ]
    cases = [_case(rng, *combinations[i % len(combinations)]) for i in range(max(count, len(combinations)))]
    rng.shuffle(cases)
    return cases


# --- The three paths -----------------------------------------------------------------------


def rules_only(snapshots, data: dict) -> None:
    """What selectors.quote asks of policy/rules.py, minus the cache check and the dicts."""
    from policy import rules

    ruleset = rules.ruleset_in_force(snapshots, data["jurisdiction"], data["on_date"])
    type_rule = rules.registration_type(ruleset, data["registration_type"])
    rules.validity(type_rule, starts=data["on_date"], proof_valid_until=data.get("proof_valid_until"))
    rules.claim_deadlines(ruleset, data.get("expense_date") or data["on_date"])
    rules.catalogue(ruleset, data["care_scope"])
    rules.direct_settlement_services(ruleset, data["care_scope"], data["care_province"])
    rules.registration_materials(ruleset, type_rule.code, agent=data["agent"])
    if data.get("special_disease"):
        rules.special_disease_check(
            ruleset,
            data["special_disease"],
            institution_level=data.get("institution_level"),
            dialysis_qualified=data.get("institution_dialysis_qualified"),
        )
    if data.get("claim_kind"):
        rules.claim_materials(ruleset, data["claim_kind"], treatment=data.get("treatment"), agent=data["agent"])


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_us: float
    p99_us: float
    queries: int  # other than the rules' version
    version_reads: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def run(name: str, call, inputs: list, *, seconds: float, warmup: float) -> Result:
    """Warm up, then call round the inputs for `seconds`, timing every call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock = time.perf_counter_ns
    for budget in (warmup, seconds):
        latencies = []
        size, index = len(inputs), 0
        with CaptureQueriesContext(connection) as queries:
            start = clock()
            stop = start + int(budget * 1e9)
            while True:
                before = clock()
                call(inputs[index % size])
                after = clock()
                latencies.append(after - before)
                index += 1
                if after >= stop:
                    break
            elapsed = (clock() - start) / 1e9
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    version_reads = sum("policy_policyversion" in query["sql"] for query in queries.captured_queries)
    return Result(name, index, elapsed, cuts[49] / 1000, cuts[98] / 1000, len(queries) - version_reads, version_reads)


def api_caller():
    from rest_framework.test import APIClient

    client = APIClient()

    def call(request):
        body, language = request
        response = client.post(URL, body, format="json", secure=True, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            raise SystemExit(f"{URL} answered {response.status_code} to {body}: {response.content[:300]!r}")

    return call


# --- Report -------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def print_table(results: list[Result], cases: list[dict], args) -> None:
    import django
    import rest_framework

    print(
        f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, DRF {rest_framework.__version__}, DEBUG={os.environ['DEBUG']}"
    )
    jurisdictions = sorted({c["jurisdiction"] for c in cases})
    kinds = len({(c["jurisdiction"], c["registration_type"], c["care_scope"]) for c in cases})
    print(
        f"{len(cases)} distinct requests: {', '.join(jurisdictions)}, {kinds} (jurisdiction, type, care scope) "
        f"combinations; warm-up {args.warmup:g} s, then {args.seconds:g} s per path, one thread"
    )
    print()
    header = f"{'path':<36} {'requests':>9} {'req/s':>9} {'p50 µs':>8} {'p99 µs':>8} {'DB queries':>10} {'version':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:<36} {r.requests:>9} {r.per_second:>9.0f} {r.p50_us:>8.1f} {r.p99_us:>8.1f} "
            f"{r.queries:>10} {r.version_reads:>8}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed run per path (default 3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="untimed run per path first (default 1)")
    parser.add_argument("--cases", type=int, default=256, help="distinct requests in the mix (default 256)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix (default 1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yidi-bench-") as database_dir:
        setup_django(Path(database_dir))
        from django.db import connections

        from policy import selectors
        from policy.api.serializers import QuoteInputSerializer

        try:
            cases = request_mix(args.cases, args.seed)
            # Parse once, outside the timings, exactly as the API view does.
            parsed = []
            for case in cases:
                serializer = QuoteInputSerializer(data=case)
                serializer.is_valid(raise_exception=True)
                parsed.append(serializer.validated_data)
            snapshots = selectors.all_rulesets()
            languages = random.Random(args.seed).choices(["zh-hans", "en"], weights=[3, 1], k=len(cases))
            timing = {"seconds": args.seconds, "warmup": args.warmup}

            results = [
                run("rules.* (snapshots in memory)", lambda d: rules_only(snapshots, d), parsed, **timing),
                run("selectors.quote (warm cache)", lambda d: selectors.quote(**d), parsed, **timing),
                run(f"POST {URL}", api_caller(), list(zip(cases, languages, strict=True)), **timing),
            ]
        finally:
            connections.close_all()
    print_table(results, cases, args)
    # The version is read at most once per second of the run, and once more at its start.
    most_reads = math.ceil(args.seconds / selectors.VERSION_MEMO_SECONDS) + 1
    if any(r.queries or r.version_reads > most_reads for r in results):
        print("\nA warm quote queried the database: the snapshot cache is not doing its job.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
