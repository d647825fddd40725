"""Property-based fuzzing of every documented API operation: never a 500, always the declared shape."""

import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from surge.web.infra.openapi import build_spec

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def test_every_operation_survives_generated_input(app, make_token):
    headers = {"authorization": f"Bearer {make_token(role='admin', name='fuzzer')}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {f"{method.upper()} {path}" for path, methods in build_spec(app)["paths"].items() for method in methods}
    # Every documented operation but the spec itself, which the fuzzer leaves out.
    assert {op.label for op in operations} == documented - {"GET /api/v1/openapi.json"}

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=30, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def survives(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        survives()


GOOD_CALLS = [
    ("get", "/api/v1/geo/locate", "/api/v1/geo/locate?zip=22046", None),
    ("get", "/api/v1/geo/locate", "/api/v1/geo/locate?lat=29.76&lon=-95.37", None),
    ("get", "/api/v1/geo/counties/{fips}", "/api/v1/geo/counties/12086?geometry=1", None),
    ("get", "/api/v1/me", "/api/v1/me", None),
    ("get", "/api/v1/audit", "/api/v1/audit", None),
    ("post", "/api/v1/geo/coverage", "/api/v1/geo/coverage",
     {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[-95.5, 29.6], [-95.2, 29.6], [-95.2, 29.9], [-95.5, 29.6]]]}}),
]


def test_successful_answers_match_their_documented_schema(client, make_token):
    from jsonschema import Draft202012Validator

    spec = client.get("/api/v1/openapi.json").json()
    headers = {"authorization": f"Bearer {make_token(role='admin', name='checker')}"}
    def with_components(schema):  # so "#/components/schemas/..." references resolve
        return {**schema, "components": spec["components"]}

    for method, template, url, body in GOOD_CALLS:
        operation = spec["paths"][template][method]
        if body is not None:
            Draft202012Validator(with_components(
                operation["requestBody"]["content"]["application/json"]["schema"])).validate(body)
        response = client.request(method.upper(), url, json=body, headers=headers)
        assert response.status_code == 200, (url, response.text)
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        Draft202012Validator(with_components(schema),
                             format_checker=Draft202012Validator.FORMAT_CHECKER).validate(response.json())
