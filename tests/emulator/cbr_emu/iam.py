# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM: password tokens with a catalog, and the authentication of every API request (docs/api_notes.md §iam.token,
§aksk, §emulator)."""

import datetime
import hmac
import json
import uuid

from .signing import AUTHORIZATION_RE, SIGNATURE_MAX_SKEW, canonical_request, expected_signature
from .wire import MAIN, VBS, ApiError, auth_error, route, utcnow

TOKEN_LIFETIME = datetime.timedelta(hours=24)


class IamMixin:
    """Keystone-style password tokens and who is calling: a token or an AK/SK, each acting in one project.

    Users belong to a domain (an account) and have a role in some of its projects; IAM issues a token scoped to
    one of those projects or to the domain (docs/api_notes.md §iam.scopes). Every region has its own IAM and CBR
    address; a token works only in the region whose IAM issued it (§iam.regions).

    A mixin of Emulator: it uses self.state, self.reading (the profile) and self.url_of(region, listener).
    """

    listener = MAIN

    # -- authentication and project binding (docs/api_notes.md §iam.token, §aksk, §emulator)

    def authenticate(self, request, path_project_id):
        """Who is calling (token or AK/SK, filled into request), refused unless scoped to the path's project,
        in the region of the address called."""
        self._identify(request, path_project_id)
        if request.project_id is None and request.auth_type == "token":
            # A domain-scoped token is for IAM (global services) only; CBR and VBS are project services.
            raise ApiError(
                self.reading("foreign_project_path"),
                {
                    "error_code": "APIG.0302",
                    "error_msg": "The token is scoped to a domain, not to project %s." % path_project_id,
                },
            )
        if request.project_id != path_project_id:
            # UNCONFIRMED["foreign_project_path"]: a credential acts for one project.
            raise ApiError(
                self.reading("foreign_project_path"),
                {
                    "error_code": "APIG.0302",
                    "error_msg": "The credential is not authorized for project %s." % path_project_id,
                },
            )
        with self.state.lock:
            project_region = self.state.region_of(request.project_id)
        if project_region != request.region:
            raise ApiError(
                self.reading("other_region"),
                {
                    "error_code": "APIG.0301",
                    "error_msg": "Incorrect IAM authentication information: project %s is not in region %s."
                    % (request.project_id, request.region),
                },
            )

    def _identify(self, request, path_project_id=None):
        """Fill in who is calling from the token or the AK/SK signature; 401 when neither is valid here."""
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token:
            self._authenticate_token(request, token)
        elif authorization:
            self._authenticate_signature(request, authorization, path_project_id)
        else:
            raise auth_error("Incorrect IAM authentication information: the request is not authenticated.")

    def _authenticate_token(self, request, token):
        with self.state.lock:
            issued = self.state.tokens.get(token)
        if issued is None:
            raise auth_error("Incorrect IAM authentication information: decrypt token fail")
        if issued["expires_at"] <= utcnow():
            raise auth_error("Incorrect IAM authentication information: the token has expired")
        if issued["region"] != request.region:
            raise ApiError(
                self.reading("other_region"),
                {
                    "error_code": "APIG.0301",
                    "error_msg": "Incorrect IAM authentication information: the token was issued for region %s."
                    % issued["region"],
                },
            )
        request.project_id = issued["project_id"]
        request.identity = issued["user"]
        request.user_key = (issued["domain"], issued["user"])
        request.auth_type = "token"

    def _authenticate_signature(self, request, authorization, path_project_id=None):
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
            request.method, request.raw_path, request.query_pairs, request.headers, signed_headers, request.raw_body
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
        request.identity, request.user_key, request.auth_type = access_key, credential["user"], "aksk"
        if credential["user"] is None:
            # A key of one project (the fixture lists it under the project): it acts there only.
            acting_in, allowed = credential["project_id"], [credential["project_id"]]
        else:
            # A user's key acts in the project it names (X-Project-Id, else the path's), if the user has a role there.
            acting_in = header_project or path_project_id
            with self.state.lock:
                allowed = [p["id"] for p in self.state.projects_of(credential["user"])]
        if header_project and header_project not in allowed:
            raise ApiError(
                403,
                {
                    "error_code": "APIG.0302",
                    "error_msg": "The credential is not authorized for project %s." % header_project,
                },
            )
        request.project_id = acting_in if acting_in in allowed else None

    # -- IAM (docs/api_notes.md §iam.token)

    @route("POST", r"/v3/auth/tokens", public=True)
    def create_token(self, request):
        """A password login scoped to a project (by id, or by name and domain) or to the user's domain
        (docs/api_notes.md §iam.token, §iam.scopes)."""
        try:
            auth = json.loads(request.raw_body.decode("utf-8"))["auth"]
            user = auth["identity"]["password"]["user"]
            scope = auth["scope"]
            if not isinstance(scope, dict) or not ({"project", "domain"} & set(scope)):
                raise KeyError("scope")
        except (ValueError, KeyError, TypeError):
            message = "The request body is not a valid password auth request."
            raise ApiError(400, {"error": {"code": 400, "title": "Bad Request", "message": message}}) from None
        with self.state.lock:
            user_domain = self._domain_name(user.get("domain") or {})
            known = self.state.users.get((user_domain, user.get("name")))
        if known is None or user.get("password") not in known["passwords"]:
            raise iam_unauthorized("The username or password is wrong.")
        if "project" in scope:
            project = self._scoped_project(scope["project"])
            if project is None:
                raise iam_unauthorized("The project in the scope does not exist.")
            if project["id"] not in known["projects"]:
                raise iam_unauthorized("The user has no role in the project.")
            project_id, domain = project["id"], self.state.domains[project["domain"]]
        else:
            wanted = scope["domain"] if isinstance(scope["domain"], dict) else {}
            domain = self.state.domains.get(user_domain)
            if (
                not wanted
                or wanted.get("name") not in (None, user_domain)
                or wanted.get("id") not in (None, domain["id"])
            ):
                raise iam_unauthorized("The domain in the scope is not the user's domain.")
            project, project_id = None, None
        token = "emu-" + uuid.uuid4().hex + uuid.uuid4().hex
        issued_at = utcnow()
        expires_at = issued_at + TOKEN_LIFETIME
        with self.state.lock:
            self.state.tokens[token] = {
                "project_id": project_id,
                "expires_at": expires_at,
                "user": user["name"],
                "domain": user_domain,
                "region": request.region,
            }
        request.project_id = project_id
        request.identity = user["name"]
        request.auth_type = "password"
        body = {
            "token": {
                "expires_at": expires_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "methods": ["password"],
                "user": {"name": user["name"], "domain": {"id": domain["id"], "name": user_domain}},
                "roles": [{"name": "te_admin"}],
            }
        }
        if project is not None:
            body["token"]["project"] = {
                "id": project["id"],
                "name": project["name"],
                "domain": {"id": domain["id"], "name": domain["name"]},
            }
        else:
            body["token"]["domain"] = {"id": domain["id"], "name": domain["name"]}
        if request.arg("nocatalog") != "true":
            body["token"]["catalog"] = self._catalog(project_id)
        return 201, {"X-Subject-Token": token}, body

    @route("GET", r"/v3/auth/projects", public=True)
    def list_auth_projects(self, request):
        """The projects the caller's user has a role in, in every region (docs/api_notes.md §iam.projects). A
        project-scoped or domain-scoped token may call it; so may an AK/SK (UNCONFIRMED["auth_projects_token_only"]):
        a user's key lists the user's projects, a key of one project that project only."""
        if request.headers.get("authorization") and not request.headers.get("x-auth-token"):
            if self.reading("auth_projects_token_only"):
                raise auth_error("Incorrect IAM authentication information: X-Auth-Token is missing.")
        self._identify(request)
        self.throttle(request)
        with self.state.lock:
            if request.user_key is not None:
                projects = self.state.projects_of(request.user_key)
            else:
                projects = [self.state.projects[request.project_id]]
            listed = [self._project_view(project) for project in projects]
        own_url = self.url_of(request.region, MAIN)
        return 200, {}, {"links": {"self": own_url + "/v3/auth/projects"}, "projects": listed}

    @route("GET", r"/v3/auth/domains", public=True)
    def list_auth_domains(self, request):
        """The caller's account (docs/api_notes.md §iam.projects): token or AK/SK."""
        self._identify(request)
        self.throttle(request)
        with self.state.lock:
            if request.user_key is not None:
                domain = self.state.domains[request.user_key[0]]
            else:
                domain = self.state.domains[self.state.projects[request.project_id]["domain"]]
        own_url = self.url_of(request.region, MAIN)
        return (
            200,
            {},
            {
                "links": {"self": own_url + "/v3/auth/domains"},
                "domains": [
                    {
                        "id": domain["id"],
                        "name": domain["name"],
                        "enabled": True,
                        "description": "",
                        "links": {"self": "%s/v3/domains/%s" % (own_url, domain["id"])},
                    }
                ],
            },
        )

    def _project_view(self, project):
        """A project as IAM lists it: a region's main project (named like the region) has the domain as its
        parent, a subproject (eu-de_dr) the region's main project where the fixture has it."""
        parent_id = project["domain_id"]
        if project["name"] != project["region"]:
            parent_id = next(
                (
                    p["id"]
                    for p in self.state.projects.values()
                    if p["name"] == project["region"] and p["domain"] == project["domain"]
                ),
                parent_id,
            )
        return {
            "id": project["id"],
            "name": project["name"],
            "domain_id": project["domain_id"],
            "parent_id": parent_id,
            "enabled": project.get("enabled", True),
            "is_domain": False,
            "description": project.get("description", ""),
            "links": {"self": "%s/v3/projects/%s" % (self.url_of(project["region"], MAIN), project["id"])},
        }

    def _domain_name(self, reference):
        """The name of the domain a Keystone domain reference names, by id or by name (None for none or an unknown id).

        Keystone v3 takes a domain by id or by name; otcextensions' configuration page shows user_domain_id as the
        alternative to user_domain_name on Open Telekom Cloud. Call with the state's lock held.
        """
        if reference.get("id") is not None:
            return next((d["name"] for d in self.state.domains.values() if d["id"] == reference["id"]), None)
        return reference.get("name")

    def _scoped_project(self, scope):
        with self.state.lock:
            if scope.get("id"):
                return self.state.projects.get(scope["id"])
            domain = self._domain_name(scope.get("domain") or {})
            if domain is None and self.reading("project_name_scope_needs_domain"):
                return None
            for project in self.state.projects.values():
                if project["name"] == scope.get("name") and domain in (None, project.get("domain")):
                    return project
        return None

    def _catalog(self, project_id):
        """Every region's endpoints, in the fixture's order of regions (Keystone lists each service once with an
        endpoint per region). A domain-scoped token (project_id None) gets the identity service only."""

        def service(kind, url_of_region):
            return {
                "type": kind,
                "id": uuid.uuid4().hex,
                "name": kind,
                "endpoints": [
                    {
                        "id": uuid.uuid4().hex,
                        "interface": "public",
                        "region": region,
                        "region_id": region,
                        "url": url_of_region(region),
                    }
                    for region in self.state.regions
                ],
            }

        catalog = [service("identity", lambda region: self.url_of(region, MAIN) + "/v3")]
        if project_id is None:
            return catalog
        # VBS is its own host (docs/api_notes.md §iam.catalog, §endpoints): OTC lists vbsv2 with the project and
        # volume-backup without.
        return catalog + [
            service("cbr", lambda region: "%s/v3/%s" % (self.url_of(region, MAIN), project_id)),
            service("vbsv2", lambda region: "%s/v2/%s" % (self.url_of(region, VBS), project_id)),
            service("volume-backup", lambda region: "%s/v2/" % self.url_of(region, VBS)),
        ]


def iam_unauthorized(message):
    return ApiError(401, {"error": {"code": 401, "title": "Unauthorized", "message": message}})
