"""Demo data of the engagement register (labelled demo)."""


def load_demo() -> dict[str, int]:
    return {}
