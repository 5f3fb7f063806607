"""The one NinjaAPI of echos: every app's declared router (``api_router``) mounted under /api/v1/."""

from ninja.openapi.docs import Swagger

from echos.core import registry
from echos.core.api import EchosAPI, install_error_handlers
from echos.events.feeds import FEEDS_DESCRIPTION

api = EchosAPI(
    title="echos API",
    version="1",
    description="Countries, hubs, organisations, memberships, assessments, synergies, events, "
    "participation and engagement records of the Cancer Mission Hubs network. Reads are public; "
    "writes and private reads need `Authorization: Bearer <token>`: create one on your API tokens "
    "page (`/accounts/tokens/`, scope read or read and write) or with `echos token create --user NAME "
    "[--scope read|write]`. A read-scope token gets 403 on every write. Within v1 changes are "
    "additive; a deprecated operation is flagged here and answers with `Deprecation` and `Sunset` "
    "headers for at least six months before it goes.\n\n" + FEEDS_DESCRIPTION,
    urls_namespace="api",
    # Ninja's own static Swagger UI; no badge image from the public validator service.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
# Each app's declared ``api_router`` (core.registry), in INSTALLED_APPS order: core's reference
# data, hubs, assessment, synergies, events, participation, engagement.
for _label, _router in registry.api_routers():
    api.add_router("/", _router)
