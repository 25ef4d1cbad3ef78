@authorization-server
Feature: RPTs are issued and introspected as UMA 2.0 says
  The RPT answer is a plain OAuth bearer token answer. Introspecting an RPT
  shows its permissions and no scope. A persisted claims token (PCT) lets
  the client skip claims gathering next time.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope
    And the requesting party's client registered with its claims redirect URI

  @critical @UMA-GRANT-3.3.5-SUCCESS-FORM @UMA-GRANT-3.3.5-NO-SCOPE @UMA-GRANT-3.3.1-PUSHED-CLAIMS
  Scenario: The RPT answer is a bearer token answer without a scope, not to be cached
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT pushing a claim token with country "US" and city "NY"
    Then the authorization server answers 200 with a bearer access token and no scope
    And the answer forbids caching

  @critical @UMA-FEDAUTHZ-5.1.1-PERMISSIONS @UMA-FEDAUTHZ-5.1.1-NO-SCOPE
  Scenario: Introspecting an RPT shows it active with its permissions and no scope
    Given the client holds an RPT for the protected resource
    When the RPT is introspected at the authorization server
    Then the introspection says the RPT is active, for the client, with a permission for the claims-gathering scope
    And the introspection has no scope member

  @critical @UMA-GRANT-3.3.1-PCT
  Scenario: A PCT lets a later request skip claims gathering
    Given the user has answered Country "US" and City "NY" and the client holds the resulting RPT and PCT
    And the client holds a permission ticket for the protected resource
    When the client asks oxd for an RPT with the permission ticket and the PCT
    Then the client receives an RPT without being asked for more information

  @normal @UMA-GRANT-3.3.5-PCT-OPAQUE @UMA-GRANT-3.3.5-PCT-UNGUESSABLE
  Scenario: The PCT discloses no claims and cannot be guessed
    Given the client holds a permission ticket for the protected resource
    When the client asks the authorization server for an RPT pushing a claim token with country "US" and city "NY"
    Then the PCT is an opaque, unguessable string that does not carry the claims
