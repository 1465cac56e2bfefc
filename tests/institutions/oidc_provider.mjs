// A real OpenID Connect provider for the SSO tests: node's oidc-provider (certified by the
// OpenID Foundation) on loopback, with its development log-in screen, where any login is
// accepted and becomes the account's e-mail address. Started by tests.institutions.oidc.py:
//   OIDC_PORT=... OIDC_REDIRECT_URIS=uri[,uri] OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=... node oidc_provider.mjs
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

function nameOf(login) {
  // "amira.haddad@uottawa.ca" signs in as "Amira Haddad".
  return login
    .split("@")[0]
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(" ");
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_REDIRECT_URIS.split(","),
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: nameOf(id) };
      },
    };
  },
  // Claims in the ID token too: allauth reads them from there or from userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ["medmentor-tests-only"] },
  features: { devInteractions: { enabled: true } },
});
// Quiet: the tests read only the "ready" line.
provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
