"""`tracker bench`: measure the command path, bulk load, rebuild and verify against baselines."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import cli_errors


def bench(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="server to measure on: a new scratch database is created there and dropped "
            "(default: a temporary SQLite file). The database named itself is never written.",
        ),
    ] = None,
    cases: Annotated[
        int, typer.Option(min=100, help="cases to generate (10 events each)")
    ] = 10_000,
    commands: Annotated[
        int, typer.Option(min=100, help="commands for the per-commit test")
    ] = 2_000,
    io: Annotated[
        bool, typer.Option("--io/--no-io", help="also measure exports, imports and restore")
    ] = True,
    stream_cases: Annotated[
        int, typer.Option(min=1_000, help="cases streamed when measuring export memory")
    ] = 100_000,
    only: Annotated[
        str,
        typer.Option(
            "--only", metavar="NAME[,NAME]", help="run only these parts: core, io, web, digest"
        ),
    ] = "",
) -> None:
    """Benchmark the project's paths against bare baselines in one run."""
    from tracker.bench.core import chosen_parts, format_figures, run_bench

    with cli_errors():
        parts = chosen_parts(only)
    if "core" in parts:
        with cli_errors():
            figures = run_bench(database_url, cases=cases, commands=commands, say=typer.echo)
        typer.echo(format_figures(figures))
    if io and "io" in parts:
        from tracker.bench.transfer import format_measures, run_io_bench

        with cli_errors():
            measures = run_io_bench(
                database_url, cases=cases, stream_cases=stream_cases, say=typer.echo
            )
        typer.echo(format_measures(measures))
    if "web" in parts:
        from tracker.bench.web import format_timings, run_web_bench

        with cli_errors():
            timings = run_web_bench(database_url, cases=cases, say=typer.echo)
        typer.echo(format_timings(timings))
    if "digest" in parts:
        from tracker.bench.digest import format_digest_figure, run_digest_bench

        with cli_errors():
            figure = run_digest_bench(database_url, say=typer.echo)
        typer.echo(format_digest_figure(figure))
