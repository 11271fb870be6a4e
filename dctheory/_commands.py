"""Built-in sub-commands: predict, latex, demo (filled in by the core engine)."""


def register(sub) -> None:
    pass
