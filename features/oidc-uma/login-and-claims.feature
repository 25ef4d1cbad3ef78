@tutorial @oidc-uma
Feature: OpenID Connect login and UMA claims gathering open the website's settings page
  GG 4.2's second tutorial, "OpenID Connect Authentication and UMA PEP
  Authorization". A website sits behind Gluu Gateway. The gluu-openid-connect
  plugin logs the user in at the Gluu Server with the OpenID Connect
  authorization code flow; gluu-uma-pep then asks for an RPT on the user's
  behalf, sends the browser to the Country and City pages when the policy
  needs claims, takes the claims redirect back and only then serves the page.
  The tutorial's policy grants Country US and City NY. Only /settings/ is
  protected by the UMA expression; every other page needs the login only.

  Background:
    Given the tutorial's website behind Gluu Gateway with OpenID Connect login and the UMA PEP on its settings page

  @grant @blocker @OIDC-CORE-3.1.2.1-AUTH-REQUEST @UMA-GRANT-3.3.6-REDIRECT-USER @UMA-GRANT-3.3.4-ASSESSMENT
  Scenario: Logging in and answering Country US and City NY opens the settings page
    When the user opens the settings page in the browser
    Then the browser is sent to the authorization server's login page
    When the user logs in as the test user and allows the consent
    Then the browser is sent to the claims-gathering pages
    When the user answers Country "US" and City "NY"
    Then the pages asked for Country and then City
    And the browser lands on the website's settings page

  @grant @critical @echo-upstream @own-gateway @OIDC-CORE-3.1.3.7-ISS @OIDC-CORE-3.1.3.7-AUD @OIDC-CORE-2-SUB @OIDC-CORE-3.1.3.7-NONCE
  Scenario: The gateway passes the user's id_token to the website: this authorization server, this client, a subject, this login's nonce
    Given the website is replaced by an echo upstream
    And the user has logged in and answered Country "US" and City "NY" for the settings page
    Then the upstream receives the id_token claims: the authorization server as issuer, the gateway's OP client as audience, a subject, and the nonce of the browser's authorization request

  @critical @echo-upstream @own-gateway
  Scenario: The website never receives the gateway's session cookies
    Given the website is replaced by an echo upstream
    And the user has logged in and answered Country "US" and City "NY" for the settings page
    Then the upstream does not receive the gateway's session cookies

  @normal @UMA-GRANT-3.2-REASONABLE-SCOPES
  Scenario: A page outside the UMA expression needs the login only
    When the user opens the home page in the browser
    Then the browser is sent to the authorization server's login page
    When the user logs in as the test user and allows the consent
    Then the browser lands on the website's home page without any claims page
