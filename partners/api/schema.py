"""The OpenAPI schema's account of what every call shares: the OAuth2 client credentials security scheme (with the
scopes each view requires) and the problem responses that any call may get, so that the schema at /api/v1/schema
tells partners (and schemathesis, tests/partners/test_schema_conformance.py) the truth about every response.

Registered by import from partners/urls.py, which serves the schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from partners.api.problems import PROBLEM_CONTENT_TYPE, TITLES
from partners.scopes import SCOPE_DESCRIPTIONS

TOKEN_URL = "/api/v1/oauth/token"  # noqa: S105 (an address)
SCHEME_NAME = "clientCredentials"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# A problem's shape, for a schema whose views name none (partners.api.problems.ProblemSerializer is the same).
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457), the body of every error response.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


class ClientCredentialsScheme(OpenApiAuthenticationExtension):
    """partners.api.authentication.ClientCredentialsAuthentication: a bearer token from the client credentials
    grant; each operation requires the scopes its view names (`required_scopes`)."""

    target_class = "partners.api.authentication.ClientCredentialsAuthentication"
    name = SCHEME_NAME

    def get_security_requirement(self, auto_schema):
        return {self.name: list(getattr(auto_schema.view, "required_scopes", []))}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "The client credentials grant: POST your client id and secret (HTTP Basic) to the token "
            "URL; send the access token as `Authorization: Bearer <token>`. A token carries the scopes it asked "
            "for, or all of its client's when it asked for none.",
            "flows": {"clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": dict(SCOPE_DESCRIPTIONS)}},
        }


def _problem_response(status_code: int) -> dict:
    return {
        "description": TITLES.get(status_code, "Error"),
        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
    }


def add_common_problem_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: every authenticated operation may be refused (401 no or bad token, 403 a scope
    missing, 429 over the client's rate); one with a path parameter may not find its object (404); one with
    parameters or a body may fail validation (400), and a body may be too large (413) or of another media type
    (415). A view that documents one of these itself keeps its own."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {401, 403, 429} if operation.get("security") else set()
            if "{" in path:
                codes.add(404)
            if any(parameter.get("in") in ("query", "header") for parameter in operation.get("parameters", [])):
                codes.add(400)
            if "requestBody" in operation:
                codes.update({400, 413, 415})
            for code in sorted(codes):
                operation["responses"].setdefault(str(code), _problem_response(code))
    return result
