"""A real SAML 2.0 identity provider for the tests: pysaml2's IdP ``Server``, signing with
xmlsec1 and a key and self-signed certificate made at test time (``cryptography``). Our side
is the real one: allauth's SAML views, python3-saml and xmlsec checking what it receives.

The journey, as a browser makes it (SP-initiated, HTTP-Redirect then HTTP-POST):
``start_sign_in`` posts to /accounts/saml/<slug>/login/ and reads the AuthnRequest the site
sends to the IdP; ``IdentityProvider.respond`` answers it with a signed Response;
``post_to_acs`` posts it to the site's ACS and follows to acs/finish/.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client

from medmentor.institutions.models import Institution, InstitutionDomain, SsoProtocol

XMLSEC1 = Path("/usr/bin/xmlsec1")
# The site's host as the IdP knows it: a real domain (python3-saml refuses an ACS address on
# a single-label host such as Django's "testserver").
HOST = "medmentor.example"
IDP_ENTITY_ID = "https://idp.umontreal.example/saml/metadata"
IDP_SSO_URL = "https://idp.umontreal.example/saml/sso"

EMAIL = "urn:oid:0.9.2342.19200300.100.1.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
ATTRIBUTE_MAPPING = {
    "email": EMAIL,
    "first_name": GIVEN_NAME,
    "last_name": SURNAME,
    "name": DISPLAY_NAME,
}
# What a real deployment sets: only signed answers, both the message and its assertion.
STRICT_ADVANCED = {"want_assertion_signed": True, "want_message_signed": True}

requires_xmlsec1 = pytest.mark.skipif(
    not XMLSEC1.exists(),
    reason=f"no xmlsec1 at {XMLSEC1} (make install installs Debian's)",
)


def browser() -> Client:
    """Django's test client, visiting the site at ``HOST`` (add it to ALLOWED_HOSTS)."""
    return Client(HTTP_HOST=HOST)


def acs_path(slug: str) -> str:
    return f"/accounts/saml/{slug}/acs/"


def acs_url(slug: str) -> str:
    return f"http://{HOST}{acs_path(slug)}"


def metadata_url(slug: str) -> str:
    """allauth's default SP entity id: the address of its metadata."""
    return f"http://{HOST}/accounts/saml/{slug}/metadata/"


@dataclass(frozen=True)
class SigningKey:
    key_pem: bytes
    cert_pem: bytes

    @property
    def x509cert(self) -> str:
        """The certificate as staff paste it in the app's settings (PEM)."""
        return self.cert_pem.decode()

    def write(self, directory: Path, name: str) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
        key_file.write_bytes(self.key_pem)
        cert_file.write_bytes(self.cert_pem)
        return key_file, cert_file


def make_signing_key(common_name: str = "idp.umontreal.example") -> SigningKey:
    """An RSA key and its self-signed certificate, as an IdP publishes in its metadata."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
    )


class IdentityProvider:
    """pysaml2's IdP, knowing the service providers whose metadata it was given."""

    def __init__(self, signing_key: SigningKey, workdir: Path, sp_metadata: list[str]) -> None:
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS
        from saml2.server import Server

        key_file, cert_file = signing_key.write(workdir, "idp")
        config = IdPConfig()
        config.load(
            {
                "entityid": IDP_ENTITY_ID,
                "xmlsec_binary": str(XMLSEC1),
                "key_file": str(key_file),
                "cert_file": str(cert_file),
                "metadata": {"inline": sp_metadata},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            },
                        },
                    },
                },
            }
        )
        self.server = Server(config=config)

    def read_request(self, redirect_url: str) -> Any:
        """The AuthnRequest the site sent (HTTP-Redirect binding), parsed by pysaml2."""
        from saml2 import BINDING_HTTP_REDIRECT

        query = parse_qs(urlsplit(redirect_url).query)
        return self.server.parse_authn_request(
            query["SAMLRequest"][0], BINDING_HTTP_REDIRECT
        ).message

    def respond(
        self,
        *,
        in_response_to: str | None,
        destination: str,
        audience: str,
        email: str,
        given_name: str = "Amira",
        surname: str = "Haddad",
        sign_response: bool = True,
        sign_assertion: bool = True,
    ) -> str:
        """A Response saying ``email`` signed in, as XML (signed as asked)."""
        from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        response = self.server.create_authn_response(
            identity={
                EMAIL: [email],
                GIVEN_NAME: [given_name],
                SURNAME: [surname],
                DISPLAY_NAME: [f"{given_name} {surname}"],
            },
            in_response_to=in_response_to,
            destination=destination,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            },
            sign_response=sign_response,
            sign_assertion=sign_assertion,
            # python3-saml refuses SHA-1 (pysaml2's default), as it should.
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return str(response)


