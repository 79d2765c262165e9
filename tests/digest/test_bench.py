"""The digest bench on a small set: every subscription is built, and the figures add up."""

from __future__ import annotations

from tracker.bench.digest import DigestFigure, format_digest_figure, run_digest_bench


def test_the_digest_bench_builds_every_subscription_on_a_small_set() -> None:
    said: list[str] = []
    figure = run_digest_bench(None, subscriptions=25, week_events=400, cases=40, say=said.append)
    assert (figure.subscriptions, figure.week_events) == (25, 400)
    # 400 events: nine facts in ten approved (two events each): 189 approved facts, listed at
    # most once per digest; the 5 'everything' subscriptions list every one of them
    assert 5 <= figure.digests <= 25 and 5 * 189 <= figure.lines <= 25 * 189
    assert "25 subscriptions" in said[0]
    text = format_digest_figure(DigestFigure(1_000, 10_000, 850, 9, 6.0))
    assert "6.00 s" in text and "NOT met" in text
