"""Property-based fuzzing of the app's own OpenAPI schema with schemathesis, against a
live server: valid and invalid inputs for every operation, no 5xx, every response (error
bodies included) as documented. /api/reindex (rebuilds the index) and the Slack webhooks
(signed requests only, tested in tests/slack) are left out."""

from __future__ import annotations

import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qa.app import create_app
from core.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]


# The schema is the app's own, generated without serving anything; the calls go to a
# live server over the session index.
spec = schemathesis.openapi.from_dict(create_app(Settings(llm="extractive")).openapi())
spec.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=30,
                                deterministic=True, database="none")
rejection = spec.config.checks.negative_data_rejection
rejection.expected_statuses = [*rejection.expected_statuses, "413"]  # over a size limit is a rejection too
schema = spec.exclude(path_regex=r"^/(slack/|api/reindex)")


@schema.parametrize()
def test_every_response_is_documented_and_no_input_breaks_the_server(case, live_url):
    case.call_and_validate(base_url=live_url, checks=CHECKS, timeout=60)
