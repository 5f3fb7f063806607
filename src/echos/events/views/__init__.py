"""Pages of the events capability, one module per audience: ``calendar`` (the public calendar),
``public`` (an event, registering, the personal page), ``organisers`` (organiser tools) and
``gap`` (the participation gap dashboard); events/urls.py names them."""
