# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM: password tokens with a catalog, and the authentication of every API request (CONTRACT.md 7, 8, 11)."""

import datetime
import hmac
import json
import uuid

from .signing import AUTHORIZATION_RE, SIGNATURE_MAX_SKEW, canonical_request, expected_signature
from .wire import MAIN, ApiError, auth_error, route, utcnow

TOKEN_LIFETIME = datetime.timedelta(hours=24)


class IamMixin:
    """Keystone-style password tokens, and who is calling: token or AK/SK, bound to one project.

    A mixin of Emulator: it uses self.state, self.reading (the profile), self.base_url and self.vbs_url.
    """

    listener = MAIN

    # -- authentication and project binding (CONTRACT.md 7, 8, 11)

    def authenticate(self, request, path_project_id):
        """Who is calling (token or AK/SK, filled into request), refused unless scoped to the path's project."""
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token:
            self._authenticate_token(request, token)
        elif authorization:
            self._authenticate_signature(request, authorization)
        else:
            raise auth_error("Incorrect IAM authentication information: the request is not authenticated.")
        if request.project_id != path_project_id:
            # UNCONFIRMED["foreign_project_path"]: a credential is bound to one project.
            raise ApiError(
                self.reading("foreign_project_path"),
                {
                    "error_code": "APIG.0302",
                    "error_msg": "The credential is not authorized for project %s." % path_project_id,
                },
            )

    def _authenticate_token(self, request, token):
        with self.state.lock:
            issued = self.state.tokens.get(token)
        if issued is None:
            raise auth_error("Incorrect IAM authentication information: decrypt token fail")
        if issued["expires_at"] <= utcnow():
            raise auth_error("Incorrect IAM authentication information: the token has expired")
        request.project_id = issued["project_id"]
        request.identity = issued["user"]
        request.auth_type = "token"

    def _authenticate_signature(self, request, authorization):
        match = AUTHORIZATION_RE.match(authorization.strip())
        if not match:
            raise auth_error("Incorrect IAM authentication information: invalid Authorization header")
        access_key, signed, signature = match.groups()
        with self.state.lock:
            credential = self.state.access_keys.get(access_key)
        if credential is None:
            raise auth_error("Incorrect IAM authentication information: unknown access key")
        sdk_date = request.headers.get("x-sdk-date", "")
        try:
            signed_at = datetime.datetime.strptime(sdk_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise auth_error("Incorrect IAM authentication information: invalid X-Sdk-Date") from None
        if abs(utcnow() - signed_at) > SIGNATURE_MAX_SKEW:
            raise auth_error("Incorrect IAM authentication information: X-Sdk-Date is out of range")
        signed_headers = signed.split(";")
        canonical = canonical_request(
            request.method, request.path, request.query_pairs, request.headers, signed_headers, request.raw_body
        )
        wanted = expected_signature(credential["secret_key"], sdk_date, canonical)
        if not hmac.compare_digest(wanted, signature):
            raise auth_error("Incorrect IAM authentication information: verify aksk signature fail")
        wanted_token = credential.get("security_token")
        if wanted_token and not hmac.compare_digest(
            wanted_token.encode("utf-8"), request.headers.get("x-security-token", "").encode("utf-8")
        ):
            raise auth_error("Incorrect IAM authentication information: invalid security token")
        if wanted_token and "x-security-token" not in signed_headers:
            raise auth_error("Incorrect IAM authentication information: X-Security-Token is not signed")
        expires_at = credential.get("expires_at")
        if expires_at and datetime.datetime.fromisoformat(str(expires_at).replace("Z", "+00:00")) <= utcnow():
            raise auth_error("Incorrect IAM authentication information: the security token has expired")
        header_project = request.headers.get("x-project-id")
        if header_project and header_project != credential["project_id"]:
            raise ApiError(
                403,
                {
                    "error_code": "APIG.0302",
                    "error_msg": "The credential is not authorized for project %s." % header_project,
                },
            )
        request.project_id = credential["project_id"]
        request.identity = access_key
        request.auth_type = "aksk"

    # -- IAM (CONTRACT.md 7)

    @route("POST", r"/v3/auth/tokens", public=True)
    def create_token(self, request):
        try:
            auth = json.loads(request.raw_body.decode("utf-8"))["auth"]
            user = auth["identity"]["password"]["user"]
            scope = auth["scope"]["project"]
        except (ValueError, KeyError, TypeError):
            message = "The request body is not a valid password auth request."
            raise ApiError(400, {"error": {"code": 400, "title": "Bad Request", "message": message}}) from None
        project = self._scoped_project(scope)
        if project is None:
            raise ApiError(
                401,
                {
                    "error": {
                        "code": 401,
                        "title": "Unauthorized",
                        "message": "The project in the scope does not exist.",
                    }
                },
            )
        users = {u["name"]: u["password"] for u in project.get("users", [])}
        if not _in_domain(user.get("domain") or {}, project) or users.get(user.get("name")) != user.get("password"):
            raise ApiError(
                401, {"error": {"code": 401, "title": "Unauthorized", "message": "The username or password is wrong."}}
            )
        token = "emu-" + uuid.uuid4().hex + uuid.uuid4().hex
        issued_at = utcnow()
        expires_at = issued_at + TOKEN_LIFETIME
        with self.state.lock:
            self.state.tokens[token] = {"project_id": project["id"], "expires_at": expires_at, "user": user["name"]}
        request.project_id = project["id"]
        request.identity = user["name"]
        request.auth_type = "password"
        body = {
            "token": {
                "expires_at": expires_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "methods": ["password"],
                "user": {"name": user["name"], "domain": {"name": project["domain"]}},
                "project": {
                    "id": project["id"],
                    "name": project["name"],
                    "domain": {"id": project.get("domain_id", ""), "name": project["domain"]},
                },
                "roles": [{"name": "te_admin"}],
            }
        }
        if request.arg("nocatalog") != "true":
            body["token"]["catalog"] = self._catalog(project["id"])
        return 201, {"X-Subject-Token": token}, body

    @route("GET", r"/v3/auth/projects", public=True)
    def list_auth_projects(self, request):
        """The projects the token's user can access (IAM API reference, KeystoneListAuthProjects: GET
        /v3/auth/projects, X-Auth-Token of the IAM user, no special permission; projects[] with id, name,
        domain_id, enabled, is_domain, parent_id, description, links). UNCONFIRMED["auth_projects_token_only"]
        says whether an AK/SK-signed request is refused. A user reaches every project of its domain in which the
        fixture lists a user of that name; an access key (no user in the fixture) only its own project."""
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token:
            self._authenticate_token(request, token)
        elif authorization and not self.reading("auth_projects_token_only"):
            self._authenticate_signature(request, authorization)
        else:
            raise auth_error("Incorrect IAM authentication information: X-Auth-Token is missing.")
        with self.state.lock:
            caller = self.state.projects[request.project_id]
            projects = [
                project
                for project in self.state.projects.values()
                if project.get("domain") == caller.get("domain")
                and (
                    request.identity in [user["name"] for user in project.get("users", [])]
                    or project["id"] == request.project_id
                )
            ]
        domain_id = caller.get("domain_id", "")
        return (
            200,
            {},
            {
                "links": {"self": self.base_url + "/v3/auth/projects"},
                "projects": [
                    {
                        "id": project["id"],
                        "name": project["name"],
                        "domain_id": domain_id,
                        "parent_id": domain_id,
                        "enabled": True,
                        "is_domain": False,
                        "description": "",
                        "links": {"self": "%s/v3/projects/%s" % (self.base_url, project["id"])},
                    }
                    for project in projects
                ],
            },
        )

    def _scoped_project(self, scope):
        with self.state.lock:
            if scope.get("id"):
                return self.state.projects.get(scope["id"])
            domain = scope.get("domain") or {}
            if not domain and self.reading("project_name_scope_needs_domain"):
                return None
            for project in self.state.projects.values():
                if project["name"] == scope.get("name") and (not domain or _in_domain(domain, project)):
                    return project
        return None

    def _catalog(self, project_id):
        def service(kind, url):
            return {
                "type": kind,
                "id": uuid.uuid4().hex,
                "name": kind,
                "endpoints": [
                    {
                        "id": uuid.uuid4().hex,
                        "interface": "public",
                        "region": self.state.region,
                        "region_id": self.state.region,
                        "url": url,
                    }
                ],
            }

        # VBS is its own host (CONTRACT.md 4, 13.4): OTC lists vbsv2 with the project and volume-backup without.
        return [
            service("identity", self.base_url + "/v3"),
            service("cbr", "%s/v3/%s" % (self.base_url, project_id)),
            service("vbsv2", "%s/v2/%s" % (self.vbs_url, project_id)),
            service("volume-backup", "%s/v2/" % self.vbs_url),
        ]


def _in_domain(domain, project):
    """Whether a Keystone domain reference names the project's domain: by id (its fixture domain_id), else by name.

    Keystone v3 takes a domain by id or by name; otcextensions' configuration page shows user_domain_id as the
    alternative to user_domain_name on Open Telekom Cloud.
    """
    if domain.get("id") is not None:
        return bool(project.get("domain_id")) and domain["id"] == project["domain_id"]
    return domain.get("name") == project.get("domain")
