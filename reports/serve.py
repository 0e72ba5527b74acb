"""`kommunpress serve`: Datasette over the corpus on 127.0.0.1, with the report's canned queries.

Bound to the loopback address only: a corpus can hold unpublished notes and raw pages,
and a researcher who wants to share it can run Datasette with their own settings.
"""

from __future__ import annotations

import socket
from pathlib import Path

from corpus.connection import open_readonly
from reports.datasette_metadata import metadata
from reports.errors import ReportError

HOST = "127.0.0.1"
SETTINGS = {
    # The consensus query reads every sum; on a large corpus it needs more than Datasette's 1 s.
    "sql_time_limit_ms": 60_000,
    "facet_time_limit_ms": 2_000,
    "max_returned_rows": 20_000,
}


def check_port(port: int, host: str = HOST) -> None:
    """Fail early, in one line, when the port is taken (uvicorn would log a traceback-like error)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            raise ReportError(f"port {port} on {host} is in use: choose another with --port") from None


def make_datasette(db_path: Path):
    """The Datasette instance for one corpus file (also used by tests without a server)."""
    from datasette.app import Datasette

    conn = open_readonly(db_path)  # refuses a missing, foreign, damaged or too new file in one line
    conn.close()
    return Datasette([str(db_path)], metadata=metadata(db_path.stem), settings=SETTINGS)


def serve(db_path: Path, port: int, host: str = HOST) -> None:
    """Run Datasette until interrupted."""
    import uvicorn

    ds = make_datasette(db_path)
    check_port(port, host)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
