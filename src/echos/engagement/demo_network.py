"""Demo data of the engagement network (labelled demo)."""


def load_demo() -> dict[str, int]:
    return {}