def saml_institution(
    signing_key: SigningKey,
    *,
    name: str = "Université de Montréal",
    slug: str = "umontreal",
    provider_id: str | None = None,
    domains: tuple[str, ...] = ("umontreal.ca",),
    advanced: dict[str, Any] | None = None,
    with_app: bool = True,
) -> Institution:
    """An institution set up as staff do in the admin: its SAML app (Social applications,
    ``client_id`` the short name in /accounts/saml/<slug>/...) and the institution."""
    provider_id = provider_id or f"saml-{slug}"
    if with_app:
        SocialApp.objects.create(
            provider="saml",
            name=name,
            **saml_app(signing_key, slug=slug, provider_id=provider_id, advanced=advanced),
        )
    institution = Institution.objects.create(
        name=name, slug=slug, sso_protocol=SsoProtocol.SAML, sso_provider_id=provider_id
    )
    for domain in domains:
        InstitutionDomain.objects.create(institution=institution, domain=domain)
    return institution


def saml_app(
    signing_key: SigningKey,
    *,
    slug: str,
    provider_id: str,
    advanced: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The app's fields: provider_id, client_id and settings (IdP, mapping, advanced)."""
    return {
        "provider_id": provider_id,
        "client_id": slug,
        "settings": {
            "idp": {
                "entity_id": IDP_ENTITY_ID,
                "sso_url": IDP_SSO_URL,
                "x509cert": signing_key.x509cert,
            },
            "attribute_mapping": ATTRIBUTE_MAPPING,
            "advanced": dict(STRICT_ADVANCED if advanced is None else advanced),
        },
    }


def sp_metadata(client: Client, slug: str) -> str:
    """Our SP metadata, from the site itself (GET /accounts/saml/<slug>/metadata/)."""
    answer = client.get(f"/accounts/saml/{slug}/metadata/")
    assert answer.status_code == 200, answer.content
    return answer.content.decode()


def start_sign_in(client: Client, slug: str, next_url: str = "") -> tuple[str, str]:
    """Post to allauth's SAML log-in as the "Log in with..." button does; the IdP address
    the site redirects to (with the SAMLRequest) and the RelayState it carries."""
    started = client.post(f"/accounts/saml/{slug}/login/", {"next": next_url} if next_url else {})
    assert started.status_code == 302, started.content
    location = started["Location"]
    assert location.startswith(IDP_SSO_URL + "?"), location
    relay_state = parse_qs(urlsplit(location).query).get("RelayState", [""])[0]
    return location, relay_state


def post_to_acs(client: Client, slug: str, response_xml: str, relay_state: str = ""):
    """The IdP's auto-submitted form: SAMLResponse (base64) and RelayState to our ACS, then
    the redirect to acs/finish/. Returns the finishing answer."""
    posted = client.post(
        acs_path(slug),
        {
            "SAMLResponse": base64.b64encode(response_xml.encode()).decode(),
            "RelayState": relay_state,
        },
    )
    assert posted.status_code == 302, posted.content
    return client.get(posted["Location"])
