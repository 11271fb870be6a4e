"""``dctheory validate``: registered through the dctheory.commands entry point."""


def register(sub) -> None:
    parser = sub.add_parser("validate", help="check the theory against simulation")
    parser.set_defaults(func=lambda args: 0)
