"""The exceptions icsgraph raises on purpose.

Every one carries a message meant for a person, in one line. The CLI maps each
class to an exit code and prints that line; anything else is a bug.

    IcsgraphError              base, exit 1
    ├── CaptureError           a file that cannot be read as a capture (exit 3)
    ├── DatabaseUnavailable    Neo4j down, refused or bad credentials (exit 4)
    ├── LocalServerError       local Neo4j not built, started or stopped (exit 5)
    ├── QueryError             a Cypher query or query pack failed (exit 6)
    └── ConfigError            a settings or config file is wrong (exit 2)
"""


class IcsgraphError(Exception):
    """Base class; `exit_code` is what the CLI returns."""

    exit_code = 1


class CaptureError(IcsgraphError):
    exit_code = 3


class DatabaseUnavailable(IcsgraphError):
    exit_code = 4


class LocalServerError(IcsgraphError):
    exit_code = 5


class QueryError(IcsgraphError):
    exit_code = 6


class ConfigError(IcsgraphError):
    exit_code = 2
