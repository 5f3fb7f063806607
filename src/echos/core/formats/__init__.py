"""Django format overrides per language (FORMAT_MODULE_PATH): where Django's own locale formats
differ from the platform's one date style per language (``echos.core.dates``)."""
