"""``tutor serve``: the JSON HTTP service (``pip install "calculus-tutor[serve]"``)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Worker processes."
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="Deadline of one request (s); also the largest check timeout a request may ask.",
)
@click.option(
    "--max-body",
    type=click.IntRange(256, 16 * 1024 * 1024),
    default=64 * 1024,
    show_default=True,
    help="Largest request body (bytes).",
)
@click.option("--log", is_flag=True, help="Log every request on stderr.")
def serve(host: str, port: int, workers: int, timeout: float, max_body: int, log: bool) -> None:
    """Serve /check, /validate, /generate, /solve, /topics and /health as JSON over HTTP.

    Stateless; every request runs in a worker process with a deadline. Stop with Ctrl-C or
    SIGTERM (every worker ends too). See docs/service.md.

    \b
    Example:
      tutor serve --port 8000 --workers 2 &
      curl -s localhost:8000/check -d '{"expected": "2x", "answer": "2*x"}'
    """
    import os

    from ..serve import run

    try:
        run(
            host,
            port,
            workers,
            timeout=timeout,
            max_body=max_body,
            log=log,
            test_ops=os.environ.get("TUTOR_SERVE_TEST_OPS") == "1",
        )
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from None
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
