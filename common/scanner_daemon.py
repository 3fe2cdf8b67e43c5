"""A project-local ClamAV daemon (clamd) for `make run` and the tests: its configuration and a local signature
database that detects the EICAR test file, written under a directory of our own. No signature download.

`python -m common.scanner_daemon run` (supervisord.conf's `scanner` program) runs clamd in the foreground on
`.data/clamav/clamd.sock` when Debian's clamav-daemon is installed; otherwise it says plainly that uploads are
not scanned and waits (so that supervisord does not start it again and again). It never touches a system clamd.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
SIGNATURE_NAME = "NRM-Eicar-Test-Signature"
CLAMD_CANDIDATES = ("/usr/sbin/clamd", "/usr/local/sbin/clamd")
# Larger than the largest upload (ReferralPolicy.max_evidence_megabytes, 25 MB by default).
STREAM_MAX_LENGTH = "100M"


def eicar() -> bytes:
    """The anti-malware test file (in two halves, so that no scanner flags this source file)."""
    return rb"X5O!P%@AP[4\PZX54(P^)7CC)7}" + rb"$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def clamd_executable() -> str | None:
    found = shutil.which("clamd")
    return found or next((path for path in CLAMD_CANDIDATES if os.access(path, os.X_OK)), None)


def write_signatures(database_dir: Path) -> list[Path]:
    """The only signatures: the EICAR test file as a whole (a hash signature, `md5:size:name`, ClamAV's .hdb
    format) and the EICAR string anywhere in any file (a body signature, `name:target:offset:hex`, .ndb), so
    that a PDF or an image carrying it is found too."""
    database_dir.mkdir(parents=True, exist_ok=True)
    content = eicar()
    digest = hashlib.md5(content).hexdigest()  # noqa: S324 - ClamAV's hash signatures are MD5
    hashes = database_dir / "nrm-local.hdb"
    hashes.write_text(f"{digest}:{len(content)}:{SIGNATURE_NAME}\n")
    bodies = database_dir / "nrm-local.ndb"
    bodies.write_text(f"{SIGNATURE_NAME}:0:*:{content.hex()}\n")
    return [hashes, bodies]


def write_config(directory: Path, *, socket_path: Path) -> Path:
    """clamd's configuration: a Unix socket only, in the foreground, our signature database and temporary files."""
    directory.mkdir(parents=True, exist_ok=True)
    database_dir = directory / "database"
    write_signatures(database_dir)
    (directory / "tmp").mkdir(exist_ok=True)
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {socket_path}",
                "LocalSocketMode 600",
                "Foreground yes",
                f"DatabaseDirectory {database_dir}",
                f"TemporaryDirectory {directory / 'tmp'}",
                f"PidFile {directory / 'clamd.pid'}",
                f"LogFile {directory / 'clamd.log'}",
                "LogTime yes",
                f"StreamMaxLength {STREAM_MAX_LENGTH}",
                f"MaxFileSize {STREAM_MAX_LENGTH}",
                "SelfCheck 0",
                "",
            ]
        )
    )
    return config


def command(config: Path) -> list[str]:
    executable = clamd_executable()
    if executable is None:
        raise FileNotFoundError("clamd")
    return [executable, f"--config-file={config}"]


NOT_INSTALLED_MESSAGE = (
    "ClamAV's daemon (clamd) is not installed: uploads are NOT scanned for viruses. In this demo they are marked "
    "clean with the note 'Not scanned for viruses'. Install Debian's clamav-daemon (apt-get install "
    "clamav-daemon) and run make run again to scan them."
)


def main(argv: list[str]) -> int:
    if argv[1:] != ["run"]:
        print("usage: python -m common.scanner_daemon run", file=sys.stderr)
        return 2
    if clamd_executable() is None:
        print(NOT_INSTALLED_MESSAGE, flush=True)
        signal.pause()  # supervisord would start an exited program again and again
        return 0
    directory = DATA_DIR / "clamav"
    config = write_config(directory, socket_path=directory / "clamd.sock")
    print(
        f"Scanning uploads with clamd on {directory / 'clamd.sock'}. Its only signature is the EICAR test file's "
        "(a demo: production uses ClamAV's full signature database, kept current by freshclam).",
        flush=True,
    )
    args = command(config)
    os.execv(args[0], args)  # noqa: S606 - clamd replaces this process, so supervisord stops it directly
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv))
