"""SCIM 2.0 (RFC 7643/7644) as MedMentor speaks it: the User resource and its attributes,
the discovery documents, the error shape, PATCH operations and list filters.

Nothing here reads or writes the database but the filter, which only builds a query:
``services`` applies what :func:`parse_user` reads, ``views`` answers with what
:func:`user_resource` writes. Groups are not supported.

django-scim2's views and adapters are global (one ``SCIM_SERVICE_PROVIDER``, the signed-in
``request.user`` as the client); a directory here is scoped to its institution by its
token, so the views are ours and only its filter parser (scim2-filter-parser) is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from scim2_filter_parser.parser import SCIMParserError
from scim2_filter_parser.transpilers.django_q_object import get_query

from medmentor.institutions.models import InstitutionMember

CONTENT_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

DEFAULT_COUNT = 100
MAX_COUNT = 200
NAME_MAX = 150  # User.name
TEXT_MAX = 255  # externalId, userName


class ScimError(Exception):
    """An answer in SCIM's error shape (RFC 7644 §3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid(attribute: str, detail: str) -> ScimError:
    return ScimError(400, f"{attribute}: {detail}", "invalidValue")


# -- Reading a User ---------------------------------------------------------------------


@dataclass
class UserData:
    """What a request says of a person; None: not said (left as it is)."""

    user_name: str | None = None
    email: str | None = None
    email_attribute: str = "emails"  # the attribute the e-mail came from, for errors
    name: str | None = None
    external_id: str | None = None
    active: bool | None = None


