@resource-server
Feature: A request without an RPT gets a UMA challenge with a fresh permission ticket
  Gluu Gateway's gluu-uma-auth and gluu-uma-pep plugins make Kong a UMA
  resource server. A request for a protected resource that carries no token
  must be refused with 401 and a UMA challenge naming the authorization
  server and carrying a new permission ticket. These checks need nothing but
  the tutorial's own set-up, so they also run against an existing one.

  Background:
    Given the tutorial's API protected by Gluu Gateway with the claims-gathering scope

  @blocker @UMA-GRANT-3.2-TICKET-OBTAINED @UMA-GRANT-3.2.1-WWW-AUTH-SCHEME @UMA-GRANT-3.2.1-TICKET-PARAM
  Scenario: A request without a token is refused with 401 and a permission ticket
    When the client requests the protected resource without a token
    Then the gateway refuses with 401 and a permission ticket

  @critical
  Scenario: The challenge has Gluu Gateway's exact format and body
    When the client requests the protected resource without a token
    Then the challenge reads exactly: realm "rs", as_uri, error "insufficient_scope", ticket; comma-separated without spaces
    And the refusal body is the message "Unauthorized"

  @critical @UMA-GRANT-3.2.1-AS-URI @UMA-GRANT-2-DISCOVERY-LOCATION
  Scenario: The challenge's as_uri is the authorization server's issuer
    When the client requests the protected resource without a token
    Then the challenge's as_uri is the issuer of the authorization server, whose discovery document names it

  @critical @UMA-GRANT-5.4-UNGUESSABLE
  Scenario: Every refusal carries a new, unguessable ticket
    When the client requests the protected resource without a token 3 times
    Then every refusal carries a different permission ticket

  @normal
  Scenario: A host the gateway has no route for is answered by Kong itself, without a ticket
    When the client requests the protected resource on a host the gateway has no route for
    Then Kong answers 404 "no Route matched with those values" without a challenge
