"""The one NinjaAPI of echos: every app's router mounted under /api/v1/."""

from ninja.openapi.docs import Swagger

from echos.assessment.api import router as assessment_router
from echos.core.api import EchosAPI, install_error_handlers
from echos.core.api import router as core_router
from echos.engagement.api import router as engagement_router
from echos.events.api import router as events_router
from echos.events.feeds import FEEDS_DESCRIPTION
from echos.hubs.api import router as hubs_router
from echos.participation.api import router as participation_router
from echos.synergies.api import router as synergies_router

api = EchosAPI(
    title="echos API",
    version="1",
    description="Countries, hubs, organisations, memberships, assessments, synergies, events, "
    "participation and engagement records of the Cancer Mission Hubs network. Reads are public; "
    "writes and private reads need `Authorization: Bearer <token>` (`echos token create --user NAME`).\n\n"
    + FEEDS_DESCRIPTION,
    urls_namespace="api",
    # Ninja's own static Swagger UI; no badge image from the public validator service.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
api.add_router("/", core_router)
api.add_router("/", hubs_router)
api.add_router("/", assessment_router)
api.add_router("/", synergies_router)
api.add_router("/", events_router)
api.add_router("/", participation_router)
api.add_router("/", engagement_router)
