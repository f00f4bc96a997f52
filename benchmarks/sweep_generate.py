"""Sweep the generator for wrong answers: every topic x difficulty x seed gets the checks of
tests/test_generate.py (independent oracle, worked solution lands on the answer without a
`cas` step, tutor.check accepts the answer and refuses a perturbed one), each draw under a
time limit (LIMIT seconds) in a process pool (PROCS workers).

Run: PROCS=2 python benchmarks/sweep_generate.py 0 150 [topic,topic,...]
"""

import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import test_generate as T  # noqa: E402

LIMIT = int(os.environ.get("LIMIT", "20"))


class Slow(Exception):
    pass


def _alarm(*a):
    raise Slow()


def run(case):
    topic, d, s = case
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(LIMIT)
    t0 = time.perf_counter()
    try:
        p = T.tutor.generate(topic, seed=s, difficulty=d)
        tg = time.perf_counter() - t0
        # install the problem into the cache-less path
        T.problem = lambda *a, _p=p: _p
        T.test_answer_matches_oracle(topic, d, s)
        T.test_solution_lands_on_the_answer(topic, d, s)
        T.test_checker_accepts_answer_and_rejects_perturbed(topic, d, s)
        err = None
    except Slow:
        tg = time.perf_counter() - t0
        err = "TIMEOUT"
    except BaseException as e:
        tg = time.perf_counter() - t0
        err = f"{type(e).__name__}: {str(e)[:300]}"
    finally:
        signal.alarm(0)
    return topic, d, s, tg, time.perf_counter() - t0, err


if __name__ == "__main__":
    seeds = range(int(sys.argv[1]), int(sys.argv[2]))
    topics = sys.argv[3].split(",") if len(sys.argv) > 3 else T.topics()
    cases = [(t, d, s) for t in topics for d in (1, 2, 3) for s in seeds]
    t0 = time.time()
    fails, slow = [], []
    with ProcessPoolExecutor(int(os.environ.get("PROCS", "2"))) as pool:
        for r in pool.map(run, cases, chunksize=8):
            topic, d, s, tg, tt, err = r
            slow.append((tg, topic, d, s))
            if err:
                fails.append(r)
                print("FAIL", r, flush=True)
    slow.sort(reverse=True)
    print(f"checked {len(cases)} problems, {len(fails)} failures, {time.time() - t0:.0f}s")
    print("slowest generation:", slow[:10])
