"""One module per `berdaya` subcommand; each defines ``add_parser(subparsers)`` and ``run(args) -> int``."""
