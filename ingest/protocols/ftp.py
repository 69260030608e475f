"""FTP (RFC 959) and SMTP (RFC 5321): a 220 greeting, told apart by the
client's first command (USER/AUTH/FEAT... or EHLO/HELO)."""

from __future__ import annotations

FTP_COMMANDS = (b"USER ", b"AUTH ", b"FEAT", b"SYST", b"OPTS ", b"PASS ", b"QUIT")
SMTP_COMMANDS = (b"EHLO ", b"HELO ", b"STARTTLS")


def detect(client: bytes, server: bytes) -> str | None:
    """ftp or smtp from the greeting and the first command."""
    command = client[:8].upper()
    if server.startswith((b"220 ", b"220-")):
        if command.startswith(SMTP_COMMANDS):
            return "smtp"
        first_line = server.split(b"\n", 1)[0].upper()
        if command.startswith(FTP_COMMANDS) or b"FTP" in first_line:
            return "ftp"
        if b"SMTP" in first_line:
            return "smtp"
    if not server and command.startswith((b"USER ", b"AUTH TLS")):
        return "ftp"
    return None
