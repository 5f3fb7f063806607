"""Demo data of the engagement impact (labelled demo)."""


def load_demo() -> dict[str, int]:
    return {}