def _text(payload: dict[str, Any], key: str, attribute: str, limit: int) -> str | None:
    value = payload.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(attribute, "a string is expected.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise invalid(attribute, f"at most {limit} characters.")
    return value


def _boolean(value: Any) -> bool:
    """Entra sends "True"/"False" strings in PATCH; others send JSON booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid("active", "true or false is expected.")


def _lower_keys(payload: dict[str, Any]) -> dict[str, Any]:
    """Attribute names are case-insensitive (RFC 7643 §2.1); a core schema URN prefix
    (``urn:...:User:displayName``) names the same attribute."""
    lowered: dict[str, Any] = {}
    for key, value in payload.items():
        name = str(key)
        if name.lower().startswith(USER_SCHEMA.lower() + ":"):
            name = name[len(USER_SCHEMA) + 1 :]
        lowered[name.lower()] = value
    return lowered


def _email_from(emails: Any) -> str | None:
    if emails is None:
        return None
    if not isinstance(emails, list) or not all(isinstance(item, dict) for item in emails):
        raise invalid("emails", "a list of {value, type, primary} is expected.")
    items = [_lower_keys(item) for item in emails]
    if not items:
        return None
    chosen = next((item for item in items if _boolean_or_false(item.get("primary"))), None)
    chosen = chosen or next((item for item in items if item.get("type") == "work"), items[0])
    value = chosen.get("value")
    if not isinstance(value, str) or not value.strip():
        raise invalid("emails", "each address needs a value.")
    return value.strip().lower()


def _boolean_or_false(value: Any) -> bool:
    try:
        return _boolean(value)
    except ScimError:
        return False


def _name_of(payload: dict[str, Any]) -> str | None:
    """The person's one name: displayName, else name.formatted, else given and family."""
    display = _text(payload, "displayname", "displayName", NAME_MAX)
    if display:
        return display
    name = payload.get("name")
    if name is None:
        return None
    if not isinstance(name, dict):
        raise invalid("name", "an object with givenName and familyName is expected.")
    name = _lower_keys(name)
    formatted = _text(name, "formatted", "name.formatted", NAME_MAX)
    if formatted:
        return formatted
    parts = [
        _text(name, key, f"name.{attribute}", NAME_MAX)
        for key, attribute in (
            ("honorificprefix", "honorificPrefix"),
            ("givenname", "givenName"),
            ("middlename", "middleName"),
            ("familyname", "familyName"),
        )
    ]
    joined = " ".join(part for part in parts if part)
    if len(joined) > NAME_MAX:
        raise invalid("name", f"at most {NAME_MAX} characters.")
    return joined or None


def parse_user(payload: Any, *, whole: bool) -> UserData:
    """Read a User resource (POST, PUT: ``whole``) or the attributes a PATCH sets.
    Attributes we do not keep (phone numbers, the enterprise extension) are ignored."""
    if not isinstance(payload, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    attributes = _lower_keys(payload)
    data = UserData(
        user_name=_text(attributes, "username", "userName", TEXT_MAX),
        name=_name_of(attributes),
        external_id=_text(attributes, "externalid", "externalId", TEXT_MAX),
    )
    if "active" in attributes and attributes["active"] is not None:
        data.active = _boolean(attributes["active"])
    if whole and not data.user_name:
        raise invalid("userName", "required.")
    if "username" in attributes and not data.user_name:
        raise invalid("userName", "cannot be empty.")
    data.email = _email_from(attributes.get("emails"))
    if data.email is None and whole and data.user_name and "@" in data.user_name:
        data.email, data.email_attribute = data.user_name.lower(), "userName"
    if whole and data.email is None:
        raise invalid("emails", "an e-mail address is required (or a userName that is one).")
    if data.email is not None:
        try:
            validate_email(data.email)
        except ValidationError:
            raise invalid(data.email_attribute, "not a valid e-mail address.") from None
    return data


# -- PATCH ------------------------------------------------------------------------------

_NAME_PARTS = {"givenname": "givenName", "familyname": "familyName", "formatted": "formatted"}


def patch_payload(body: Any, *, current_name: str) -> dict[str, Any]:
    """The attributes a PatchOp request sets, as a partial User resource (RFC 7644 §3.5.2):
    replace and add of active, userName, displayName, name (or its parts), emails and
    externalId; remove of externalId. ``current_name`` completes a change of one part of
    the name (given or family name)."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "A PatchOp with a list of Operations is expected.", "invalidSyntax")
    payload: dict[str, Any] = {}
    given, _, family = current_name.partition(" ")
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        path = operation.get("path")
        value = operation.get("value")
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown operation {op!r}.", "invalidSyntax")
        if path is not None and not isinstance(path, str):
            raise ScimError(400, "path must be a string.", "invalidPath")
        if op == "remove":
            if path and _attribute(path) == "externalid":
                payload["externalid"] = ""
                continue
            raise ScimError(400, "Only externalId can be removed.", "mutability")
        if not path:
            if not isinstance(value, dict):
                raise ScimError(400, "An operation without path needs an object.", "invalidSyntax")
            for key, item in _lower_keys(value).items():
                _set(payload, key, item, given, family)
        else:
            _set(payload, _attribute(path), value, given, family)
    return payload


def _attribute(path: str) -> str:
    path = path.strip()
    if path.lower().startswith(USER_SCHEMA.lower() + ":"):
        path = path[len(USER_SCHEMA) + 1 :]
    return path.lower()


def _set(payload: dict[str, Any], path: str, value: Any, given: str, family: str) -> None:
    if path.startswith("emails[") or path in ("emails.value", "emails"):
        if path == "emails":
            payload["emails"] = value
        else:  # emails[type eq "work"].value, emails[primary eq true].value
            payload["emails"] = [{"value": value, "primary": True}]
        return
    if path.startswith("name.") or path == "name":
        name = payload.setdefault("name", {"givenName": given, "familyName": family})
        if path == "name":
            if not isinstance(value, dict):
                raise invalid("name", "an object is expected.")
            name.update(value)
        elif path[5:] in _NAME_PARTS:
            name[_NAME_PARTS[path[5:]]] = value
        return
    if path in ("active", "username", "displayname", "externalid"):
        payload[path] = value
    # Anything else (title, phoneNumbers, the enterprise extension) is not kept here.


# -- Writing a User ---------------------------------------------------------------------


def user_resource(member: InstitutionMember, *, location: str) -> dict[str, Any]:
    user = member.user
    given, _, family = user.name.partition(" ")
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": str(member.uuid),
        "userName": member.user_name or user.email,
        "name": {"formatted": user.name, "givenName": given, "familyName": family},
        "displayName": user.name,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active and member.deactivated_at is None,
        "meta": {
            "resourceType": "User",
            "created": member.created_at.isoformat(),
            "lastModified": member.updated_at.isoformat(),
            "location": location,
        },
    }
    if member.external_id:
        resource["externalId"] = member.external_id
    return resource


def list_response(resources: list[dict[str, Any]], *, total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def paging(start_index: str | None, count: str | None) -> tuple[int, int]:
    """startIndex (1-based) and count: below 1 counts as 1, below 0 as 0 (RFC 7644
    §3.4.2.4); count is capped at MAX_COUNT."""
    try:
        start = int(start_index) if start_index else 1
    except ValueError:
        raise invalid("startIndex", "an integer is expected.") from None
    try:
        size = int(count) if count else DEFAULT_COUNT
    except ValueError:
        raise invalid("count", "an integer is expected.") from None
    return max(start, 1), min(max(size, 0), MAX_COUNT)


# The attributes a filter may name, and the query they become on InstitutionMember rows
# annotated with ``scim_user_name`` (the userName, or the e-mail address where none).
FILTER_ATTRIBUTES = {
    ("userName", None, None): "scim_user_name",
    ("externalId", None, None): "external_id",
    ("emails", "value", None): "user__email",
    ("emails", None, None): "user__email",
    ("id", None, None): "uuid",
}


def filter_query(expression: str) -> Q:
    """The query of a filter on userName, externalId, emails or id (eq, and, or, not...)."""
    try:
        query = get_query(expression, FILTER_ATTRIBUTES)
    except (SCIMParserError, ValueError, KeyError, TypeError):
        raise ScimError(400, "The filter could not be read.", "invalidFilter") from None
    if not isinstance(query, Q) or not query:
        raise ScimError(
            400, "Only userName, externalId, emails and id can be filtered on.", "invalidFilter"
        )
    return query


# -- Discovery ---------------------------------------------------------------------------


def service_provider_config(*, base: str) -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": "",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made by MedMentor staff for one institution.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": base},
    }


def resource_types(*, base: str) -> dict[str, Any]:
    """Users only: Groups are not supported."""
    user = {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the institution",
        "schema": USER_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": f"{base}/User"},
    }
    return list_response([user], total=1, start=1)


def _attribute_schema(
    name: str, *, required: bool = False, kind: str = "string", **more: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": required,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        **more,
    }


def schemas(*, base: str) -> dict[str, Any]:
    name_parts = [_attribute_schema(part) for part in ("formatted", "givenName", "familyName")]
    email_parts = [
        _attribute_schema("value"),
        _attribute_schema("type"),
        _attribute_schema("primary", kind="boolean"),
    ]
    user = {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the institution",
        "attributes": [
            _attribute_schema("userName", required=True, uniqueness="server"),
            _attribute_schema("name", kind="complex", subAttributes=name_parts),
            _attribute_schema("displayName"),
            _attribute_schema(
                "emails", kind="complex", subAttributes=email_parts, multiValued=True
            ),
            _attribute_schema("active", kind="boolean"),
            _attribute_schema("externalId", caseExact=True),
        ],
        "meta": {"resourceType": "Schema", "location": f"{base}/{USER_SCHEMA}"},
    }
    return list_response([user], total=1, start=1)
